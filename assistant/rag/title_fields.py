"""What a document's title alone states: a job offer's title gives its branch, region and company
size (« Offre d'emploi cadre — Data analyst, Branche Carrières et matériaux – Nouvelle-Aquitaine –
10 à 19 salarié.es »), which its body does not repeat. The 1.5B model reads the excerpts, not their
labels: asked « Quelle est la taille de l'entreprise qui recrute le data analyst, et dans quelle
branche ? », it gave the branch and left the size out (dev d13). The title is quoted after the
reply when the question asks for one of these fields and the reply does not give it.
"""
from __future__ import annotations

import re

from assistant.domain import Evidence
from assistant.rag.citations import MARKER, CitedAnswer
from assistant.rag.question import Question
from assistant.rag.quoting import with_quote
from assistant.text.normalise import fold
from assistant.text.numbers import numbers_in
from assistant.text.words import tokens

TITLE_LABEL = "Intitulé de l'offre : "
# « Offre d'emploi cadre — Responsable Digital, Branche …»: the post
OFFER = re.compile(r"^offre d['’]emploi\b[^—]*—\s*(?P<post>[^,(—–]{3,60}?)\s*(?:[,(—–]|$)", re.IGNORECASE)
# the questions' ways of asking for each field (folded), and how the title's segment is known
_ASKS = {
    "size": re.compile(r"\btaille\b|\bcombien de salarie|\bnombre de salarie"),
    "branch": re.compile(r"\bquelles? branches?\b"),
    "region": re.compile(r"\bquelles? regions?\b|\bou se situe"),
}
_SEGMENTS = re.compile(r"\s[–—-]\s|,\s")


def _fields(title: str) -> dict[str, str]:
    """« Offre d'emploi cadre — Data analyst, Branche … – Nouvelle-Aquitaine – 10 à 19 salarié.es »
    -> job, branch, region, size; {} for a title that is no job offer's."""
    offer = OFFER.match(title)
    if offer is None:
        return {}
    fields = {"job": offer.group("post")}
    for part in filter(None, (part.strip() for part in _SEGMENTS.split(title[offer.end("post"):]))):
        kind = "size" if re.search(r"\bsalari", part) else "branch" if part.startswith("Branche ") else "region"
        fields.setdefault(kind, part)
    return fields


def _given(kind: str, value: str, reply: str) -> bool:
    if kind == "size":
        return numbers_in(value) <= numbers_in(reply)
    return fold(value.removeprefix("Branche ")) in fold(reply)


def title_asked(question: Question, reply: str, evidence: list[Evidence]) -> Evidence | None:
    """The evidence item whose title names the job the question asks about and states a field the
    question asks for that the reply does not give; None otherwise."""
    asked = fold(question.text)
    wanted = [kind for kind, ask in _ASKS.items() if ask.search(asked)]
    if not wanted or question.language != "fr":
        return None
    words = set(tokens(question.text))
    for item in evidence:
        fields = _fields(item.passage.title)
        job = set(tokens(fields.get("job", "")))
        if job and job <= words and any(kind in fields and not _given(kind, fields[kind], reply) for kind in wanted):
            return item
    return None


def with_title(question: Question, cited: CitedAnswer, evidence: list[Evidence]) -> CitedAnswer:
    """The checked reply followed by the title stating what it left out (« … Intitulé de l'offre :
    « Offre d'emploi cadre — Data analyst, … – 10 à 19 salarié.es » [2]. »)."""
    item = title_asked(question, MARKER.sub("", cited.text), evidence)
    return with_quote(cited, [(item.passage.title, item)], TITLE_LABEL) if item else cited
