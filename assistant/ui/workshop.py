"""« Préparer une session »: the trainers' workspace as a tab of the web app.

    with gr.Tab("Préparer une session"):
        WorkshopTab(assistant, exports_dir).build(model_radio)

Only the workshop API is called (`Workshop`, `check`, `export`); items are shown as cards with
their sources (`assistant.render.workshop_html`), picked in a list to be edited or regenerated
one by one, and the Markdown, Word and PowerPoint exports are refreshed after every change, ready to download.
"""
from __future__ import annotations

import logging
import re
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.render.workshop_html import session_html
from assistant.services.assistant import Assistant
from assistant.text.sentences import shorten
from assistant.render.slides import to_pptx
from assistant.render.training import export
from assistant.workshop import (PARTS, Item, KeyFigure, OutlinePart, QuizQuestion, TrainingSession, Workshop,
                                apply_edit, check, shortfall)

log = logging.getLogger("assistant.ui.workshop")

FIGURES = 8
QUESTIONS = 8
KINDS = {kind: name for kind, _, name in PARTS}  # in the exported order
CSS = (Path(__file__).parent / "static" / "workshop.css").read_text(encoding="utf-8")


@dataclass
class Desk:
    """What one browser tab has: its workshop (retrieval cached per theme), its session, its exports."""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    workshop: Workshop | None = None
    documents: tuple = ()  # the index the workshop was built on: a new one after an upload
    session: TrainingSession | None = None


def _items(session: TrainingSession | None, kind: str) -> list[Item]:
    return getattr(session, kind) if session else []


def _find(desk: Desk | None, key: str | None) -> tuple[str, int, Item] | None:
    if not desk or not desk.session or not key or ":" not in key:
        return None
    kind, _, number = key.partition(":")
    items = _items(desk.session, kind) if kind in KINDS else []
    index = int(number) if number.isdigit() else -1
    return (kind, index, items[index]) if 0 <= index < len(items) else None


def slug(theme: str) -> str:
    plain = unicodedata.normalize("NFKD", theme).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:50].strip("-") or "theme"


# --- display -----------------------------------------------------------------------------------
def cards(session: TrainingSession | None) -> str:
    """Every item as a card with its sources; what an edit broke is flagged (export's own check)."""
    return session_html(session, check(session) if session else {})


def item_choices(session: TrainingSession | None) -> list[tuple[str, str]]:
    choices = []
    for kind, label in KINDS.items():
        for i, item in enumerate(_items(session, kind)):
            text = f"{item.figure} — {item.text}" if isinstance(item, KeyFigure) else item.text
            choices.append((f"{label} {i + 1} · {shorten(text, 10)}", f"{kind}:{i}"))
    return choices


# --- editing -----------------------------------------------------------------------------------
CHOICES_LABEL = {False: "Réponses proposées (une par ligne, la bonne précédée de *)",
                 True: "Réponse attendue (question ouverte, une ligne)"}


def editor_values(item: Item | None) -> tuple[Any, ...]:
    """(text, figure, choices, objectives, discussion) fields for an item; only its own are shown."""
    if item is None:
        hidden = (gr.Textbox(value="", visible=False) for _ in range(4))
        return (gr.Textbox(value="", label="Texte", interactive=False), *hidden)
    figure = isinstance(item, KeyFigure)
    quiz = isinstance(item, QuizQuestion)
    outline = isinstance(item, OutlinePart)
    label = "Ce que dit le chiffre" if figure else "Question" if quiz else "Titre de la partie"
    choices = "\n".join(("* " if j == item.answer else "") + c for j, c in enumerate(item.choices)) if quiz else ""
    if quiz and item.is_open:
        choices = item.right_answer
    return (gr.Textbox(value=item.text, label=label, interactive=True),
            gr.Textbox(value=item.figure if figure else "", visible=figure),
            gr.Textbox(value=choices, visible=quiz, label=CHOICES_LABEL[quiz and item.is_open]),
            gr.Textbox(value="\n".join(item.objectives) if outline else "", visible=outline),
            gr.Textbox(value="\n".join(item.discussion) if outline else "", visible=outline))


# --- the tab -----------------------------------------------------------------------------------
def _editor() -> tuple[Any, list[Any], Any, Any, list[Any]]:
    """The item list, the item's fields (text, figure, choices, objectives, discussion), the save
    and regenerate buttons, the three downloads."""
    item = gr.Dropdown([], value=None, label="Élément à modifier ou régénérer", elem_id="ws-item")
    editor = [gr.Textbox(label="Texte", lines=2, interactive=False, elem_id="ws-text"),
              gr.Textbox(label="Chiffre (tel qu’il figure dans la source)", visible=False, elem_id="ws-figure"),
              gr.Textbox(label=CHOICES_LABEL[False], lines=4, visible=False, elem_id="ws-choices"),
              gr.Textbox(label="Objectifs (un par ligne)", lines=3, visible=False, elem_id="ws-objectives"),
              gr.Textbox(label="Points de discussion (un par ligne)", lines=3, visible=False,
                         elem_id="ws-discussion")]
    with gr.Row():
        save = gr.Button("Enregistrer la modification", elem_id="ws-save")
        again = gr.Button("Régénérer cet élément", elem_id="ws-regenerate")
    with gr.Row():
        downloads = [gr.DownloadButton("Télécharger (Markdown)", interactive=False, elem_id="ws-export-md"),
                     gr.DownloadButton("Télécharger (Word)", interactive=False, elem_id="ws-export-docx"),
                     gr.DownloadButton("Télécharger (PowerPoint)", interactive=False, elem_id="ws-export-pptx")]
    return item, editor, save, again, downloads



class WorkshopTab:
    def __init__(self, assistant: Assistant, exports: Path, concurrency_id: str = "model") -> None:
        self.assistant = assistant
        self.exports = exports
        self.concurrency_id = concurrency_id

    def _workshop(self, desk: Desk, model: str | None, request: gr.Request | None) -> Workshop:
        """One per tab, rebuilt when the documents changed (its retrieval is cached per theme); it
        searches only the documents the trainer may read."""
        user = self.assistant.accounts.user(getattr(request, "username", None))
        documents = (user, *((d.path, d.indexed_at) for d in self.assistant.documents(user)))
        if desk.workshop is None or desk.documents != documents:
            desk.workshop, desk.documents = Workshop(self.assistant, groups=user.search_groups), documents
        desk.workshop.model = model or None
        return desk.workshop

    def _exports(self, desk: Desk) -> tuple[Any, ...]:
        """Markdown, Word and PowerPoint, written again after every change."""
        if not desk.session or not desk.session.items():
            return tuple(gr.DownloadButton(value=None, interactive=False) for _ in range(3))
        name = f"session-{slug(desk.session.theme)}"
        markdown, docx = export(desk.session, self.exports / desk.id, name)
        slides = to_pptx(desk.session, self.exports / desk.id / f"{name}.pptx")
        return tuple(gr.DownloadButton(value=str(path), interactive=True) for path in (markdown, docx, slides))

    def _show(self, desk: Desk, status: str, key: str | None = None) -> tuple[Any, ...]:
        """Every output of a change: cards, status, item list, editor, exports, state."""
        found = _find(desk, key)
        return (cards(desk.session), status,
                gr.Dropdown(choices=item_choices(desk.session), value=key if found else None),
                *editor_values(found[2] if found else None), *self._exports(desk), desk)

    # --- handlers ----------------------------------------------------------------------------
    def generate(self, kind: str, theme: str, audience: str, minutes: float, desk: Desk | None,
                 model: str | None, progress: gr.Progress, request: gr.Request | None = None) -> tuple[Any, ...]:
        desk = desk or Desk()
        theme, audience, minutes = " ".join((theme or "").split()), " ".join((audience or "").split()), int(minutes or 60)
        if not theme:
            gr.Warning("Indiquez d’abord le thème de la session.")
            return self._show(desk, "Indiquez d’abord le thème de la session.")
        session = desk.session
        if session is None or (session.theme, session.audience) != (theme, audience):
            session = TrainingSession(theme, audience, minutes)  # another theme or public: a new session
        session.minutes = minutes

        def report(message: str, done: int, total: int) -> None:
            progress(done / max(total, 1), desc=message)

        start = time.perf_counter()
        try:
            progress(0, desc="Recherche des passages du thème")
            workshop = self._workshop(desk, model, request)
            if kind == "figures":
                session.figures = workshop.key_figures(theme, audience, FIGURES, report)
            elif kind == "quiz":
                session.quiz = workshop.quiz(theme, QUESTIONS, audience, report)
            else:
                session.outline = workshop.outline(theme, audience, minutes, report)
        except Exception as error:  # noqa: BLE001 - the trainer gets a message, the log the details
            return self._failed(desk, error, "**Rien n’a été généré**", "**Rien n’a été généré**")
        desk.session = session
        seconds = time.perf_counter() - start
        count = len(_items(session, kind))
        what = {"figures": f"{count} chiffre(s) clé(s)", "quiz": f"{count} question(s)",
                "outline": f"{count} partie(s) du déroulé"}[kind]
        session.timings[f"{kind}_s"] = seconds
        asked = {"figures": FIGURES, "quiz": QUESTIONS}.get(kind, 0)
        note = shortfall(kind, count, asked)
        return self._show(desk, f"**{what}** en {seconds:.1f} s, chacun avec sa source." + (f" {note}" if note else ""))

    def _failed(self, desk: Desk, error: Exception, status: str, unexpected: str,
                key: str | None = None) -> tuple[Any, ...]:
        """A failed generation: the error's own French message, or a generic one and the details in
        the log (called inside the `except` block)."""
        if isinstance(error, AssistantError):
            gr.Warning(str(error))
            return self._show(desk, f"{status} : {error}", key)
        log.exception("workshop generation failed")
        gr.Warning("Une erreur inattendue s’est produite ; réessayez.")
        return self._show(desk, f"{unexpected} : erreur inattendue.", key)

    def _nothing_picked(self, desk: Desk, verb: str) -> tuple[Any, ...]:
        message = f"Choisissez d’abord l’élément à {verb}."
        gr.Warning(message)
        return self._show(desk, message)

    def choose(self, key: str | None, desk: Desk | None) -> tuple[Any, ...]:
        found = _find(desk, key)
        return editor_values(found[2] if found else None)

    def save(self, key: str | None, text: str, figure: str, choices: str, objectives: str, discussion: str,
             desk: Desk | None) -> tuple[Any, ...]:
        desk = desk or Desk()
        found = _find(desk, key)
        if found is None:
            return self._nothing_picked(desk, "modifier")
        kind, index, item = found
        reason = apply_edit(item, text, figure, choices, objectives, discussion)
        if reason:
            gr.Warning(reason)
            return self._show(desk, f"**Modification refusée** : {reason}", key)
        problems = check(desk.session).get(desk.session.items().index(item), [])
        note = f" ⚠ À vérifier : {'; '.join(problems)}." if problems else ""
        return self._show(desk, f"**{KINDS[kind]} {index + 1} modifié(e)**, exports à jour.{note}", key)

    def regenerate(self, key: str | None, desk: Desk | None, model: str | None,
                   progress: gr.Progress, request: gr.Request | None = None) -> tuple[Any, ...]:
        desk = desk or Desk()
        found = _find(desk, key)
        if found is None:
            return self._nothing_picked(desk, "régénérer")
        kind, index, item = found
        progress(0, desc=f"{KINDS[kind]} {index + 1} : nouvelle version")
        try:
            self._workshop(desk, model, request).regenerate(item, desk.session)
        except Exception as error:  # noqa: BLE001
            unchanged = f"**{KINDS[kind]} {index + 1} inchangé(e)**"
            return self._failed(desk, error, unchanged, "**Élément inchangé**", key)
        return self._show(desk, f"**{KINDS[kind]} {index + 1} régénéré(e)** à partir d’autres passages.", key)

    # --- layout ------------------------------------------------------------------------------
    def build(self, model: gr.components.Component | None = None) -> None:
        """The tab's content, inside the caller's `gr.Tab`; `model` is the app's model choice."""
        desk = gr.State(None)
        gr.Markdown("Préparez le support d’une session de formation à partir des documents indexés : "
                    "fiche de chiffres clés, quiz et déroulé, chaque élément avec sa source. Relisez, "
                    "modifiez ou régénérez chaque élément, puis téléchargez le document.")
        with gr.Row(equal_height=True):
            theme = gr.Textbox(label="Thème", placeholder="ex. l’IA dans la maintenance et la qualité",
                               elem_id="ws-theme", scale=4, max_length=300)
            audience = gr.Textbox(label="Public", placeholder="ex. cadres de la qualité, RH, commerciaux",
                                  elem_id="ws-audience", scale=3, max_length=200)
            minutes = gr.Slider(30, 240, value=90, step=15, label="Durée (minutes)", elem_id="ws-minutes", scale=2)
        with gr.Row():
            figures = gr.Button("Fiche de chiffres clés", variant="primary", elem_id="ws-figures")
            quiz = gr.Button("Quiz", variant="primary", elem_id="ws-quiz")
            outline = gr.Button("Déroulé de la session", variant="primary", elem_id="ws-outline")
        status = gr.Markdown(elem_id="ws-status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                view = gr.HTML(cards(None), elem_id="ws-session", min_height=300)
            with gr.Column(scale=2):
                item, editor, save, again, downloads = _editor()
        outputs = [view, status, item, *editor, *downloads, desk]
        chosen = [model] if model is not None else []
        common: dict[str, Any] = {"concurrency_id": self.concurrency_id, "api_visibility": "private"}

        def generator(kind: str) -> Callable[..., tuple[Any, ...]]:
            def run(theme: str, audience: str, minutes: float, desk: Desk | None, model: str | None = None,
                    progress: gr.Progress = gr.Progress(), request: gr.Request = None) -> tuple[Any, ...]:
                return self.generate(kind, theme, audience, minutes, desk, model, progress, request)
            return run

        for button, kind in ((figures, "figures"), (quiz, "quiz"), (outline, "outline")):
            button.click(generator(kind), [theme, audience, minutes, desk, *chosen], outputs,
                         show_progress_on=[view], **common)

        def regenerate(key: str | None, desk: Desk | None, model: str | None = None,
                       progress: gr.Progress = gr.Progress(), request: gr.Request = None) -> tuple[Any, ...]:
            return self.regenerate(key, desk, model, progress, request)

        item.input(self.choose, [item, desk], editor, api_visibility="private", show_progress="hidden")
        save.click(self.save, [item, *editor, desk], outputs, api_visibility="private", show_progress="hidden")
        again.click(regenerate, [item, desk, *chosen], outputs, show_progress_on=[view], **common)
