"""Passages for a theme, sentences worth teaching, figures found in them, and the checks that tie
every item to the words of its passage."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llama_index.core.schema import TextNode

from assistant.rag.citations import support
from assistant.rag.retrieval import rrf
from assistant.text.normalise import fold
from assistant.text.normalise import for_match as normalise_for_match
from assistant.text.sentences import sentences, word_count
from assistant.text.words import overlap, tokens

heading_of = page_of = None  # TEMPORARY: being migrated to Passage on branch ws
from assistant.workshop.items import Source

if TYPE_CHECKING:
    from assistant import Assistant

# Names trainers use that the documents (and the 1.5B model) do not: each adds searches for what
# the term covers. The regulation's text never calls itself "AI Act".
GLOSSARY: dict[str, list[str]] = {
    r"\b(?:ia|ai) act\b|\bacte sur l'ia\b|\breglement (?:europeen )?(?:sur l')?ia\b": [
        "règlement européen sur l'intelligence artificielle",
        "obligations des déployeurs de systèmes d'IA à haut risque",
        "pratiques d'IA interdites",
        "obligations de transparence des systèmes d'IA",
        "maîtrise de l'IA du personnel",
        "sanctions et amendes administratives",
        "entrée en application du règlement",
    ],
    r"\brgpd\b": ["protection des données à caractère personnel"],
    r"\biag\b": ["intelligence artificielle générative"],
}

_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_UNITS = (r"offres?|entreprises?|salarié\.?e?s?|cadres?|personnes?|mois|ans|années|jours|heures|sites?|"
          r"répondants?|experts?|entretiens?|postes?|métiers?|branches?|pays|États membres")
# Most specific first: a date or an amount is kept whole rather than as a bare number.
FIGURE = re.compile(
    rf"\b\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\s+\d{{4}}\b"  # 2 août 2026
    rf"|\b(?:{_NUMBER})\s*(?:millions?|milliards?)?\s*(?:d['’]\s*)?(?:euros?\b|EUR\b|€)"  # 35 000 000 EUR
    rf"|\b(?:{_NUMBER})\s*%"  # 3 %, 2,2 %
    rf"|\b\d+\s+(?:{_UNITS})\s+sur\s+\d+\b"  # 9 offres sur 10
    rf"|\b(?:{_NUMBER})\s+(?:{_UNITS})\b",  # 250 salariés
    re.IGNORECASE,
)


def figures_in(text: str) -> list[str]:
    """The figures of a text, as written there."""
    return [" ".join(m.group(0).split()) for m in FIGURE.finditer(text)]


def _compact(text: str) -> str:
    """Folded, without any space: « 7 500 000 EUR » and « 7500000 eur » match."""
    return re.sub(r"\s+", "", fold(text.replace("\u202f", " ").replace("\u00a0", " ")))


def figure_in_passage(figure: str, passage: str) -> bool:
    """The figure appears verbatim (case, accents and spacing aside) in the passage, and not as the
    tail of a longer number (« 3 % » is not found in « 13 % »)."""
    needle = _compact(figure)
    if not needle or not any(ch.isdigit() for ch in needle):
        return False
    pattern = r"(?<![\d,.])" + re.escape(needle) + (r"(?!\d)" if needle[-1].isdigit() else "")
    return re.search(pattern, _compact(passage)) is not None


def quote_in_passage(quote: str, passage: str) -> bool:
    return bool(quote.strip()) and normalise_for_match(quote) in normalise_for_match(passage)


def numbers_in(text: str) -> set[str]:
    return {re.sub(r"[\s\u00a0\u202f]", "", n) for n in re.findall(_NUMBER, text)}


def numbers_supported(text: str, passage: str) -> bool:
    """Every number the text states is in the passage: a model must not invent or alter figures."""
    return numbers_in(text) <= numbers_in(passage)


def supported(text: str, passage: str, threshold: float = 0.67) -> bool:
    """Most content words of the text are in the passage and none of its numbers is missing."""
    return numbers_supported(text, passage) and support(text, passage) >= threshold


def source_of(node: TextNode, quote: str = "") -> Source:
    meta = node.metadata
    return Source(document=str(meta.get("document", "")), page=page_of(node),
                  title=str(meta.get("title") or meta.get("document") or ""), passage=node.text,
                  passage_id=node.node_id, quote=quote)


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


def gather(assistant: Assistant, theme: str, audience: str = "", limit: int = 50) -> tuple[list[TextNode], bool]:
    """Passages for a theme, several searches fused by reciprocal rank (retrieval only, no model),
    and whether the theme's own search found anything relevant."""
    assistant.store.refresh_lexical()
    retriever = assistant.store_retriever
    rankings: list[list[str]] = []
    nodes: dict[str, TextNode] = {}
    relevant = False
    for n, (query, top) in enumerate(searches(assistant.check_question(theme), audience)):
        retrieval = retriever.retrieve(query, top)
        relevant = relevant or (n == 0 and retrieval.relevant)
        rankings.append([p.node.node_id for p in retrieval.passages])
        nodes.update({p.node.node_id: p.node for p in retrieval.passages})
    fused = rrf(rankings, assistant.settings.retrieval.rrf_k)
    return [nodes[i] for i in sorted(fused, key=fused.get, reverse=True)[:limit]], relevant


def focus(theme: str) -> str:
    """The words that make a sentence on-theme: the theme and what its glossary terms cover (not
    the audience: « cadres » would pull in every sentence about managers)."""
    return " ".join(q for q, _ in searches(theme))


def wide(assistant: Assistant, theme: str, count: int = 250) -> list[TextNode]:
    """Many passages by meaning alone, nearest first: figures are rare, so the key-figures sheet
    and the fill-in questions look further than the other artifacts."""
    embedding = assistant.embedder.get_query_embedding(focus(theme))
    return [node for node, _ in assistant.store.dense_search(embedding, count)]


@dataclass
class Candidate:
    """A sentence of a retrieved passage, ranked for the theme."""
    sentence: str
    node: TextNode
    rank: int  # of its passage in the retrieval
    score: float
    on_theme: float = 0.0  # share of the theme's words the sentence (and its heading) holds

    @property
    def passage_id(self) -> str:
        return self.node.node_id


_LEAD = re.compile(r"^(?:[\s■•→>*#\-–—💡]+|note de lecture\s*:\s*|[a-z]{1,2}\)\s+|\d{1,2}[.)]\s+)+",
                   re.IGNORECASE)
_BOILERPLATE = re.compile(r"^(?:source|sources|lire aussi|voir|cf)\b", re.IGNORECASE)
# Interviews quoted in reports: opinions of one person, not facts to teach.
_SPOKEN = re.compile(r"[“”]|\s[—–]\s|»\s+(?:Cadre|Responsable|Directeur|Directrice|Ingénieur|Chef|DRH)\b"
                     r"|(?i:\b(?:je|j'|j’|on|moi|ça)\b)")


def clean(sentence: str) -> str:
    """A sentence as a trainer would quote it: list bullets and reading-note labels removed."""
    text = " ".join(_LEAD.sub("", sentence).split()).replace("**", "")
    return text[:1].upper() + text[1:]


def candidates(theme: str, passages: list[TextNode], min_words: int = 8, max_words: int = 60,
               on_theme_only: bool = False) -> list[Candidate]:
    """Every teachable sentence of the passages, best first: close to the theme, from a passage the
    search ranked high, with a figure when possible. Quotes of interviews, questions, source
    lines and list fragments are skipped."""
    wanted = set(tokens(theme))
    out: list[Candidate] = []
    for rank, node in enumerate(passages):
        heading = heading_of(node)
        for line in node.text.split("\n"):
            for raw in sentences(line):
                sentence = clean(raw)
                words = word_count(sentence)
                if words < min_words or words > max_words or sentence.endswith(("?", ":", ";")):
                    continue
                if sentence[:1] in "«“\"" or _BOILERPLATE.match(sentence) or sentence.endswith("»"):
                    continue
                if _SPOKEN.search(sentence) or sentence.count(",") > 6:  # quotes, bare lists
                    continue
                on_theme = overlap(wanted, f"{heading} {sentence}") / max(len(wanted), 1)
                if on_theme_only and on_theme == 0:
                    continue
                score = on_theme * (1.4 if figures_in(sentence) else 1.0)  # a bonus, never above the theme
                score -= 0.01 * rank
                out.append(Candidate(sentence, node, rank, score, on_theme))
    return sorted(out, key=lambda c: -c.score)
