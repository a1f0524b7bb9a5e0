"""« Laquelle de ces offres d'emploi demande … ? » (invented job offers)."""
from __future__ import annotations

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.text.normalise import quote_in
from assistant.workshop.mix import Mix, compose
from assistant.workshop.offers import clauses, job_offers, offer_questions
from assistant.workshop.quiz import check_quiz_question


def _offer(slug: str, post: str, *texts: str) -> list[Passage]:
    title = f"Offre d'emploi cadre — {post}, Branche Plasturgie, Bretagne, 50 à 99 salarié.es"
    return [Passage(f"{slug}{i}", text, f"offres/{slug}.md", title, None, position=i) for i, text in enumerate(texts)]


BUYER = _offer("acheteur", "Acheteur projets", "Missions : Vous négociez les contrats des moules et des presses.",
               "Profil : Ingénieur en mécanique, vous avez cinq ans d'expérience des achats industriels. "
               "Une connaissance des outils d'IA générative pour comparer les devis est appréciée.",
               "Avantages : Télétravail deux jours par semaine.")
SCIENTIST = _offer("scientist", "Data scientist", "Missions : Vous construisez les modèles de prévision des ventes.",
                   "Profil : Diplômé d'une école d'ingénieurs, vous maîtrisez SQL. De solides connaissances en "
                   "statistiques (tests, régressions), la maîtrise de Python (pandas, scikit-learn) et une "
                   "expérience des réseaux de neurones appliqués à l'image sont requises.")
PLANNER = _offer("planif", "Responsable planification", "Missions : Vous établissez le plan de charge des ateliers.",
                 "Profil : Vous connaissez les progiciels de gestion intégrés. • Aisance avec les tableaux de bord "
                 "• Goût pour l'amélioration continue des flux.")
ALL = BUYER + SCIENTIST + PLANNER


def test_an_offers_requirements_are_read_from_its_profile_each_listed_item_on_its_own() -> None:
    offers = {o.post: o for o in job_offers(ALL)}
    assert sorted(offers) == ["Acheteur projets", "Data scientist", "Responsable planification"]
    asked = [r.text for r in offers["Data scientist"].requirements]
    assert "De solides connaissances en statistiques (tests, régressions)" in asked
    assert "La maîtrise de Python (pandas, scikit-learn)" in asked  # not cut at the brackets' comma
    assert "Une expérience des réseaux de neurones appliqués à l'image" in asked  # « sont requises » left out
    assert not any("Télétravail" in r.text for r in offers["Acheteur projets"].requirements)  # next section
    assert clauses("Aisance avec les tableaux de bord • Goût pour l'amélioration continue des flux.") == [
        "Aisance avec les tableaux de bord", "Goût pour l'amélioration continue des flux"]


def test_the_question_asks_which_offer_makes_an_ai_requirement_the_others_wrong_and_explained() -> None:
    """The planner asks nothing in AI: no question on it, but a wrong answer. The buyer, whose post does
    not name AI, comes first; the explanation says what the data scientist asks, cited too."""
    questions = offer_questions(job_offers(ALL), "les compétences des offres", "cadres RH")
    first = questions[0]
    assert first.kind == "offre" and first.right_answer == "Acheteur projets"
    assert "« Une connaissance des outils d'IA générative pour comparer les devis est appréciée »" in first.text
    assert sorted(first.choices) == ["Acheteur projets", "Data scientist", "Responsable planification"]
    assert "l'offre « Data scientist » demande « Une expérience des réseaux de neurones" in first.explanation
    assert [q.passage.document for q in first.citations] == ["offres/acheteur.md", "offres/scientist.md"]
    assert all(quote_in(q.text, q.passage.text) for q in first.citations)
    assert check_quiz_question(first) == []
    assert not any(q.right_answer == "Responsable planification" for q in questions)


def test_no_question_on_a_requirement_that_names_the_post_or_that_another_offer_makes() -> None:
    """« Data » in the requirement gives the data scientist away; a buyer also asked for « réseaux de
    neurones » would make the scientist's requirement a second right answer."""
    named = _offer("scientist", "Data scientist", "Profil : Une expérience des pipelines de data pour la vision.")
    both = _offer("acheteur", "Acheteur projets",
                  "Profil : Une première approche des réseaux de neurones serait un plus.")
    asked_of = [q.right_answer for q in offer_questions(job_offers(named + BUYER + PLANNER), "t", "a")]
    assert asked_of == ["Acheteur projets"]
    asked = {q.right_answer: q.text for q in offer_questions(job_offers(both + SCIENTIST + PLANNER), "t", "a")}
    assert "réseaux de neurones" not in asked["Data scientist"] and "Python" in asked["Data scientist"]


def test_the_quiz_asks_one_offer_question_only_on_a_theme_drawn_from_several_offers() -> None:
    def quiz(passages: list[Passage]) -> list:
        mix = Mix(FakeLLM(), "les compétences des offres", "cadres", [], [], passages, lambda *_: None,
                  offers=job_offers(ALL))
        return compose(mix, 8, only=("offre",))
    assert len(quiz(BUYER + SCIENTIST)) == 1  # two offers: one question, the next would be answered by its explanation
    assert quiz(BUYER + [Passage("p", "La plasturgie recrute.", "etude.pdf", "Étude", 3)]) == []  # one offer only
    assert offer_questions(job_offers(BUYER + SCIENTIST), "t", "a") == []  # two offers: two options only
