"""Who says a quoted passage. The study quotes its interviewees (« “ Appliqué à mon niveau, ce sera
du RCA … ») and names them after the quote, on a line of its own (« — Ingénieur de production cloud
- ESN … »). The chunker cuts long quotes, so the name may open a later passage: the answer « le
sigle RCA évoqué par l'ingénieur de production cloud signifie Root Cause Analyse » was removed, its
passage holding the acronym and not who said it."""
from __future__ import annotations

import re

from assistant.domain import Passage
from assistant.rag.lists import Following

# « — Expert émérite - Safran Aircraft Engines », up to the next quote or line
_ATTRIBUTION = re.compile(r"^\s*[—–]\s*([^“\n]+)")
_REACH = 2  # passages a quote may run on into before its attribution


def quote_speaker(passage: Passage, following: Following) -> str:
    """The attribution of the quote the passage ends in, when a next passage opens on it (with no
    other quote or attribution before it); "" otherwise. It backs an answer's words, not its names
    nor its figures (`citations.support`)."""
    after: Passage | None = passage
    for _ in range(_REACH):
        after = following(after)
        if after is None:
            return ""
        found = _ATTRIBUTION.match(after.text)
        if found:
            return found.group(1).strip()
        if "“" in after.text or re.search(r"(?:^|\n)\s*[—–]", after.text):
            return ""
    return ""
