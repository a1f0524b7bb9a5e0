"""« Documents »: the indexed documents, uploads (indexed at once, the rest of the index kept) and
deletion after a confirmation in the browser. The line under the title follows every change."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant
from assistant.domain import IndexReport
from assistant.render.documents import (
    HEADERS,
    NOTHING_TO_DELETE,
    deleted,
    document_choices,
    document_rows,
    upload_lines,
)
from assistant.ui.about import about_line
from assistant.ui.assets import asset

log = logging.getLogger("assistant.ui.documents")

CONFIRM_DELETE_JS = asset("confirm-delete.js")  # the browser's confirm() before anything is deleted
INTRO = ("Les documents indexés sont les seules sources des réponses. Ajoutez des PDF, des fichiers "
         "Markdown (.md) ou texte (.txt) : seuls les nouveaux fichiers sont indexés, le reste de "
         "l’index est conservé.")


class DocumentsTab:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def _outputs(self, status: str, model: str | None) -> tuple[Any, ...]:
        """Status, table, deletion choice and the line under the title, after a change."""
        documents = self.assistant.corpus.list()
        return (status, document_rows(documents), gr.Dropdown(choices=document_choices(documents), value=None),
                about_line(self.assistant, model))

    def _add(self, file: str) -> IndexReport | None:
        try:
            return self.assistant.corpus.add(Path(file), Path(file).name)
        except Exception:  # noqa: BLE001 - one bad upload must not stop the others
            log.exception("upload failed: %s", Path(file).name)
            return None

    def upload(self, files: list[str] | None, model: str, progress: gr.Progress = gr.Progress()
               ) -> tuple[Any, ...]:
        if not files:
            return (gr.skip(), *self._outputs("", model)[1:], None)
        lines: list[str] = []
        for step, file in enumerate(files):
            name = Path(file).name
            progress((step, len(files)), desc=f"Indexation de « {name} »", unit="document")
            lines += upload_lines(name, self._add(file))
        progress((len(files), len(files)), desc="Index à jour")
        return (*self._outputs("\n\n".join(lines), model), None)

    def delete(self, name: str, model: str) -> tuple[Any, ...]:
        if not name:
            return self._outputs(NOTHING_TO_DELETE, model)
        self.assistant.corpus.delete(name)
        return self._outputs(deleted(name), model)

    def build(self, model: gr.Radio, about: gr.Markdown) -> None:
        """The tab's layout and events (`model`: the chat's choice, for the line under the title)."""
        documents = self.assistant.corpus.list()
        gr.Markdown(INTRO)
        table = gr.Dataframe(document_rows(documents), headers=HEADERS, interactive=False, wrap=True,
                             elem_id="documents-table")
        upload = gr.File(label="Ajouter des documents (PDF, .md, .txt)", file_count="multiple", type="filepath",
                         elem_id="upload")
        status = gr.Markdown(elem_id="documents-status")
        with gr.Row():
            doomed = gr.Dropdown(document_choices(documents), value=None, label="Document à supprimer",
                                 elem_id="delete-choice", scale=3)
            delete = gr.Button("Supprimer", variant="stop", elem_id="delete", scale=1)
        outputs = [status, table, doomed, about]
        upload.upload(self.upload, [upload, model], [*outputs, upload], concurrency_id="model",
                      show_progress_on=[table], api_visibility="private")
        delete.click(self.delete, [doomed, model], outputs, js=CONFIRM_DELETE_JS, concurrency_id="model",
                     api_visibility="private")
