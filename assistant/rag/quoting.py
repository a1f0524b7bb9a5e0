"""Answers that quote the sentence deciding them: yes/no questions, definitions and lists.

A 1.5B model gets the verdict of a closed question right far more often than its condition: it
restates the question (« Oui. Les déployeurs doivent informer… ») or stops at « Non [1] », and
the exception that makes the answer (« toujours », « après examen humain ») is lost. Asked for a
definition, it paraphrases the defining sentence and drops what defines (« usages personnels »);
asked for a list, it keeps two items of four.
The deciding sentence of the evidence is quoted after the model's reply, word for word and cited,
so that the reader checks the answer against the law or the study itself.
"""
from __future__ import annotations

import re
from functools import lru_cache

from assistant.domain import Citation, Evidence, SentenceSupport
from assistant.rag.citations import MARKER, CitedAnswer, names, parse_markers, split_answer
from assistant.rag.list_questions import ON_LEAD_IN, asked_count, enumerates, listed_noun, on_list
from assistant.rag.lists import list_quote, opens_list
from assistant.rag.lookalikes import asked_figures
from assistant.rag.question import Question
from assistant.text.normalise import fold
from assistant.text.numbers import numbers_in
from assistant.text.sentences import read_with, sentences, statements, word_count
from assistant.text.words import acronyms, coverage, overlap, tokens

# Below this share of the question's words, the best sentence is about something else (tuning:
# deciding sentences cover 0.44 to 0.82 of a yes/no question, an unanswerable one's best 0.14).
_ON_QUESTION = 0.4
# A quote the reply already says (three quarters of its words) adds nothing.
_ALREADY_SAID = 0.75
_LONGEST = 120  # words of a quote completed from its passage
# A refused question gets an evidence sentence quoted only when that sentence holds three quarters
# of its words or more: one that carries the question's qualifiers, not only its subject. At 0.42
# (the lowest of the refused answerable questions of tuning, 0.42 to 0.80) the held-out set's
# look-alikes passed: 3 of its 10 unanswerable questions got a « Note de lecture » sentence quoted.
_CLOSEST = 0.75
_FOOTNOTE = re.compile(r"^[¹²³\d]\s+(?=[A-ZÀ-Ý])")  # « ¹ Le périmètre … »: a footnote's number
# « tous secteurs confondus » is the question's way of saying the study's « l'ensemble des secteurs »
# (« … 56 % contre 13 % pour celles publiées par l'ensemble des recruteurs »): read as such, the
# sentence holding the figure for all sectors is as close to the question as the industry's.
_ALL_OF = re.compile(r"\btou(?:s|tes)\s+(?:les\s+)?([a-zà-ÿ]+)\s+confondu(?:e?s)?\b", re.IGNORECASE)


def verdict_stop(text: str) -> str:
    """« Non La dérogation … » as the model writes it -> « Non. La dérogation … » (after the
    citation check, which must not judge a bare « Non. » as a claim of its own)."""
    return re.sub(r"^(Oui|Non)\s+(?=[A-ZÀ-ÖØ-Ý«])", r"\1. ", text)


# « Oui, 9 % des offres … » to « … quelle part …, pour l'ensemble des secteurs ? »: a verdict to an
# open question says nothing, and a « Non » there reads as a denial of what follows.
_VERDICT = re.compile(r"^\s*(?:Oui|Non)\s*[,.]\s+(?=\w)")


def without_verdict(question: Question, reply: str) -> str:
    """The reply without the « Oui, » or « Non. » it opens on, unless the question is a yes/no one
    (or not French: an English yes/no question may open on its context, « Under the AI Act, does … »),
    or opens on one (« Une entreprise peut-elle …, et quelles exceptions … ? »: its « Oui » is the
    verdict `affirms_a_ban` judges; stripped, a banned practice was affirmed as sourced, tuning f045)."""
    if question.language != "fr" or question.closed or _MAY.search(question.text):
        return reply
    rest = _VERDICT.sub("", reply, count=1)
    return f"{rest[:1].upper()}{rest[1:]}" if rest != reply else reply


def _whole(sentence: str, passage_sentences: list[str]) -> str:
    """The sentence whole, from its passage, when the excerpt cut it short (the exception at its
    end is often what decides: « … qui est déjà fondée sur des faits objectifs »); left cut, with
    « … », when the whole is too long to quote."""
    whole = next((s for s in passage_sentences if s.startswith(sentence)), sentence)
    if whole == sentence:
        return sentence
    return whole if word_count(whole) <= _LONGEST else f"{sentence} …"


def _sentences(evidence: list[Evidence]) -> list[tuple[str, Evidence]]:
    """Each evidence sentence with its item, in the evidence's order (best first). The « … »
    between an excerpt's pieces and a list's bullets (« ; • 61) … » of a definitions article)
    end a sentence."""
    found = []
    for item in evidence:
        passage_sentences = [s.strip(" •").rstrip(".;: ") for s in statements(item.passage.text)]
        for piece in re.split(r"\s…\s|\s•\s", f" {item.excerpt} "):
            found += [(_whole(sentence.strip(" …—").rstrip(".;: "), passage_sentences), item)
                      for sentence in statements(piece.strip(" •"))]
    return found


def _defines(term: str, sentence: str) -> bool:
    """The term set off as the one defined: in brackets after what it names (« … (shadow IT) »),
    or quoted and followed by its definition (« « opérateur », un fournisseur… »; a term only
    quoted in passing, « le terme « X » revient souvent », defines nothing)."""
    folded, term = fold(sentence), re.escape(fold(term))
    return bool(re.search(rf"\(\s*{term}\b|\b{term}\s*\)|[«\"“]\s*{term}\s*[»\"”]\s*[,:]|"
                          rf"\b{term}\W*\s+(?:designe|signifie|c'est-a-dire)\b", folded))


def deciding_sentence(question: Question, evidence: list[Evidence]) -> tuple[str, Evidence] | None:
    """A definition's: the first evidence sentence that sets the term off as defined. A yes/no
    question's, or a list's: the sentence holding most of its words (the first on a tie; for a
    list, one that enumerates). None when no sentence is about the question."""
    sentences = _sentences(evidence)
    if question.term:
        return next(((s, item) for s, item in sentences if _defines(question.term, s)), None)
    if question.listing:  # a sentence listing what is asked for
        listed, count = listed_noun(question.text), asked_count(question.text)
        # a list one item a line: its lead-in stands for it (how many items it has is not checked)
        scored = [(on_list(question.text, listed, None if lined else count, s), -rank, s, item)
                  for rank, (s, item) in enumerate(sentences) if overlap(listed, s)
                  for lined in [opens_list(s, item, evidence)] if lined or enumerates(s)]
    else:
        scored = [(coverage(question.text, s), -rank, s, item) for rank, (s, item) in enumerate(sentences)]
    best = max(scored, default=None, key=lambda found: found[:2])
    least = ON_LEAD_IN if question.listing else _ON_QUESTION
    return (best[2], best[3]) if best and best[0] >= least else None


# « Une entreprise peut-elle … ? » answered « Oui, une entreprise peut … » where the deciding
# sentence is an item of « Article 5 — Pratiques interdites »: the 1.5B model affirmed a banned
# practice, with the article as its source (tuning f045). A « Oui » that names no exception, to a
# question asking whether one may (« peut-elle … », its first part), against a sentence or heading
# that bans, is no answer; unless the question asks about the ban's own exception.
_MAY = re.compile(r"\b(?:peut|peuvent|pourrait|pourraient)-(?:t-)?(?:il|elle|ils|elles|on)\b"
                  r"|\best-(?:il|ce) (?:permis|autorisé)|\ba-t-(?:il|elle|on) le droit\b", re.IGNORECASE)
_BANS = re.compile(r"\binterdit", re.IGNORECASE)
_EXCEPT = re.compile(r"\b(?:sauf|except\w*|uniquement|seulement|lorsque|si|sous réserve|à moins)\b", re.IGNORECASE)


def affirms_a_ban(question: Question, reply: str, evidence: list[Evidence]) -> tuple[str, Evidence] | None:
    """The sentence the « Oui » rests on (of the passages it cites, the one closest to it), when
    it or its passage's heading bans and the « Oui » names no condition to « may one … ? »; else
    None."""
    first = next(iter(split_answer(reply)), "")
    verdict = MARKER.sub("", first).strip()
    if question.language != "fr" or not _MAY.search(question.text) or not re.match(r"Oui\b", verdict) \
            or _EXCEPT.search(verdict):
        return None
    cited = [item for item in evidence if item.number in parse_markers(first)]
    rested = max(((coverage(verdict, s), s, item) for item in cited for s in sentences(item.passage.text)),
                 default=None, key=lambda found: found[0])
    if rested is None or not (_BANS.search(rested[1]) or _BANS.search(rested[2].passage.heading)):
        return None
    rule, *exception = _EXCEPT.split(rested[1], 1)
    asked = {word for word in tokens(question.text) if not overlap({word}, rule)}  # beyond the rule's words
    return None if exception and overlap(asked, exception[0]) else (rested[1], rested[2])


# A reply cut off on a list's lead-in (« … admise pour les objectifs suivants : - [1][2] ») ran on into
# the quote: « Texte » then read as a word of its sentence, a name no passage holds for the
# unsourced-facts count, and the page showed « … suivants : - [1] Texte : « … » ».
_TRAILING_MARKERS = re.compile(r"(?:\s*\[\d+(?:\s*[,;–-]\s*\d+)*\])*\s*$")
_DANGLING = re.compile(r"[\s:;,–—•*-]+$")


def _closed(reply: str) -> str:
    """The reply ending on a full stop, after its last markers; a dangling colon or bullet dropped."""
    if re.search(r"[.!?…]\s*$", reply):
        return reply
    markers = _TRAILING_MARKERS.search(reply)  # always found, if only empty
    assert markers is not None
    return f"{_DANGLING.sub('', reply[:markers.start()])}{markers.group(0).rstrip()}."


# A rule's title: an article of a regulation, its annex or recital (the AI Act's documents).
_RULE_TITLE = re.compile(r"(?:article|annexe|considérant)\b", re.IGNORECASE)


def rule_title(pieces: list[tuple[str, Evidence]]) -> str:
    """The article, annex or recital all the quoted pieces come from (« Article 5 — Pratiques
    interdites en matière d’IA »), "" when they come from anything else or from several."""
    titles = {item.passage.title for _, item in pieces}
    title = titles.pop() if len(titles) == 1 else ""
    return title if _RULE_TITLE.match(title) else ""


def quote_label(pieces: list[tuple[str, Evidence]], word: str = "Texte") -> str:
    """« Texte (Article 5 — Pratiques interdites en matière d’IA) : » before a rule's words: its
    article and title say what the quoted point is (a ban, an obligation), which « f) … » alone
    does not (« Non. Texte : « f) … sauf … » » left the reader to open the source to learn it)."""
    title = rule_title(pieces)
    return f"{word} ({title}) : " if title else f"{word} : "


def with_deciding_text(question: Question, cited: CitedAnswer, evidence: list[Evidence],
                       alone: bool = False) -> CitedAnswer:
    """For a yes/no, definition or list question, or any question asked `alone` (not a follow-up,
    whose words leave out what it asks about), the checked reply followed by « Texte : « … » [n]. »,
    the deciding sentence's passage cited under its number in the reply (or the next one); for a
    list, its lead-in and items, each passage's part under that passage's number. The 1.5B model
    names the wrong function or drops the figure from a sentence it read (« … concerne les profils
    commerciaux et marketing » for « … les cadres des services techniques ? »): the sentence itself,
    word for word, lets the reader check the reply against it."""
    asks_open = not (question.closed or question.term or question.listing)
    if asks_open and not alone:
        return cited
    found = deciding_sentence(question, evidence)
    if found is None:
        return cited
    pieces = list_quote(*found, evidence) if question.listing else [found]
    said, quoted = MARKER.sub("", cited.text), " ".join(text for text, _ in pieces)
    if coverage(quoted, said) >= _ALREADY_SAID:
        return cited
    # an open question's reply taken from that sentence says it already (tuning: 32 right replies of 61
    # hold three quarters of their words in it; the 4 wrong ones it completes, 0.51 to 0.73); a line
    # under ten words is a title or a label (« Data analyst, Branche … – Nouvelle-Aquitaine – »)
    if asks_open and (coverage(said, found[0]) >= _ALREADY_SAID or word_count(found[0]) < 10):
        return cited
    reply = cited.text  # « Non La … » gets its stop in `check_answer`, with or without a quote
    if re.fullmatch(r"(Oui|Non)\.?", MARKER.sub("", reply).strip()):  # « Non [1] »: the quote is its source
        reply = f"{reply[:3]}."
    return with_quote(cited, pieces, quote_label(pieces), reply)


def with_quote(cited: CitedAnswer, pieces: list[tuple[str, Evidence]], label: str, reply: str | None = None
               ) -> CitedAnswer:
    """The reply (`reply`, else the cited one) followed by « `label` « … » [n]. », each piece's
    passage cited under its number in the reply (or the next one)."""
    citations = list(cited.citations)
    markers = []
    for _, item in pieces:
        marker = next((c.marker for c in citations if c.passage.id == item.passage.id), None)
        if marker is None:
            marker = len(citations) + 1
            citations.append(Citation(marker, item.passage, 1.0))
        markers.append(marker)
    quoted = label + " ".join(f"« {text} » [{m}]" for (text, _), m in zip(pieces, markers)) + "."
    reply = _closed(cited.text if reply is None else reply)
    return CitedAnswer(f"{reply} {quoted}", citations, [*cited.sentences, SentenceSupport(quoted, markers, 1.0)],
                       cited.invalid_markers, cited.removed)


def _claims(statement: str) -> list[str]:
    """One sentence: one claim, one [n]; a sentence referring back (« Ce pourcentage est de 2,2 %
    pour l'ensemble … ») with the one it refers to, which says what it counts."""
    found: list[str] = []
    for sentence in sentences(statement):
        sentence = sentence.rstrip(".;: ")
        found.append(f"{found[-1]}. {sentence}" if found and read_with(found[-1], sentence) else sentence)
    return found


def _collection(item: Evidence) -> str:
    """The folder a passage's document lies in, whose name the question may give for the source
    (« selon l'AI Act » of a passage of ai-act/article-99.md): words the sentence need not hold."""
    return " ".join(item.passage.document.replace("\\", "/").split("/")[:-1]).replace("-", " ")


@lru_cache(maxsize=64)
def _pinned(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names and numbers a question gives, read once for all the sentences it is checked on."""
    return frozenset(names(question)), frozenset(numbers_in(question))


def carries(question: Question, item: Evidence, text: str | None = None) -> bool:
    """The text (the excerpt by default) with its passage's heading names every name and number
    the question gives: a region, a year, an article (the study repeats one sentence for each)."""
    scope = fold(f"{item.passage.heading} {item.passage.label} {item.excerpt if text is None else text}")
    scope = scope.replace("-", " ")
    wanted, pinned = _pinned(question.text)
    return all(name in scope for name in wanted) and pinned <= numbers_in(scope)


def closest_passage(question: Question, evidence: list[Evidence]) -> tuple[str, Evidence] | None:
    """The evidence sentence a refused question is quoted from: it holds most of the question's
    words, every name and number the question gives (in it or its passage's heading: the study
    repeats one sentence for each region and year) and the kind of figure it asks for. None when
    no sentence is that close: then the refusal stands.

    The 1.5B model refuses questions whose answer is in excerpt [1] (« Combien d'entreprises le
    périmètre OPCO 2i représente-t-il ? » with « … représentant 90 000 entreprises … » shown):
    the sentence itself, quoted word for word with its source, lets the reader judge."""
    figures, asked = asked_figures(question.text), _ALL_OF.sub(r"l'ensemble des \1", question.text)
    best: tuple[float, str, Evidence] | None = None
    for statement, item in _sentences(evidence):
        for sentence in _claims(_FOOTNOTE.sub("", statement)):
            folded = fold(sentence)
            if not carries(question, item, sentence) or not all(figure.search(folded) for figure in figures):
                continue
            # « IA » in the question, « intelligence artificielle » in the sentence: the same words
            spelled = " ".join(acronyms(tokens(sentence)))
            score = coverage(asked, f"{_collection(item)} {sentence} {spelled}")
            if score >= _CLOSEST and (best is None or score > best[0]):
                best = (score, sentence, item)
    return (best[1], best[2]) if best else None
