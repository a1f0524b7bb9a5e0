"""How a sentence is framed for the public when an objective or a discussion point quotes it alone:
the scope its heading gives a rule's subject, the subject a report's heading gives a finding."""
from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.domain import Passage

# « Les déployeurs confient le contrôle humain … » under « Obligations incombant aux déployeurs de
# systèmes d'IA à haut risque »: alone, the sentence binds every deployer (a blind rater's objection).
# The subject's noun, when no complement of its own follows it.
_SUBJECT = re.compile(r"^(?:les|le|la|l['’])\s*(?P<noun>\w{4,})\s+(?!de\b|d['’]|du\b|des\b|qui\b|dont\b|vis)",
                      re.IGNORECASE)
_AI = re.compile(r"\b(?:IA|intelligence artificielle)\b", re.IGNORECASE)


def names_ai(text: str) -> bool:
    return bool(_AI.search(text))


def scope(sentence: str, passage: Passage) -> str:
    """« déployeurs de systèmes d’IA à haut risque »: the sentence's subject as its heading narrows
    it, when the sentence does not say so itself; else empty."""
    match = _SUBJECT.match(sentence)
    if not match:
        return ""
    noun = match.group("noun")
    narrowed = re.search(rf"\b{re.escape(noun)}\s+(?P<scope>(?:de|d['’]|des|du)\s*[^,;:—()]+)", passage.heading,
                         re.IGNORECASE)
    if not narrowed or narrowed.group("scope").strip().lower() in sentence.lower():
        return ""
    return f"{noun} {narrowed.group('scope').strip()}"


def lost_context(sentence: str, passage: Passage, neighbours: Sequence[Passage] = ()) -> str:
    """The heading a finding sits under (in the passage or one before it on its page), when it
    names AI and the sentence does not: « ce sont les cadres en qualité … qui sont particulièrement
    recherchés » is about offers asking for AI skills only under its heading; alone it reads as a
    finding on all recruitment (a blind rater)."""
    if names_ai(sentence):
        return ""
    before = sorted((p for p in neighbours if p.document == passage.document and p.page == passage.page
                     and p.position < passage.position), key=lambda p: p.position)
    text = "\n".join([*(p.text for p in before), passage.text.split(sentence[:40])[0]])
    headings = [passage.section.split(" — ")[-1]] if passage.section else []
    headings += [line.strip() for line in text.split("\n") if _HEADING.match(line.strip())]
    named = [h for h in headings if names_ai(h)]
    return named[-1].rstrip(" .:") if named else ""


# « Des compétences en intelligence artificielle recherchées dans les activités … »: what it is about.
_TOPIC = re.compile(r"^(?:des|les)\s+(?P<topic>[^,;:()]{3,60}?\b(?:IA|intelligence artificielle))\b", re.IGNORECASE)


def topic_of(heading: str) -> str:
    """« compétences en intelligence artificielle »: the plural subject a heading opens on, up to AI,
    to frame a finding in a few words (« s'agissant des … ») rather than « (partie « <the whole
    heading> ») », which nine raters found heavy; empty when the heading opens otherwise."""
    match = _TOPIC.match(heading)
    return match.group("topic") if match else ""


# A heading line: a capital, 16 to 200 characters, no closing punctuation, no bullet.
_HEADING = re.compile(r"^[A-ZÀ-Ý][^•\n]{15,200}(?<![.!?;:»)])$")
