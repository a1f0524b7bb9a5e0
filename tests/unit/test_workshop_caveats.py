"""A fine taught with its article's rule for SMEs: « le montant le plus élevé » alone tells the
cadres of an industrial SME the wrong ceiling."""
from __future__ import annotations

from assistant.domain import Passage, Quote
from assistant.workshop.caveats import small_companies, with_small_companies
from assistant.workshop.items import OutlinePart

FINE = ("Le non-respect de l’interdiction des pratiques fait l’objet d’amendes pouvant aller jusqu’à 35 000 000 EUR "
        "ou jusqu’à 7 % du chiffre d’affaires, le montant le plus élevé étant retenu.")
SMALL = ("Dans le cas des PME, y compris les jeunes pousses, chaque amende visée au présent article s’élève au "
         "maximum aux montants visés aux paragraphes 3, 4 et 5, le chiffre le plus faible étant retenu.")
PARAGRAPH_3 = Passage("p3", f"3. {FINE}", "ai-act/article-99.md", "Article 99 — Sanctions")
PARAGRAPH_6 = Passage("p6", f"5. Autre chose.\n6. {SMALL}", "ai-act/article-99.md", "Article 99 — Sanctions")


def _part(line: str, quote: Quote) -> OutlinePart:
    return OutlinePart(text="Sanctions", minutes=30, objectives=[line], discussion=[], citations=[quote],
                       line_sources={line: quote})


def test_a_fine_with_the_higher_amount_gets_the_rule_for_smes_with_its_own_source() -> None:
    caveats = small_companies([PARAGRAPH_3, PARAGRAPH_6])
    assert caveats["ai-act/article-99.md"].text == SMALL
    part = with_small_companies(_part(f"Expliquer que {FINE}", Quote(PARAGRAPH_3, FINE)), caveats)
    assert part.objectives[1:] == [  # without « le présent article », « paragraphes 3, 4 et 5 »: opaque here
        "Expliquer que dans le cas des PME, y compris les jeunes pousses, chaque amende s’élève au maximum aux "
        "montants, le chiffre le plus faible étant retenu (et non le plus élevé)."]
    assert part.line_sources[part.objectives[1]].passage.id == "p6"  # cited, so the trainer can check it


def test_no_rule_for_smes_beside_what_is_not_a_fine_nor_twice() -> None:
    caveats = small_companies([PARAGRAPH_3, PARAGRAPH_6])
    other = "Les déployeurs informent les travailleurs."
    plain = _part(f"Expliquer que {other}", Quote(PARAGRAPH_3, other))
    assert with_small_companies(plain, caveats) == plain
    once = with_small_companies(_part(f"Expliquer que {FINE}", Quote(PARAGRAPH_3, FINE)), caveats)
    assert with_small_companies(once, caveats).objectives == once.objectives
