"""Which language a question is in: French (the documents' language), English (supported), or
another one, which is translated for the search and answered in French with a notice.

A few function words and the script are enough here: questions are short, and a French question
taken for a foreign one would cost a needless translation, so the rule is conservative. Detected
once per question (`rag.question.Question`), then passed along.
"""
from __future__ import annotations

import unicodedata
from typing import Literal

from assistant.text.words import tokens

Language = Literal["fr", "en", "other"]

OTHER_LANGUAGE_NOTICE = ("Les questions sont prises en charge en français et en anglais : la vôtre a été "
                         "traduite pour la recherche et la réponse est donnée en français.")

_ENGLISH = frozenset("the which what who how does do did is are was were of most and for with when where why "
                     "this that these those can should".split())
# French function words that English questions do not use ("on" is left out: it is English too).
_FRENCH = frozenset("""
    le la les des du un une quel quelle quels quelles est sont dans pour que qui au aux ce cette ces
    comment pourquoi combien quand ou en et sur par avec il elle peut doit faut
""".split())
# Words frequent in German, Spanish, Italian or Portuguese questions and absent from French and
# English ones (accents folded: « für » is « fur »).
_FOREIGN = frozenset("""
    der das und ist nicht welche welcher welches wie wer wann warum fur mit auf ein eine einen einem
    dem von gilt wird werden sind ich bei nach uber oder auch kann gibt wieviel wieviele viele
    los las cual cuales como donde cuando para por del hay puede esta este estos cuanto cuantos cuantas
    gli della delle degli sono quale quali perche nel nella alla questo questa quanto quanti
    qual quais onde sao voce nao uma dos das pelo pela
""".split())


def _non_latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    foreign = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN"))
    return foreign / len(letters)


def question_language(text: str) -> Language:
    if _non_latin_share(text) > 0.5:  # Chinese, Arabic, Cyrillic...
        return "other"
    words = tokens(text, keep_stop_words=True)
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if english >= 2 and english > french:
        return "en"
    foreign = sum(w in _FOREIGN for w in words)
    if foreign >= 2 and foreign > french:
        return "other"
    return "fr"
