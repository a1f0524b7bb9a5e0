"""What a trainer reads when an objective, a discussion point or a quiz question quotes one sentence:
the sentence keeps the scope and subject its heading gives it, and the options test understanding."""
from __future__ import annotations

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage, Quote
from assistant.workshop.terms import definitions, term_question
from assistant.workshop.mix import Mix, compose
from assistant.workshop.outline import discussion, objective
from assistant.workshop.sources import Candidate

OVERSIGHT = Passage("a26", "Les déployeurs confient le contrôle humain à des personnes physiques qui disposent des "
                    "compétences, de la formation et de l’autorité nécessaires.", "ai-act/article-26.md",
                    "Article 26 — Obligations incombant aux déployeurs de systèmes d’IA à haut risque")
HEADING = Passage("p12a", "Capacité à travailler en équipe.\nDes compétences en intelligence artificielle "
                  "recherchées dans les activités liées à la qualité", "etude.pdf", "Étude", page=12, position=4)
FINDING = ("Dans la fonction services techniques, ce sont les cadres en qualité et maintenance qui sont "
           "particulièrement recherchés par les entreprises.")
FINDINGS = Passage("p12b", FINDING, "etude.pdf", "Étude", page=12, position=5)


def test_a_rule_quoted_alone_keeps_the_scope_its_article_gives_its_subject() -> None:
    """« Les déployeurs confient le contrôle humain … » binds deployers of high-risk systems only:
    the objective and the discussion point say so (a blind rater turned both down without it)."""
    quote = Quote(OVERSIGHT, OVERSIGHT.text)
    assert objective("règles", quote).startswith("Appliquer la règle selon laquelle les déployeurs de systèmes "
                                                 "d’IA à haut risque confient le contrôle humain")
    point = discussion("règles", quote, "cadres RH")
    assert "Cette règle vise les déployeurs de systèmes d’IA à haut risque." in point
    assert point.startswith(f"« {OVERSIGHT.text} »")  # quoted first, not at the end of a long question (S, T)
    # a subject with its own complement is left as the text writes it
    own = Passage("a50", "Les déployeurs d’un système d’IA qui génère un hypertrucage indiquent que les contenus "
                  "ont été générés par une IA.", "ai-act/article-50.md",
                  "Article 50 — Obligations de transparence pour les déployeurs de certains systèmes d’IA")
    assert "certains systèmes" not in objective("règles", Quote(own, own.text))


def test_a_finding_keeps_the_ai_heading_it_was_written_under() -> None:
    """A finding on the jobs employers seek, under a heading on AI skills one passage earlier on its
    page, reads as a finding on all recruitment when quoted alone: what the heading is about comes with
    it, in a few words (nine raters found « (partie « <the whole heading> ») » heavy)."""
    quote = Quote(FINDINGS, FINDING)
    assert objective("cas", quote, [HEADING, FINDINGS]) == (
        "Expliquer que, s'agissant des compétences en intelligence artificielle, dans la fonction services "
        "techniques, ce sont les cadres en qualité et maintenance qui sont particulièrement recherchés par les "
        "entreprises.")
    point = discussion("pratique", quote, "cadres", [HEADING, FINDINGS])
    assert point == ("Pour vous, cadres, qu'observez-vous dans votre entreprise au regard de ce constat sur les "
                     f"compétences en intelligence artificielle : « {FINDING} » ? Qu'est-ce qui l'explique ?")
    assert "mettriez-vous en place" not in point  # a finding asks for a comparison, not a plan
    assert "intelligence" not in objective("cas", quote, [FINDINGS])  # no heading on AI before it: nothing added
    # a heading that does not open on what it is about is given whole
    other = Passage("p12c", "Capacité à travailler en équipe.\nRecrutement : des compétences en intelligence "
                    "artificielle recherchées", "etude.pdf", "Étude", page=12, position=4)
    assert objective("cas", quote, [other, FINDINGS]).endswith(
        "(partie « Recrutement : des compétences en intelligence artificielle recherchées »).")


ROLES = Passage("a3", "\n\n".join([
    "- 4) «déployeur», une personne physique ou morale utilisant sous sa propre autorité un système d’IA;",
    "- 5) «distributeur», une personne physique ou morale faisant partie de la chaîne d’approvisionnement qui "
    "met un système d’IA à disposition sur le marché;",
    "- 8) «opérateur», une personne physique ou morale qui est fournisseur, fabricant de produits, déployeur, "
    "mandataire, importateur ou distributeur;",
    "- 6) «importateur», une personne située dans l’Union qui importe un produit portant la marque d’une "
    "entreprise établie dans un pays tiers;",
    "- 3) «fournisseur», une personne physique ou morale qui développe un système d’IA et le met sur le "
    "marché sous son propre nom;",
    "- 5) «mandataire», une personne établie dans l’Union ayant reçu un mandat écrit pour s’acquitter en son "
    "nom des obligations prévues par le règlement;",
    "- 60) «hypertrucage», une image ou un contenu audio ou vidéo généré ou manipulé par l’IA, qui présente "
    "une ressemblance avec des personnes ou des lieux existants;",
]), "ai-act/article-03.md", "Article 3 — Définitions")


def test_a_definition_s_wrong_options_never_name_the_term_asked() -> None:
    found = definitions([ROLES])
    question = term_question(next(d for d in found if d.term == "distributeur"), found, "l'IA Act", "cadres")
    assert question is not None and question.right_answer == "distributeur"
    assert "opérateur" not in question.choices  # « … déployeur, mandataire, importateur ou distributeur »: right too


def test_only_the_terms_the_theme_s_sentences_keep_using_are_asked() -> None:
    """« déployeur », in every rule of the theme, is asked; « distributeur », named once in a list of
    roles, is not (« peu utile à ces cadres », a blind rater)."""
    sentences = ["Les déployeurs informent les travailleurs.", "Les déployeurs conservent les journaux.",
                 "Les déployeurs, importateurs et distributeurs coopèrent avec les autorités."]
    rules = Passage("a26", " ".join(sentences), "ai-act/article-26.md", "Article 26")
    candidates = [Candidate(s, rules, 0, 1.0, 1.0) for s in sentences]
    mix = Mix(FakeLLM(replies=["?"] * 10), "l'IA Act", "cadres", candidates, candidates, [ROLES, rules],
              lambda *_: None, max_attempts=0)
    asked = [q.right_answer for q in compose(mix, 4, only=("terme",))]
    assert "déployeur" in asked and "distributeur" not in asked and "importateur" not in asked
