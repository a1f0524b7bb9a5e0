"""The session outline: parts chosen from the passages of the theme (one topic per document, or
per page of a long document), each part searched again on its own topic, then written by one short
model call from its excerpts; lines the excerpts do not back are dropped."""
from __future__ import annotations

import re
from dataclasses import dataclass

from llama_index.core.base.llms.types import ChatMessage, MessageRole

from assistant.components.llm.base import ChatModel
from assistant.domain import Passage, Quote
from assistant.rag.citations import support
from assistant.rag.evidence import select_sentences
from assistant.workshop.items import OutlinePart
from assistant.workshop.sources import Candidate, backed_by, clean

OUTLINE_PROMPT = (
    "Tu aides un formateur à construire une partie d'une session de formation à partir d'extraits "
    "de documents. Appuie-toi uniquement sur les extraits.\n"
    "Réponds exactement en quatre lignes courtes :\n"
    "TITRE: titre de la partie, 3 à 8 mots, propre à ces extraits\n"
    "OBJECTIF: ce que les participants sauront à la fin, moins de 15 mots\n"
    "DISCUSSION: une question à poser au groupe\n"
    "DISCUSSION: une autre question, différente\n"
    "Exemple :\n"
    "TITRE: La maintenance prédictive des lignes\n"
    "OBJECTIF: Expliquer comment les capteurs permettent d'anticiper les pannes.\n"
    "DISCUSSION: Quelles pannes coûtent le plus cher dans votre atelier ?\n"
    "DISCUSSION: Quelles données vos machines produisent-elles déjà ?"
)

MIN_LINE_SUPPORT = 0.3  # share of a line's content words found in the part's passages


def part_count(minutes: int) -> int:
    return 2 if minutes <= 45 else 3 if minutes <= 100 else 4 if minutes <= 150 else 5


def split_minutes(minutes: int, parts: int) -> list[int]:
    """Minutes per part in steps of 5, the remainder to the first parts."""
    base = max(5, (minutes // parts) // 5 * 5)
    shares = [base] * parts
    rest = minutes - base * parts
    i = 0
    while rest >= 5:
        shares[i % parts] += 5
        rest -= 5
        i += 1
    return shares


def topic(passage: Passage) -> str:
    """One topic per document, or per page for a long paginated document (a report)."""
    return f"{passage.document}#{passage.page}" if passage.page is not None else passage.document


def seeds(pool: list[Candidate], count: int) -> list[Candidate]:
    """The best sentence of the `count` best topics."""
    chosen: list[Candidate] = []
    keys: set[str] = set()
    for candidate in pool:
        key = topic(candidate.passage)
        if key not in keys:
            keys.add(key)
            chosen.append(candidate)
        if len(chosen) >= count:
            break
    return chosen


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


def excerpts(passages: list[Passage], query: str, words: int = 45) -> str:
    return "\n".join(f"[{i}] {select_sentences(query, p.text, 2, words)}" for i, p in enumerate(passages, start=1))


def write(llm: ChatModel | None, seed: Candidate, cited: list[Passage], theme: str, audience: str,
          minutes: int) -> OutlinePart:
    """One model call; unbacked lines dropped; the seed sentence stands in for what is missing."""
    passages = "\n".join(p.text for p in cited)
    draft = Draft("", [], [])
    if llm is not None:
        # The session's theme is left out of the prompt: given it, the model titles every part
        # after the theme; the excerpts make each part its own.
        public = f"Public : {audience}\n" if audience else ""
        messages = [ChatMessage(role=MessageRole.SYSTEM, content=OUTLINE_PROMPT),
                    ChatMessage(role=MessageRole.USER,
                                content=f"{public}Extraits :\n{excerpts(cited, f'{theme} {seed.sentence}')}")]
        draft = parse(llm.chat(messages, max_tokens=90).message.content or "")
    def backed(line: str) -> bool:
        return backed_by(line, passages, MIN_LINE_SUPPORT)

    title = draft.title if draft.title and backed(draft.title) else _title_from(seed.sentence)
    objectives = [o for o in draft.objectives if backed(o)][:2]
    discussion = [d for d in dict.fromkeys(draft.discussion) if backed(d)][:3]
    if not objectives:
        objectives = [f"Connaître ce que disent les documents : {clean(seed.sentence)}"]
    if not discussion:
        discussion = ["Qu'en est-il dans votre service ? Exemples et retours d'expérience."]
    lines = [title, *objectives, *discussion]
    score = sum(support(line, passages) for line in lines) / len(lines)
    return OutlinePart(text=title, minutes=minutes, objectives=objectives, discussion=discussion,
                       citations=[Quote(p, _best_quote(p, theme)) for p in cited],
                       theme=theme, audience=audience, support=round(score, 3))


def _best_quote(passage: Passage, theme: str) -> str:
    return select_sentences(theme, passage.text, 1, 60).rstrip(" …")


def _title_from(sentence: str, words: int = 9) -> str:
    head = clean(sentence).split()
    return " ".join(head[:words]).rstrip(" ,;:.") + ("…" if len(head) > words else "")
