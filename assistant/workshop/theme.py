"""How much a sentence is on a trainer's theme: the theme's words weighed by how rare they are
in the theme's passages (`ThemeWords`, built by `sources.theme_weights`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.normalise import fold
from assistant.text.words import tokens

# A theme word in brackets is named in passing: « les équipes techniques (production, qualité,
# R&D, maintenance, etc.) » is about teamwork, « les types d'IA (IA embarquée, maintenance
# prédictive, robotique) » about kinds of AI; a blind rater put both off « la maintenance ».
_ASIDE = re.compile(r"\([^()]*\)")


def aside_removed(sentence: str) -> str:
    return _ASIDE.sub(" ", sentence)


# « les offres demandant explicitement des compétences en IA »: what the offers counted ask for,
# not what the sentence says (« … représentent 80 % des offres … » is about branches); three blind
# raters put such shares off « les compétences recherchées dans les offres ».
_ASKING = re.compile(r"\b(?:demandant|requérant|exigeant|mentionnant|citant|nécessitant)\b[^,.;:]*", re.IGNORECASE)


def stem(word: str) -> str:
    """Singular and masculine alike (« déployeurs », « interdites »), « informatique » apart from
    « information »: closer than a shared prefix."""
    return re.sub(r"(?:e?s|x|e)$", "", word) if len(word) > 4 else word


# What the documents write for a theme's head word (« intelligence artificielle » for « IA »).
HEAD_FORMS = {"ia": ("intelligence", "iag", "ai")}
DISTINCTIVE = 1.2  # a word in fewer than 30 % of the passages (inverse document frequency)
MIN_WEIGHT = 0.5  # a word in more than 60 % of them says nothing of a theme


@dataclass
class ThemeWords:
    """The words that make a sentence on theme, each weighed (`theme_weights`): the theme's own,
    and the glossary's phrases, which count only when two of their distinctive words meet
    (« amendes administratives », not « maîtrise » alone, nor « IA » and anything)."""
    weights: dict[str, float]
    own: set[str]
    phrases: list[set[str]]
    heads: frozenset[str] = frozenset()  # what the theme is about: « IA » in « l'IA dans la maintenance »

    def score(self, text: str) -> float:
        """The theme's own words the text holds, and the one glossary phrase it holds best: a
        sentence on one facet of the theme is as much on it as one that names several."""
        hit = self._hit(text)
        return sum(self.weights[w] for w in hit & self.own) + self._phrase(hit)

    def facet(self, text: str) -> frozenset[str]:
        """The theme's own words the text names (« qualité », « maintenance »): which side of the
        theme a sentence is on, for an outline that gives each side its part."""
        return frozenset(self._hit(text) & self.own)

    def names(self, text: str, about: str | None = None) -> bool:
        """The text names the theme itself, not only stands beside a sentence that does: a glossary
        phrase, or one of its words with what the theme is about (`heads`, even when in every
        passage). A blind rater put « la maintenance est un enjeu » off « l'IA dans la maintenance »,
        and the share of offers by company size off « les compétences recherchées dans les offres ».
        `about`: where the heads must be, when not the whole text (a report's heading is its title,
        « L'intelligence artificielle dans l'industrie », over every page)."""
        hit = self._hit(text)
        if self._phrase(hit) > 0:
            return True
        found = {stem(w) for w in tokens(_ASKING.sub(" ", text if about is None else about))}
        forms = {stem(f) for head in self.heads for f in (head, *HEAD_FORMS.get(head, ()))}
        return bool(hit & self.own) and (not forms or bool(forms & found))

    def _hit(self, text: str) -> set[str]:
        found = {stem(w) for w in tokens(text)}
        return {w for w in self.weights if stem(w) in found}

    def _phrase(self, hit: set[str]) -> float:
        best = 0.0
        for phrase in self.phrases:
            distinctive = {w for w in phrase & hit if self.weights[w] >= DISTINCTIVE}
            if len(distinctive) >= min(2, len(phrase)):
                best = max(best, sum(self.weights[w] for w in phrase & hit - self.own))
        return best


def heads(theme: str, public: set[str]) -> frozenset[str]:
    """The first word of each subject of the theme, before its first preposition: « IA » in « l'IA
    dans la maintenance et la qualité », « cybersécurité » and « maintenance » in « la
    cybersécurité et la maintenance prédictive dans l'industrie »."""
    subject = re.split(r"\b(?:dans|pour|chez|sur|en|avec|aupres)\b", fold(theme))[0]
    members = [[w for w in tokens(m) if w not in public] for m in re.split(r"\b(?:et|ou)\b|,", subject)]
    return frozenset(words[0] for words in members if words)
