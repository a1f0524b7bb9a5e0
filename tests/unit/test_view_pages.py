"""What the web app shows, without a browser: answer HTML (citations, unsupported sentences), the
turn's data for clients (data-turn-json) and PDF pages rendered with the passage highlighted."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, Conversation
from assistant.render.pages import find_spans, render_page
from assistant.render.html import ChatTurn, answer_html, conversation_html, evidence_html, strip_markers

from support.documents import PDF_FOOTER, PDF_HEADER, PDF_PAGES, make_pdf

REPLY = ("La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés [1]. "
         "Les robots humanoïdes remplaceront tous les techniciens dès demain.")
QUESTION = "Quelle part des dirigeants cite la cybersécurité comme priorité ?"


def _turn(indexed: Assistant, reply: str) -> ChatTurn:
    indexed.llm().say(reply)
    answer = indexed.ask(QUESTION, Conversation())
    return ChatTurn(QUESTION, phase="done", query=answer.search_query, evidence=answer.evidence, answer=answer)


def test_markers_become_buttons_and_an_unsupported_sentence_leaves_the_answer(indexed: Assistant) -> None:
    turn = _turn(indexed, REPLY)
    html = answer_html(0, turn.answer)
    citation = turn.answer.citations[0]
    assert f'data-passage="{citation.passage.id}"' in html and ">1</button>" in html
    assert "62 %" in html and "Appuyé par les passages" in html
    assert "robots" not in html and "robots" not in turn.answer.text  # never shown as if sourced
    page = conversation_html([turn])
    unsourced = page.split('data-testid="unsourced"')[1].split("</details>")[0]
    assert "Texte non sourcé" in unsourced and "robots humanoïdes" in unsourced


def test_a_fully_supported_answer_carries_no_warning(indexed: Assistant) -> None:
    turn = _turn(indexed, "La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés [1].")
    html = answer_html(0, turn.answer)
    assert html.count('<span class="claim"') == 1
    assert 'data-testid="unsourced"' not in conversation_html([turn])


def test_evidence_cards_split_cited_from_consulted(indexed: Assistant) -> None:
    turn = _turn(indexed, REPLY)
    html = evidence_html(0, turn)
    cited, consulted = html.split("Consultés, non cités")
    assert "<mark>" in cited and "62 %" in cited.split("<mark>")[1]
    assert cited.count('data-testid="evidence-card"') == len(turn.answer.citations)
    assert consulted.count('data-testid="evidence-card"') == len(turn.evidence) - len(turn.answer.citations)


def test_streamed_text_hides_markers_until_they_are_checked() -> None:
    assert strip_markers("62 % des dirigeants [1]. Les rançon") == "62 % des dirigeants. Les rançon"
    assert strip_markers("62 % des dirigeants [1") == "62 % des dirigeants"
    assert strip_markers("Voir [2, 3] et") == "Voir et"


def test_user_text_is_escaped() -> None:
    html = conversation_html([ChatTurn("<img src=x onerror=alert(1)> ?")])
    assert "<img" not in html and "&lt;img" in html


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "etude.pdf"
    path.write_bytes(make_pdf(PDF_PAGES, PDF_HEADER, PDF_FOOTER))
    return path


def _yellow(image) -> int:
    r, g, b = np.asarray(image).astype(int).transpose(2, 0, 1)
    return int(((r > 200) & (g > 150) & (b < 200) & (r - b > 60)).sum())


def test_the_page_is_rendered_with_the_passage_highlighted(pdf: Path) -> None:
    passage = "\n".join(PDF_PAGES[1][1:])
    page = render_page(pdf, 2, passage, PDF_PAGES[1][1])
    assert page.highlighted and (page.page, page.pages) == (2, 3)
    assert page.image.width == 1100
    plain = render_page(pdf, 2)
    assert not plain.highlighted
    assert _yellow(page.image) > 2000 and _yellow(plain.image) == 0


def test_a_passage_not_on_the_page_leaves_it_unmarked(pdf: Path) -> None:
    page = render_page(pdf, 1, "\n".join(PDF_PAGES[2][1:]))
    assert not page.highlighted and _yellow(page.image) == 0
    with pytest.raises(ValueError):
        render_page(pdf, 4)


def test_passages_are_found_despite_line_breaks_hyphens_and_accents() -> None:
    page_text = "En-tête\r\nLa maintenance pré-\r\ndictive atteint 480 000 euros\r\npar site. Autre chose."
    spans = find_spans(page_text, "La maintenance prédictive atteint 480 000 euros par site.")
    assert len(spans) == 1
    start, end = spans[0]
    assert page_text[start:end].startswith("La maintenance") and page_text[start:end].endswith("site")


def test_when_nothing_is_relevant_the_nearest_passages_are_shown_as_not_retained(indexed: Assistant) -> None:
    events = list(indexed.stream("Quel est le cours de l'action Airbus aujourd'hui ?", Conversation()))
    found, answer = events[0], events[-1].answer
    assert answer.abstained and not answer.evidence
    turn = ChatTurn("Airbus ?", phase="done", query=found.retrieval.query, evidence=found.evidence, answer=answer)
    html = evidence_html(0, turn)
    assert "Aucun passage ne répond à la question" in html
    assert html.count("non retenu") == len(found.evidence) > 0
    assert 'class="badge">' not in html  # nothing presented as cited
