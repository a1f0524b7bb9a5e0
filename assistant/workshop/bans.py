"""« Une entreprise peut-elle utiliser des systèmes d'IA pour … ? » on a banned practice that has an
exception: the case a company meets (« inférer les émotions … sur le lieu de travail »), answered
« Non, sauf … » in the text's words. A yes/no question on a rule, its answer guessed from its wording,
was turned down by a blind rater (« à transformer en cas pratique »); here three wrong answers are
the usual misreadings of a ban: allowed, allowed once people are told, banned with no exception.
No model call: the answer is the text's own."""
from __future__ import annotations

import re

from assistant.domain import Passage, Quote
from assistant.text.normalise import fold
from assistant.workshop.distractors import could_be_right
from assistant.workshop.items import QuizQuestion
from assistant.workshop.quiz import placed
from assistant.workshop.sources import Candidate, clean
from assistant.workshop.theme import ThemeWords

_BAN = re.compile(r"^(?:[a-z]\)\s*)?[Ll]a mise sur le marché, la mise en service(?: à cette fin spécifique)? ou "
                  r"l['’]utilisation (?P<what>de systèmes d['’]IA|d['’]un système d['’]IA) "
                  r"(?P<purpose>(?:pour|qui|afin)\s[^;:]{10,200}?), "
                  r"sauf (?P<exception>(?:lorsque|si|pour)\s[^;:]{10,200}?)"
                  r"\s*[;.]?$")
_USE = {"de": "des systèmes d’IA", "d’": "un système d’IA", "d'": "un système d’IA"}
MISREADINGS = ("Oui, sans condition particulière",
               "Oui, à condition d’en informer au préalable les personnes concernées",
               "Non, en aucun cas : l’interdiction ne connaît pas d’exception")


def banned_uses(passages: list[Passage], weights: ThemeWords | None) -> list[Candidate]:
    """The items of the passages' lists of banned practices that name the theme. Read from the
    passages, not the quiz's candidates: an item of a list (« f) la mise sur le marché … ») is no
    sentence a trainee reads alone, but a case a company meets."""
    found = []
    for rank, passage in enumerate(passages):
        if "interdit" not in fold(passage.heading):
            continue
        for sentence in (clean(line) for line in passage.text.split("\n")):
            if _BAN.match(sentence) and (weights is None or weights.names(f"{passage.heading} {sentence}", sentence)):
                found.append(Candidate(sentence, passage, rank, 0.0, 1.0, named=True))
    return found


# « lorsque l'utilisation … est destinée à être mise en place … pour des raisons médicales ou de
# sécurité » → « pour des raisons médicales ou de sécurité »: the whole clause made the right option
# twice as long as the others, « trop longue et reconnaissable » (a blind rater); the quote keeps it.
_PURPOSE = re.compile(r"\b(pour des (?:raisons|motifs|fins) .+)$")


def _gist(exception: str) -> str:
    found = _PURPOSE.search(exception)
    return found.group(1) if found else exception


def ban_question(candidate: Candidate, theme: str, audience: str) -> QuizQuestion | None:
    """The banned use asked of a company, « Non, sauf <the exception> » right; None for a sentence
    that is not an item of a list of banned practices with its own exception."""
    match = _BAN.match(candidate.sentence)
    if not match or "interdit" not in fold(candidate.passage.heading):
        return None
    use = _USE["de" if match.group("what").startswith("de ") else match.group("what")[:2]]
    text = f"Une entreprise peut-elle utiliser {use} {match.group('purpose')} ?"
    right = f"Non, sauf {_gist(match.group('exception'))}"
    wrong = [w for w in MISREADINGS if not could_be_right(w, candidate.sentence)]
    if len(wrong) < 3:
        return None
    choices, pos = placed(text, right, wrong)
    explanation = f"Non, sauf exception : c’est une pratique interdite ; le texte dit « {candidate.sentence} »"
    return QuizQuestion(text=text, choices=choices, answer=pos,
                        citations=[Quote(candidate.passage, candidate.sentence)], theme=theme, audience=audience,
                        kind="situation", explanation=explanation)
