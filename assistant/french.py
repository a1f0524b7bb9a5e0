"""French text handling for lexical matching: folding, tokens, stop words, sentences.

Written by hand because BM25 libraries fold neither accents nor French elisions (l', d', qu'),
and llama-index's sentence splitter needs NLTK data that is not available offline.
"""
from __future__ import annotations

import re
import unicodedata

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


def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes and spaces: « Été » and « ete » match."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.lower()).strip()


def tokens(text: str, keep_stop_words: bool = False) -> list[str]:
    """Folded word tokens, elisions removed (« l'industrie » -> « industrie »)."""
    folded = _ELISION.sub(" ", fold(text))
    words = _WORD.findall(folded)
    if keep_stop_words:
        return words
    return [w for w in words if w not in STOP_WORDS]


# A sentence ends at . ! ? … followed by a space and an upper-case letter, a quote or a digit;
# "2,2 %" or "art. 5" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]?\s+(?=(?:[«\"“(]\s?)?[A-ZÀ-ÖØ-Ý0-9■•→])")
_ABBREVIATIONS = ("art.", "p.", "cf.", "ex.", "env.", "M.", "n°", "etc.", "vol.", "éd.", "fig.")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations and decimals intact."""
    parts: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        piece = piece.strip()
        if not piece:
            continue
        if parts and parts[-1].endswith(_ABBREVIATIONS):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return parts


def word_count(text: str) -> int:
    return len(text.split())


def overlap(wanted: set[str], text: str) -> float:
    """How many of the wanted tokens the text holds: 1 for the word itself, 0.8 for a word of the
    same 5-letter prefix (plurals, inflections: « offre » / « offres », « recrute » / « recrutent »)."""
    found = set(tokens(text))
    stems = {w[:5] for w in found}
    return sum(1.0 if w in found else 0.8 for w in wanted if w in found or (len(w) > 4 and w[:5] in stems))


_ENGLISH = frozenset("the which what who how does do did is are was were of most and for with when where why "
                     "this that these those can should".split())
_FRENCH = frozenset("le la les des du un une quel quelle quels quelles est sont dans pour que qui "
                    "au aux ce cette ces comment pourquoi".split())


def looks_english(text: str) -> bool:
    """Enough to route a question to cross-lingual search; not a general language detector."""
    words = tokens(text, keep_stop_words=True)
    english = sum(w in _ENGLISH for w in words)
    return english >= 2 and english > sum(w in _FRENCH for w in words)
