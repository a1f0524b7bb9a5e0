"""A part's title: one short model call on the part's own sentences, kept when they back it and it
names the side of the theme the part opens on; else the part's heading or first clause."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.components.llm.base import ChatModel
from assistant.text.normalise import fold
from assistant.text.words import tokens
from assistant.workshop import prompt
from assistant.workshop.sources import Candidate, backed_by, clean
from assistant.workshop.stages import TITLES
from assistant.workshop.theme import stem


@dataclass
class Draft:
    title: str
    objectives: list[str]
    discussion: list[str]


_LINE = re.compile(r"^\s*\**\s*(titre|objectifs?|discussion|question)\s*\**\s*[:：]\s*(.+)$", re.IGNORECASE)


def parse(text: str) -> Draft:
    """The TITRE/OBJECTIF/DISCUSSION lines; a last line cut by the token limit is left out."""
    draft = Draft("", [], [])
    lines = text.strip().splitlines()
    if lines and not lines[-1].rstrip().endswith((".", "?", "!", "»")) and len(lines) >= 3:
        lines = lines[:-1]
    for line in lines:
        match = _LINE.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip().strip("* ")
        if value.startswith("«") and value.endswith("»"):  # a quoted line, not « IA » at its end
            value = value[1:-1].strip()
        if key == "titre" and not draft.title:
            draft.title = value.rstrip(".")
        elif key.startswith("objectif"):
            draft.objectives.append(value)
        elif value:
            draft.discussion.append(value)
    return draft


# A title must hold the sentences it was written from: when any passage of the part could back it,
# « Les améliorations de l'IA dans les entreprises » titled a part on sanctions (blind rater E).
MIN_TITLE_SUPPORT = 0.5


def part_title(llm: ChatModel | None, said: str, seed: Candidate, passages: str, stage: str) -> str:
    """The model's title for the part's sentences (`said`) when one fits, else its heading."""
    return (_model_title(llm, said, seed, passages) if llm is not None else "") or _fallback_title(stage, seed)


MIN_TITLE_WORDS = 3  # « Hypertrucage d'IA » names a thing, not what a part on transparency teaches (a blind rater)


def _model_title(llm: ChatModel, said: str, seed: Candidate, passages: str) -> str:
    """One short call on the part's sentences; when its title leaves out the side of the theme the
    part opens on (« la qualité »), one more call that names it (a blind rater: « L'IA et la
    production de la chaîne industrielle » over a sentence on quality control). Empty when no
    title fits. The session's theme is left out of the prompt: given it, the model titles every
    part after the theme; the part's own sentences make each part its own (and are short to read)."""
    request = f"Extraits :\n{said}"
    title = parse(prompt.ask(llm, prompt.PART, request, 24)).title
    side = _side(seed)
    if side and not _names(title, side):
        title = parse(prompt.ask(llm, prompt.PART, f"{request}\nLe titre nomme : {', '.join(side)}.", 24)).title
    fits = len(title.split()) >= MIN_TITLE_WORDS and _title_fits(title, said) and (not side or _names(title, side))
    return title if fits and not prompt.copied(title, prompt.PART_EXAMPLE, passages) else ""


def _side(seed: Candidate) -> list[str]:
    """The seed's words that name a side of the theme (`Candidate.facet`), as the seed writes them."""
    sides = {stem(w) for w in seed.facet}
    return list(dict.fromkeys(w for w in re.findall(r"[\w-]+", clean(seed.sentence)) if stem(fold(w)) in sides))


def _names(title: str, side: list[str]) -> bool:
    return bool({stem(w) for w in tokens(title)} & {stem(w) for w in tokens(" ".join(side))})


_ARTICLE = re.compile(r"^Article\s+(?P<number>\d+\w*)\s+—", re.IGNORECASE)


def _fallback_title(stage: str, seed: Candidate) -> str:
    """The part's heading or first clause; when short, with its article's number (« Sanctions
    (article 99) »), else after its stage's name. A long heading says what the part is about; a blind
    rater found « En pratique : Des compétences … » awkward, and AG and AH « Les règles : Sanctions »
    (« un reste de la génération »)."""
    own = _title_from(seed)
    if len(own.split()) > 6:
        return own
    article = _ARTICLE.match(seed.passage.heading or "")
    if own and article:
        return f"{own} (article {article.group('number')})"
    return " : ".join(t for t in (TITLES[stage], own) if t)


def _title_fits(title: str, said: str) -> bool:
    """The title holds the sentences it was written from, its head noun first: « Les améliorations
    de l'IA dans les entreprises » shares « IA » and « entreprise » with a sentence on fines, not
    what it is about."""
    words, heard = tokens(title), {stem(w) for w in tokens(said)}
    return bool(words) and stem(words[0]) in heard and backed_by(title, said, MIN_TITLE_SUPPORT)


MAX_HEADING_WORDS = 22


def _title_from(seed: Candidate) -> str:
    """The part's heading (« Obligations incombant aux déployeurs… » of an article, a section of a
    report, not the whole report's title), else the seed's first clause: never a sentence cut at a
    word count."""
    passage = seed.passage
    heading = passage.heading.split(" — ")[-1].strip()
    section = passage.page is None or passage.heading not in (passage.title, passage.document)
    if heading and section and len(heading.split()) <= 14:
        return heading
    sentence = clean(seed.sentence)
    # A line without a full stop is a section's heading (« Des compétences en IA recherchées dans les
    # activités liées à la qualité, les process-méthodes et à la maintenance-sécurité »): whole, not
    # cut at its first comma inside the list (a blind rater: « mis-cut title »).
    if not sentence.endswith((".", "!", "?", "…")) and len(sentence.split()) <= MAX_HEADING_WORDS:
        return sentence
    first = re.split(r"[,;:(]", sentence)[0].strip(" .")
    return first if 4 <= len(first.split()) <= 14 else ""  # not « Grâce à l'IA »
