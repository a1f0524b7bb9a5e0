"""Names in a question or an answer: the people, companies, places and countries it speaks of,
which the passages must hold for an answer about them to be sourced."""
from __future__ import annotations

import re

from assistant.text.normalise import fold


# English writes months and nationalities with a capital; the French passages do not (« février »,
# « l'industrie française »): neither is a name the passages must hold.
_ENGLISH_CAPITALS = frozenset("january february march april may june july august september october november "
                              "december french european english german italian spanish british".split())


def _head(word: str) -> str:
    """An English compound's name is its first part: « AI-related », « Paris-based » name « AI »
    and « Paris » (the passages write « IA », « basé à Paris »); a right English answer speaking of
    « AI-related job ads » was removed as naming something no passage holds. French compounds of
    names keep every part (« Île-de-France », « Auvergne-Rhône-Alpes »)."""
    head, *rest = word.split("-")
    return head if rest and all(part.islower() for part in rest) else word


_ENDS = ".!?:«\""  # what a sentence opens after: a full stop, a colon, a quote mark
# A list item's mark: a bullet (« - », « • », « ■ ») or a letter or number (« b) »); « 3. » ends like a sentence
_ITEM_MARK = re.compile(r"^(?:[-•*▪■→–—]+|\(?[a-z0-9]{1,3}\))$")


def _opens(words: list[str], at: int) -> bool:
    """Whether the word `at` opens a sentence or a list item (« - Réduction … » at a line's start;
    a dash inside a sentence, « Branche Métallurgie – Occitanie », opens nothing)."""
    k = at - 1
    while k >= 0 and _ITEM_MARK.match(words[k]):
        k -= 1
    return k < 0 or words[k][-1] in _ENDS


def names(text: str) -> set[str]:
    """Capitalised words inside a sentence (people, companies, places, acronyms), folded.

    Sentence-initial words are skipped (there a capital says nothing), a list item's first word
    too (« - Réduction des erreurs … », « • b) Optimisation … »), and so are short acronyms (IA,
    ETI, PME, IoT): common nouns of the domain that passages may spell out in full."""
    found = set()
    words = text.split()
    for at, word in enumerate(words):
        word = _head(re.split(r"['’]", word)[-1].strip(".,;:!?()«»\"[]"))
        if (len(word) >= 5 and word[0].isupper() and not _opens(words, at)
                and fold(word) not in _ENGLISH_CAPITALS):  # « February » is the passage's « février »
            found.add(fold(word).replace("-", " "))
    return found


# « en Occitanie », « chez Michelin », « de la Banque de France »: a name the question asks about
_PLACE = re.compile(r"\b(?:en|à|au|aux|chez|dans|pour|par|de|du|des|la|le|les|l['’]|d['’])\s*"
                    r"([A-ZÀ-Ý][\w-]{4,})")


# « dans l'industrie allemande »: a country the question sets its subject in, written lower-case. Not
# « français » (the study's own country), nor « anglais » (a language the offers ask for).
_NATIONALITY = re.compile(r"\b(allemand|americain|britannique|chinois|japonais|italien|espagnol|belge|suisse|"
                          r"canadien|indien|coreen|neerlandais|suedois|polonais|russe|bresilien)(?:e|s|es|nes?)?\b")


def named_places(question: str) -> set[str]:
    """The names a question sets its subject in (a region, a company, a body; a country), folded."""
    return ({fold(name).replace("-", " ") for name in _PLACE.findall(question)} & names(question)
            | set(_NATIONALITY.findall(fold(question))))
