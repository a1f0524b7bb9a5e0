"""« Documents »: the documents the user may read, uploads and deletion after a confirmation in the
browser; the upload and deletion controls only for those who may change documents.

An upload is checked at once (its name, the user's rights, whether it would replace a document: then
the page asks), then indexed in the background (`Assistant.uploads`): questions go on meanwhile, a
timer shows each file's progress, « Annuler l’indexation » stops it. The table, the deletion choices
and the line under the title are read for the user at every page load (`refresh`) and after every
change."""
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
from assistant.services.access import User
from assistant.ui.about import about_line
from assistant.ui.assets import asset

CONFIRM_DELETE_JS = asset("confirm-delete.js")  # the browser's confirm() before anything is deleted
INTRO = ("Les documents indexés sont les seules sources des réponses. Ajoutez des PDF, des fichiers "
         "Markdown (.md) ou texte (.txt) : ils sont indexés en arrière-plan, les questions restent "
         "possibles pendant ce temps, et le reste de l’index est conservé.")
GROUP_LABELS = {"": "Tout le monde"}
Pending = list[tuple[str, str, str | None]]  # (uploaded file, name it would replace, group chosen)


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

    def user(self, request: gr.Request | None) -> User:
        return self.assistant.accounts.user(getattr(request, "username", None))

    def listing(self, model: str | None, user: User) -> tuple[Any, ...]:
        """Table, deletion choices and the line under the title, as the index is now: only the
        documents `user` may read."""
        documents = self.assistant.corpus.list(user)
        return (document_rows(documents), gr.Dropdown(choices=document_choices(documents), value=None),
                about_line(self.assistant, model, user))

    def refresh(self, model: str | None = None, request: gr.Request | None = None) -> tuple[Any, ...]:
        """At page load: this user's documents, and the upload and deletion controls if they may edit.
        Outputs: table, choices, line under the title, upload box, deletion row, group picker."""
        user = self.user(request)
        groups = user.upload_groups()
        editor = bool(groups)
        choices = [(GROUP_LABELS.get(g, g), g) for g in groups]
        return (*self.listing(model, user), gr.File(visible=editor), gr.Row(visible=editor),
                gr.Dropdown(choices=choices, value=groups[0] if groups else None, visible=len(groups) > 1))

    # --- uploads -------------------------------------------------------------------------------
    def _sort(self, files: list[str], group: str | None, user: User) -> tuple[list[str], Pending, Pending]:
        """Notes (refused, renamed), files to index now, files that would replace a document."""
        corpus = self.assistant.corpus
        notes: list[str] = []
        ready: Pending = []
        pending: Pending = []
        taken: set[str] = set()
        for file in files:
            try:
                cleaned = corpus.checked_name(Path(file).name)
                name = _unique(cleaned, taken)
                corpus.check_upload(name, group, user)  # refused now, not after the indexing
            except DocumentError as error:
                notes.append(f"**Refusé** : {error}")
                continue
            if name != cleaned:
                notes.append(renamed(cleaned, name))
            taken.add(name)
            (pending if corpus.exists(name) else ready).append((file, name, group))
        return notes, ready, pending

    def _submit(self, files: Pending, request: gr.Request | None) -> None:
        user = self.user(request)
        for file, name, group in files:
            self.assistant.uploads.submit(Path(file), name, _session(request), group, user)

    def upload(self, files: list[str] | None, group: str | None = None,
               request: gr.Request | None = None) -> tuple[Any, ...]:
        """Outputs: notes, pending, confirmation row, its question, timer, upload box."""
        if not files:
            return "", [], gr.Row(visible=False), "", gr.Timer(active=False), None
        session = _session(request)
        self.assistant.uploads.forget([j for j in self.assistant.uploads.jobs(session) if j.finished])
        notes, ready, pending = self._sort(files, group, self.user(request))
        self._submit(ready, request)
        return ("\n\n".join(notes), pending, gr.Row(visible=bool(pending)),
                replace_question([n for _, n, _ in pending]) if pending else "", gr.Timer(active=True), None)

    def answer_replace(self, replace: bool, pending: Pending, notes: str,
                       request: gr.Request | None = None) -> tuple[Any, ...]:
        """« Remplacer » or « Ne pas remplacer ». Outputs: notes, pending, confirmation row, timer."""
        if replace:
            self._submit(pending, request)
        else:
            kept = [f"**Non remplacé** : « {name} » est conservé tel quel." for _, name, _ in pending]
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
        tables = self.listing(model, self.user(request)) if finished != seen else (gr.skip(),) * 3
        return ("\n\n".join([notes, *lines]).strip(), gr.Button(visible=running), gr.Timer(active=running),
                finished, *tables)

    def cancel(self, request: gr.Request | None = None) -> None:
        if self.assistant.uploads.cancel(_session(request)):
            gr.Info("Indexation annulée : les documents déjà en place sont conservés.")

    # --- deletion ------------------------------------------------------------------------------
    def delete(self, name: str | None, model: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        """Outputs: status, table, choices, line under the title."""
        user = self.user(request)
        if not name:  # nothing chosen, or the confirm() cancelled (the page sends null)
            return (NOTHING_TO_DELETE, *self.listing(model, user))
        try:
            self.assistant.corpus.delete(name, user)
        except DocumentError as error:
            return (f"**Refusé** : {error}", *self.listing(model, user))
        return (deleted(name), *self.listing(model, user))

    # --- layout --------------------------------------------------------------------------------
    def build(self, model: gr.Radio, about: gr.Markdown, page: gr.Blocks) -> None:
        """The tab's layout and events (`model`: the chat's choice, for the line under the title).
        The list and the controls are filled at each page load, for the user who opened it."""
        gr.Markdown(INTRO)
        table = gr.Dataframe(document_rows([]), headers=HEADERS, interactive=False, wrap=True,
                             elem_id="documents-table")
        upload = gr.File(label="Ajouter des documents (PDF, .md, .txt)", file_count="multiple", type="filepath",
                         elem_id="upload", visible=False)
        group = gr.Dropdown([], label="Documents réservés à", elem_id="upload-group", visible=False)
        with gr.Row(visible=False, elem_id="replace-confirm") as confirm:
            question = gr.Markdown(elem_id="replace-question")
            replace = gr.Button("Remplacer", variant="stop", elem_id="replace-yes", scale=0)
            keep = gr.Button("Ne pas remplacer", elem_id="replace-no", scale=0)
        status = gr.Markdown(elem_id="documents-status")
        cancel = gr.Button("Annuler l’indexation", visible=False, size="sm", elem_id="upload-cancel")
        with gr.Row(visible=False) as deletion:
            doomed = gr.Dropdown([], value=None, label="Document à supprimer", elem_id="delete-choice", scale=3)
            delete = gr.Button("Supprimer", variant="stop", elem_id="delete", scale=1)
        notes, pending, seen = gr.State(""), gr.State([]), gr.State(0)
        timer = gr.Timer(1.0, active=False)
        listed = [table, doomed, about]
        private = {"api_visibility": "private"}
        page.load(self.refresh, [model], [*listed, upload, deletion, group], **private)
        upload.upload(self.upload, [upload, group], [notes, pending, confirm, question, timer, upload], **private)
        for button, answer in ((replace, self.confirm_replace), (keep, self.refuse_replace)):
            button.click(answer, [pending, notes], [notes, pending, confirm, timer], **private)
        timer.tick(self.tick, [notes, seen, model], [status, cancel, timer, seen, *listed],
                   show_progress="hidden", **private)
        cancel.click(self.cancel, None, None, **private)
        delete.click(self.delete, [doomed, model], [status, *listed], js=CONFIRM_DELETE_JS,
                     concurrency_id="model", **private)
