"""Evidence for the prompt: the sentences of each retrieved passage that matter for the question.

Fewer prompt tokens is the main lever on time to first token on a CPU: each passage is reduced
to its best sentences under a total word budget.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.config import RetrievalSettings
from assistant.domain import Evidence, RetrievedPassage
from assistant.rag.lists import Following, continued, whole_list, with_list, with_siblings
from assistant.rag.lookalikes import asked_figures
from assistant.rag.question import defined_term, definition_entry, is_part, named_parts
from assistant.text.injection import without_instructions
from assistant.text.normalise import fold
from assistant.text.sentences import SHOWN_WORDS, shorten, statements, word_count
from assistant.text.words import tokens, weighted_overlap


# A sentence stating the kind of figure asked for weighs half as much again: « Dans quel délai … ? »
# is answered by « … au plus tard dans les 24 heures », which shares fewer of the question's words
# than the paragraphs around it that repeat « autorisation » and « système d'identification ».
_ASKED_KIND = 1.5


@dataclass(frozen=True)
class Asked:
    """What a sentence answering the question states, whatever words it shares with it: the kinds
    of figure asked for (`lookalikes.asked_figures`), the definition of the term asked about."""
    kinds: Sequence[re.Pattern[str]] = ()
    definition: re.Pattern[str] | None = None

    @classmethod
    def of(cls, query: str) -> Asked:
        term = defined_term(query)
        # defined in a list (« • 8) «opérateur», un fournisseur, … ») or before brackets (« (shadow IT) »)
        definition = (re.compile(rf"{definition_entry(term)}|\(\s*{re.escape(fold(term))}\s*\)") if term
                      else None)
        return cls(asked_figures(query), definition)

    def weigh(self, weights: dict[str, float], sentence: str, score: float) -> float:
        if not self.kinds and self.definition is None:
            return score
        folded = fold(sentence)
        if self.definition and self.definition.search(folded):
            # the regulation's « «opérateur», un fournisseur, … » shares one word with the question
            score += math.fsum(weights.values())
        return score * _ASKED_KIND if any(kind.search(folded) for kind in self.kinds) else score


_NOTHING = Asked()


def _sentence_score(weights: dict[str, float], sentence: str, asked: Asked = _NOTHING) -> float:
    score = weighted_overlap(weights, sentence)
    digits = any(ch.isdigit() for ch in sentence)
    return asked.weigh(weights, sentence, score + (0.3 if digits else 0.0))


def select_sentences(query: str, text: str, count: int, budget: int) -> str:
    """The `count` best sentences of one text for the query within `budget` words (a list comes
    with its lead-in): the best first, the others in reading order."""
    parts = statements(text)
    if not parts:
        return ""
    weights = dict.fromkeys(tokens(query), 1.0)
    ranked = sorted(range(len(parts)), key=lambda i: (-_sentence_score(weights, parts[i]), i))
    chosen: list[int] = []
    used = 0
    for i in ranked[:count]:
        words = word_count(parts[i])
        if chosen and used + words > budget:
            continue
        chosen.append(i)
        used += words
    return _excerpt(parts, with_list(parts, chosen, budget, used), budget)


def query_weights(query: str, parts: list[str]) -> dict[str, float]:
    """Each query word weighted by how few of the passages' sentences hold it (an idf): the study
    repeats one sentence shape with another region, year or function each time, and the word
    that tells the right sentence from its look-alikes is the rare one, not « offres »."""
    words = set(tokens(query))
    held = [{w for w in words if weighted_overlap({w: 1.0}, part)} for part in parts]
    df = {w: sum(w in h for h in held) for w in words}
    return {w: math.log(1 + (len(parts) + 1) / (df[w] + 0.5)) for w in words}


def best_sentence(query: str, text: str) -> str:
    """The one sentence of the text that matters most for the query (highlighted on the page)."""
    return select_sentences(query, text, 1, 80) if query and text else ""


def _best_score(weights: dict[str, float], parts: list[str], asked: Asked = _NOTHING) -> float:
    """The score of a passage's best statement."""
    return max((_sentence_score(weights, s, asked) for s in parts), default=0.0)


def by_best_sentence(query: str, passages: list[RetrievedPassage]) -> list[RetrievedPassage]:
    """The passages in order of their best sentence's match with the question (ties: as given).
    Fusion ranks whole passages: the one whose single sentence answers may come fifth or sixth,
    below passages sharing the question's common words, and one passage fewer cut it off."""
    parts = [statements(found.passage.text) for found in passages]  # split once, for the weights and the scores
    weights = query_weights(query, [part for passage in parts for part in passage])
    scores = [_best_score(weights, passage) for passage in parts]
    return [passages[n] for n in sorted(range(len(passages)), key=lambda n: -scores[n])]


def _bar(weights: dict[str, float], parts: list[list[str]], ratio: float) -> float:
    """What a passage's best sentence must score to be read: `ratio` of the best passage's."""
    return ratio * max((_best_score(weights, passage) for passage in parts), default=0.0)


def _focused(query: str, passages: list[RetrievedPassage], ratio: float, asked: Asked) -> list[RetrievedPassage]:
    """Drop passages whose best sentence matches the question far less than the best one does:
    a small model picks figures from distractors, and fewer tokens mean a faster first word. A
    sentence stating what the question asks for counts more to be kept, never to raise the bar."""
    if ratio <= 0 or len(passages) <= 2:
        return passages
    weights = dict.fromkeys(tokens(query), 1.0)
    parts = [statements(found.passage.text) for found in passages]  # split once, for the bar and the scores
    bar = _bar(weights, parts, ratio)
    kept = [found for found, passage in zip(passages, parts) if _best_score(weights, passage, asked) >= bar]
    kept = _with_acronyms(query, passages, kept if len(kept) >= 2 else passages[:2])
    return _with_asked_kind(query, passages, kept, asked)


def _asked_noun(query: str) -> set[str]:
    """The noun after « quel », « quelle » (« Quelle amende … ? » -> amende), empty without one."""
    asked = re.search(r"\bquel(?:le)?s?\b(.*)", fold(query))
    return set(tokens(asked.group(1))[:1]) if asked else set()


def _with_asked_kind(query: str, passages: list[RetrievedPassage], kept: list[RetrievedPassage], asked: Asked
                     ) -> list[RetrievedPassage]:
    """The first passage stating the kind of figure asked for in a sentence naming what is asked
    (« amende ») is read when no kept passage states that kind: « Quelle amende risque une
    entreprise qui ne respecte pas ses obligations de déployeur … ? » kept four passages of article
    26, which name the obligations and no amount, and dropped article 99's « … fait l'objet d'une
    amende administrative pouvant aller jusqu'à 15 000 000 EUR … », which shares fewer of the
    question's words (tuning h023). A sentence stating an amount of something else (a fine, for
    « Quel salaire … ? ») is not read for it."""
    noun = _asked_noun(query)

    def states(found: RetrievedPassage, named: bool) -> bool:
        return any(any(kind.search(fold(sentence)) for kind in asked.kinds)
                   and (not named or weighted_overlap(dict.fromkeys(noun, 1.0), sentence) >= 0.8)
                   for sentence in statements(found.passage.text))

    if not asked.kinds or not noun or any(states(found, False) for found in kept):
        return kept
    stating = next((found for found in passages if states(found, True)), None)
    return kept if stating is None else [found for found in passages if found in kept or found is stating]


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\b")


def _with_acronyms(query: str, passages: list[RetrievedPassage],
                   kept: list[RetrievedPassage]) -> list[RetrievedPassage]:
    """A passage left out that alone holds an acronym the question names is read anyway: « le sigle
    RCA » is the question's most specific word, and its one sentence (« ce sera du RCA (Root Cause
    Analyse) ») scored below passages sharing three common ones (« ingénieur de production cloud »)."""
    held = " ".join(found.passage.text for found in kept)
    wanted = [rf"\b{w}\b" for w in set(_ACRONYM.findall(query)) if not re.search(rf"\b{w}\b", held)]
    return [found for found in passages if found in kept or any(re.search(w, found.passage.text) for w in wanted)]


# An article's numbered paragraph, as the documents write it: « 7. Avant de mettre en service … ».
_PARAGRAPH = re.compile(r"^(\d{1,3})\.\s+(?=\S)", re.MULTILINE)


def _numbered(text: str, parts: list[str]) -> dict[int, str]:
    """The statements that open a numbered paragraph, with its number: the splitter drops a bare
    « 7. », and « Quel paragraphe de l'article 26 … ? » was answered « le paragraphe 26 »."""
    opening = {text[found.end():found.end() + 40]: found.group(1) for found in _PARAGRAPH.finditer(text)}
    return {j: f"{opening[part[:40]]}." for j, part in enumerate(parts) if part[:40] in opening}


def _excerpt(parts: list[str], chosen: list[int], cap: int, numbers: dict[int, str] | None = None) -> str:
    """The chosen sentences, the best first, then the others in reading order, « … » where
    sentences were skipped: a small model takes the first figure it reads, and a passage often
    holds the asked figure after its neighbours. A paragraph's number stays before its first one."""
    best = chosen[0]
    picked = [best, *sorted(i for i in chosen if i != best)]
    out = []
    for previous, current in zip([None, *picked], picked):
        if previous is not None and current != previous + 1:
            out.append("…")
        out += [(numbers or {}).get(current, ""), shorten(parts[current], cap)]
    return " ".join(piece for piece in out if piece)


def _allocate(parts: list[list[str]], weights: dict[str, float], settings: RetrievalSettings,
              asked: Asked = _NOTHING, siblings: bool = False) -> dict[int, list[int]]:
    """The word budget goes to the best sentences whatever their passage (a passage's share used
    to be fixed, so the answer's sentence was cut when its passage came third): sentence by
    sentence in order of score, at most `evidence_sentences` per passage; for a question asking
    for several things (`siblings`), a chosen list item with the items around it."""
    ranked = sorted((-_sentence_score(weights, sentence, asked), i, j)
                    for i, passage in enumerate(parts) for j, sentence in enumerate(passage))
    chosen: dict[int, list[int]] = {}
    used = 0
    for _, i, j in ranked:
        words = min(word_count(parts[i][j]), SHOWN_WORDS)
        if len(chosen.get(i, [])) >= settings.evidence_sentences or (used and used + words > settings.evidence_words):
            continue
        chosen.setdefault(i, []).append(j)
        used += words
    for i in chosen:  # a list may take half the budget again: there the whole of it is the answer
        chosen[i] = with_list(parts[i], chosen[i], settings.evidence_words * 3 // 2, used)
    if siblings:
        for i in chosen:
            used = sum(min(word_count(parts[n][j]), SHOWN_WORDS) for n, picked in chosen.items() for j in picked)
            chosen[i] = with_siblings(parts[i], chosen[i], settings.evidence_words * 3 // 2, used)
    return chosen


def _reads_named_part(query: str, passages: list[RetrievedPassage], parts: list[list[str]],
                      weights: dict[str, float], chosen: dict[int, list[int]]) -> dict[int, list[int]]:
    """The chosen sentences, and the best sentence of the best read passage of an article or annex
    the question names when none of it was chosen, past the word budget: « Que doit faire une
    entreprise … au titre de l'article 4 du règlement ? » read article 4, and its sentence lost
    its place to definitions citing « l'article 4, point 1), du règlement (UE) 2016/679 » that
    share more of the question's words (tuning h014). The title says what the words do not."""
    named = named_parts(query)
    if not named or any(is_part(passages[i].passage.title, named) for i in chosen):
        return chosen
    scored = [(_best_score(weights, parts[i]), i) for i, found in enumerate(passages)
              if is_part(found.passage.title, named) and parts[i]]
    if not scored:
        return chosen
    part = max(scored)[1]
    best = max(range(len(parts[part])), key=lambda j: (_sentence_score(weights, parts[part][j]), -j))
    return {**chosen, part: [best]}


def _with_focus(weights: dict[str, float], focus: str) -> dict[str, float]:
    """A follow-up is searched with the turn before it, but its own words say what is asked now:
    weighted like the previous answer's, the sentence already given led again and was repeated.
    Its words outweigh all the others together; the previous turn's only break ties."""
    own = {w for w in tokens(focus) if w in weights}
    boost = 1.0 + math.fsum(weight for w, weight in weights.items() if w not in own)
    return {w: weight * (boost if w in own else 1.0) for w, weight in weights.items()}


def build_evidence(query: str, passages: list[RetrievedPassage], settings: RetrievalSettings,
                   focus: str = "", following: Following | None = None) -> list[Evidence]:
    """Number the passages holding the chosen sentences [1]..[n], the one with the best sentence
    first (a small model takes the first figure it reads). `focus`: a follow-up's own question;
    `following`: for a question asking for several things, how to read on into the next passage
    of a document (a list cut by the chunker is then shown whole)."""
    # a follow-up keeps every passage: those its own words found (« quelle amende … ? » after an
    # article 5 answer: article 99) score low against the previous turn's words, which fill the query
    asked = Asked.of(query)
    passages = passages if focus else _focused(query, passages, settings.min_evidence_ratio, asked)
    passages, continues = continued(passages, following) if following is not None else (passages, {})
    # sentences that command the assistant are never shown to it (prompt injection)
    texts = [without_instructions(found.passage.text) for found in passages]
    parts = [statements(text) for text in texts]
    weights = _with_focus(query_weights(query, [part for passage in parts for part in passage]), focus)
    chosen = _allocate(parts, weights, settings, asked, following is not None)  # in order of each passage's best
    chosen = _reads_named_part(query, passages, parts, weights, chosen)
    if continues:
        used = sum(min(word_count(parts[i][j]), SHOWN_WORDS) for i, picked in chosen.items() for j in picked)
        chosen = whole_list(parts, chosen, continues, settings.evidence_words, used)
    return [Evidence(n, passages[i].passage, _excerpt(parts[i], picked, SHOWN_WORDS, _numbered(texts[i], parts[i])))
            for n, (i, picked) in enumerate(chosen.items(), start=1)]


def adds_to(query: str, reference: list[RetrievedPassage], read: list[Evidence], extra: list[RetrievedPassage],
            ratio: float) -> list[RetrievedPassage]:
    """The passages beyond the reference reading (the page's slider set higher) worth reading:
    each holds a question word none of the read excerpts holds, and matches the question as well
    as a passage must to stay in the reference reading (`_focused`'s bar; `ratio` 0 for a
    follow-up, which keeps every passage). Read anyway, they only changed the prompt, and the 1.5B
    model's verdict with it for 13 of 109 held-out questions at one passage more."""
    weights = dict.fromkeys(tokens(query), 1.0)
    seen = " ".join(item.excerpt for item in read)
    missing = {w: 1.0 for w in weights if not weighted_overlap({w: 1.0}, seen)}
    bar = _bar(weights, [statements(found.passage.text) for found in reference], ratio)
    asked = Asked.of(query)
    kept = []
    for found in extra:
        parts = statements(found.passage.text)
        if any(weighted_overlap(missing, sentence) for sentence in parts) and _best_score(weights, parts, asked) >= bar:
            kept.append(found)
    return kept
