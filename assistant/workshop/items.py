"""What a training session is made of: plain dataclasses the trainer (or the app) may edit before
export. Every item carries the passages it rests on as `Quote`s: the passage (document, page,
text) and the sentence the item quotes from it."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.domain import Quote


@dataclass
class KeyFigure:
    text: str  # a short statement around the figure
    figure: str  # copied verbatim from the cited passage, e.g. "3 %"
    citations: list[Quote]
    verified: bool = True  # the figure was found in the cited passage
    note: str = ""  # why the item is flagged, in French
    theme: str = ""
    audience: str = ""  # the trainees


LETTERS = "ABCDEFGH"  # a quiz question's choices, at most eight
OPEN = "question ouverte"  # a question's kind answered in the trainee's words: one choice, the expected answer
CAUSE, MEANS = "pourquoi", "grâce à quoi"  # the reason or the means the documents give, answered in words too
ANSWERED_FREELY = (OPEN, CAUSE, MEANS)


@dataclass
class QuizQuestion:
    text: str  # the question
    choices: list[str]  # four options, shuffled
    answer: int  # index of the right option in `choices`
    citations: list[Quote]  # the passage that proves the right answer first
    theme: str = ""
    audience: str = ""
    # rôle, situation, terme, offre, pourquoi, grâce à quoi, question ouverte, ordre de grandeur, affirmation,
    # exemple, compréhension, chiffre
    kind: str = "compréhension"
    explanation: str = ""  # why the right answer is right, from the source

    @property
    def right_answer(self) -> str:
        return self.choices[self.answer]

    @property
    def is_open(self) -> bool:
        """Answered in the trainee's words: no options, `right_answer` is what is expected."""
        return self.kind in ANSWERED_FREELY

    @property
    def said_beyond_proof(self) -> str:
        """The explanation an export shows beside the proof: none for an open question's that only quotes
        it (« Le document le dit : « <proof> » »), which would print the same passage twice."""
        proof = self.citations[0].text if self.citations else ""
        return "" if self.is_open and proof and proof in self.explanation else self.explanation


@dataclass
class OutlinePart:
    text: str  # the part's title
    minutes: int
    objectives: list[str]
    discussion: list[str]  # discussion points, questions for the group
    citations: list[Quote]
    theme: str = ""
    audience: str = ""
    support: float = 0.0  # how much of the part's wording its passages hold (0..1)
    stage: str = ""  # contexte, règles, cas or pratique (`workshop.stages`)
    line_sources: dict[str, Quote] = field(default_factory=dict)  # objective or discussion line -> its source


Item = KeyFigure | QuizQuestion | OutlinePart

# The session's three parts in the order of the exported document: attribute, heading, and the
# name of one of its items.
PARTS = (("outline", "Déroulé", "Partie"), ("figures", "Chiffres clés", "Chiffre"), ("quiz", "Quiz", "Question"))


@dataclass
class TrainingSession:
    """A session prepared for a theme, an audience (the trainees) and a length."""
    theme: str
    audience: str
    minutes: int
    figures: list[KeyFigure] = field(default_factory=list)
    quiz: list[QuizQuestion] = field(default_factory=list)
    outline: list[OutlinePart] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per artifact
    notes: list[str] = field(default_factory=list)  # what the documents could not give (shortfall)

    def items(self) -> list[Item]:
        """In the order of the exported document."""
        return [item for kind, _, _ in PARTS for item in getattr(self, kind)]

    def sources(self) -> list[Quote]:
        """Every cited passage once, in order of first citation (an outline line's own source
        after its part's)."""
        seen: dict[str, Quote] = {}
        for item in self.items():
            lines = list(item.line_sources.values()) if isinstance(item, OutlinePart) else []
            for quote in [*item.citations, *lines]:
                seen.setdefault(quote.passage.id, quote)
        return list(seen.values())


def shortfall(kind: str, count: int, asked: int) -> str:
    """Why a part has fewer items than asked, for the trainer: items are never padded with
    passages off the theme or with questions that fail the checks."""
    if count >= asked:
        return ""
    if kind == "quiz":
        return (f"Quiz : {count} question(s) sur {asked} demandées — les documents n’offrent pas davantage de "
                "questions sur ce thème qui passent les vérifications (réponse dans l’extrait, mauvaises réponses "
                "plausibles) ; complétez-le ou élargissez le thème.")
    if kind == "outline":
        return (f"Déroulé : {count} partie(s) sur {asked} prévues — les documents n’offrent pas d’autre sujet qui "
                "nomme ce thème ; le temps de la session est réparti entre elles.")
    if kind == "figures" and count == 0:
        return "Chiffres clés : aucun chiffre des documents ne porte sur ce thème."
    return ""
