"""« Qui doit … ? »: a rule of the regulation asked by who bears it, the regulation's other actors
as wrong answers (« les fournisseurs » for a deployer's duty). A blind rater turned down the rule
asked back as « doivent-ils … ? » (« la réponse "Oui" se devine à la formulation ») and asked for a
case; knowing which actor a duty falls on is what a company has to work out first. No model call:
the answer is the rule's own subject."""
from __future__ import annotations

import re

from assistant.domain import Quote
from assistant.text.normalise import fold
from assistant.workshop.framing import scope
from assistant.workshop.items import QuizQuestion
from assistant.workshop.kinds import INFINITIVES, POINTER, everyones, infinitives
from assistant.workshop.terms import Definition
from assistant.workshop.quiz import placed
from assistant.workshop.sources import Candidate, standalone

# The regulation's operators (article 3, point 8), in the plural its rules are written in; the
# umbrella « opérateurs » is left out: it would be right for every rule.
ACTORS = ("fournisseurs", "déployeurs", "importateurs", "distributeurs", "mandataires")
_ACTOR = "|".join(ACTORS)
_RULE = re.compile(
    rf"^(?P<lead>(?:[^,]{{3,160}},\s+)?)[Ll]es\s(?P<actors>(?:{_ACTOR})(?:\set\sles\s(?:{_ACTOR}))?)"
    rf"(?:\s(?P<of>d['’]une?|de)\s(?P<what>[^,;:]{{3,140}}?))?(?:\squi\ssont\sdes\s(?P<being>[^\s,]{{3,30}}?)s)?"
    rf"\s+(?:(?P<verb>{'|'.join(INFINITIVES)})|(?P<modal>doivent|sont tenus de))\s+(?P<rest>[^;:]{{8,}})\.$")

# « … informent les personnes … et traitent les données … »: a second duty in a verb the question
# cannot put in the infinitive is left out (the question asks one duty; the quote keeps both).
_SECOND_VERB = re.compile(r",?\s+et\s+(?!\w+ment\b)\w+ent\b.*$")
_OR_OF = re.compile(r"\bou d['’](une?)\b")


def role_question(candidate: Candidate, definitions: list[Definition], theme: str, audience: str,
                  words: int = 60) -> QuizQuestion | None:
    """« [lead,] pour les systèmes d'IA à haut risque, qui doit prendre … ? », the rule's actors
    right; None for a rule not written « Les <actors> [de …] <verb> … »."""
    sentence = candidate.sentence
    match = _RULE.match(sentence)
    if not match or len(sentence.split()) > words or not standalone(sentence) or everyones(sentence):
        return None  # « qui doit coopérer avec les autorités ? »: every actor must, by other articles
    rest = _SECOND_VERB.sub("", POINTER.sub("", infinitives(match.group("rest"))))
    verb = INFINITIVES[match.group("verb")] if match.group("verb") else ""
    asked = {"doivent": "doit ", "sont tenus de": "est tenu de "}.get(match.group("modal") or "", "doit ") + verb
    framed = _scope(*_scope_of(match, candidate))
    being = f", s'il est aussi {match.group('being')}," if match.group("being") else ""  # « qui sont des employeurs »
    text = f"{match.group('lead')}{framed}qui{being} {asked} {rest} ?".replace("  ", " ")
    text = text[:1].upper() + text[1:]
    right, wrong = _options(match.group("actors"), rest)
    if len(wrong) < 3 or _gives_away(f"{match.group('lead')} {rest}", right, definitions):
        return None
    choices, pos = placed(text, right, wrong)
    citations = [Quote(candidate.passage, sentence)] + _defined(right, definitions)
    explanation = f"{right[:1].upper()}{right[1:]} : le texte dit « {sentence} »" + _meaning(right, definitions)
    return QuizQuestion(text=text, choices=choices, answer=pos, citations=citations, theme=theme,
                        audience=audience, kind="rôle", explanation=explanation)


def borne(sentence: str) -> bool:
    """A rule some actors bear (« Les déployeurs … informent … »): asked as « qui doit … ? » or not
    at all, never back as « … doivent-ils … ? », whose « Oui » blind raters M, O and P found guessable."""
    return bool(_RULE.match(sentence))


def _scope_of(match: re.Match[str], candidate: Candidate) -> tuple[str | None, str | None]:
    """The rule's own scope (« Les déployeurs de systèmes d'IA à haut risque … »), else the one its
    heading gives its subject: « Qui doit confier le contrôle humain … ? » under « Obligations
    incombant aux déployeurs de systèmes d'IA à haut risque » lost it (« laisse croire qu'elle vaut
    pour tout système », a blind rater)."""
    if match.group("what"):
        return match.group("of"), match.group("what")
    narrowed = re.match(r"\w+\s+(des?|d['’]une?)\s+(.+)$", scope(candidate.sentence, candidate.passage))
    return (narrowed.group(1).replace("des", "de"), narrowed.group(2)) if narrowed else (None, None)


def _scope(of: str | None, what: str | None) -> str:
    """« de systèmes d'IA à haut risque » → « pour les systèmes d'IA à haut risque, »: the rule's
    scope stays in the question, out of the options (all of which would carry it)."""
    if not what:
        return ""
    article = "les" if of == "de" else of[2:]  # « d’un » → « un »
    return f"pour {article} {_OR_OF.sub(lambda m: 'ou ' + m.group(1), what)}, "


def _options(actors: str, rest: str) -> tuple[str, list[str]]:
    """The rule's actors, and three others the rule does not name (an actor the rule's text names,
    « … informent le fournisseur », would be ruled out before the question is read)."""
    named = [a for a in ACTORS if a in actors]
    said = fold(rest)
    others = [a for a in ACTORS if a not in named and fold(a[:-1]) not in said]
    if len(named) == 2:
        if len(others) < 2:
            return "", []
        return (f"les {named[0]} et les {named[1]}",
                [f"les {named[0]} seulement", f"les {named[1]} seulement", f"les {others[0]} et les {others[1]}"])
    return f"les {named[0]}", [f"les {a}" for a in others[:3]]


# What defines an actor: the verb of its definition (« utilisant sous sa propre autorité »), not one
# that only links (« faisant partie de la chaîne », « pouvant être »)
_DOING = re.compile(r"\b(?!fais|pouv)(\w{3,})ant\b")


def _gives_away(asked: str, right: str, definitions: list[Definition]) -> bool:
    """The question does what defines its answer (« qu'ils utilisent », « Avant … d'utiliser un
    système … sur le lieu de travail » of the deployers, whom article 3 defines as « utilisant … un
    système d'IA »): blind raters, « l'énoncé donne la réponse »."""
    meanings = fold(" ".join(d.meaning for d in _definitions_of(right, definitions)))
    verbs = set(_DOING.findall(meanings))
    return any(re.search(rf"\b{re.escape(stem)}(?:er|ent|ant|e|es|ez|ons)\b", fold(asked)) for stem in verbs)


def _defined(right: str, definitions: list[Definition]) -> list[Quote]:
    return [Quote(d.passage, d.line) for d in _definitions_of(right, definitions)]


def _meaning(right: str, definitions: list[Definition]) -> str:
    found = _definitions_of(right, definitions)
    return "".join(f" ; « {d.term} » : {d.meaning.rstrip(';. ')}" for d in found) + "."


def _definitions_of(right: str, definitions: list[Definition]) -> list[Definition]:
    return [d for d in definitions if re.search(rf"\bles {re.escape(d.term.lower())}s\b", right)]
