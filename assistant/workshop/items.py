"""What a training session is made of: plain dataclasses the trainer (or the app) may edit before
export. Every item carries the passages it rests on, with document, page and the quoted sentence."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Progress callback: (message in French, steps done, steps planned). Gradio's gr.Progress fits
# behind it: `lambda message, done, total: progress(done / max(total, 1), desc=message)`.
Progress = Callable[[str, int, int], None]


def no_progress(message: str, done: int, total: int) -> None:
    return None


@dataclass
class Source:
    """One cited passage, as indexed."""
    document: str
    page: int | None
    title: str
    passage: str  # the whole passage text
    passage_id: str
    quote: str = ""  # the sentence(s) of the passage the item rests on

    @property
    def label(self) -> str:
        return f"{self.document}, p. {self.page}" if self.page else self.document


@dataclass
class KeyFigure:
    text: str  # a short statement around the figure
    figure: str  # copied verbatim from the cited passage, e.g. "3 %"
    citations: list[Source]
    verified: bool = True  # the figure was found in the cited passage
    note: str = ""  # why the item is flagged, in French
    theme: str = ""
    audience: str = ""


@dataclass
class QuizQuestion:
    text: str  # the question
    choices: list[str]  # four options, shuffled
    answer: int  # index of the right option in `choices`
    citations: list[Source]  # the passage that proves the right answer
    theme: str = ""
    audience: str = ""

    @property
    def right_answer(self) -> str:
        return self.choices[self.answer]


@dataclass
class OutlinePart:
    text: str  # the part's title
    minutes: int
    objectives: list[str]
    discussion: list[str]  # discussion points, questions for the group
    citations: list[Source]
    theme: str = ""
    audience: str = ""
    support: float = 0.0  # how much of the part's wording its passages hold (0..1)


Item = KeyFigure | QuizQuestion | OutlinePart


@dataclass
class Session:
    theme: str
    audience: str
    minutes: int
    figures: list[KeyFigure] = field(default_factory=list)
    quiz: list[QuizQuestion] = field(default_factory=list)
    outline: list[OutlinePart] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per artifact

    def items(self) -> list[Item]:
        """In the order of the exported document."""
        return [*self.outline, *self.figures, *self.quiz]

    def sources(self) -> list[Source]:
        """Every cited passage once, in order of first citation."""
        seen: dict[str, Source] = {}
        for item in self.items():
            for source in item.citations:
                seen.setdefault(source.passage_id or f"{source.document}|{source.page}|{source.passage}", source)
        return list(seen.values())
