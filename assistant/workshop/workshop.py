"""The trainer's workspace: key figures, quiz and outline for a theme, an audience and a length,
built from retrieval in small model calls (one per item), each item cited and checked."""
from __future__ import annotations

import time
from dataclasses import dataclass, replace

from assistant.components.llm.base import ChatModel
from assistant.domain import Passage, Progress, Quote, no_progress
from assistant.errors import AssistantError
from assistant.services.assistant import Assistant
from assistant.workshop import figures as figure_sheet
from assistant.workshop import outline as session_outline
from assistant.workshop.items import Item, KeyFigure, OutlinePart, QuizQuestion, TrainingSession, shortfall
from assistant.workshop.bans import banned_uses
from assistant.workshop.terms import Definition, definitions
from assistant.workshop.caveats import (banned_practices, rare_terms, small_companies, with_definitions,
                                        with_practices, with_small_companies)
from assistant.workshop.mix import KINDS, Mix, compose
from assistant.workshop.offers import Offer, job_offers
from assistant.workshop.pool import Pool
from assistant.workshop.reading import NEXT
from assistant.workshop.sources import (Candidate, candidates, colophon_pages, for_companies, gather, keep_on_topic,
                                        publisher_matter, rescale, wide)
from assistant.workshop.theme import focus, theme_weights

MIN_ON_THEME = 0.3  # below, a sentence of the theme's passages is about something else (`sources.theme_score`)


class WorkshopError(AssistantError):
    """Nothing to build from (theme absent from the documents, nothing left to regenerate)."""


@dataclass
class Rejection:
    """A draft the checks turned down, kept for the report and the tests."""
    kind: str
    sentence: str
    reason: str


def _offset(progress: Progress, done: int, total: int) -> Progress:
    return lambda message, step, _: progress(message, done + step, total)


class Workshop:
    """`Workshop(assistant).prepare(theme, audience, minutes)`, or each artifact on its own.

    label_figures: let the model phrase each key figure (one short call each); by default the
    figure's own clause from the passage is used, which costs no model time.
    max_quiz_attempts: model calls per quiz at most (fewer after three drafts turned down in a
    row): some 12 s each on one loaded core, and a blind rater kept few of the questions the model
    wrote (the wording's questions come first)."""

    def __init__(self, assistant: Assistant, model: str | None = None, label_figures: bool = False,
                 max_quiz_attempts: int = 6, llm: ChatModel | None = None,
                 groups: list[str] | None = None) -> None:
        self.assistant = assistant
        self.groups = groups  # the trainer's access groups: their documents and the public ones
        self.model = model
        self._llm = llm  # a given model (tests, a server), else the assistant's
        self.label_figures = label_figures
        self.max_quiz_attempts = max_quiz_attempts
        self.rejections: list[Rejection] = []
        self._pools: dict[tuple[str, str], Pool] = {}
        self._following: dict[str, Passage] | None = None  # passage id -> the next passage of its document
        self._colophons: set[tuple[str, int | None]] | None = None  # pages of a legal notice (`_taught`)
        self._small: dict[str, Quote] | None = None  # document -> its rule for SMEs (`caveats`)
        self._banned: dict[str, tuple[str, Quote]] | None = None  # article -> a use it bans (`caveats`)
        self._rare: list[Definition] | None = None  # the defined terms few documents use (`caveats`)
        self._offers: list[Offer] | None = None  # the documents' job offers (`offers`)

    def llm(self) -> ChatModel:
        return self._llm or self.assistant.llm(self.model)

    def pool(self, theme: str, audience: str = "") -> Pool:
        """Retrieval for a theme, once: regenerating an item draws on the same passages."""
        key = (" ".join(theme.split()), " ".join(audience.split()))
        if key not in self._pools:
            if not self.assistant.documents():
                raise WorkshopError("Aucun document indexé : ajoutez des documents avant de préparer une session.")
            passages, relevant = gather(self.assistant, key[0], key[1], groups=self.groups)
            passages = self.followed(self._taught(passages))
            if not relevant or not passages:
                raise WorkshopError(f"Les documents ne traitent pas du thème « {key[0]} » : "
                                    "essayez un thème plus proche de leur contenu.")
            words = focus(key[0])
            ids = {p.id for p in passages}
            far = self.followed(self._taught([p for p in wide(self.assistant, key[0], groups=self.groups)
                                              if p.id not in ids]))
            weights = theme_weights(key[0], passages + far, key[1])
            near = candidates(words, passages, weights=weights, best=1.0)  # raw scores, then
            further = candidates(words, far, weights=weights, best=1.0)   # relative to the theme's own best
            best = max((c.on_theme for c in near), default=1.0)
            scaled = rescale(near, best)
            spare = [c for c in scaled if c.on_theme < MIN_ON_THEME]
            near = [c for c in scaled if c.on_theme >= MIN_ON_THEME]
            further = [c for c in rescale(further, best) if c.on_theme >= MIN_ON_THEME]
            # A key-figures sheet holds figures on the theme; a fill-in question may go wider.
            near, further = (for_companies(keep_on_topic(pool, key[0])) for pool in (near, further))
            both = sorted(near + further, key=lambda c: -c.score)
            self._pools[key] = Pool(passages, near, both, spare, weights=weights,
                                    cases=banned_uses(passages + far, weights), glossary=definitions(passages + far),
                                    offers=self._offers or [])
        return self._pools[key]

    # --- key figures -------------------------------------------------------------------------
    def key_figures(self, theme: str, audience: str = "", count: int = 8,
                    progress: Progress = no_progress, exclude: set[tuple[str, str]] | None = None
                    ) -> list[KeyFigure]:
        """Figures found in the passages, each verified in its cited passage; flagged ones dropped."""
        pool = self.pool(theme, audience)
        # a figure beside the theme (« 2 % des entreprises » on a page about skills) is not its figure
        named = [c for c in pool.figure_candidates if c.named]
        picked = figure_sheet.pick(named, count, exclude or set())
        llm = self.llm() if self.label_figures else None
        items = []
        for done, (candidate, figure) in enumerate(picked, start=1):
            progress(f"Chiffre clé {done}/{len(picked)}", done, len(picked))
            item = figure_sheet.build(candidate, figure, theme, audience, llm, pool.weights,
                                      self._next().get(candidate.passage.id))
            if item.verified:
                items.append(item)
            else:
                self.rejections.append(Rejection("chiffre", candidate.sentence, item.note))
        return items

    # --- quiz --------------------------------------------------------------------------------
    def quiz(self, theme: str, n: int = 8, audience: str = "", progress: Progress = no_progress,
             exclude: set[str] | None = None, kinds: tuple[str, ...] = KINDS,
             held: set[str] | None = None) -> list[QuizQuestion]:
        """Up to n checked questions of several kinds (`workshop.mix`), each on its own on-theme
        sentence, none of the sentences in `exclude`, those in `held` only when the others run out."""
        pool = self.pool(theme, audience)
        mix = Mix(self.llm(), theme, audience, pool.candidates, pool.figure_candidates, pool.passages,
                  lambda kind, sentence, reason: self.rejections.append(Rejection(kind, sentence, reason)),
                  used=set(exclude or ()), held=set(held or ()) - set(exclude or ()), tried=pool.tried,
                  max_attempts=self.max_quiz_attempts, weights=pool.weights, cases=pool.cases,
                  glossary=pool.glossary, offers=pool.offers, next_of=lambda p: self._next().get(p.id))
        items = compose(mix, n, kinds, progress)
        progress(f"Quiz : {len(items)} questions", n, n)
        return items

    # --- outline -----------------------------------------------------------------------------
    def outline(self, theme: str, audience: str = "", minutes: int = 90,
                progress: Progress = no_progress) -> list[OutlinePart]:
        """Parts on distinct topics of the passages, each searched again on its own topic."""
        return self._outline(theme, audience, minutes, session_outline.part_count(minutes), progress, set())

    def _outline(self, theme: str, audience: str, minutes: int, count: int, progress: Progress,
                 exclude_topics: set[str], pool: list[Candidate] | None = None,
                 avoid: frozenset[str] = frozenset()) -> list[OutlinePart]:
        on_theme = self.pool(theme, audience).figure_candidates
        fresh = [c for c in (on_theme if pool is None else pool)
                 if session_outline.topic(c.passage) not in exclude_topics]
        # a part opens on a sentence that names the theme itself: fewer parts rather than one on
        # what merely stands beside it (a blind rater put those off the theme)
        fresh = [c for c in fresh if c.named] or fresh
        seeds = session_outline.seeds(fresh, count)
        shares = session_outline.split_minutes(minutes, max(len(seeds), 1))
        llm = self.llm()
        parts: list[OutlinePart] = []
        # A part's other passages are never another part's own: each part says its own thing.
        used = {seed.passage.id for seed in seeds} | avoid
        for i, (seed, share) in enumerate(zip(seeds, shares), start=1):
            progress(f"Partie {i}/{len(seeds)} du déroulé", i - 1, len(seeds))
            cited = self._part_passages(seed, theme, used, {c.passage.id for c in on_theme})
            used.update(p.id for p in cited)
            part = session_outline.write(llm, seed, cited, theme, audience, share, lambda p: self._next().get(p.id))
            part = with_practices(with_small_companies(part, self._small or {}), self._banned or {})
            parts.append(with_definitions(part, self._rare or []))
        progress("Déroulé prêt", len(seeds), len(seeds))
        return parts

    def _another_part(self, item: OutlinePart, siblings: list[OutlinePart], theme: str,
                      audience: str) -> list[OutlinePart]:
        """A part on a topic no part covers yet; on a small corpus where every on-theme topic is
        taken, the same topic told from a sentence no part rests on yet (better another angle than
        nothing); then the theme's passages below the on-theme bar."""
        others = {session_outline.topic(p.citations[0].passage) for p in siblings if p is not item and p.citations}
        mine = {session_outline.topic(q.passage) for q in item.citations[:1]}
        said = {q.text for p in siblings for q in [*p.citations, *p.line_sources.values()]}
        avoid = frozenset(p.citations[0].passage.id for p in siblings if p is not item and p.citations)
        pool = self.pool(theme, audience)
        unsaid = [c for c in pool.figure_candidates + pool.spare if c.sentence not in said]
        for candidates_, taken in ((pool.figure_candidates, others | mine), (unsaid, others)):
            new = self._outline(theme, audience, item.minutes, 1, no_progress, taken, candidates_, avoid)
            if new:
                return new
        return []

    def _part_passages(self, seed: Candidate, theme: str, used: set[str], on_theme: set[str],
                       extra: int = 2) -> list[Passage]:
        """The seed's passage, the section a heading seed opens when the chunker cut right after it
        (its sentences are what the part teaches: without them a blind rater got a job ad's soft
        skill under « compétences en IA »), and the best on-theme passages of a search on the part's
        own topic."""
        section = self._section(seed)
        retrieval = self.assistant.retriever.retrieve(f"{theme}. {seed.sentence}", 6, self.groups,
                                                     by_sentence=False)
        others = [found.passage for found in retrieval.passages if found.passage.id in on_theme
                  and found.passage.id not in {seed.passage.id, *(p.id for p in section)} and found.passage.id not in used]
        return [seed.passage, *self.followed(section + others[:extra - len(section)])]

    def _section(self, seed: Candidate) -> list[Passage]:
        """The next passage, when the seed is a heading (no full stop) closing its passage."""
        heading = not seed.sentence.rstrip().endswith((".", "!", "?", "…"))
        closes = " ".join(seed.passage.text.split()).endswith(" ".join(seed.sentence.split())[-30:])
        following = self._next().get(seed.passage.id)
        return [following] if heading and closes and following is not None else []

    def _taught(self, passages: list[Passage]) -> list[Passage]:
        """The passages without the publisher's pages (`sources.publisher_matter`)."""
        if self._colophons is None:
            self._read_all()
        return [p for p in passages if not publisher_matter(p, self._colophons or set())]

    def _next(self) -> dict[str, Passage]:
        if self._following is None:
            self._read_all()
        return self._following or {}

    def _read_all(self) -> None:
        """One read of every passage of the store, for the next passage of each in its document, the
        pages of a legal notice, the job offers, and what a fine or a rule needs beside it (`caveats`)."""
        every = self.assistant.store.all_passages()
        self._colophons = colophon_pages(every)
        self._small, self._banned, self._rare = small_companies(every), banned_practices(every), rare_terms(every)
        self._offers = job_offers(every)
        by_document: dict[str, list[Passage]] = {}
        for passage in every:
            by_document.setdefault(passage.document, []).append(passage)
        self._following = {}
        for parts in by_document.values():
            parts.sort(key=lambda p: p.position)
            self._following.update({a.id: b for a, b in zip(parts, parts[1:])})

    def followed(self, passages: list[Passage]) -> list[Passage]:
        """The passages, each told the opening of the one after it in its document (`reading.NEXT`):
        a rule is never taught without the exception the chunker put in the next passage."""
        following = self._next()
        return [replace(p, extra={**p.extra, NEXT: following[p.id].text[:400] if p.id in following else ""})
                for p in passages]

    # --- the whole session -------------------------------------------------------------------
    def prepare(self, theme: str, audience: str = "", minutes: int = 90, figures: int = 8,
                questions: int = 8, progress: Progress = no_progress) -> TrainingSession:
        """Sheet, quiz and outline, with the time each took (seconds)."""
        parts = session_outline.part_count(minutes)
        total = 1 + figures + questions + parts
        session = TrainingSession(theme, audience, minutes)
        start = time.perf_counter()
        progress("Recherche des passages du thème", 0, total)
        self.pool(theme, audience)
        session.timings["search_s"] = time.perf_counter() - start
        start = time.perf_counter()
        session.figures = self.key_figures(theme, audience, figures, _offset(progress, 1, total))
        session.timings["figures_s"] = time.perf_counter() - start
        start = time.perf_counter()
        # a question on a key figure's sentence would ask what the sheet just said: the last resort
        shown = {quote.text for figure in session.figures for quote in figure.citations}
        session.quiz = self.quiz(theme, questions, audience, _offset(progress, 1 + figures, total), held=shown)
        session.timings["quiz_s"] = time.perf_counter() - start
        start = time.perf_counter()
        session.outline = self.outline(theme, audience, minutes, _offset(progress, 1 + figures + questions, total))
        session.timings["outline_s"] = time.perf_counter() - start
        session.notes = [n for n in (shortfall("figures", len(session.figures), figures),
                                     shortfall("quiz", len(session.quiz), questions),
                                     shortfall("outline", len(session.outline), parts)) if n]
        progress("Session prête", total, total)
        return session

    # --- one item again ----------------------------------------------------------------------
    def regenerate(self, item: Item, session: TrainingSession | None = None) -> Item:
        """Another item of the same kind, from passages not yet used (by the session, if given);
        it replaces the old one in the session, at the same place."""
        theme, audience = (session.theme, session.audience) if session else (item.theme, item.audience)
        if isinstance(item, KeyFigure):
            siblings = session.figures if session else [item]
            taken = {(q.passage.id, f.figure) for f in siblings for q in f.citations}
            new = self.key_figures(theme, audience, 1, exclude=taken)
        elif isinstance(item, QuizQuestion):
            siblings = session.quiz if session else [item]
            taken = {quote.text for q in siblings for quote in q.citations} | self.pool(theme, audience).tried
            # The same kind first, to keep the quiz's mix; any kind when that one has nothing left.
            new = self.quiz(theme, 1, audience, exclude=taken, kinds=(item.kind,)) or \
                self.quiz(theme, 1, audience, exclude=taken)
        else:
            siblings = session.outline if session else [item]
            new = self._another_part(item, siblings, theme, audience)
        if not new:
            raise WorkshopError("Aucun autre passage des documents ne permet de refaire cet élément.")
        if session is not None:
            siblings[siblings.index(item)] = new[0]
        return new[0]

