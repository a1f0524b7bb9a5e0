"""Why, and by what means, asked openly on what the documents explain: « D'après « <document> », la
qualité a une dimension très importante dans les entreprises industrielles. Pour quelle raison, et comment
l'intelligence artificielle y répond-elle ? », answered by the reason the document gives with it (« Les
produits étant souvent fabriqués en grandes séries, le rappel de produits peut représenter un coût
important … ») and the sentences up to what AI « permet »; « Les entreprises ont renforcé et automatisé les
contrôles qualité. Grâce à quoi ? » by the means it names; « … la maintenance … est un enjeu important …
Comment l'intelligence artificielle y répond-elle ? » by what the document says it does. Every closed
question tried on maintenance and on the skills sought was turned down by blind raters (options that give
the answer away, or are true as well); they asked for the reason and the prerequisites instead (AG, AH:
why quality weighs so much, product recalls; AJ: the IoT data and machine learning), which the question
does not say and a trainer can correct."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from assistant.domain import Passage, Quote
from assistant.text.normalise import lower_first, quote_in
from assistant.text.sentences import sentences, word_count
from assistant.workshop.framing import names_ai
from assistant.workshop.items import CAUSE, MEANS, QuizQuestion
from assistant.workshop.principle import REACH, as_said, maker
from assistant.workshop.sources import about_jobs, clean, companies_matter, standalone
from assistant.workshop.stages import stage_of

# A reason said in the same sentence, as an absolute clause closing it: « …, les produits étant
# souvent fabriqués en grandes séries. »
_ABSOLUTE = re.compile(r",\s+(?P<reason>(?:les|le|la|l['’]|leurs?|ses|son|sa)\s*[^,;:]{2,80}?\s+étant\s+[^,;:]+)\.$")
# A reason said by the next sentence: « Ce sont des activités pour lesquelles … », « Cela s'explique
# par … ». Not a cleft (« Ce sont les cadres en qualité … qui … »): that is the finding itself.
_REASON_NEXT = re.compile(r"^(?:ce sont des|c['’]est une?)\s+\w+\s+(?:pour|dans|sur)\s+lesquel|"
                          r"^(?:ce sont des|c['’]est une?)\s+\w+\s+où\b|^cela s['’]explique\b", re.IGNORECASE)
# The consequence the next sentence draws (« Le rappel de produits peut ainsi représenter … »).
# Inside the sentence only: an opening « Ainsi, » as often gives an example (« Ainsi, les chercheurs … »).
_THUS = re.compile(r"(?<=\w)\s+ainsi\b,?\s*")
# Asides linking to the sentence before, which a question read alone does without.
_ASIDE = re.compile(r"\s+(?:par ailleurs|en outre|de plus)\b", re.IGNORECASE)
# The means named first or last: « Grâce aux données collectées …, les entreprises … »,
# « Les entreprises ont renforcé … grâce à l'emploi de nombreux capteurs … ».
_MEANS_FIRST = re.compile(r"^Grâce\s+(?P<means>(?:à|aux?)\s+[^,]+?),\s+(?P<rest>[^,].+)\.$")
_MEANS_LAST = re.compile(r"^(?P<rest>[^,]{20,}?)\s+grâce\s+(?P<means>(?:à|aux?)\s+[^,]+)\.$")
MIN_MEANS = 5  # words: « grâce à l'IA » is the answer any trainee gives
LONGEST = 35  # words of a consequence added to a reason: more is a paragraph, not an answer


def cause_questions(passages: list[Passage], next_of: Callable[[Passage], Passage | None],
                    on_theme: Callable[[str], float], theme: str, jobs: bool, audience: str = ""
                    ) -> Iterator[QuizQuestion]:
    """« <finding>. Pour quelle raison ? » on the findings of the passages (and of the passage after a
    heading that closes one) that name the theme and give their reason; on the job market only when
    the theme is about it (`jobs`). On a theme about AI, a finding whose reason does not name it is
    asked with how AI answers it, as the document says a few sentences on (AK and AL turned down the
    stakes of quality asked alone: « rien sur l'IA », « bon sens »); not asked when it says nothing."""
    for passage, heading in _with_sections(passages, next_of):
        said = _sentences(passage)
        for at, (_, finding) in enumerate(said):
            found = _reason(finding, said[at + 1] if at + 1 < len(said) else None)
            if found is None or not standalone(finding) or not companies_matter(finding) or \
                    on_theme(f"{heading} {finding}") <= 0 or (about_jobs(finding) and not jobs) or \
                    stage_of(finding) == "règles":
                continue  # a rule is taught as the law words it (« le montant le plus élevé étant retenu »)
            claim, answer, taken = found
            asked, last = "Pour quelle raison ?", at + taken
            if names_ai(theme) and not names_ai(f"{finding} {answer}"):
                answered = _answered(said, last)
                if answered is None:
                    continue
                subject, how, last = answered
                asked, answer = f"Pour quelle raison, et comment {subject} y répond-elle ?", f"{answer} {how}"
            quoted = " ".join(raw for raw, _ in said[at:last + 1])
            if quote_in(quoted, passage.text):
                yield _question(passage, f"{claim}. {asked}", answer, quoted, CAUSE, theme, audience)


# A stake (« La maintenance des équipements … est également un enjeu important pour les entreprises
# industrielles. »), « également » left out to read alone.
_STAKE = re.compile(r"^(?P<claim>.{10,}?\s(?:est|sont|reste|restent|constitue|constituent))\s+"
                    r"(?:(?:également|aussi)\s+)?(?P<rest>(?:un|une|des)\s+(?:enjeux?|défis?)\b[^.;:]*)\.$")


def stake_questions(passages: list[Passage], on_theme: Callable[[str], float], theme: str, audience: str = ""
                    ) -> Iterator[QuizQuestion]:
    """On a theme about AI, « <stake>. Comment l'intelligence artificielle y répond-elle ? » on the stakes
    the passages state, answered by the sentences up to the one that says what AI makes possible, a few
    on (the quality part's question, « … et comment l'IA y répond-elle ? », was kept by AM and AN)."""
    if not names_ai(theme):
        return
    for passage in passages:
        said = _sentences(passage)
        for at, (_, sentence) in enumerate(said):
            stake = _STAKE.match(sentence)
            claim = f"{stake.group('claim')} {stake.group('rest')}" if stake else ""
            if not claim or not standalone(claim) or on_theme(claim) <= 0 or stage_of(claim) == "règles":
                continue
            answered = _answered(said, at)
            quoted = " ".join(raw for raw, _ in said[at:answered[2] + 1]) if answered else ""
            if answered and quote_in(quoted, passage.text):
                yield _question(passage, f"{claim}. Comment {answered[0]} y répond-elle ?", answered[1], quoted,
                                MEANS, theme, audience)


_AI_SUBJECT = re.compile(r"^l['’](?:IA|intelligence artificielle)\b", re.IGNORECASE)


def _answered(said: list[tuple[str, str]], last: int) -> tuple[str, str, int] | None:
    """How AI answers what a finding says, within `REACH` sentences after it: what makes it possible
    (« l'intelligence artificielle »), the sentences up to the one that says so, and that one's index."""
    for at in range(last + 1, min(len(said), last + 1 + REACH)):
        subject = maker(said[at][1])
        if _AI_SUBJECT.match(subject):  # « y répond-elle »: AI itself, not « Les outils d'IA »
            how = [sentence for _, sentence in said[last + 1:at]] + [as_said(said[at][1])]
            return lower_first(subject), " ".join(how), at
    return None


def means_question(sentence: str, passage: Passage, theme: str, audience: str = "") -> QuizQuestion | None:
    """« <what is done>. Grâce à quoi ? » on a sentence that names how it is done in five words or more,
    not AI: in a session on AI, « grâce aux données … et à leur analyse via l'intelligence artificielle » is
    what every trainee answers (AK and AL: « se devine »). Not on a rule, taught as the law words it."""
    match = _MEANS_FIRST.match(sentence) or _MEANS_LAST.match(sentence)
    if match is None or word_count(match.group("means")) < MIN_MEANS or names_ai(match.group("means")) or \
            not quote_in(sentence, passage.text) or stage_of(sentence) == "règles":
        return None
    rest = match.group("rest")
    return _question(passage, f"{rest[:1].upper()}{rest[1:]}. Grâce à quoi ?", f"Grâce {match.group('means')}.",
                     sentence, MEANS, theme, audience)


def _reason(finding: str, after: tuple[str, str] | None) -> tuple[str, str, int] | None:
    """The finding without its reason, the reason as the expected answer, and how many sentences after
    the finding it takes (the one that completes it)."""
    absolute = _ABSOLUTE.search(finding)
    if absolute is not None:
        reason = absolute.group("reason")
        if after is not None and _THUS.search(after[0]) and word_count(after[1]) <= LONGEST:
            return finding[:absolute.start()], f"{reason[:1].upper()}{reason[1:]}, " \
                f"{lower_first(_THUS.sub(' ', after[1]).strip())}", 1
        return finding[:absolute.start()], f"{reason[:1].upper()}{reason[1:]}.", 0
    if after is not None and _REASON_NEXT.match(after[1]) and finding.endswith("."):
        return finding[:-1], after[1], 1
    return None


def _question(passage: Passage, asked: str, answer: str, quoted: str, kind: str, theme: str,
              audience: str) -> QuizQuestion:
    title = passage.title or passage.document
    text = f"D'après « {title} », {lower_first(_ASIDE.sub('', asked))}"
    return QuizQuestion(text=text, choices=[answer], answer=0, citations=[Quote(passage, quoted)], theme=theme,
                        audience=audience, kind=kind, explanation=f"Le document le dit : « {quoted} »")


def _sentences(passage: Passage) -> list[tuple[str, str]]:
    """Each sentence raw (its « Ainsi, » kept) and as quoted; not an interview's words."""
    return [(raw, clean(raw)) for line in passage.text.split("\n") if line.lstrip()[:1] not in "“\"«"
            for raw in sentences(line)]


def _with_sections(passages: list[Passage], next_of: Callable[[Passage], Passage | None]
                   ) -> Iterator[tuple[Passage, str]]:
    """The passages, each followed by the next one when it closes on a heading (the section's text the
    chunker put there), with that heading: it says what the section's findings are about."""
    seen: set[str] = set()
    for passage in passages:
        following, last = next_of(passage), passage.text.rstrip().rsplit("\n", 1)[-1]
        heading = "" if last.endswith((".", "!", "?", "…", "»")) else last
        for one, above in [(passage, ""), *([(following, heading)] if heading and following is not None else [])]:
            if one.id not in seen:
                seen.add(one.id)
                yield one, above
