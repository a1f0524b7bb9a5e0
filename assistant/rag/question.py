"""A question as the pipeline takes it: validated once (spacing, length), its language detected once."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.errors import QuestionError
from assistant.text.language import Language, question_language
from assistant.text.normalise import fold

# A question with an interrogative word asks for something; one with a subject-verb inversion and
# none asks « oui ou non ? » (« Un employeur doit-il … ? », « Est-ce que … ? », « Does … ? »).
# « qui », « que », « quand », « où » count only where a clause starts: after a noun they are the
# relative of « Les cadres qui utilisent l'IA déclarent-ils … ? ».
_OPEN = re.compile(r"\b(?:quel|quelle|quels|quelles|combien|comment|pourquoi|lequel|laquelle|lesquels|lesquelles|"
                   r"what|which|who|whom|when|where|why|how)\b"
                   r"|(?:^(?:et\s+|mais\s+)?|[,;:]\s*"
                   r"|\b(?:a|de|dans|pour|par|sur|selon|avec|en|depuis|chez|parmi|entre|contre|vers|sous|sans)\s+)"
                   r"(?:qui|que|qu'|quoi|quand|ou)(?:\b|(?<='))")
_INVERSION = re.compile(r"\w-(?:t-)?(?:il|elle|ils|elles|on)\b|^est-ce qu")
_ENGLISH_CLOSED = re.compile(r"^(?:is|are|was|were|does|do|did|can|could|must|should|has|have|will|may)\b")


def is_closed(text: str) -> bool:
    """A yes/no question: small models answer « Oui » to those, echoing the question."""
    folded = fold(text)
    return not _OPEN.search(folded) and bool(_INVERSION.search(folded) or _ENGLISH_CLOSED.match(folded))


# « Qu'est-ce qu'un … », « Que désigne … », « Comment l'étude définit-elle … », « Qu'entend-on par … ».
_DEFINITION = re.compile(r"\bqu'est-ce qu|\b(?:designe|signifie|definit|definissent|definition|appelle-t-on|"
                         r"veut dire|recouvre)\b|\bentend(?:-on)?\b.*\bpar\b")
# The defined term: quoted (« hypertrucage »), else an acronym in brackets (IoT), else in capitals (RCA).
QUOTED_TERM = re.compile(r"[«\"“]\s*([^»\"”]{2,60}?)\s*[»\"”]")
_TERMS = (QUOTED_TERM, re.compile(r"\(([A-Za-z]{2,8})\)"),
          re.compile(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z]*)\b"))


def defined_term(text: str) -> str:
    """What a definition question asks the meaning of; "" when it asks for no definition."""
    if not _DEFINITION.search(fold(text)):
        return ""
    found = next((match for match in (term.search(text) for term in _TERMS) if match), None)
    return found.group(1) if found else ""


def definition_entry(term: str) -> str:
    """The pattern, on folded text, of a list entry defining the term (« • 8) «opérateur», un
    fournisseur, … »)."""
    return rf"[«\"“]\s*{re.escape(fold(term))}\s*[»\"”]\s*,"


def quoted_term(text: str) -> str:
    """The term a definition question quotes (« Comment le règlement définit-il le « fournisseur » ? »); ""
    for any other question (an acronym in capitals, « IA », is not looked up as a defined term)."""
    found = QUOTED_TERM.search(text) if _DEFINITION.search(fold(text)) else None
    return found.group(1) if found else ""


# « Comment le règlement appelle-t-il … ? », « Quel nom donne-t-elle à … ? »: the thing described, its
# name asked (a definition question the other way round, its term unknown to the question).
_NAMING = re.compile(r"\bquel (?:nom|terme|mot)\b|\bcomment s'appelle\b|"
                     r"\bcomment\b.*\b(?:appelle|nomme|designe|qualifie)-(?:t-)?(?:il|elle|ils|elles|on)\b")


def asks_name(text: str) -> bool:
    """A French question asking what something described is called (its term is not given)."""
    return bool(_NAMING.search(fold(text))) and not defined_term(text)


# « au titre de l'article 4 », « l'annexe III »: a part of the documents named by its number; not one
# of another text (« l'article 4, point 1), du règlement (UE) 2016/679 »)
_NAMED_PART = re.compile(r"\b(article|annexe)\s+(\d{1,3}|[IVX]{1,5})\b(?![^?]{0,40}\((?:UE|CE)\))", re.IGNORECASE)


def named_parts(text: str) -> set[str]:
    """The articles and annexes a question names, folded (« article 4 », « annexe iii »)."""
    return {fold(f"{kind} {number}") for kind, number in _NAMED_PART.findall(text)}


def is_part(title: str, parts: set[str]) -> bool:
    """Whether a document's title (« Article 4 — Maîtrise de l'IA ») is one of the named parts."""
    title = fold(title)
    return any(title == part or title.startswith(f"{part} ") for part in parts)


# « Quelles sont les quatre fonctions … ? », « Quels impacts … ? », « … énumère-t-il ? », and the
# list asked after another question (« À quoi servent les profils data ? Donnez les quatre objectifs. »)
_LISTING = re.compile(r"\b(?:quels|quelles|lesquels|lesquelles|enumere|enumerez|liste|listez|citez|nommez)\b"
                      r"|\bdonnez\s+(?:les|tous|toutes)\b")


@dataclass(frozen=True)
class Question:
    text: str
    language: Language

    @property
    def closed(self) -> bool:
        """A French yes/no question (the prompt's extra line is French: not said to other questions)."""
        return self.language == "fr" and is_closed(self.text)

    @property
    def term(self) -> str:
        """The term a French definition question asks about (« shadow IT »), else ""."""
        return defined_term(self.text) if self.language == "fr" else ""

    @property
    def listing(self) -> bool:
        """A French question asking for several things (a list), not for a yes/no or a definition."""
        return (self.language == "fr" and not self.closed and not self.term
                and bool(_LISTING.search(fold(self.text))))

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
