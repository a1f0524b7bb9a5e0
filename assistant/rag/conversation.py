"""Follow-up questions (« Et quelle part des salariés ? ») resolved against earlier turns before
retrieval, by rules: no extra model call, and none at all when the question stands alone."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from assistant.domain import Passage
from assistant.rag.citations import MARKER
from assistant.text.names import names
from assistant.text.normalise import fold
from assistant.text.words import tokens

_OPENERS = ("et ", "mais ", "pourquoi", "en quoi", "lequel", "laquelle", "lesquels", "lesquelles",
            "and ", "why", "what about", "how about", "ok ", "d'accord", "precise", "developpe",
            "detaille", "explique")
# Words that point back to something said before. Subject pronouns count only outside the
# French question inversion (« mentionne-t-elle » stands alone).
_ANAPHORA = {"il", "elle", "ils", "elles", "celui", "celle", "ceux", "celles", "cela", "ca",
             "leur", "leurs", "premier", "premiere", "deuxieme", "second", "seconde", "troisieme",
             "dernier", "derniere", "precedent", "precedente", "dessus", "it", "they", "them", "those",
             "that", "first", "last"}


@dataclass
class Turn:
    question: str
    search_query: str
    prompt: str  # the user message sent to the model, kept to reuse its KV cache
    raw_answer: str
    answer: str
    follow_up: bool = False
    sources: list[Passage] = field(default_factory=list)  # the passages the shown answer cites
    standalone: str = ""  # an elliptic follow-up as the whole question it stands for (`standalone`)

    @property
    def understood(self) -> str:
        """The question as it was answered: an elliptic follow-up's whole question, else its own words."""
        return self.standalone or self.question


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])  # names it in the audit log

    def history(self, limit: int = 2) -> list[tuple[str, str]]:
        """The current thread: the last standalone question and its follow-ups, at most `limit`.

        An older, unrelated turn would not help the answer, and putting it first would make the
        model re-read the whole prompt instead of extending the KV cache of the previous turn."""
        thread: list[Turn] = []
        for turn in reversed(self.turns):
            thread.insert(0, turn)
            if not turn.follow_up or len(thread) >= limit:
                break
        return [(t.prompt, t.raw_answer) for t in thread if t.prompt]


def _points_back(folded: str) -> bool:
    """« ces obligations », « cette branche »: a demonstrative whose noun the question has not
    named before it (« … quelle est cette part » after « quelle part » points inside the question)."""
    for match in re.finditer(r"\b(?:ces|cette|cet) ([a-z]+)", folded):
        if match.group(1)[:4] not in {w[:4] for w in re.findall(r"[a-z]+", folded[:match.start()])}:
            return True
    return False


def is_follow_up(question: str) -> bool:
    folded = fold(question)
    if folded.startswith(_OPENERS):
        return True
    without_inversion = re.sub(r"-t-(il|elle|ils|elles|on)\b|-(il|elle|ils|elles)\b", " ", folded)
    words = set(re.findall(r"[a-z]+", without_inversion))
    return bool(words & _ANAPHORA) or _points_back(folded) or len(tokens(question)) < 3


def resolve(question: str, conversation: Conversation | None) -> tuple[str, bool]:
    """The query to search with, and whether the question continues the conversation."""
    if not conversation or not conversation.turns or not is_follow_up(question):
        return question, False
    previous = conversation.turns[-1]
    answer = MARKER.sub("", previous.answer)
    return f"{previous.understood} {answer} {question}", True


# « Et au premier semestre 2024 ? », « Et l'importateur ? », « Et si c'est une PME ? »: a phrase
# with no question word of its own, which stands for the previous question with that phrase in it.
_ELLIPTIC = re.compile(r"^(?:et|mais)\s+([^?]{2,80}?)\s*\?*$", re.IGNORECASE)
_OWN_QUESTION = re.compile(r"\b(?:quel|quelle|quels|quelles|combien|comment|pourquoi|qui|que|qu|quand|ou|lequel|"
                           r"laquelle|lesquels|lesquelles|quoi)\b|-(?:t-)?(?:il|elle|ils|elles|on)\b")
_YEAR = r"(?:19|20)\d\d"
_PERIOD = re.compile(rf"\b(?:entre {_YEAR} et {_YEAR}|de {_YEAR} (?:a|au) (?:1er |premier )?(?:semestre )?{_YEAR}|"
                     rf"(?:(?:en|au|du|pour|de)\s+)?(?:(?:le\s+)?(?:1er|premier|2e|second|deuxieme)\s+semestre\s+"
                     rf"(?:de\s+)?)?{_YEAR})\b")
_OFFER = re.compile(r"\b(?:(?:le|au|du) poste|l'offre|(?:les|aux|des) offres?) (?:de |d')[^,?]+", re.IGNORECASE)
_OFFER_PHRASE = re.compile(r"^(?:l'|le |la )?(?:offre|poste) ((?:de |d').+)$", re.IGNORECASE)
_TERM = re.compile(r"(?:\b(?:le|la|les|un|une)\s+|\bl')?«\s*[^»]+?\s*»", re.IGNORECASE)
_TERM_PHRASE = re.compile(r"^(l'|le |la |les |un |une )(.+)$", re.IGNORECASE)


def _swapped(base: str, phrase: str) -> str:
    """The previous question with its period, offer or quoted term replaced by the phrase's; ""
    when it has none of the phrase's kind (the phrase added instead read as a contradiction:
    « … générale, pour l'article 6 » was answered with the general date)."""
    period = _PERIOD.search(fold(base))
    if period and _PERIOD.search(fold(phrase)):  # fold keeps lengths: its spans are the text's
        return f"{base[:period.start()]}{phrase}{base[period.end():]}"
    offer, wanted = _OFFER.search(base), _OFFER_PHRASE.match(phrase)
    if offer and wanted:
        return f"{base[:offer.start()]}le poste {wanted.group(1)}"
    term, named = _TERM.search(base), _TERM_PHRASE.match(phrase)
    if term and named and len(tokens(phrase)) <= 3:
        return f"{base[:term.start()]}{named.group(1)}« {named.group(2).strip('«» ')} »{base[term.end():]}"
    return _renamed(base, phrase)


# « Et en Occitanie ? » after « … sont en Île-de-France ? », « Et la Chimie ? » after « … la branche
# Métallurgie … »: the phrase is a name (after its article or preposition), the previous question
# names one thing (a capitalised word inside it, as `names` reads them, « et » and its noun with it).
_NAME_PHRASE = re.compile(r"^(?:(?:en|dans|pour|chez|au|aux|du|de la|de l'|la|le|les|l')\s*)*(?:branche\s+|région\s+)?"
                          r"([A-ZÀ-Ý][\w'’-]{4,}(?:\s+[\w'’-]+){0,3})$")
_NAMED = re.compile(r"(?<=[\w,'’] )([A-ZÀ-Ý][\w’-]{4,})(?: et [a-zà-ÿ]+\b)?")


def _renamed(base: str, phrase: str) -> str:
    """The previous question with its one name replaced by the phrase's; "" when the phrase is not
    a name or the question has none, or several (which one the phrase replaces is not known)."""
    wanted = _NAME_PHRASE.match(phrase.strip())
    named = [found for found in _NAMED.finditer(base) if names(f"Le {found.group(1)}")]
    if not wanted or len(named) != 1:
        return ""
    return f"{base[:named[0].start()]}{wanted.group(1)}{base[named[0].end():]}"


# « Et pour l'ensemble des recruteurs ? » after a question on the industry's: the study sets each of
# the industry's figures beside all sectors' (« 56 % contre 13 % pour l'ensemble des recruteurs »),
# and the follow-up asks the same question without the industry. Read with the conversation, it
# was answered with the previous turn's figure.
_WHOLE = re.compile(r"\b(?:l'ensemble|tous secteurs|tous les secteurs)\b")
_INDUSTRY = re.compile(r"^dans l['’]industrie\s*,\s*|"
                       r"\s*\b(?:dans|de|du|pour)\s+(?:l['’]industrie|(?:le\s+)?secteur industriel)\b", re.IGNORECASE)


def _widened(base: str, phrase: str) -> str:
    """The previous question without its restriction to the industry, for the whole the phrase
    names; "" when the phrase names no whole or the question no industry."""
    industry = _INDUSTRY.search(base)
    if not industry or not _WHOLE.search(fold(phrase)):
        return ""
    return f"{base[:industry.start()]}{base[industry.end():]}, {phrase}"


def standalone(question: str, previous: str) -> str:
    """An elliptic follow-up as the whole question it stands for: the previous question with its
    period, offer or quoted term replaced by the follow-up's, or with its condition added (« Et si
    c'est une PME ? »); "" for any other question. Searched, answered and checked as a question of
    its own (its period must be in the cited sentence), it no longer gets the previous answer repeated."""
    found = _ELLIPTIC.match(question.strip())
    if not found or not previous or _OWN_QUESTION.search(fold(found.group(1))) or len(tokens(found.group(1))) > 6:
        return ""
    phrase = found.group(1).strip(" ,")
    if set(re.findall(r"[a-z]+", _PERIOD.sub(" ", fold(phrase)))) & _ANAPHORA:  # « Et le deuxième ? »
        return ""
    base = previous.strip().rstrip(" ?")
    # a condition (« Et si c'est une PME ? ») narrows the previous question: it is added to it
    whole = f"{base}, {phrase}" if fold(phrase).startswith("si ") else (_swapped(base, phrase)
                                                                         or _widened(base, phrase))
    return f"{whole[:1].upper()}{whole[1:]} ?" if whole else ""
