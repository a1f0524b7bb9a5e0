"""A question as the pipeline takes it: validated once (spacing, length), its language detected once."""
from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import QuestionError
from assistant.text.language import Language, question_language


@dataclass(frozen=True)
class Question:
    text: str
    language: Language

    @classmethod
    def parse(cls, text: str, max_chars: int) -> Question:
        """The question on one line; a French message when it is empty or too long."""
        text = " ".join((text or "").split())
        if not text:
            raise QuestionError("La question est vide : écrivez une question sur vos documents.")
        if len(text) > max_chars:
            raise QuestionError(f"La question est trop longue ({len(text)} caractères, "
                                f"maximum {max_chars}) : raccourcissez-la.")
        return cls(text, question_language(text))
