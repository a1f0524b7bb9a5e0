"""How much a sentence is on a trainer's theme: the theme's words weighed by how rare they are
in the theme's passages (`ThemeWords`, built by `theme_weights`); and the searches a theme needs,
its glossary's terms included (`searches`)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.domain import Passage
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


# Names trainers use that the documents (and the 1.5B model) do not: each adds searches for what
# the term covers. The regulation's text never calls itself "AI Act".
GLOSSARY: dict[str, list[str]] = {
    r"\b(?:ia|ai) act\b|\bacte sur l'ia\b|\breglement (?:europeen )?(?:sur l')?ia\b": [
        "règlement européen sur l'intelligence artificielle",
        "obligations des déployeurs de systèmes d'IA à haut risque",
        "pratiques d'IA interdites",
        "obligations de transparence des systèmes d'IA",
        "maîtrise de l'IA",
        "sanctions et amendes administratives",
        "entrée en application du règlement",
        "définitions : on entend par déployeur, fournisseur, système d'IA",
        "système d'IA à haut risque sur le lieu de travail et information des travailleurs",
        "systèmes d'IA pour le recrutement et la gestion des travailleurs",
    ],
    r"\brgpd\b": ["protection des données à caractère personnel"],
    r"\biag\b": ["intelligence artificielle générative"],
}


def searches(theme: str, audience: str = "") -> list[tuple[str, int]]:
    """(query, passages wanted): the theme, the theme for this audience, and what glossary terms
    of the theme cover."""
    queries = [(theme, 40)]
    if audience.strip():
        queries.append((f"{theme} {audience}", 10))
    folded = fold(theme)
    for pattern, expansions in GLOSSARY.items():
        if re.search(pattern, folded):
            queries += [(query, 4) for query in expansions]
    return queries


def focus(theme: str) -> str:
    """The words that make a sentence on-theme: the theme and what its glossary terms cover (not
    the audience: « cadres » would pull in every sentence about managers)."""
    return " ".join(q for q, _ in searches(theme))


def theme_weights(theme: str, passages: list[Passage], audience: str = "") -> ThemeWords:
    """Each theme word weighed by its inverse document frequency over the passages: « IA », in
    every passage of a study on AI jobs, says little; « déployeurs » or « maintenance » say much;
    a word absent from the passages weighs nothing. The audience's words are left out: in
    « l'IA Act pour les cadres », « cadres » says who learns, not what."""
    public = set(tokens(audience))
    own = set(tokens(theme)) - public
    phrases = [set(tokens(q)) - public for q, _ in searches(theme)[1:]]
    texts = [{stem(w) for w in tokens(f"{p.heading} {p.text}")} for p in passages]
    weights = {}
    for word in own.union(*phrases):
        df = sum(1 for t in texts if stem(word) in t)
        if df and math.log((len(texts) + 1) / df) >= MIN_WEIGHT:  # « IA » everywhere: no signal
            weights[word] = math.log((len(texts) + 1) / df)
    return ThemeWords(weights, own, [p for p in phrases if p], heads(theme, public))
