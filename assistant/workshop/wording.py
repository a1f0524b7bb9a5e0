"""The quiz questions written from the documents' wording alone, with no model call (`workshop.mix` takes
them in turn): the term a meaning defines, which job offer asks for an AI skill, how large the first share
of a ranking is, which aim a list's examples illustrate, what a use of AI makes possible, why a finding holds
and by what means a use is made (open)."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from assistant.text.normalise import fold
from assistant.workshop import terms
from assistant.workshop.examples import example_question, illustrated_lists
from assistant.workshop.items import QuizQuestion
from assistant.workshop.offers import OFFER, offer_questions
from assistant.workshop.pool import Mix
from assistant.workshop.principle import explained, principle_question
from assistant.workshop.reasons import cause_questions, means_question, stake_questions
from assistant.workshop.shares import magnitude_question, rankings
from assistant.text.sentences import sentences
from assistant.workshop.sources import about_jobs, clean
from assistant.workshop.theme import focus


def by_term(mix: Mix) -> Iterator[QuizQuestion]:
    """The term the theme's sentences use most, then those they use twice or more (« déployeur », not
    « importateur » when the theme's rules never name importers, nor « distributeur » that one
    sentence names in a list of roles: « peu utile à ces cadres », a blind rater)."""
    found = terms.definitions(mix.passages)
    said = " ".join(fold(c.sentence) for c in mix.figure_candidates)
    uses = {d.term: said.count(fold(d.term).rstrip("s")) for d in found}
    used = sorted((d for d in found if uses[d.term]), key=lambda d: -uses[d.term])
    used = used[:1] + [d for d in used[1:] if uses[d.term] >= 2]
    for definition in used:
        if definition.line in mix.used:
            continue
        # wrong terms from every definition found (« fournisseur », the natural one for a deployer,
        # may stand in a passage the theme's search did not rank)
        item = terms.term_question(definition, mix.glossary or found, mix.theme, mix.audience)
        if item is not None:
            mix.used.add(definition.line)
            yield item


def by_offer(mix: Mix) -> Iterator[QuizQuestion]:
    """Which offer asks for an AI skill, on a theme whose passages come from two offers or more: the
    theme is about them (« les compétences recherchées dans les offres »), not about maintenance,
    which one offer's company also names. One question: its explanation gives what the other offers
    ask, the answer of the next one."""
    asked = any(r.text in mix.used for offer in mix.offers for r in offer.requirements)
    if asked or len({p.document for p in mix.passages if OFFER.match(p.title or "")}) < 2:
        return
    for item in offer_questions(mix.offers, mix.theme, mix.audience)[:1]:
        mix.used.add(item.citations[0].text)
        yield item


def by_ranking(mix: Mix) -> Iterator[QuizQuestion]:
    """How large the first share of a ranking the theme's passages give is, in a passage on the theme
    (its sentences may not name it: « défaillances » for maintenance)."""
    for ranking in rankings(mix.passages):
        if ranking.shares[0].quote.text not in mix.used and _on_theme(mix)(ranking.shares[0].quote.passage.text):
            yield from _once(mix, magnitude_question(ranking, mix.theme, mix.audience))


def by_example(mix: Mix) -> Iterator[QuizQuestion]:
    """Examples to match to their aim, for the items that name the theme (« maintenance »), not
    their siblings (« stratégies d'entreprise »). Not when the aim alone names it: on the theme
    « la qualité », « améliorer la qualité de leurs produits » among aims that do not is the
    answer before the question is read (a blind rater: « teaches nothing »)."""
    on_theme = _on_theme(mix)
    for siblings in illustrated_lists(mix.passages):
        for item in siblings:
            if item.line in mix.used or not on_theme(item.line) or (
                    on_theme(item.aim) and not any(on_theme(o.aim) for o in siblings if o is not item)):
                continue
            question = example_question(item, siblings, mix.theme, mix.audience)
            if question is not None:
                mix.used.add(item.line)
                yield question


def by_principle(mix: Mix) -> Iterator[QuizQuestion]:
    """What a thing makes possible, asked openly, on the theme's passages that explain a statement."""
    for passage in mix.passages:
        for statement, how in explained(passage, _on_theme(mix)):
            if not {statement.text, how.text} & mix.used:
                yield from _once(mix, principle_question(statement, how, mix.theme, mix.audience))


def by_cause(mix: Mix) -> Iterator[QuizQuestion]:
    """Why a finding on the theme holds, in the document's words beside it; on the job market only for
    a theme about it (« cadres en qualité … recherchés » is about hiring, not about maintenance)."""
    jobs = about_jobs(focus(mix.theme))
    for item in cause_questions(mix.passages, mix.next_of, _on_theme(mix), mix.theme, jobs, mix.audience):
        yield from _once(mix, item if _unasked(mix, item) else None)


def by_means(mix: Mix) -> Iterator[QuizQuestion]:
    """By what means a use on the theme is made, as its sentence names it; then how AI answers a stake."""
    for candidate in mix.fresh(mix.candidates):
        yield from _once(mix, means_question(candidate.sentence, candidate.passage, mix.theme, mix.audience))
    for item in stake_questions(mix.passages, _on_theme(mix), mix.theme, mix.audience):
        yield from _once(mix, item if _unasked(mix, item) else None)


def _unasked(mix: Mix, item: QuizQuestion) -> bool:
    """No sentence of the item's quote (a few sentences, for a reason) is one a question already rests on."""
    return not any(sentence in item.citations[0].text for sentence in mix.used)


def _on_theme(mix: Mix) -> Callable[[str], float]:
    return mix.weights.score if mix.weights is not None else (lambda _: 1.0)


def _once(mix: Mix, item: QuizQuestion | None) -> Iterator[QuizQuestion]:
    """The question, its sentences then used: its wrong answers' too, not to be asked again."""
    if item is not None:
        mix.used.update(q.text for q in item.citations)
        mix.used.update(clean(s) for q in item.citations for s in sentences(q.text))  # a quote of two sentences
        yield item
