"""« Laquelle de ces offres d'emploi demande … ? »: a requirement of one job offer's profile, the
documents' other offers as the wrong answers, and in the explanation what each of them asks in AI,
so that the trainees see how far the AI skills asked go from one post to the next (an awareness of
AI for a digital manager, a machine-learning project for a data analyst). A blind rater asked, for
the theme « les compétences recherchées dans les offres », a question on who is asked for which
skill rather than the 3 % figure to recall. No model call: the answer is the offer quoted."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import Passage, Quote
from assistant.rag.citations import support
from assistant.rag.title_fields import OFFER
from assistant.text.normalise import fold
from assistant.text.words import tokens
from assistant.workshop.items import QuizQuestion
from assistant.workshop.quiz import placed

_PROFILE = re.compile(r"\bprofil\s*:\s*", re.IGNORECASE)
_SECTION = re.compile(r"\b(?:missions?|l['’]entreprise|avantages?)\s*:", re.IGNORECASE)
# The keyword families by which the study counts an offer as asking for AI skills (IA/AI, machine
# learning and data-processing methods, IoT, big data, generative AI), the AI ones proper first
_NAMED_AI = (r"ia|ai|iag|intelligence artificielle|machine learning|deep learning|ml|llms?|iiot|iot|big data|"
             r"reseaux de neurones")
_STRONG = re.compile(rf"\b(?:{_NAMED_AI})\b")
_AI = re.compile(rf"\b(?:{_NAMED_AI}|data|donnees|algorithmes?|modeles? predictifs?|python)\b")
# What a requirement opens on (« Capacité à travailler … », « la maîtrise de Python »)
NOUNS = (r"(?:capacités?|aptitudes?|expériences?|maîtrise|connaissances?|compétences?|formation|diplôme|niveau|"
         r"aisance|sens|goût|esprit)")
# Where a profile's sentence lists several requirements: « …, la maîtrise de … et une expérience … »
_NEXT = re.compile(rf"(?:,|\bet)\s+(?=(?:la|le|les|l['’]|une?|des|de solides)\s*{NOUNS}\b)")
_REQUIRED = re.compile(r"\s+(?:sont|est)\s+(?:requis|requises?|demandée?s?|souhaitée?s?|exigée?s?)\s*$",
                       re.IGNORECASE)
MIN_WORDS, MAX_WORDS = 4, 30


@dataclass(frozen=True)
class Requirement:
    text: str  # « Sensibilisation aux nouvelles capacités technologiques (IA, ML, IIoT, …) »
    passage: Passage


@dataclass(frozen=True)
class Offer:
    post: str  # « Responsable Digital »
    text: str  # the whole offer
    requirements: tuple[Requirement, ...]  # its profile's, in its order

    def asks_ai(self) -> list[Requirement]:
        """Its requirements that name AI, the most specific (machine learning before data), then the
        shortest first."""
        named = [r for r in self.requirements if _AI.search(fold(r.text))]
        return sorted(named, key=lambda r: (-len(_STRONG.findall(fold(r.text))), len(r.text.split())))


def job_offers(passages: list[Passage]) -> list[Offer]:
    """The documents that are job offers (titled « Offre d'emploi … — <post>, … »), each with the
    requirements of its profile (from « Profil : » to its end, over as many passages)."""
    by_document: dict[str, list[Passage]] = {}
    for passage in passages:
        if OFFER.match(passage.title or ""):
            by_document.setdefault(passage.document, []).append(passage)
    found = []
    for parts in by_document.values():
        parts.sort(key=lambda p: p.position)
        post = OFFER.match(parts[0].title or "").group("post")  # type: ignore[union-attr]
        found.append(Offer(post, " ".join(p.text for p in parts), tuple(_profile(parts))))
    return found


def _profile(parts: list[Passage]) -> list[Requirement]:
    found: list[Requirement] = []
    started = False
    for passage in parts:
        text = passage.text
        match = _PROFILE.search(text)
        if match:
            started, text = True, text[match.end():]
        elif started and _SECTION.search(text):
            break
        if started:
            found += [Requirement(clause, passage) for clause in clauses(text)]
    return found


def clauses(text: str) -> list[str]:
    """A profile's requirements: its bullets and sentences, and the items of a sentence that lists
    several (« De solides connaissances …, la maîtrise de Python … et une expérience … sont requises »)."""
    found = []
    for piece in re.split(r"\s*[•;]\s*|(?<=[.!?])\s+(?=[A-ZÀ-Ý])", text):
        for item in _split_outside_brackets(piece.strip().rstrip(".")):
            item = _REQUIRED.sub("", item).strip(" ,")
            if MIN_WORDS <= len(item.split()) <= MAX_WORDS:
                found.append(item[:1].upper() + item[1:])
    return found


def _split_outside_brackets(sentence: str) -> list[str]:
    """The sentence cut where `_NEXT` says a new item starts, never inside brackets (« (R, Spark/Scala,
    C++) » is one item's examples)."""
    masked = re.sub(r"\([^()]*\)", lambda m: "(" + "x" * (len(m.group(0)) - 2) + ")", sentence)
    cuts = [0] + [m.start() for m in _NEXT.finditer(masked)] + [len(sentence)]
    pieces = [sentence[a:b] for a, b in zip(cuts, cuts[1:])]
    return [re.sub(r"^(?:,|et)\s+", "", p.strip()) for p in pieces if p.strip()]


def offer_questions(offers: list[Offer], theme: str, audience: str) -> list[QuizQuestion]:
    """A question per offer with an AI requirement no other offer makes and that does not name its
    post, the offers whose post does not name AI first (an AI skill asked of a digital manager
    teaches more than one asked of a data analyst). None with fewer than three offers."""
    if len(offers) < 3:
        return []
    ordered = sorted(offers, key=lambda o: bool(_AI.search(fold(o.post))))
    questions = []
    for offer in ordered:
        others = [o for o in offers if o is not offer]
        asked = next((r for r in offer.asks_ai() if _fair(r.text, offer, others)), None)
        if asked is not None:
            questions.append(_question(offer, asked, others, theme, audience))
    return questions


def _fair(requirement: str, offer: Offer, others: list[Offer]) -> bool:
    """Not given away by the post's words (« analyses de données » for a data analyst, « IIoT » for
    a project manager IoT), nor made by another offer too (its AI words outside brackets, or most of
    its words: the measure counts near words, « projets » for « projet »)."""
    said = fold(requirement)
    if any(word[:5] in said for word in tokens(offer.post) if len(word) >= 3):
        return False
    bare = re.sub(r"\([^()]*\)", " ", said)
    keys = {m.group(0) for m in _AI.finditer(bare)}
    return not any(any(re.search(rf"\b{re.escape(k)}\b", fold(o.text)) for k in keys)
                   or support(requirement, o.text) >= 0.8 for o in others)


def _question(offer: Offer, asked: Requirement, others: list[Offer], theme: str, audience: str) -> QuizQuestion:
    text = f"Parmi ces offres d'emploi, laquelle demande : « {asked.text} » ?"
    choices, pos = placed(text, offer.post, [o.post for o in others][:3])
    explanation = f"L'offre « {offer.post} » demande « {asked.text} »."
    citations = [Quote(asked.passage, asked.text)]
    contrasts = [(o, named[0]) for o in others if (named := o.asks_ai())]
    if contrasts:  # what the others ask in AI: the spread of the skills asked is the lesson
        explanation += " En IA, " + " ; ".join(f"l'offre « {o.post} » demande « {r.text} »"
                                               for o, r in contrasts) + "."
        citations += [Quote(r.passage, r.text) for _, r in contrasts]
    return QuizQuestion(text=text, choices=choices, answer=pos, citations=citations, theme=theme,
                        audience=audience, kind="offre", explanation=explanation)
