"""A job offer's title states what its body does not repeat (branch, region, company size): asked
for one of them, a reply that leaves it out is followed by the title, quoted and cited."""
from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from support.settings import fake_settings

OFFER = """# Offre d'emploi cadre — Technicien méthodes, Branche Chimie – Bretagne – 50 à 99 salarié.es

L'entreprise : Notre usine fabrique des peintures industrielles à base d'eau.

Missions : Vous optimisez les gammes de fabrication et pilotez les essais de nouvelles formules.
"""
QUESTION = "Quelle est la taille de l'entreprise qui recrute le technicien méthodes, et dans quelle branche ?"


def _bot(tmp_path: Path) -> Assistant:
    bot = Assistant(fake_settings(tmp_path))
    (bot.settings.corpus_dir / "offre.md").write_text(OFFER, encoding="utf-8")
    assert not bot.index().errors
    return bot


def test_a_field_the_reply_leaves_out_is_given_by_the_quoted_title(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    bot.llm().say("L'entreprise recrute un technicien méthodes dans la branche Chimie [1].")
    answer = bot.ask(QUESTION)
    assert not answer.abstained and answer.text.startswith("L'entreprise recrute un technicien méthodes")
    assert ("Intitulé de l'offre : « Offre d'emploi cadre — Technicien méthodes, Branche Chimie – Bretagne – "
            "50 à 99 salarié.es » [1].") in answer.text
    assert [c.passage.document for c in answer.citations] == ["offre.md"]


def test_a_reply_giving_the_fields_is_left_as_it_is(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    reply = "L'entreprise compte 50 à 99 salarié.es et relève de la branche Chimie [1]."
    bot.llm().say(reply)
    assert bot.ask(QUESTION).text == reply
    bot.llm().say("L'usine fabrique des peintures industrielles à base d'eau [1].")
    assert "Intitulé" not in bot.ask("Que fabrique l'usine qui recrute le technicien méthodes ?").text


def test_a_title_that_is_no_job_offer_s_is_not_quoted_as_one(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    report = "# Bilan énergétique, Bretagne\n\nLe bilan énergétique recense les consommations du site.\n"
    (bot.settings.corpus_dir / "bilan.md").write_text(report, encoding="utf-8")
    assert not bot.index().errors
    bot.llm().say("Le bilan énergétique recense les consommations du site [1].")
    assert "Intitulé" not in bot.ask("Dans quelle région le bilan énergétique a-t-il été établi ?").text
