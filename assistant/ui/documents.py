"""« Documents »: the indexed documents, uploads and deletion after a confirmation in the browser.

An upload is checked at once (its name, whether it would replace a document: then the page asks),
then indexed in the background (`Assistant.uploads`): questions go on meanwhile, a timer shows each
file's progress, « Annuler l’indexation » stops it. The table, the deletion choices and the line
under the title are read again for every new page (`refresh`, on load) and after every change."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant
from assistant.errors import DocumentError
from assistant.render.documents import (
    HEADERS,
    NOTHING_TO_DELETE,
    deleted,
    document_choices,
    document_rows,
    job_line,
    renamed,
    replace_question,
)
from assistant.ui.about import about_line
from assistant.ui.assets import asset

CONFIRM_DELETE_JS = asset("confirm-delete.js")  # the browser's confirm() before anything is deleted
INTRO = ("Les documents indexés sont les seules sources des réponses. Ajoutez des PDF, des fichiers "
         "Markdown (.md) ou texte (.txt) : ils sont indexés en arrière-plan, les questions restent "
         "possibles pendant ce temps, et le reste de l’index est conservé.")
Pending = list[tuple[str, str]]  # (uploaded file, name it would replace)


def _session(request: gr.Request | None) -> str:
    return getattr(request, "session_hash", None) or "local"


def _unique(name: str, taken: set[str]) -> str:
    """« a (2).pdf » when « a.pdf » is already in this upload (Gradio strips « ? » and « ! »)."""
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while name in taken:
        name, number = f"{stem} ({number}){suffix}", number + 1
    return name


class DocumentsTab:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def refresh(self, model: str | None = None) -> tuple[Any, ...]:
        """Table, deletion choices and the line under the title, as the index is now."""
        documents = self.assistant.corpus.list()
        return (document_rows(documents), gr.Dropdown(choices=document_choices(documents), value=None),
                about_line(self.assistant, model))

    # --- uploads -------------------------------------------------------------------------------
    def _sort(self, files: list[str]) -> tuple[list[str], list[tuple[str, str]], Pending]:
        """Notes (refused, renamed), files to index now, files that would replace a document."""
        notes, ready, pending, taken = [], [], [], set()
        for file in files:
            try:
                name = self.assistant.corpus.checked_name(Path(file).name)
            except DocumentError as error:
                notes.append(f"**Refusé** : {error}")
                continue
            unique = _unique(name, taken)
            if unique != name:
                notes.append(renamed(name, unique))
            taken.add(unique)
            (pending if self.assistant.corpus.exists(unique) else ready).append((file, unique))
        return notes, ready, pending

    def _submit(self, files: list[tuple[str, str]], request: gr.Request | None) -> None:
        for file, name in files:
            self.assistant.uploads.submit(Path(file), name, _session(request))

    def upload(self, files: list[str] | None, request: gr.Request | None = None) -> tuple[Any, ...]:
        """Outputs: notes, pending, confirmation row, its question, timer, upload box."""
        if not files:
            return "", [], gr.Row(visible=False), "", gr.Timer(active=False), None
        session = _session(request)
        self.assistant.uploads.forget([j for j in self.assistant.uploads.jobs(session) if j.finished])
        notes, ready, pending = self._sort(files)
        self._submit(ready, request)
        return ("\n\n".join(notes), pending, gr.Row(visible=bool(pending)),
                replace_question([n for _, n in pending]) if pending else "", gr.Timer(active=True), None)

    def answer_replace(self, replace: bool, pending: Pending, notes: str,
                       request: gr.Request | None = None) -> tuple[Any, ...]:
        """« Remplacer » or « Ne pas remplacer ». Outputs: notes, pending, confirmation row, timer."""
        if replace:
            self._submit(pending, request)
        else:
            kept = [f"**Non remplacé** : « {name} » est conservé tel quel." for _, name in pending]
            notes = "\n\n".join([notes, *kept]).strip()
        return notes, [], gr.Row(visible=False), gr.Timer(active=True)

    def confirm_replace(self, pending: Pending, notes: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        return self.answer_replace(True, pending, notes, request)

    def refuse_replace(self, pending: Pending, notes: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        return self.answer_replace(False, pending, notes, request)

    def tick(self, notes: str, seen: int, model: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        """Progress of this page's uploads. Outputs: status, cancel button, timer, finished count,
        table, choices, line under the title (redrawn when an upload finished)."""
        jobs = self.assistant.uploads.jobs(_session(request))
        lines = [line for j in jobs for line in job_line(j.name, j.state, j.done, j.total, j.report)]
        running = any(not j.finished for j in jobs)
        finished = sum(j.finished for j in jobs)
        tables = self.refresh(model) if finished != seen else (gr.skip(),) * 3
        return ("\n\n".join([notes, *lines]).strip(), gr.Button(visible=running), gr.Timer(active=running),
                finished, *tables)

    def cancel(self, request: gr.Request | None = None) -> None:
        if self.assistant.uploads.cancel(_session(request)):
            gr.Info("Indexation annulée : les documents déjà en place sont conservés.")

    # --- deletion ------------------------------------------------------------------------------
    def delete(self, name: str | None, model: str) -> tuple[Any, ...]:
        if not name or name not in {d.path for d in self.assistant.corpus.list()}:
            return (NOTHING_TO_DELETE, *self.refresh(model))
        self.assistant.corpus.delete(name)
        return (deleted(name), *self.refresh(model))

    # --- layout --------------------------------------------------------------------------------
    def build(self, model: gr.Radio, about: gr.Markdown) -> list[Any]:
        """The tab's layout and events; returns what `refresh` redraws (the page calls it on load)."""
        gr.Markdown(INTRO)
        table = gr.Dataframe(document_rows([]), headers=HEADERS, interactive=False, wrap=True,
                             elem_id="documents-table")
        upload = gr.File(label="Ajouter des documents (PDF, .md, .txt)", file_count="multiple", type="filepath",
                         elem_id="upload")
        with gr.Row(visible=False, elem_id="replace-confirm") as confirm:
            question = gr.Markdown(elem_id="replace-question")
            replace = gr.Button("Remplacer", variant="stop", elem_id="replace-yes", scale=0)
            keep = gr.Button("Ne pas remplacer", elem_id="replace-no", scale=0)
        status = gr.Markdown(elem_id="documents-status")
        cancel = gr.Button("Annuler l’indexation", visible=False, size="sm", elem_id="upload-cancel")
        with gr.Row():
            doomed = gr.Dropdown([], value=None, label="Document à supprimer", elem_id="delete-choice", scale=3)
            delete = gr.Button("Supprimer", variant="stop", elem_id="delete", scale=1)
        notes, pending, seen = gr.State(""), gr.State([]), gr.State(0)
        timer = gr.Timer(1.0, active=False)
        refreshed = [table, doomed, about]
        private = {"api_visibility": "private"}
        upload.upload(self.upload, [upload], [notes, pending, confirm, question, timer, upload], **private)
        for button, answer in ((replace, self.confirm_replace), (keep, self.refuse_replace)):
            button.click(answer, [pending, notes], [notes, pending, confirm, timer], **private)
        timer.tick(self.tick, [notes, seen, model], [status, cancel, timer, seen, *refreshed],
                   show_progress="hidden", **private)
        cancel.click(self.cancel, None, None, **private)
        delete.click(self.delete, [doomed, model], [status, *refreshed], js=CONFIRM_DELETE_JS,
                     concurrency_id="model", **private)
        return refreshed
