"""Where a sentence belongs in a session as it runs (context, rules, cases, practice)."""
from __future__ import annotations

from assistant.workshop.stages import stage_of


def test_a_share_is_context_whatever_it_is_about_a_fine_stays_a_rule() -> None:
    """Two blind raters found « pratique » wrong for a part on « Seules 3 % des offres … compétences »."""
    assert stage_of("Seules 4 % des offres de la plasturgie demandent des compétences en vision.") == "contexte"
    assert stage_of("9 offres sur 10 concernent des postes d'ingénieur.") == "contexte"  # « postes »: practice else
    assert stage_of("Les recruteurs demandent des compétences en vision industrielle.") == "pratique"
    assert stage_of("Le manquement fait l'objet d'amendes allant jusqu'à 3 % du chiffre d'affaires.") == "règles"
