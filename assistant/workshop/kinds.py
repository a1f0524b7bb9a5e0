"""Quiz questions that teach, beyond « what does the sentence say » (what a term means: `terms`):
which of four statements the documents support (the
wrong ones are other sentences of the documents with one word turned: « interdites » for
« autorisées »), and a situation to judge against a rule (« Un employeur doit-il … ? »), whose
answer is decided by the rule's wording, never by the model. Each comes with its explanation."""
from __future__ import annotations

import re

from assistant.components.llm.base import ChatModel
from assistant.domain import Passage, Quote
from assistant.rag.citations import support
from assistant.text.normalise import fold, lower_first, quote_in
from assistant.workshop import prompt
from assistant.workshop.items import LETTERS, QuizQuestion
from assistant.text.numbers import figures_in
from assistant.workshop.figures import matters
from assistant.workshop.distractors import numeric_distractors, scale_distractors
from assistant.workshop.quiz import placed
from assistant.workshop.sources import Candidate, standalone

NOT_SAID = "Les documents ne le précisent pas"


# --- which statement the documents support -----------------------------------------------------
# One word turned into its opposite; agreement kept by the captured ending. Never a role for
# another (« fournisseur » for « déployeur »): many duties fall on both, so the turned sentence may
# well be true too; « avant » and « après » only before a date (« après de mettre » is no French).
_TURNS: list[tuple[str, str]] = [
    (r"\binterdit(e?s?)\b", r"autorisé\1"), (r"\bautorisé(e?s?)\b", r"interdit\1"),
    (r"\bau moins\b", "au plus"), (r"\bde plus en plus\b", "de moins en moins"),
    (r"\bde moins en moins\b", "de plus en plus"), (r"\bplus de\b", "moins de"), (r"\bmoins de\b", "plus de"),
    (r"\bdavantage\b", "moins"), (r"\bhausse\b", "baisse"), (r"\bbaisse\b", "hausse"),
    (r"\baugmenté\b", "diminué"), (r"\baugmente(nt?)\b", r"diminue\1"), (r"\baugmentation\b", "diminution"),
    (r"\bavant (le \d)", r"après \1"), (r"\baprès (le \d)", r"avant \1"), (r"\bmajorité\b", "minorité"),
    (r"\bne (\w+) pas\b", r"\1"), (r"\bn['’](\w+) pas\b", r"\1"), (r"\bjamais\b", "toujours"),
    # What AI changes in maintenance and quality, turned into what it replaces: a trainee who picks
    # « maintenance corrective » or « en différé » has missed the point. Not the AI Act's remote
    # biometric identification « en temps réel »: « a posteriori » is another category of the law.
    (r"\bmaintenance prédictive\b", "maintenance corrective"),
    (r"\bavant qu['’]elles ne se produisent\b", "après qu'elles se sont produites"),  # des défaillances
    (r"(?<!distance )\ben temps réel\b", "en différé"),
]


def turned(sentence: str) -> tuple[str, str] | None:
    """The sentence with its first turnable word turned, and what changed (« autorisées » au lieu
    de « interdites »); None when no word can be turned."""
    for pattern, replacement in _TURNS:
        match = re.search(pattern, sentence)
        if match:
            new = match.expand(replacement)
            text = sentence[:match.start()] + new + sentence[match.end():]
            return text, f"« {new.strip()} » au lieu de « {match.group(0)} »"
    for figure in (f for f in figures_in(sentence) if matters(f)):  # else a figure worth teaching, changed
        # by its scale where it can be (3 % to 27 %, not to 4 %: spotting a digit is no understanding)
        options = scale_distractors(figure, sentence, "", 1) or numeric_distractors(figure, sentence, 1)
        start = sentence.find(figure)
        if options and start >= 0:
            return sentence[:start] + options[0] + sentence[start + len(figure):], f"« {options[0]} » au lieu de « {figure} »"
    return None


def statement_question(right: Candidate, pool: list[Candidate], passages: list[Passage], theme: str,
                       audience: str, used: set[str], words: int = 35) -> QuizQuestion | None:
    """« Lequel de ces énoncés les documents confirment-ils ? »: the sentence, and three other
    sentences of the theme each with one word turned, none of them found in the documents."""
    if len(right.sentence.split()) > words or not right.sentence.endswith(".") or "•" in right.sentence or \
            not standalone(right.sentence):
        return None  # a statement reads as a whole sentence, alone, not a title or a list
    wrong: list[tuple[str, str, Candidate]] = []
    # the sentences nearest the theme first: a blind rater called a wrong option on the disciplines
    # of AI projects, beside three on maintenance, off « l'IA dans la maintenance et la qualité »
    for other in sorted(pool, key=lambda o: (not o.named, -o.on_theme)):
        if other.sentence in used or other.sentence == right.sentence or len(other.sentence.split()) > words \
                or not standalone(other.sentence):
            continue
        change = turned(other.sentence)
        if change is None or any(quote_in(change[0], p.text) for p in passages) or \
                sum(change[1] == seen for _, seen, _ in wrong) >= 1 + (len(wrong) == 2):  # varied traps
            continue
        wrong.append((*change, other))
        if len(wrong) == 3:
            break
    if len(wrong) < 3:
        return None
    choices, pos = placed(right.sentence, right.sentence, [text for text, _, _ in wrong])
    lines = [f"{LETTERS[choices.index(text)]} dit {change}" for text, change, _ in wrong]
    explanation = (f"{LETTERS[pos]} est la phrase du document. Les autres sont des phrases des documents "
                   f"modifiées : {' ; '.join(sorted(lines))}.")
    used.update(other.sentence for _, _, other in wrong)
    citations = [Quote(right.passage, right.sentence), *(Quote(o.passage, o.sentence) for _, _, o in wrong)]
    return QuizQuestion(text="Lequel de ces énoncés les documents confirment-ils ?", choices=choices, answer=pos,
                        citations=citations, theme=theme, audience=audience, kind="affirmation",
                        explanation=explanation)


# --- a situation to judge against a rule -------------------------------------------------------
_FORBIDS = re.compile(r"\binterdit|\bne peu(?:t|vent)\b|\bn'utilisent pas\b|\bne (?:sont|est) pas autoris")
_REQUIRES = re.compile(r"\b(?:informent|veillent|prennent|assurent|confient|surveillent|conservent|doivent|"
                       r"sont tenus|garantissent|coop[eè]rent|respectent|indiquent|fournissent|"
                       r"utilisent les informations)\b")

# The tasks' examples (`workshop.prompt`) are on purpose far from the documents: a model that copies
# one writes a question its rule does not answer, which `situation_question` turns down.
_TASKS = {"Non": prompt.FORBIDDEN, "Oui": prompt.REQUIRED}
_OPENINGS = {"Non": re.compile(r"^(?:une entreprise peut-elle|un employeur peut-il)\b"),
             "Oui": re.compile(r"^(?:une entreprise doit-elle|un employeur doit-il)\b")}
_NEGATION = re.compile(r"\b(?:ne|n|pas|sans|jamais|aucun|aucune)\b")


# A duty to do what is « appropriate » or to follow the instructions has one plausible answer: three
# blind raters in a row called « doivent-ils prendre des mesures … appropriées … ? » a giveaway,
# while the duty to inform workers' representatives before use, which few know, was kept by all.
# So has a duty to cooperate with the authorities or to comply with the regulation (« doivent-ils
# coopérer avec les autorités compétentes … ? »: a fourth rater, « the answer is obvious »).
# Cooperating and complying bind every actor (by other articles too): no « qui doit … ? » on them either.
_EVERYONE = re.compile(r"\b(?:cooperent avec|respectent le present reglement|se conforment au present reglement)\b")
_OBVIOUS = re.compile(r"\b(?:appropriee?s?|adequate?s?|necessaires?|conformement aux? (?:notices?|instructions?))\b")


def obvious(sentence: str) -> bool:
    """A duty no one would answer « Non » to (`_OBVIOUS`, `_EVERYONE`): not asked as a yes/no question."""
    folded = fold(sentence)
    return bool(_OBVIOUS.search(folded) or _EVERYONE.search(folded))


def everyones(sentence: str) -> bool:
    """A duty of every actor (`_EVERYONE`): no question on who bears it."""
    return bool(_EVERYONE.search(fold(sentence)))


def verdict(candidate: Candidate) -> str:
    """The rule's answer to « may / must a company … ? »: « Non » for what it forbids, « Oui » for
    what it requires; empty when the sentence is neither."""
    sentence, heading = fold(candidate.sentence), fold(candidate.passage.heading)
    if _FORBIDS.search(sentence) or ("interdit" in heading and "ne " not in sentence):
        return "Non"
    return "Oui" if _REQUIRES.search(sentence) else ""


# A rule written « [lead,] les déployeurs … informent … » is asked « [lead,] les déployeurs …
# doivent-ils informer … ? » without the model: the regulation's verbs are few, so each has its
# infinitive here and no inflection can go wrong.
INFINITIVES = {"informent": "informer", "veillent": "veiller", "prennent": "prendre", "assurent": "assurer",
                "confient": "confier", "surveillent": "surveiller", "conservent": "conserver",
                "garantissent": "garantir", "coopèrent": "coopérer", "respectent": "respecter",
                "indiquent": "indiquer", "fournissent": "fournir"}
_RULE = re.compile(r"^(?P<lead>(?:[^,]{3,160},\s+)?)(?P<subject>[Ll]es\s[^,;:]{3,80}?)\s+(?:(?P<verb>"
                   + "|".join(INFINITIVES) + r")|(?P<modal>doivent|sont tenus de|ne peuvent pas))\s+(?P<rest>[^;:]{8,})\.$")
_VERBS = re.compile(r"\b(" + "|".join(INFINITIVES) + r")\b")


def infinitives(rest: str) -> str:
    """The rule's verbs in the infinitive: a second verb (« surveillent … et informent … ») is
    governed by « devoir » like the first."""
    return _VERBS.sub(lambda m: INFINITIVES[m.group(1)], rest)


_FEMININE = re.compile(r"^les (?:autorités|entreprises|personnes|institutions|parties)\b", re.IGNORECASE)


def rule_question(candidate: Candidate, theme: str, audience: str, words: int = 45) -> QuizQuestion | None:
    """The rule itself asked as a question (« doivent-ils … ? », « peuvent-ils … ? » for what it
    forbids), the answer from its wording: no model call. None for a rule not written that way."""
    match = _RULE.match(candidate.sentence)
    if not match or len(candidate.sentence.split()) > words or not standalone(candidate.sentence) \
            or obvious(candidate.sentence):
        return None
    lead, subject, rest = match.group("lead"), match.group("subject"), match.group("rest")
    rest = infinitives(rest)
    pronoun = "elles" if _FEMININE.match(subject) else "ils"
    modal = match.group("modal")
    if match.group("verb"):
        asked, answer = f"doivent-{pronoun} {INFINITIVES[match.group('verb')]} {rest}", "Oui"
    elif modal == "doivent":
        asked, answer = f"doivent-{pronoun} {rest}", "Oui"
    elif modal == "sont tenus de":
        asked, answer = f"sont-{pronoun} tenus de {rest}", "Oui"
    else:
        asked, answer = f"peuvent-{pronoun} {rest}", "Non"
    subject = lower_first(subject) if lead else subject
    asked = POINTER.sub("", asked)  # the quote keeps it; the question reads without it
    choices = ["Oui", "Non", NOT_SAID]
    return QuizQuestion(text=f"{lead}{subject} {asked} ?", choices=choices, answer=choices.index(answer),
                        citations=[Quote(candidate.passage, candidate.sentence)], theme=theme, audience=audience,
                        kind="situation", explanation=f"{answer}. Le texte : « {candidate.sentence} »")


# « …, conformément aux paragraphes 3 et 6 »: a pointer to text the trainee has not read.
POINTER = re.compile(r",?\s+(?:conformément|en vertu|au titre)\s+(?:aux?|à l['’]|des?)\s*(?:paragraphes?|articles?)"
                      r"\s[^,]*$")


def situation_question(llm: ChatModel, candidate: Candidate, theme: str, audience: str
                       ) -> tuple[QuizQuestion | None, str]:
    """One model call: the situation; kept when it opens as asked, has no negation (it would turn
    the answer) and is about the rule (half its words in the sentence)."""
    answer = verdict(candidate)
    if not answer:
        return None, "ni interdiction ni obligation"
    if obvious(candidate.sentence):
        return None, "règle évidente : personne ne répondrait « Non »"
    raw = prompt.ask(llm, _TASKS[answer], f"Règle : {candidate.sentence}", 60)
    text = " ".join(re.sub(r"^\s*\**\s*(?:q|question)\s*\**\s*[:：]\s*", "", raw.strip().splitlines()[0] if raw.strip()
                           else "", flags=re.IGNORECASE).split()).strip("«»\" ")
    folded = fold(text)
    if not _OPENINGS[answer].match(folded) or not text.endswith("?"):
        return None, f"situation mal formée : {text[:80]!r}"
    if _NEGATION.search(folded) or not 8 <= len(text.split()) <= 45:
        return None, "situation avec une négation ou de longueur inattendue"
    if support(text, candidate.sentence) < 0.5:
        return None, "situation éloignée de la règle"
    explanation = f"{answer}. Le texte : « {candidate.sentence} »"
    choices = ["Oui", "Non", NOT_SAID]
    return QuizQuestion(text=text, choices=choices, answer=choices.index(answer),
                        citations=[Quote(candidate.passage, candidate.sentence)], theme=theme,
                        audience=audience, kind="situation", explanation=explanation), ""
