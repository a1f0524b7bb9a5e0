"""« Documents »: the indexed documents, uploads (indexed at once, the rest of the index kept) and
deletion after a confirmation in the browser. The line under the title follows every change."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant
from assistant.domain import IndexReport
from assistant.errors import DocumentError
from assistant.render.documents import (
    HEADERS,
    NOTHING_TO_DELETE,
    deleted,
    document_choices,
    document_rows,
    upload_lines,
)
from assistant.services.access import User
from assistant.ui.about import about_line
from assistant.ui.assets import asset

log = logging.getLogger("assistant.ui.documents")

CONFIRM_DELETE_JS = asset("confirm-delete.js")  # the browser's confirm() before anything is deleted
INTRO = ("Les documents indexés sont les seules sources des réponses. Ajoutez des PDF, des fichiers "
         "Markdown (.md) ou texte (.txt) : seuls les nouveaux fichiers sont indexés, le reste de "
         "l’index est conservé.")


GROUP_LABELS = {"": "Tout le monde"}


class DocumentsTab:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def user(self, request: gr.Request | None) -> User:
        return self.assistant.accounts.user(getattr(request, "username", None))

    def _outputs(self, status: str, model: str | None, user: User) -> tuple[Any, ...]:
        """Status, table, deletion choice and the line under the title, after a change: only the
        documents `user` may read."""
        documents = self.assistant.corpus.list(user)
        return (status, document_rows(documents), gr.Dropdown(choices=document_choices(documents), value=None),
                about_line(self.assistant, model, user))

    def refresh(self, model: str | None, request: gr.Request | None = None) -> tuple[Any, ...]:
        """At page load: this user's documents, and the upload and deletion controls if they may edit."""
        user = self.user(request)
        groups = user.upload_groups()
        editor = bool(groups)
        choices = [(GROUP_LABELS.get(g, g), g) for g in groups]
        return (*self._outputs("", model, user), gr.File(visible=editor), gr.Row(visible=editor),
                gr.Dropdown(choices=choices, value=groups[0] if groups else None, visible=len(groups) > 1))

    def _add(self, file: str, group: str | None, user: User) -> IndexReport | None:
        try:
            return self.assistant.corpus.add(Path(file), Path(file).name, group, user)
        except Exception:  # noqa: BLE001 - one bad upload must not stop the others
            log.exception("upload failed: %s", Path(file).name)
            return None

    def upload(self, files: list[str] | None, model: str, group: str | None = None,
               progress: gr.Progress = gr.Progress(), request: gr.Request | None = None) -> tuple[Any, ...]:
        user = self.user(request)
        if not files:
            return (gr.skip(), *self._outputs("", model, user)[1:], None)
        lines: list[str] = []
        for step, file in enumerate(files):
            name = Path(file).name
            progress((step, len(files)), desc=f"Indexation de « {name} »", unit="document")
            lines += upload_lines(name, self._add(file, group, user))
        progress((len(files), len(files)), desc="Index à jour")
        return (*self._outputs("\n\n".join(lines), model, user), None)

    def delete(self, name: str, model: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        user = self.user(request)
        if not name:
            return self._outputs(NOTHING_TO_DELETE, model, user)
        try:
            self.assistant.corpus.delete(name, user)
        except DocumentError as error:
            return self._outputs(f"**Refusé** : {error}", model, user)
        return self._outputs(deleted(name), model, user)

    def build(self, model: gr.Radio, about: gr.Markdown, page: gr.Blocks) -> None:
        """The tab's layout and events (`model`: the chat's choice, for the line under the title).
        The list is filled at each page load, for the user who opened it."""
        gr.Markdown(INTRO)
        table = gr.Dataframe([], headers=HEADERS, interactive=False, wrap=True, elem_id="documents-table")
        upload = gr.File(label="Ajouter des documents (PDF, .md, .txt)", file_count="multiple", type="filepath",
                         elem_id="upload", visible=False)
        group = gr.Dropdown([], label="Documents réservés à", elem_id="upload-group", visible=False)
        status = gr.Markdown(elem_id="documents-status")
        with gr.Row(visible=False) as deletion:
            doomed = gr.Dropdown([], value=None, label="Document à supprimer", elem_id="delete-choice", scale=3)
            delete = gr.Button("Supprimer", variant="stop", elem_id="delete", scale=1)
        outputs = [status, table, doomed, about]
        page.load(self.refresh, [model], [*outputs, upload, deletion, group], api_visibility="private")
        upload.upload(self.upload, [upload, model, group], [*outputs, upload], concurrency_id="model",
                      show_progress_on=[table], api_visibility="private")
        delete.click(self.delete, [doomed, model], outputs, js=CONFIRM_DELETE_JS, concurrency_id="model",
                     api_visibility="private")
