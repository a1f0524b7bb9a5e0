"""The sentence that says how. A report states a use in general (« Grâce aux données collectées des
équipements IoT …, les entreprises s'emploient aujourd'hui à être dans une démarche de maintenance
prédictive. ») and explains it a sentence or a few later (« L'intelligence artificielle avec
l'utilisation d'algorithmes de machine learning entraînés leur permet de détecter les défaillances
avant qu'elles ne se produisent, … »). Blind raters AE and AF turned the general statement down as
an objective (« copier-coller qui n'explique pas le principe ») and asked for the explanation. A
finding may likewise be backed by a share a few passages on (`backing`)."""
from __future__ import annotations

import re
from collections.abc import Callable

from assistant.domain import Passage, Quote
from assistant.text.normalise import lower_first, quote_in
from assistant.text.sentences import sentences_by_line
from assistant.text.words import tokens
from assistant.workshop.items import OPEN, QuizQuestion
from assistant.workshop.kinds import verdict
from assistant.workshop.sources import Candidate, clean, standalone
from assistant.workshop.theme import stem

REACH = 5  # sentences after the statement: a paragraph on the stakes may come between (recalls' cost)
# What something makes possible, said as a capacity: « … leur permet de détecter … ». Not
# « permettant une inspection … » inside a sentence that opens on « Face à ces enjeux ».
_HOW = re.compile(r"\b(?:(?:leur|lui|nous|vous)\s+)?permet(?:tent)?\s+(?:de|d['’])", re.IGNORECASE)
# The beneficiary the sentence before named (« leur permet »): dropped, « permet de » reads alone.
_BENEFICIARY = re.compile(r"\b(?:leur|lui)\s+(permet(?:tent)?\s)", re.IGNORECASE)


# The thing that makes it possible, as the sentence names it before its verb: « L'intelligence
# artificielle » of « L'intelligence artificielle avec l'utilisation d'algorithmes … leur permet de … ».
_SUBJECT = re.compile(r"^(?P<subject>[^,]{3,60}?)(?:\s+(?:avec|grâce|via|par)\b[^,]*)?\s+" + _HOW.pattern,
                      re.IGNORECASE)


def principle(quote: Quote, after: Passage | None = None) -> Quote | None:
    """The first sentence after `quote`, within `REACH` sentences, in its passage then in the one
    `after` it (the chunker cut the explanation off a statement closing its passage), that says what
    a thing makes possible and reads alone; None when there is none, when the quote itself says it,
    or when the quote is a rule (taught as the law words it)."""
    if _HOW.search(quote.text) or verdict(Candidate(quote.text, quote.passage, 0, 0.0)):
        return None
    passages = [quote.passage, *([after] if after is not None and after.document == quote.passage.document else [])]
    following = [(p, clean(s)) for p in passages for s in sentences_by_line(p.text)]
    at = next((i for i, (p, s) in enumerate(following) if p is quote.passage and s == clean(quote.text)), None)
    if at is None:
        return None
    for passage, sentence in following[at + 1:at + 1 + REACH]:
        if _HOW.search(sentence) and standalone(sentence) and sentence.endswith(".") and \
                quote_in(sentence, passage.text) and _same_subject(sentence, quote.text):
            return Quote(passage, sentence)
    return None


def maker(sentence: str) -> str:
    """What the sentence says makes something possible (« L'intelligence artificielle » of « L'intelligence
    artificielle avec … leur permet de … »); empty when it says no such thing."""
    subject = _SUBJECT.match(sentence)
    return subject.group("subject") if subject else ""


def _same_subject(how: str, statement: str) -> bool:
    """What makes it possible is named by the statement too (« L'intelligence artificielle … permet »
    after « Grâce à l'IA, … »): not a neighbouring paragraph's tool."""
    subject = maker(how)
    return bool(subject) and bool(_words(subject) & _words(statement))


def _words(text: str) -> set[str]:
    return {stem(w) for w in tokens(re.sub(r"\bIA\b", "intelligence artificielle", text))}


def as_said(sentence: str) -> str:
    """The sentence as an objective says it: « L'intelligence artificielle … permet de … »."""
    return _BENEFICIARY.sub(r"\1", sentence, count=1)


# The data an explanation analyses (« … leur permet d'analyser les données en parallèle … »), which the
# sentence before it says where they come from (« … grâce à l'emploi de nombreux capteurs IoT et
# caméras … »): AK and AL turned the explanation down alone (« on perd les capteurs IoT et caméras »).
_THE_DATA = re.compile(r"\bles données\b(?!\s+(?:de|des|du|d['’]))", re.IGNORECASE)
_BY_MEANS = re.compile(r"\bgrâce\s+(?:à|aux?)\s", re.IGNORECASE)


def with_data_source(how: Quote) -> tuple[Quote, str] | None:
    """The explanation with the sentence before it when that one names the means its « les données »
    come from: both quoted, and said as one objective (« … grâce à l'emploi de nombreux capteurs IoT et
    caméras …, et que l'intelligence artificielle permet d'analyser les données … »). None otherwise."""
    if not _THE_DATA.search(how.text):
        return None
    raw = sentences_by_line(how.passage.text)
    at = next((i for i, s in enumerate(raw) if clean(s) == clean(how.text)), 0)
    before = clean(raw[at - 1]) if at > 0 else ""
    if not (before.endswith(".") and _BY_MEANS.search(before) and standalone(before)
            and quote_in(f"{raw[at - 1]} {raw[at]}", how.passage.text)):
        return None
    said = f"{before[:-1]}, et que {lower_first(as_said(clean(how.text)))}"
    return Quote(how.passage, f"{raw[at - 1]} {raw[at]}"), said


def principle_question(statement: Quote, how: Quote, theme: str, audience: str) -> QuizQuestion | None:
    """An open question on what a thing makes possible, the statement it explains as its setting:
    « « Grâce aux données … démarche de maintenance prédictive. » D'après « <the document> », qu'y
    apporte concrètement l'intelligence artificielle ? », answered by the explaining sentence
    (« Détecter les défaillances avant qu'elles ne se produisent, … »). Open, with no options: the wrong
    options written for such a question (the 1.5B model's, or the document's other uses) were a
    negation of the right one or true too (blind raters S and T); the raters who turned down the
    examples question asked for this mechanism instead."""
    subject = _SUBJECT.match(how.text)
    if subject is None:
        return None
    answer = how.text[_HOW.search(how.text).end():].strip()
    answer = re.sub(r"\bet d(?:e\s+|['’])", "et ", answer)  # « d'analyser … et de détecter » as one answer
    answer = answer[:1].upper() + answer[1:]
    title = how.passage.title or how.passage.document
    text = (f"« {clean(statement.text)} » D'après « {title} », qu'y apporte concrètement "
            f"{lower_first(subject.group('subject'))} ?")
    return QuizQuestion(text=text, choices=[answer], answer=0, citations=[how, statement], theme=theme,
                        audience=audience, kind=OPEN, explanation=f"Le document l'explique : « {how.text} »")


def explained(passage: Passage, score: Callable[[str], float]) -> list[tuple[Quote, Quote]]:
    """The passage's sentences that say what a thing makes possible, each with its setting: of the
    statements before it (within `REACH` sentences) that read alone, the one `score` rates highest on
    the theme, the nearest of equals (« Les pompes tournent jour et nuit. » between the statement and
    its explanation sets nothing); none when no statement is on the theme."""
    said = sentences_by_line(passage.text)
    found = []
    for at, sentence in enumerate(said):
        before = [(score(s), i, s) for i, s in enumerate(said[max(0, at - REACH):at]) if _statement(s)]
        best = max(before, default=(0.0, 0, ""))
        how = principle(Quote(passage, best[2])) if best[0] > 0 else None
        if how is not None and how.text == clean(sentence):
            found.append((Quote(passage, best[2]), how))
    return found


def _statement(sentence: str) -> bool:
    text = clean(sentence)
    return text.endswith(".") and standalone(text) and not _HOW.search(text)


SHARED = 3  # content words a figure's sentence shares with the finding it backs (« cadres », « recherchés », …)
_SHARE = re.compile(r"\d\s?%")
_THESE = re.compile(r"\bces\s+(?P<noun>\w+)")


def backing(finding: Quote, next_of: Callable[[Passage], Passage | None], heading: str,
            reach: int = 3) -> tuple[Quote, str] | None:
    """The share that backs a report's finding a few passages on (« ce sont les cadres en qualité …
    qui sont particulièrement recherchés … » then « Les profils cadres dans ces activités sont
    davantage recherchés … : 16% des offres liées à l'IA les concernent contre 9% pour l'ensemble des
    secteurs. »), and that sentence as an objective says it: the first sentence after the finding's
    passage, within `reach` passages of its page, with a share and `SHARED` of its words. Its « ces
    activités » must be named by the part's `heading` (« … dans les activités liées à … »), or it does
    not read alone. Raters AE, AF and AH asked for that figure with the finding."""
    if _SHARE.search(finding.text) or verdict(Candidate(finding.text, finding.passage, 0, 0.0)):
        return None
    said = {stem(w) for w in tokens(finding.text)}
    passage = next_of(finding.passage)
    for _ in range(reach):
        if passage is None or (passage.document, passage.page) != (finding.passage.document, finding.passage.page):
            return None
        for sentence in (clean(s) for s in sentences_by_line(passage.text)):
            shared = said & {stem(w) for w in tokens(sentence)}
            if not (_SHARE.search(sentence) and len(shared) >= SHARED and sentence.endswith(".")
                    and quote_in(sentence, passage.text)):
                continue
            as_named = named(sentence, heading)
            if as_named:
                return Quote(passage, sentence), as_named
        passage = next_of(passage)
    return None


def named(sentence: str, heading: str) -> str:
    """The sentence with its « ces activités » named as the heading names them (« les activités liées
    à la qualité, … »); empty when the heading does not."""
    these = _THESE.search(sentence)
    if these is None:
        return sentence
    found = re.search(rf"\bles\s+{re.escape(these.group('noun'))}\b[^.;:()]*", heading, re.IGNORECASE)
    return sentence.replace(these.group(0), found.group(0).strip(), 1) if found else ""
