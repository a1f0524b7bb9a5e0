"""Word tokens for lexical matching: folded, French elisions removed, stop words dropped.

Written by hand because BM25 libraries fold neither accents nor French elisions (l', d', qu').
"""
from __future__ import annotations

import math
import re

from assistant.text.normalise import fold

# Short French function words: they carry no meaning for retrieval.
STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs
    lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur
    ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre est sont a ont avait
    sera aussi plus comme tout tous toute toutes cela ceci ca dont donc ainsi alors si sans sous
    entre vers chez quel quelle quels quelles quoi comment pourquoi quand ou-est est-ce
    il-y-a y-a-t-il fait faire peut etc selon
    the of and to in is are what which who how for on by with from
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")
_ELISION = re.compile(r"\b([cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


def tokens(text: str, keep_stop_words: bool = False) -> list[str]:
    """Folded word tokens, elisions removed (« l'industrie » -> « industrie »)."""
    folded = _ELISION.sub(" ", fold(text))
    words = _WORD.findall(folded)
    if keep_stop_words:
        return words
    return [w for w in words if w not in STOP_WORDS]


def overlap(wanted: set[str], text: str) -> float:
    """How many of the wanted tokens the text holds: 1 for the word itself, 0.8 for a word of the
    same 5-letter prefix (plurals, inflections: « offre » / « offres », « recrute » / « recrutent »)."""
    return weighted_overlap(dict.fromkeys(wanted, 1.0), text)


def weighted_overlap(weights: dict[str, float], text: str) -> float:
    """`overlap` where each wanted word counts its own weight."""
    found = set(tokens(text))
    stems = {w[:5] for w in found}
    # fsum: the same total in any order of the words (a set's order changes from run to run, and a
    # last-bit difference decided ties between sentences: the quoted sentence changed between runs)
    return math.fsum(weight * (1.0 if w in found else 0.8) for w, weight in weights.items()
                     if w in found or (len(w) > 4 and w[:5] in stems))


def acronyms(words: list[str]) -> set[str]:
    """The initials of each run of two or three long words: a question's « IA » is the passages'
    « intelligence artificielle », « RH » their « ressources humaines »."""
    runs = (words[i:i + n] for n in (2, 3) for i in range(len(words) - n + 1))
    return {"".join(w[0] for w in run) for run in runs if all(len(w) >= 5 and w.isalpha() for w in run)}


def coverage(wanted: str, text: str) -> float:
    """Share of the content words of `wanted` that `text` holds (prefix-matched, see `overlap`)."""
    words = set(tokens(wanted))
    return overlap(words, text) / len(words) if words else 0.0


def beyond(text: str, given: str) -> str:
    """The words of `text` that `given` does not hold, as written (« La taille de l'entreprise
    est de 250 salariés » beyond its question -> « est de 250 salariés »)."""
    asked = set(tokens(given))
    return " ".join(word for word in text.split() if not (held := set(tokens(word))) or not held <= asked)
