"""A quiz of several kinds, taken in turn (who bears a rule, situation, term, job offer, why a finding holds,
by what means a use is made, an open question on what a use makes possible, a share's size, statement,
example, comprehension, figure) so that no kind makes more than half of it, each question on its own sentence.
The kinds that need the model share one attempt budget; the others cost no model call."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from assistant.domain import Passage
from assistant.rag.citations import support
from assistant.text.sentences import word_count
from assistant.workshop import figures as figure_sheet
from assistant.workshop import kinds, terms
from assistant.workshop import quiz as quiz_maker
from assistant.workshop import wording
from assistant.workshop.bans import ban_question
from assistant.workshop.items import CAUSE, MEANS, OPEN, QuizQuestion
from assistant.workshop.pool import Mix
from assistant.workshop.roles import borne, role_question
from assistant.workshop.sources import MAX_WORDS, backed_by

ALL_KINDS = ("rôle", "situation", "terme", "offre", CAUSE, MEANS, OPEN, "ordre de grandeur", "affirmation", "exemple",
             "compréhension", "chiffre")
# A fill-in figure (« Complétez : … …… ») and « which statement » with one word turned are made only
# when asked for: two blind raters turned down all four fill-in questions (« mémorisation d'un
# chiffre ») and both statement questions (« repérer un mot changé ») of the last two benchmarks. So is
# a share's size (« près d'un tiers »): raters AC and AD, « un chiffre habillé en fraction », as five of
# seven had the same share asked as what comes first (« l'informatique se devine »).
# One of them when no other question can be made: a quiz left empty gives the trainer nothing to edit.
# So is which aim a list's examples illustrate: 27 of its 28 ratings since rater L turned it down
# (« le classement d'une liste de l'étude », « se devine »), asking for the mechanism instead; and the
# open question on that mechanism, tried first in its place: AG and AH turned both of theirs down (« la
# réponse se devine » from the statement quoted). It comes first of the last resorts: true, sourced, and
# no option to see through.
# Why a finding holds and by what means (`reasons`): what raters asked for on maintenance and skills, where
# every closed question was turned down; answered in words, the answer is not in the question.
KINDS = ("rôle", "situation", "terme", "offre", CAUSE, MEANS, "compréhension")
LAST_RESORT = (OPEN, "ordre de grandeur", "affirmation", "exemple", "chiffre")
SAME_VERDICT = 2  # situations with one answer (« Oui »): more, and trainees answer without reading
MODEL_TRIES = 3  # model calls per question the documents' wording could not make (8 s each on one core)
SHARE = {"terme": 4, "exemple": 4}  # at most n // 4 of these: they share their wrong answers (the other
# definitions, the list's other aims)


def _roles(mix: Mix) -> Iterator[QuizQuestion]:
    """« Qui doit … ? » on a rule written « Les <actors> <verb> … »: asked before the situations,
    which would otherwise take the same rule as « doivent-ils … ? » (« la réponse se devine »)."""
    found = mix.glossary or terms.definitions(mix.passages)
    for candidate in mix.fresh(mix.candidates):
        item = role_question(candidate, found, mix.theme, mix.audience)
        if item is not None:
            mix.used.add(candidate.sentence)
            yield item


def _situations(mix: Mix) -> Iterator[QuizQuestion]:
    rules = mix.cases + [  # a banned use is a case: asked first
        c for c in mix.candidates
        if kinds.standalone(c.sentence) and kinds.verdict(c) and not kinds.obvious(c.sentence)
        and not borne(c.sentence)]
    for candidate in mix.fresh(rules):
        if candidate.sentence in mix.tried:
            continue
        item, reason = (kinds.rule_question(candidate, mix.theme, mix.audience)
                        or ban_question(candidate, mix.theme, mix.audience)), ""  # no model call
        if item is None:
            if not candidate.named:
                continue  # the model drafts only from sentences that name the theme (`_comprehension`)
            if mix.verdicts[kinds.verdict(candidate)] >= SAME_VERDICT or not mix.model_turn():
                continue  # a call whose situation would be turned down for its answer anyway
            item, reason = kinds.situation_question(mix.llm, candidate, mix.theme, mix.audience)
            mix.drafted(item)
        mix.tried.add(candidate.sentence)
        if item is not None and any(support(item.text, asked) > 0.8 for asked in mix.asked):
            item, reason = None, "même situation qu'une question déjà posée"
        if item is not None and mix.verdicts[item.right_answer] >= SAME_VERDICT:
            item, reason = None, f"déjà {SAME_VERDICT} situations de réponse « {item.right_answer} »"
        if item is None:
            mix.reject("situation", candidate.sentence, reason)
            continue
        mix.used.add(candidate.sentence)
        mix.asked.append(item.text)
        mix.verdicts[item.right_answer] += 1
        yield item


def _statements(mix: Mix) -> Iterator[QuizQuestion]:
    for candidate in mix.fresh(mix.candidates):
        if candidate.sentence in mix.used:
            continue
        item = kinds.statement_question(candidate, mix.figure_candidates, mix.passages, mix.theme, mix.audience,
                                        mix.used)
        if item is not None:
            mix.used.add(candidate.sentence)
            yield item


def _comprehension(mix: Mix) -> Iterator[QuizQuestion]:
    # the model drafts only from a sentence that names the theme: blind raters put its questions on
    # sentences that do not off theme (« les disciplines des projets d'IA » on the maintenance theme,
    # « quelle branche de l'industrie » on the skills one)
    named = [c for c in mix.candidates if c.named]
    for candidate in mix.fresh(named):
        if candidate.sentence in mix.tried or not mix.model_turn():
            continue
        mix.tried.add(candidate.sentence)
        item, reason, draft = quiz_maker.build(mix.llm, candidate, mix.theme, mix.audience, mix.bank)
        mix.drafted(item)
        if draft is not None and backed_by(draft.answer, candidate.sentence):
            # its answer and its wrong answers: plausible options on the theme for the next
            # questions, whose own wrong answers the checks often turn down (a small bank leaves
            # most drafts short of three: 7 of 8 on the maintenance theme)
            mix.bank.extend([draft.answer, *draft.wrong])
        if item is None or candidate.sentence in mix.used:
            mix.reject("quiz", candidate.sentence, reason or "phrase déjà utilisée")
            continue
        mix.used.add(candidate.sentence)
        yield item


def _figures(mix: Mix) -> Iterator[QuizQuestion]:
    # a figure of a sentence that names the theme, like the key figures: a rater put « les entreprises de
    # la branche Métallurgie représentent …… des offres » off « les compétences recherchées »
    named = [c for c in mix.figure_candidates if c.named]
    for candidate, figure in figure_sheet.pick(list(mix.fresh(named)), 40, per_passage=1):
        if candidate.sentence in mix.used or not figure_sheet.matters(figure) or \
                word_count(candidate.sentence) > MAX_WORDS:
            continue  # a sentence too long to read with a blank in it (a key figure shows its clause)
        item = quiz_maker.cloze(candidate, figure, mix.theme, mix.audience, _around(mix, candidate.passage))
        if item is not None:
            mix.used.add(candidate.sentence)
            yield item


def _around(mix: Mix, passage: Passage) -> str:
    """The text of the passage's page (its article, for a law) the theme drew on: the passages and
    the sentences with figures, near or further from the theme."""
    here = (passage.document, passage.page)
    return "\n".join([p.text for p in mix.passages if (p.document, p.page) == here] +
                     [c.sentence for c in mix.figure_candidates if (c.passage.document, c.passage.page) == here])


MAKERS = {"rôle": _roles, "situation": _situations, "terme": wording.by_term, "offre": wording.by_offer,
          CAUSE: wording.by_cause, MEANS: wording.by_means,
          "ordre de grandeur": wording.by_ranking, "affirmation": _statements,
          "exemple": wording.by_example, OPEN: wording.by_principle, "compréhension": _comprehension,
          "chiffre": _figures}


def compose(mix: Mix, n: int, only: tuple[str, ...] = KINDS,
            progress: Callable[[str, int, int], None] = lambda *_: None) -> list[QuizQuestion]:
    """Up to n questions, the kinds in turn, none above half of the quiz (one when n < 2) unless
    a single kind is asked for (regenerating one question keeps its kind); by default, of `KINDS`,
    else one question of `LAST_RESORT`. The questions built
    from the documents' wording come first, then those on the held-back sentences (the key
    figures'); the model (seconds a call, often turned down) only fills the rest."""
    cap = n if len(only) == 1 else max(1, n // 2)
    counts: Counter[str] = Counter()
    budget, mix.max_attempts = mix.max_attempts, 0
    mix.used |= mix.held
    out = _in_turn(mix, n, only, cap, counts, [], progress)
    if len(out) < n and mix.held:  # the wording of held-back sentences rather than the model
        mix.used -= mix.held
        out = _in_turn(mix, n, only, cap, counts, out, progress)
        mix.used |= mix.held
    mix.max_attempts = min(budget, MODEL_TRIES * (n - len(out)))  # a few tries for each question missing
    if len(out) < n:
        out = _in_turn(mix, n, only, cap, counts, out, progress)
    if not out and only == KINDS:
        return compose(mix, 1, LAST_RESORT, progress)
    return out if len(only) == 1 else _balanced(out)


def _in_turn(mix: Mix, n: int, only: tuple[str, ...], cap: int, counts: Counter[str], out: list[QuizQuestion],
             progress: Callable[[str, int, int], None]) -> list[QuizQuestion]:
    makers = {kind: MAKERS[kind](mix) for kind in ALL_KINDS if kind in only}
    while makers and len(out) < n:
        for kind in list(makers):
            if len(out) >= n:
                break
            progress(f"Question {len(out) + 1}/{n} ({kind})", len(out), n)
            limit = cap if len(only) == 1 else max(1, min(cap, n // SHARE.get(kind, 2)))
            item = next(makers[kind], None) if counts[kind] < limit else None
            if item is None:
                del makers[kind]
                continue
            counts[kind] += 1
            out.append(item)
    return out


def _balanced(quiz: list[QuizQuestion]) -> list[QuizQuestion]:
    """A quiz short of questions may have one kind above half of it: its last ones are left out
    (fewer questions rather than one kind of question)."""
    while len(quiz) > 2:
        kind, count = Counter(q.kind for q in quiz).most_common(1)[0]
        if count <= len(quiz) // 2:
            break
        quiz = [q for i, q in enumerate(quiz) if not (q.kind == kind and i == max(
            j for j, other in enumerate(quiz) if other.kind == kind))]
    return quiz
