"""The answer policy: what of the model's reply the user may see as a sourced answer.

A claim without a source is a defect: a sentence no passage supports leaves the shown answer
(kept in `Answer.removed`, the audit log and « texte non sourcé »), a reply left with nothing becomes
the explicit abstention (the raw text kept for the audit log), and so does a reply that repeats the
system prompt (the instructions stay private).
"""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.domain import NOT_FOUND, Answer, Citation, Evidence, SentenceSupport
from assistant.rag.citations import MARKER, CitedAnswer, cite, is_claim, split_answer
from assistant.rag.lists import list_quote, unfinished
from assistant.rag.lookalikes import asked_figures
from assistant.rag.prompt import SYSTEM_PROMPT
from assistant.rag.question import Question
from assistant.rag.quoting import (affirms_a_ban, closest_passage, deciding_sentence, quote_label, rule_title,
                                   verdict_stop, with_deciding_text, without_verdict)
from assistant.rag.title_fields import with_title
from assistant.text.injection import as_data, reveals
from assistant.text.normalise import fold
from assistant.text.numbers import numbers_in, with_reply_figures
from assistant.text.words import overlap, tokens


ABSTENTION_PATTERNS = (
    "ne figure pas dans les documents", "ne figure pas dans les extraits", "pas dans les documents",
    "ne contiennent pas", "ne mentionnent pas", "aucune information", "not in the documents",
    "does not appear in the documents", "no information", "not provided in the", "not mentioned in the",
    "do not provide", "does not provide", "do not mention", "does not mention",
)


def is_abstention(answer: str) -> bool:
    folded = fold(answer)
    return any(fold(p) in folded for p in ABSTENTION_PATTERNS)


def without_abstention(answer: str) -> str:
    """The answer minus its « not in the documents » sentences: small models sometimes answer,
    then add the refusal formula out of habit. Empty when the answer is only a refusal."""
    kept = [s for s in split_answer(answer) if not is_abstention(s)]
    return " ".join(kept) if any(is_claim(s) for s in kept) else ""


def abstention(question: Question, evidence: list[Evidence] | None = None, unsupported_text: str = "",
               cited: CitedAnswer | None = None) -> Answer:
    """« L'information ne figure pas dans les documents. », with what was read and written."""
    return Answer(question.text, NOT_FOUND, True, [], evidence or [], [],
                  invalid_markers=cited.invalid_markers if cited else 0, unsupported_text=unsupported_text,
                  removed=cited.removed if cited else [])


# Said before the quote: the model wrote no sourced answer, the reader judges the passage (with the
# rule's title when it is one: « f) … sauf … » does not say it is a ban, « Article 5 — Pratiques
# interdites » does; tuning f045).
CLOSEST_PASSAGE = "Passage des documents le plus proche de la question (à vérifier)"
DEFINITION = "Définition dans les documents"  # before the quoted sentence defining what was asked


def _definition(question: Question, evidence: list[Evidence]) -> list[tuple[str, Evidence]]:
    """A definition question's answer in the documents: the sentence defining its term with the
    points it lists (`list_quote`); [] when none, or when it is cut at the colon before its points."""
    found = deciding_sentence(question, evidence) if question.term else None
    pieces = list_quote(*found, evidence) if found else []
    return [] if unfinished(pieces) else pieces


def closest_quote(question: Question, evidence: list[Evidence], raw: str = "", cited: CitedAnswer | None = None,
                  found: tuple[str, Evidence] | None = None) -> Answer | None:
    """What a refused (or wholly unsourced) reply gives way to: the evidence sentence closest to the
    question (`found` when already known), quoted and cited, said to be the closest passage and not
    an answer; None when no sentence is close enough (`closest_passage`). A definition question's
    is the documents' own definition (« … (shadow IT) »), quoted as the answer: the model's
    paraphrase of it was refused, and the reader was told the documents do not say."""
    pieces = _definition(question, evidence) if found is None else []
    label = quote_label(pieces, DEFINITION) if pieces else ""
    if not pieces:
        found = found or closest_passage(question, evidence)
        if found is None:
            return None
        pieces = [found]
        title = rule_title(pieces)
        label = f"{CLOSEST_PASSAGE}, {title} : " if title else f"{CLOSEST_PASSAGE} : "
    numbers: dict[str, tuple[int, Evidence]] = {}
    for _, item in pieces:
        numbers.setdefault(item.passage.id, (len(numbers) + 1, item))
    text = label + " ".join(f"« {quote} » [{numbers[item.passage.id][0]}]" for quote, item in pieces) + "."
    # the refusal's record (what the model wrote, the markers and sentences it lost), now with the quote
    return replace(abstention(question, evidence, raw, cited), text=text, abstained=False,
                   citations=[Citation(n, item.passage, 1.0) for n, item in numbers.values()],
                   sentences=[SentenceSupport(text, [n for n, _ in numbers.values()], 1.0)])


def _asked_back(claims: str) -> tuple[str, list[str]]:
    """The reply without the sentences that ask rather than say, and those sentences: the 1.5B
    model sometimes restates the question (« … et à quelle fraction d'offres le texte la ramène-t-il
    [1]? »); the passage holds its words, so the check kept it as a sourced answer. "" when no
    claim is left."""
    said, asks = [], []
    for sentence in split_answer(claims):
        (asks if re.search(r"\?\W*$", MARKER.sub("", sentence).strip()) else said).append(sentence)
    return " ".join(said) if any(is_claim(s) for s in said) else "", asks


# A reply copying the evidence back in the prompt's own format, an excerpt a line with its number in
# front (« [1] (Article 113 — …) Il est applicable … »: seen with the 0.5B model). The check reads a
# marker as closing the sentence before it, so such lines were shown with another's marker or none.
_LEADING_MARKER = re.compile(r"^\s*\[(\d+)\]\s*(.*?)\s*$")


def _markers_after(raw: str, evidence: list[Evidence]) -> str:
    """Each line opening on « [n] » as a sentence closed by its marker, without the excerpt's label
    (« (Title, p. 9) »), and gone when it holds nothing else (a label cut short by the token limit)."""
    labels = [f"({as_data(e.passage.label)})" for e in evidence]
    lines = []
    for line in raw.split("\n"):
        found = _LEADING_MARKER.match(line)
        if found:
            text = found.group(2)
            text = next((text.removeprefix(label) for label in labels if text.startswith(label)), text).strip()
            if not text or any(label.startswith(text) for label in labels):
                continue
            end = len(text.rstrip(".!?…;:, "))
            line = f"{text[:end]} [{found.group(1)}]{text[end:].strip() or '.'}"
        lines.append(line)
    return "\n".join(lines)


# « Quelle région …, et dans quelle proportion ? »: a second question, whose answer alone is worth showing
_SECOND_ASK = re.compile(r"\bet\s+(?:\w+\s+){0,2}(?:quel|quelle|quels|quelles|combien|comment|pourquoi|qui|quand|ou)\b")


def _figureless(question: Question, answer: str) -> bool:
    """A question asking only for a figure (a share, an amount, a count) answered with none: « La
    part des offres … vise des cadres commerciaux et marketing [1]. » restates the question, sourced
    word for word, and answers nothing (tuning h004). A yes/no question's « Non » needs none."""
    asked = fold(question.text)
    kinds = asked_figures(question.text) if question.language == "fr" and not question.closed else []
    if _SECOND_ASK.search(asked):
        return False
    bare = MARKER.sub("", answer)
    return bool(kinds) and not numbers_in(bare) and not any(kind.search(fold(bare)) for kind in kinds)


# Words on where the answer stands (« … cite le système d'IA qui en est un composant de sécurité
# dans l'extrait [1]. », a second reading's reply to tuning g008): they say nothing of the answer.
_SOURCE_WORDS = frozenset("extrait extraits document documents texte textes passage passages source sources".split())


def _restates(question: Question, answer: str) -> bool:
    """An open question's answer made of the question's own words only (« La exigence s'applique aux
    données d'entrée lorsque le déployeur … exerce un contrôle sur elles [1]. » to « Quelle exigence
    s'applique … ? »): every word stands in the passage, so the check kept it as sourced, and it
    answers nothing (tuning q121, g008). A choice question's answer (« … ou … ? ») names an option
    the question gives, and a yes/no question's « Non » is an answer: both are left alone."""
    if question.language != "fr" or question.closed or re.search(r"\bou\b", fold(question.text)):
        return False
    said = set(tokens(MARKER.sub("", answer))) - _SOURCE_WORDS
    return bool(said) and all(overlap({word}, question.text) for word in said)  # « système » for « systèmes »


def check_answer(question: Question, raw: str, evidence: list[Evidence], in_french: str | None = None,
                 alone: bool = False) -> Answer:
    """Citations checked and attached to each sentence of the reply; the abstention when nothing
    of it may be shown, or, for a French question asked `alone` (on its own: a follow-up's words
    leave out what it is about), the evidence sentence closest to the question, quoted. Only such
    a question's words are its qualifiers, which the answer's figures must carry (`cite`).

    Every reply is grounded, whatever its language: the words of a reply in English are matched
    through `in_french`, its translation (the passages are French); without one, as written."""
    claims, asks = _asked_back(without_abstention(without_verdict(question, _markers_after(raw, evidence).strip())))
    if reveals(raw, SYSTEM_PROMPT.replace(NOT_FOUND, "")):
        return abstention(question, evidence, raw)
    if not claims:
        refusal = abstention(question, evidence, raw if asks else "")  # an echo stays in the audit log
        return (alone and closest_quote(question, evidence, raw)) or refusal
    cited = cite(claims, evidence, question.text, drop_unsupported=True, language=question.language, alone=alone)
    cited.removed[:0] = asks  # kept for the audit log, never shown
    banning = affirms_a_ban(question, cited.text, evidence)
    if banning:  # its words are the text's, its verdict is not: the banning sentence instead
        withdrawn = CitedAnswer("", [], [], cited.invalid_markers, [*cited.removed, *split_answer(cited.text)])
        return (alone and closest_quote(question, evidence, raw, withdrawn, banning)) or abstention(
            question, evidence, raw, withdrawn)
    # An English reply: each sentence keeps its figures and names checked as written, and the
    # whole must also hold once in French, where its words can be matched.
    # (its figures are the reply's, found as written: the translation is read for the words)
    grounded = cited if in_french is None else cite(without_abstention(with_reply_figures(in_french, raw).strip()),
                                                    evidence, drop_unsupported=True)
    # nothing sourced, no figure for a figure, or the question said back: kept in the audit log only
    empty = alone and (_figureless(question, cited.text) or _restates(question, cited.text))
    if not cited.sentences or not grounded.sentences or empty:
        return (alone and closest_quote(question, evidence, raw, cited)) or abstention(
            question, evidence, raw, cited)
    cited = with_title(question, with_deciding_text(question, cited, evidence, alone), evidence)
    return Answer(question.text, verdict_stop(cited.text), False, cited.citations, evidence, cited.sentences,
                  invalid_markers=cited.invalid_markers, removed=cited.removed)
