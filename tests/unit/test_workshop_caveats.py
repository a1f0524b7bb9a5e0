"""A fine taught with its article's rule for SMEs: « le montant le plus élevé » alone tells the
cadres of an industrial SME the wrong ceiling; and with a practice it punishes, when it names an article
of banned practices."""
from __future__ import annotations

from assistant.domain import Passage, Quote
from assistant.workshop.caveats import (banned_practices, rare_terms, small_companies, with_definitions,
                                        with_practices, with_small_companies)
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


SCORING = ("c) la mise sur le marché, la mise en service ou l’utilisation de systèmes d’IA pour la notation "
           "sociale des personnes physiques, sauf lorsque la loi le prévoit;")
EMOTIONS = ("f) la mise sur le marché, la mise en service à cette fin spécifique ou l’utilisation de systèmes "
            "d’IA pour inférer les émotions d’une personne physique sur le lieu de travail, sauf pour des raisons "
            "médicales;")
BANS = Passage("a5", f"1. Les pratiques en matière d’IA suivantes sont interdites:\n{SCORING}\n{EMOTIONS}",
               "ai-act/article-05.md", "Article 5 — Pratiques interdites en matière d’IA")
POINTING = ("Le non-respect de l’interdiction des pratiques en matière d’IA visées à l’article 5 fait l’objet "
            "d’amendes pouvant aller jusqu’à 35 000 000 EUR.")


def test_a_discussion_on_fines_for_an_articles_banned_practices_is_asked_from_one_of_them() -> None:
    """« … les pratiques visées à l'article 5 » names none: the discussion names the use a company meets
    first (at work), cited from article 5."""
    practices = banned_practices([PARAGRAPH_3, BANS])
    assert list(practices) == ["5"]
    line = "Quels usages pourraient constituer « le non-respect … visées à l’article 5 » ? Qui doit y veiller ?"
    asking = OutlinePart(text="Sanctions", minutes=30, objectives=[], discussion=[line], citations=[],
                         line_sources={line: Quote(PARAGRAPH_3, POINTING)})
    part = with_practices(asking, practices)
    [asked] = part.discussion
    assert asked.startswith("L'article 5 interdit notamment « l’utilisation de systèmes d’IA pour inférer les "
                            "émotions d’une personne physique sur le lieu de travail », sauf exception")
    assert part.line_sources[asked].passage.id == "a5" and "émotions" in part.line_sources[asked].text
    assert line not in part.line_sources


def test_a_discussion_on_another_fine_or_without_the_article_stays() -> None:
    line = "Quels usages pourraient constituer ce manquement ? Qui doit y veiller ?"
    other = OutlinePart(text="Sanctions", minutes=30, objectives=[], discussion=[line], citations=[],
                        line_sources={line: Quote(PARAGRAPH_3, FINE)})  # « des pratiques », no article named
    assert with_practices(other, banned_practices([BANS])) == other
    pointing = OutlinePart(text="Sanctions", minutes=30, objectives=[], discussion=[line], citations=[],
                           line_sources={line: Quote(PARAGRAPH_3, POINTING)})
    assert with_practices(pointing, banned_practices([PARAGRAPH_3])) == pointing  # article 5 not in the corpus


DEFINITIONS = Passage("a3", "Aux fins du présent règlement, on entend par:\n"
                      "- 4) «déployeur», une personne physique ou morale utilisant sous sa propre autorité un "
                      "système d’IA;\n"
                      "- 60) «hypertrucage», une image ou un contenu audio ou vidéo généré ou manipulé par l’IA;",
                      "ai-act/article-03.md", "Article 3 — Définitions")
DEEPFAKES = ("Les déployeurs d’un système d’IA qui génère des contenus constituant un hypertrucage indiquent que les "
             "contenus ont été générés par une IA.")
ARTICLE_50 = Passage("a50", f"4. {DEEPFAKES}", "ai-act/article-50.md", "Article 50 — Obligations de transparence")
OTHERS = [Passage(f"a{n}", "Les déployeurs informent les travailleurs.", f"ai-act/article-{n}.md", f"Article {n}")
          for n in (26, 27)]
REPORT = Passage("r", "« Définir l'intelligence artificielle n'est pas chose facile », estime un cadre interrogé.",
                 "etude.pdf", "Étude")


def test_a_rule_using_a_rare_defined_term_is_taught_with_its_definition_cited() -> None:
    """« hypertrucage »: two documents use it; « déployeur »: four, and the kit teaches it anyway. Not a
    report's quote that opens like a definition."""
    rare = rare_terms([DEFINITIONS, ARTICLE_50, *OTHERS, REPORT])
    assert [d.term for d in rare] == ["hypertrucage"]
    line = f"Appliquer la règle selon laquelle {DEEPFAKES[0].lower()}{DEEPFAKES[1:]}"
    part = with_definitions(_part(line, Quote(ARTICLE_50, DEEPFAKES)), rare)
    assert part.objectives == [line, "Définir « hypertrucage » : une image ou un contenu audio ou vidéo généré ou "
                                     "manipulé par l’IA."]
    assert part.line_sources[part.objectives[1]].passage.id == "a3"
    assert with_definitions(part, rare).objectives == part.objectives  # once
    other = _part("Expliquer que les déployeurs informent les travailleurs.", Quote(OTHERS[0], OTHERS[0].text))
    assert with_definitions(other, rare) == other
