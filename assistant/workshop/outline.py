"""The session outline: parts chosen from the on-theme sentences, one topic each (a document, or a
page of a long one), one stage each in the order a session runs (context, rules, cases, practice),
each part searched again on its own topic. Objectives and discussion points are written from the
part's key sentences and keep them as their sources; one short model call titles the part (`titles`)."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.components.llm.base import ChatModel
from assistant.domain import Passage, Quote
from assistant.rag.citations import support
from assistant.rag.evidence import select_sentences
from assistant.workshop.items import OutlinePart
from assistant.text.normalise import lower_first, quote_in
from assistant.text.numbers import figures_in
from assistant.text.sentences import sentences
from assistant.workshop.framing import lost_context, scope, topic_of
from assistant.workshop.kinds import standalone, verdict
from assistant.workshop.offers import NOUNS, OFFER
from assistant.workshop.principle import as_said, backing, principle, with_data_source
from assistant.workshop.reading import limited, reading
from assistant.workshop.sources import Candidate, clean, companies_matter, teachable
from assistant.workshop.stages import STAGES, order, stage_of
from assistant.workshop.titles import part_title

# An objective per stage, a whole sentence of the part turned into what the trainees will know
# (« que » + the sentence); a discussion point for the public on the part's key sentence, quoted whole.
# Only a sentence that states a duty or a ban is « la règle » (`kinds.verdict`): a report's
# « les projets IA touchent de plus en plus de disciplines » is no rule, whatever its stage.
OBJECTIVE = {"règle": "Appliquer la règle selon laquelle {that_bare}", "autre": "Expliquer {that}"}
_PRACTISED = ("Pour vous, {public}, est-ce déjà le cas dans votre entreprise : « {sentence} » ? Avec quels "
              "résultats et quelles difficultés ?")
DISCUSSION = {
    # « qu'est-ce que cela change : « <a general statement> » ? » gave no hold to a debate (7 of 10
    # raters turned it down, AE and AF: « trop vague »); the practice is asked about, as for a case
    "contexte": _PRACTISED,
    # the rule quoted first, its scope then said apart: « qui est concerné par cette règle, qui vise …, et
    # que faut-il vérifier : « <40 words> » ? » was « lourd », the quote « renvoyée en fin de phrase » (S, T)
    "règles": "« {sentence} »{scope} Dans votre entreprise, qui est concerné{by_it} et que faut-il vérifier ?",
    # « Quel cas semblable avez-vous rencontré : « <a general statement> » ? »: no case to compare
    # with, « formulation incohérente » (a blind rater); the practice is asked about instead
    # the public named first, not between « Dans votre entreprise » and the question (raters S and T:
    # « apostrophe maladroite »)
    "cas": _PRACTISED,
    "pratique": "Que mettriez-vous en place, en tant que {public}, à partir de ceci : « {sentence} » ?",
}
MAX_QUOTED = 40  # words: a longer sentence is not pasted into an objective or a question

# A sentence that leans on others (« paragraphes 3 et 6 », « visées à l'article 5 »): opaque alone.
_REFERENCE = re.compile(r"\b(?:paragraphes?|articles?|chapitres?|sections?|annexes?)\s+(?:\d|[IVX]+\b)"
                        r"|\bprésent (?:article|paragraphe|chapitre)\b", re.IGNORECASE)


def whole(sentence: str, passage: str) -> bool:
    """A sentence a trainer can quote as it is: it opens the passage's sentence on a capital (not a
    list item's « de réduire leurs coûts »), ends on a full stop, reads alone, names no other
    article, is short enough to be quoted whole, and is not cut from an exception (`limited`)."""
    start = passage.find(sentence[1:]) - 1 if len(sentence) > 1 else -1
    opens_lower = start >= 0 and passage[start].islower()
    return (not opens_lower and sentence.endswith(".") and len(sentence.split()) <= MAX_QUOTED
            and standalone(sentence) and not _REFERENCE.search(sentence) and not limited(sentence, passage))


# A requirement of a job offer is a noun phrase (« Capacité à travailler dans une organisation
# matricielle. »), no clause: « Expliquer que capacité à … » is no French.
_REQUIREMENT = re.compile(rf"^{NOUNS}\b", re.IGNORECASE)


def _offer(passage: Passage) -> str:
    """« l'offre « Responsable Digital » » for a job offer's passage, else empty: the post, named so that
    one offer's requirement is not read as what every employer asks (a blind rater's objection)."""
    match = OFFER.match(passage.title or "")
    return f"l'offre « {match.group('post')} »" if match else ""


def objective(stage: str, quote: Quote, neighbours: Sequence[Passage] = (), text: str = "") -> str:
    """« Expliquer que les déployeurs informent… »: the whole sentence (or `text`, the sentence with
    its « ces … » named), as a clause."""
    sentence = text or clean(quote.text)
    rule = verdict(Candidate(sentence, quote.passage, 0, 0.0))
    clause = lower_first((sentence if rule else as_said(sentence)).rstrip(" ."))
    if _REQUIREMENT.match(sentence):
        offer = _offer(quote.passage)
        return f"Savoir ce que demande {offer} : {clause}." if offer else f"Savoir ce qui est attendu : {clause}."
    that = f"qu'{clause}" if re.match(r"[aeiouyéèêàâîôûh]", clause, re.IGNORECASE) else f"que {clause}"
    form = OBJECTIVE["règle" if rule else "autre"]  # « Mettre en pratique le fait que seules 3 % … » is no skill
    narrowed = scope(sentence, quote.passage) if rule else ""
    if narrowed:
        clause = clause.replace(narrowed.split()[0], narrowed, 1)
    context = "" if rule else lost_context(sentence, quote.passage, neighbours)
    about = topic_of(context)
    if about:  # what the heading is about, in a few words, rather than the whole heading in brackets
        that, context = f"que, s'agissant des {about}, {clause}", ""
    return form.format(that=that, that_bare=clause) + (f" (partie « {context} »)." if context else ".")


def part_count(minutes: int) -> int:
    return 2 if minutes <= 45 else 3 if minutes <= 100 else 4 if minutes <= 150 else 5


def split_minutes(minutes: int, parts: int) -> list[int]:
    """Minutes per part in steps of 5, the remainder to the first parts."""
    base = max(5, (minutes // parts) // 5 * 5)
    shares = [base] * parts
    rest = minutes - base * parts
    i = 0
    while rest >= 5:
        shares[i % parts] += 5
        rest -= 5
        i += 1
    return shares


def topic(passage: Passage) -> str:
    """One topic per document, or per page for a long paginated document (a report)."""
    return f"{passage.document}#{passage.page}" if passage.page is not None else passage.document


def seeds(pool: list[Candidate], count: int) -> list[Candidate]:
    """The best sentence of `count` topics, one stage each as far as the pool allows (context,
    rules, cases, practice), in the order a session runs. A part opens on a sentence a trainer can
    quote whole (`whole`) when its topic has one; on a thin theme whose topics run out, another side
    of the theme on a page already used (« la maintenance » beside « la qualité »); then a topic
    whose sentences are all long or lean on other articles (the part quotes its passages' whole
    sentences instead), rather than fewer parts."""
    by_stage: dict[str, list[Candidate]] = {}
    # A duty or a ban first: a part on the regulation opens on what companies must do, not on
    # « Les rapports peuvent être agrégés… » (the sort is stable: a report's sentences keep their order).
    for candidate in sorted(pool, key=lambda c: not verdict(c)):
        by_stage.setdefault(stage_of(candidate.sentence, candidate.passage.heading), []).append(candidate)
    stages = sorted(by_stage, key=lambda s: -by_stage[s][0].score)[:count]
    chosen: list[Candidate] = []
    covered: dict[str, set[str]] = {}  # per topic, the sides of the theme its parts name

    def quotable(c: Candidate) -> bool:
        return whole(c.sentence, reading(c.passage))

    def new_topic(c: Candidate) -> bool:
        return topic(c.passage) not in covered

    def new_side(c: Candidate) -> bool:
        return bool(c.facet - covered.get(topic(c.passage), set()))

    passes = (lambda c: quotable(c) and new_topic(c), lambda c: quotable(c) and new_side(c), new_topic)
    for fits in passes:
        for stage in [*stages, *STAGES, *STAGES]:  # then a second topic of a stage, if parts are left
            if len(chosen) >= count:
                break
            fresh = next((c for c in by_stage.get(stage, []) if fits(c)), None)
            if fresh is not None:
                covered.setdefault(topic(fresh.passage), set()).update(fresh.facet)
                chosen.append(fresh)
    return sorted(chosen, key=lambda c: order(stage_of(c.sentence, c.passage.heading)))


def key_sentences(seed: Candidate, cited: list[Passage], theme: str) -> list[Quote]:
    """The seed sentence, then the best sentence of each other passage of the part."""
    quotes = [Quote(seed.passage, seed.sentence)]
    for passage in cited[1:]:
        best = _best_quote(passage, f"{theme} {seed.sentence}")
        if best and quote_in(best, passage.text) and all(best != q.text for q in quotes):
            quotes.append(Quote(passage, best))
    return quotes


def teachable_quotes(quotes: list[Quote], cited: list[Passage]) -> list[Quote]:
    """The key sentences a trainer can quote whole (`whole`), then, when none is, the whole
    sentences of the part's passages that share words with the first key sentence, closest first
    (a job ad's « Capacité à travailler dans une organisation complexe » under a heading on AI
    skills for quality and maintenance was taught as an AI skill: a blind rater's objection), then
    the key sentences that read alone though long or naming another article (« … amendes … visées
    à l'article 5 … 35 000 000 EUR »): a part with no objective says nothing."""
    fit = [q for q in quotes if whole(clean(q.text), reading(q.passage))]
    if fit:
        return fit
    about = quotes[0].text if quotes else ""
    near = [(support(line, about), Quote(p, line)) for p in cited for raw in p.text.split("\n")
            for line in sentences(raw) if whole(clean(line), reading(p)) and teachable(clean(line))]
    # a heading (no full stop) is no statement: « Expliquer que des compétences … recherchées … » is no French
    return [q for share, q in sorted(near, key=lambda n: -n[0]) if share > 0 or not about] or \
        [q for q in quotes if teachable(clean(q.text)) and clean(q.text).endswith(".")]


def write(llm: ChatModel | None, seed: Candidate, cited: list[Passage], theme: str, audience: str,
          minutes: int, next_of: Callable[[Passage], Passage | None] = lambda _: None) -> OutlinePart:
    """Objectives written from the part's key sentences, for its stage; a discussion point for the
    public on its key sentence; the title by one short model call on those sentences, kept when the
    passages back it. The model writes no discussion point: a blind rater kept 1 of the 13 it wrote
    (generic, or misreading the passage), and each cost seconds of decoding. `next_of`: the passage
    after a passage in its document, where the explanation or the figure of a statement may stand."""
    stage = stage_of(seed.sentence, seed.passage.heading)
    quotes = key_sentences(seed, cited, theme)
    stated = teachable_quotes(quotes, cited)[:2]
    # a general statement is taught by the sentence that says how (`principle`), when its passage has one
    taught = list({q.text: q for q in (principle(q, next_of(q.passage)) or q for q in stated)}.values())
    passages = "\n".join(p.text for p in cited)
    said = "\n".join(f"- {clean(q.text)}" for q in (stated or quotes[:1]))  # the title names what is stated
    title = part_title(llm, said, seed, passages, stage)
    sources: dict[str, Quote] = {}
    # a lone finding is taught by the share that backs it a few passages on, which says it with its
    # figures: beside it, raters AI and AJ turned the finding down as « sans rien ajouter »
    figure = backing(taught[0], next_of, lost_context(clean(taught[0].text), taught[0].passage, cited)) \
        if len(taught) == 1 else None
    # an explanation keeps where the data it analyses come from (`with_data_source`)
    for quote, named_text in [figure] if figure else [with_data_source(q) or (q, "") for q in taught]:
        sources[objective(stage, quote, cited, named_text)] = quote
    objectives = list(sources)
    # the key sentence quoted whole, never cut, nor one that points to another article: « … visées
    # à l'article 5 … » gives the public nothing to discuss (blind rater F)
    points = [q for q in teachable_quotes(quotes[:1], cited) if whole(clean(q.text), reading(q.passage))][:1]
    for quote in points:
        sources[discussion(stage, quote, audience, cited)] = quote
    if not points and taught and unquoted(taught[0]):  # a long rule or fine: asked about, not pasted
        sources[unquoted(taught[0])] = taught[0]
    discussion_points = [line for line in sources if line not in objectives]
    lines = [title, *sources]
    score = sum(support(line, passages) for line in lines) / len(lines)
    return OutlinePart(text=title, minutes=minutes, objectives=objectives, discussion=discussion_points,
                       citations=_sources(seed, cited, theme), theme=theme, audience=audience,
                       support=round(score, 3), stage=stage, line_sources=sources)


def discussion(stage: str, quote: Quote, audience: str, neighbours: Sequence[Passage] = ()) -> str:
    """The stage's question to the public on a sentence, quoted whole; « cette règle » only for a
    sentence that states a duty or a ban (a report's finding under « conformité » is no rule)."""
    sentence = clean(quote.text)
    if _REQUIREMENT.match(sentence):  # « que mettriez-vous en place » on a requirement leads nowhere (rater E)
        offer = _offer(quote.passage)
        asked = f" de {offer}" if offer else ""
        return (f"Qui, dans vos équipes, répond déjà à cette attente{asked} : « {sentence} » ? "
                "Comment y préparer les autres ?")
    rule = verdict(Candidate(sentence, quote.passage, 0, 0.0))
    if not rule and (stage == "pratique" or figures_in(sentence)):
        # « Que mettriez-vous en place … à partir de ceci : « Seules 3 % des offres … » » asks a
        # finding for a plan: a blind rater found it « mal ciblé »; a finding is compared with what one
        # observes (« ce constat vaut-il dans votre entreprise ? »: AE and AJ, a sector's share is not
        # checked in one company; « qu'en attendez-vous » was « flou »)
        context = lost_context(sentence, quote.passage, neighbours)
        topic = topic_of(context)
        about = f" sur les {topic}" if topic else ""
        where = "" if topic or not context else f" (partie « {context} »)"
        public = audience or "les participants"
        return (f"Pour vous, {public}, qu'observez-vous dans votre entreprise au regard de ce constat{about} : "
                f"« {sentence} »{where} ? Qu'est-ce qui l'explique ?")
    form = DISCUSSION["règles" if rule else "contexte" if stage == "règles" else stage]
    narrowed = scope(sentence, quote.passage) if rule else ""
    return form.format(public=audience or "les participants", sentence=sentence,
                       scope=f" Cette règle vise les {narrowed}." if narrowed else "",
                       by_it="" if narrowed else " par cette règle")


# A part on a regulation's fines (article 99's sentences run to 60 words and name other articles)
# had no discussion point at all: its question names what the sentence is about, the sentence is
# its source.
_FINED = re.compile(r"^(.{10,160}?)\s+fait l['’]objet d['’](?:une )?amendes?\b")


def unquoted(quote: Quote) -> str:
    """A discussion point on a sentence too long to paste (a fine, a rule), else empty."""
    sentence = clean(quote.text)
    fined = _FINED.match(sentence)
    if fined:  # « ces amendes » alone read as if any use were fined (a blind rater): what is fined, named
        fined_use = lower_first(fined.group(1))
        return (f"Quels usages de l'IA dans votre entreprise pourraient constituer « {fined_use} », "
                "passible d'amende ? Qui doit y veiller ?")
    if verdict(Candidate(sentence, quote.passage, 0, 0.0)):
        aimed = _aimed(sentence, quote.passage)
        return f"Dans votre entreprise, qui est concerné par cette règle{aimed} et que faut-il vérifier ?"
    return ""


def _aimed(sentence: str, passage: Passage) -> str:
    """« , qui vise les déployeurs de systèmes d'IA à haut risque, » when the heading narrows the rule."""
    narrowed = scope(sentence, passage)
    return f", qui vise les {narrowed}," if narrowed else ""


def _sources(seed: Candidate, cited: list[Passage], theme: str) -> list[Quote]:
    """The sentence the part opens on, then the best sentence of each other passage: the seed's
    passage's best sentence for the whole theme may be about something else (a blind rater got a
    recruitment quote under a part on quality control)."""
    return [Quote(seed.passage, seed.sentence), *(Quote(p, _best_quote(p, theme)) for p in cited[1:])]


def _best_quote(passage: Passage, theme: str) -> str:
    """The passage's sentence nearest the theme that a company's managers act on: not police uses
    nor what states and EU bodies do (`sources.companies_matter`), unless the passage has no other."""
    kept = "\n".join(" ".join(s for s in sentences(line) if companies_matter(s))
                     for line in passage.text.split("\n"))
    return select_sentences(theme, kept if kept.strip() else passage.text, 1, 60).rstrip(" …")
