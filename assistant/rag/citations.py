"""Citations checked against the evidence: markers parsed, wrong ones repaired, missing ones
attached by matching each sentence of the answer to the passages, each with a support score.

Small models often put the wrong number in [n], so no marker is trusted without checking that
the passage it names really holds the sentence's words and figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from assistant.domain import SUPPORTED, Citation, Evidence, SentenceSupport
from assistant.rag.cells import cell_scope, wrong_column
from assistant.rag.lookalikes import (Clause, excluded, misdated, not_given, other_year, outmatched, rival_clauses,
                                      stated_figures, unrelated, wrong_kind)
from assistant.rag.naming import describing, names_it
from assistant.rag.question import asks_name
from assistant.text.injection import without_instructions
from assistant.text.names import named_places, names
from assistant.text.normalise import fold
from assistant.text.numbers import french_grouping, numbers_in, stated_numbers
from assistant.text.sentences import frames_list, is_item, list_items_of, sentences, statements
from assistant.text.words import beyond, coverage, overlap, tokens

MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")


@dataclass
class CitedAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    sentences: list[SentenceSupport] = field(default_factory=list)
    invalid_markers: int = 0  # markers that pointed to no evidence (removed)
    removed: list[str] = field(default_factory=list)  # sentences no passage supports (not in text)


def parse_markers(text: str) -> list[int]:
    numbers = []
    for group in MARKER.findall(text):
        numbers += [int(n) for n in re.split(r"\s*[,;–-]\s*", group) if n]
    return numbers


class Pinned(NamedTuple):
    """What a question pins down, for the sentences answering it to carry."""
    names: set[str]  # that the evidence holds: a region, a company, a body
    numbers: set[str]  # that the evidence holds: a year, an article
    question: str
    rivals: list[Clause]  # the evidence's figure clauses holding those names (`outmatched`)
    unknown: frozenset[str] = frozenset()  # names no passage holds: an answer is about something else
    qualified: bool = True  # its words say all it asks: the figures' clauses must carry them


def _citable(evidence: Evidence) -> str:
    """What a sentence may rest on: the passage, its title and section (« Responsable Digital » is
    an offer's title) and the label the model was shown (« …, p. 17 » copied is not an invented figure)."""
    return f"{evidence.passage.heading} ({evidence.passage.label})\n{evidence.passage.text}"


def constraints(question: str, evidence: list[Evidence], language: str = "fr", alone: bool = True) -> Pinned:
    """What a question pins down that the evidence speaks of: a region, a company, a body; a year,
    an article; a table's column. The figure answering it must come from a sentence that says them
    (a name no passage holds is not a look-alike: `support` checks it as a claim), and no other
    figure's sentence holding the names may say the question's qualifiers better (`outmatched`)."""
    texts = "\n".join(_citable(e) for e in evidence)
    folded = fold(texts).replace("-", " ")
    wanted = {n for n in names(question) if n in folded}
    rivals = [clause for clause in rival_clauses([_citable(e) for e in evidence], question)
              if all(n in fold(clause.text).replace("-", " ") for n in wanted)] if language == "fr" else []
    # a French question's name is the documents' spelling; an English one's (« French ») need not be
    unknown = frozenset(place for place in named_places(question) - wanted if place not in folded
                        ) if language == "fr" and evidence else frozenset()
    # « Que prévoit l'article 53 … ? » and no passage is article 53 or refers to it: the answer is another's
    unknown |= {f"article {n}" for n in re.findall(r"\barticles?\s+(\d+)\b", fold(question))
                if evidence and not re.search(rf"\barticles?\s+{n}\b", folded)}
    # a French question asked on its own (a follow-up leaves its subject to the turn before; an
    # English question's words are not the passages')
    qualified = language == "fr" and alone
    return Pinned(wanted, numbers_in(question) & numbers_in(texts), question, rivals, unknown, qualified)


def _scope(number: str, passage: str) -> str:
    """What states a figure of the passage: its first line (the heading, when given), each sentence
    holding the number and the lead-in of the list that sentence belongs to."""
    parts = statements(passage)  # « Ce pourcentage est de 2,2 % » with the sentence it refers to
    scope = [passage.split("\n")[0]]
    for i, part in enumerate(parts):
        if number in numbers_in(part):
            leads = (parts[j] for j in range(i - 1, max(-1, i - 9), -1) if parts[j].rstrip().endswith(":"))
            scope += [cell_scope(number, part), next(leads, "")]
    return "\n".join(scope + [_speaker(number, passage)]) if len(scope) > 1 else ""


def _speaker(number: str, passage: str) -> str:
    """Who says the figure, when an interview quoted in a report does: the line under the quote
    (« — Chercheur associé - Centre Borelli … »). « Selon le chercheur du Centre Borelli, … ? »
    pins the speaker, whom the quote's own sentences never name."""
    lines = passage.split("\n")
    for line, after in zip(lines, lines[1:]):
        if number in numbers_in(line) and after.lstrip().startswith(("—", "–")):
            return after
    return ""


def misplaced(sentence: str, passage: str, pinned: Pinned) -> bool:
    """A figure of the answer taken from a sentence that does not say what the question pins down:
    the study repeats « X % des offres … » for each region, year and function, and the passage
    holding the figure is not enough, the figure's own sentence must carry the qualifier."""
    wanted_names, wanted_numbers, question, rivals, unknown, qualified = pinned
    if unknown:  # « … en Occitanie ? », and no passage names Occitanie: any answer is about another
        return True
    figures = not_given(stated_figures(sentence), wanted_numbers)
    # a follow-up's own words are qualifiers too (« Et pour les interdictions du chapitre II ? »
    # answered with clause c)'s date, clause a) naming chapter II); the other checks need every word
    # of what is asked, which a follow-up leaves to the turn before
    if figures and (outmatched(figures, passage, question, rivals) or qualified and (
            excluded(figures, passage, question) or unrelated(figures, passage, question)
            or other_year(figures, passage, question))):
        return True
    # the kind of figure is asked in a follow-up's own words too (« Et quel salaire … ? » answered
    # « 250 salariés » from an offer's title)
    if figures and wrong_kind(sentence, figures, passage, question):
        return True
    for number in numbers_in(sentence) - wanted_numbers:
        if wrong_column(number, passage, question):
            return True
        scope = _scope(number, passage) if wanted_names or wanted_numbers else ""
        if not scope:
            continue  # nothing pinned, or a figure absent from the passage (caught by `support`)
        folded = fold(scope).replace("-", " ")
        if not wanted_numbers <= numbers_in(scope) or any(n not in folded for n in wanted_names):
            return True
    return False


_VERDICTS = frozenset({"oui", "non", "yes", "no"})
# A page number (« …, p. 12 » of the label the model is shown) backs no figure: the 1.5B model
# answered « 12 % » from the label of a page 12 passage whose share was 16 %. A page the answer
# names as a page is no figure either.
_PAGE = re.compile(r"\b(?:p\.|pages?)\s*\d+", re.IGNORECASE)


def unstated(sentence: str, passage: str) -> set[str]:
    """The sentence's numbers the passage does not state (its page label backs none)."""
    return stated_numbers(_PAGE.sub(" ", sentence)) - stated_numbers(_PAGE.sub(" ", passage))


def support(sentence: str, passage: str, context: str = "", language: str = "fr",
            pinned: Pinned | None = None, antecedent: str = "", sequel: str = "", speaker: str = "") -> float:
    """Share of the sentence's content words found in the passage; a figure absent from the
    passage caps the score, since a wrong figure is the worst error a citation can hide.

    `context` (the question) completes a terse answer: « 52 % [1] » claims that the answer to
    the question is 52 %, so the passage must hold the question's words and that figure.
    `pinned`: the question's constraints, which its figures' sentences must carry.
    `language`: an English sentence shares few words with a French passage, so only what does not
    translate (its figures and names) is checked here. `antecedent`: the passage before, naming
    what this one calls « ce système »; it backs the sentence's words and names, not its figures.
    `sequel`: the items of the list the passage closes on that the next passage holds (what a
    lead-in's figure applies to); read for the figures' qualifiers only, it backs no word. `speaker`:
    who says the quote the passage ends in (`speakers`); it backs words, not names nor figures."""
    sentence = MARKER.sub("", sentence)  # a marker number is not a figure of the claim
    sentence = french_grouping(sentence) if language == "en" else sentence
    score = coverage(f"{context} {sentence}", f"{antecedent}\n{speaker}\n{passage}")
    if language == "en":  # its words are checked elsewhere (or not at all), its figures and names here
        score = max(score, SUPPORTED)
    missing_numbers = unstated(sentence, passage)
    # A name the passage never mentions (« Schneider Electric ») is an invented subject, like a
    # wrong figure, however many common words the sentence shares with the passage.
    folded = fold(f"{antecedent}\n{passage}").replace("-", " ")
    missing_names = {n for n in names(f"{context} {sentence}") if n not in folded}
    # a terse answer's own words are its whole claim: « Le contrat est un CDI » picks an option the
    # question offered (« CDI, CDD… »), which the question's words around it do not make sourced
    unsaid = context and language == "fr" and any(
        not overlap({word}, passage) for word in set(tokens(sentence)) - _VERDICTS)
    if missing_numbers or missing_names or unsaid or misdated(sentence, passage) or (
            pinned and misplaced(sentence, f"{passage}\n{sequel}" if sequel else passage, pinned)):
        score = min(score, 0.3)
    return round(score, 3)


def _restated(whole: float, own: str, passage: str, question: str, language: str, pinned: Pinned | None,
              around: tuple[str, str, str]) -> float:
    """« La taille de l'entreprise est de 250 salariés »: the question's words restated (« taille »,
    not the passage's), then the answer (`own`: the words beyond the question), read like a terse
    one. `whole`: the sentence's own support, kept when higher, or when its figure or name already
    fails (another column's, an invented one). `around`: the passage's antecedent, sequel and speaker (`support`)."""
    if not own or not _is_terse(own) or whole <= 0.3:
        return whole
    return max(whole, support(own, passage, question, language, pinned, *around))


def _quoted(line: str) -> list[str]:
    """The line's sentences, a quotation of several (« Note de lecture : … 3 % … Ce pourcentage est
    de 2,2 % … ») kept as one: one claim, its source's marker after the closing guillemet."""
    parts: list[str] = []
    for sentence in sentences(line):
        if parts and parts[-1].count("«") > parts[-1].count("»"):
            parts[-1] += f" {sentence}"
        else:
            parts.append(sentence)
    if parts and parts[-1].count("«") > parts[-1].count("»"):  # never closed: not a quotation
        return [*parts[:-1], *sentences(parts[-1])]
    return parts


def split_answer(answer: str) -> list[str]:
    """Sentences of the answer, a marker group after the final dot staying with its sentence. A
    list's items are sentences: read whole, a list drawn from three passages matched none of them."""
    parts = []
    for line in answer.split("\n"):
        for sentence in (item for quoted in _quoted(line) for item in list_items_of(quoted)):
            if parts and MARKER.fullmatch(sentence):
                parts[-1] += sentence
            else:
                parts.append(sentence)
    return parts


def is_claim(sentence: str) -> bool:
    """Anything with a content word or a figure; a reply made only of markers is not a claim."""
    return bool(tokens(MARKER.sub("", sentence)))


def _is_terse(sentence: str) -> bool:
    """A bare figure or a few words (« 52 % [1] », « La métallurgie. »): read with the question."""
    return len(tokens(MARKER.sub("", sentence))) < 3


def _choose(markers: list[int], scores: dict[int, float]) -> list[int]:
    """Keep the valid markers that support the sentence; otherwise the best supporting passage."""
    best = max(scores, key=scores.get) if scores else None
    kept = [m for m in dict.fromkeys(markers) if m in scores and scores[m] >= SUPPORTED]
    if kept:
        return kept
    if best is not None and scores[best] >= SUPPORTED:
        return [best]
    return [m for m in dict.fromkeys(markers) if m in scores][:1]  # weak, but the model's own choice


def _with_markers(sentence: str, markers: list[int]) -> str:
    bare = MARKER.sub("", sentence).rstrip()
    if not markers:
        return bare
    tags = "".join(f"[{m}]" for m in markers)
    if bare[-1:] and bare[-1] in ".!?;,":  # « … étroite [1]; », not « étroite; [1] »
        return f"{bare[:-1].rstrip()} {tags}{bare[-1]}"
    return f"{bare} {tags}"


def cite(answer: str, evidence: list[Evidence], question: str = "", drop_unsupported: bool = False,
         language: str = "fr", alone: bool = True) -> CitedAnswer:
    """Check, repair and attach citations; renumber them 1..n in order of appearance.

    `drop_unsupported`: a sentence no passage supports leaves the text (listed in `removed`), so
    that nothing reaches the user as if it were sourced. `alone`: the question was asked on its
    own, so its words are the qualifiers its figures must carry (a follow-up's are not)."""
    by_number = {e.number: e for e in evidence}
    invalid = sum(1 for m in parse_markers(answer) if m not in by_number)
    renumber: dict[int, int] = {}
    best_score: dict[int, float] = {}
    out_sentences: list[SentenceSupport] = []
    rebuilt: list[str] = []
    removed: list[str] = []
    pinned = constraints(question, evidence, language, alone)
    # A passage's orders to an assistant do not count: an answer repeating one is not supported.
    citable = {n: without_instructions(_citable(e)) for n, e in by_number.items()}
    around = {n: (without_instructions(e.antecedent), without_instructions(e.sequel), without_instructions(e.speaker))
              for n, e in by_number.items()}
    # « Comment le règlement appelle-t-il … ? »: the name given is judged where it stands (`naming`)
    described = describing(question, evidence) if language == "fr" and asks_name(question) else {}
    pieces = split_answer(answer)
    for sentence, after in zip(pieces, [*pieces[1:], ""]):
        markers = [m for m in parse_markers(sentence) if m in by_number]
        if not is_claim(sentence) or (frames_list(MARKER.sub("", sentence)) and is_item(after) and is_claim(after)):
            rebuilt.append(MARKER.sub("", sentence).strip())
            continue
        context = question if _is_terse(sentence) else ""
        own = "" if context else beyond(sentence, question)
        scores = {n: _restated(support(sentence, text, context, language, pinned, *around[n]), own, text, question,
                               language, pinned, around[n]) for n, text in citable.items()}
        if described:  # the name stands in a sentence describing what is asked, or it is not sourced
            bare = MARKER.sub("", sentence)
            scores = {n: max(score, SUPPORTED) if names_it(bare, question, described.get(n, []))
                      and not unstated(bare, citable[n]) else min(score, 0.3) for n, score in scores.items()}
        chosen = _choose(markers, scores)
        score = max((scores[m] for m in chosen), default=0.0)
        if drop_unsupported and score < SUPPORTED:
            removed.append(MARKER.sub("", sentence).strip())
            continue
        new = [renumber.setdefault(m, len(renumber) + 1) for m in chosen]
        for m in chosen:
            best_score[m] = max(best_score.get(m, 0.0), scores[m])
        rebuilt.append(_with_markers(sentence, new))
        out_sentences.append(SentenceSupport(MARKER.sub("", sentence).strip(), new, score))
    citations = [Citation(marker, by_number[original].passage, best_score[original])
                 for original, marker in sorted(renumber.items(), key=lambda item: item[1])]
    text = "".join(f"{chr(10) if is_item(piece) else ' '}{piece}" for piece in rebuilt if re.search(r"\w", piece))
    return CitedAnswer(text.strip(), citations, out_sentences, invalid, removed)
