"""A passage as its document reads: what follows it (the chunker often cuts right before
« Cette obligation ne s'applique pas … ») and whether a rule is cut from its exception."""
from __future__ import annotations

import re

from assistant.domain import Passage
from assistant.text.normalise import fold

# Police and justice uses (« à des fins répressives », « enquêter sur une infraction pénale »):
# nothing an industrial company deploys.
POLICE = re.compile(r"\b(?:repressi\w+|infractions? penales?|enquet\w+|identification biometrique a distance)\b")


# A rule the next sentence limits (« Cette obligation ne s'applique pas lorsque … contrôle
# éditorial ») is half of it: taught alone, it misleads (a blind rater: « risque de contresens »).
_EXCEPTION = re.compile(r"^(?:(?:cette|ces|cet|ce|le|la|les)\s[^.;]{0,40}?\bne s['’]appliquen?t? pas\b|"
                        r"toutefois\b|sauf\b|par dérogation\b)", re.IGNORECASE)


NEXT = "next"  # Passage.extra: the opening of the passage after it in its document (`Workshop.followed`)


def reading(passage: Passage) -> str:
    """The passage's text and what follows it: the chunker often cuts right before « Cette
    obligation ne s'applique pas … »."""
    return f"{passage.text}\n{passage.extra.get(NEXT, '')}"


def limited(sentence: str, text: str) -> bool:
    """The sentence after this one in the text is an exception to it, unless for police uses
    alone (no company's concern: « … à des fins de prévention ou de détection des infractions
    pénales … »)."""
    tail = sentence.rstrip(" .")[-40:]  # its end, as the text writes it (a quote may be cleaned at its start)
    at = text.find(tail)
    after = text[at + len(tail):].lstrip(" .\n") if at >= 0 and tail else ""
    if not _EXCEPTION.match(after):
        return False
    exception = fold(after.split(". ")[0])
    return not (POLICE.search(exception) and not re.search(r"\bou (?:lorsque|si|quand)\b", exception))
