"""The web app: a French chat over your documents that shows its evidence first, then an answer
whose every [n] opens the passage and its page; document management, feedback and export.

    .venv/bin/python app.py [--settings settings.yaml] [--host 127.0.0.1] [--port 7860]

The interface only calls the core (`Assistant`, `Conversation`, the stream events, the audit log
and export modules); HTML is built by `assistant.view`.
"""
from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.offline import go_offline

go_offline()  # before gradio is imported: no analytics, no hub

import gradio as gr  # noqa: E402

from assistant import Assistant, Conversation, load_settings  # noqa: E402
from assistant.components.llm.catalogue import FAST, describe, model_choices  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.domain import AnswerEvent, EvidenceEvent, TokenEvent  # noqa: E402
from assistant.errors import AssistantError, QuestionError  # noqa: E402
from assistant.rag.evidence import best_sentence, select_sentences  # noqa: E402
from assistant.render.html import (  # noqa: E402
    VIEWER_EMPTY,
    ChatTurn,
    conversation_html,
    evidence_html,
    passage_html,
)
from assistant.render.markdown import conversation_markdown  # noqa: E402
from assistant.render.pages import render_page  # noqa: E402
from assistant.ui.workshop import CSS as WORKSHOP_CSS  # noqa: E402
from assistant.ui.workshop import WorkshopTab  # noqa: E402

log = logging.getLogger("assistant.app")

AI_ACT_NOTICE = (
    "<div class='notice' data-testid='ai-notice' role='note'><b>Vous échangez avec un système "
    "d’intelligence artificielle.</b> Les réponses sont rédigées automatiquement par un modèle de "
    "langage, uniquement à partir des documents indexés, et peuvent contenir des erreurs : vérifiez "
    "les passages cités avant toute décision. Questions, réponses et avis sont consignés dans un "
    "journal local pour la supervision humaine. <span class='ref'>(Règlement européen sur l’IA, "
    "article 50.)</span></div>")

# Clicks inside the conversation and the evidence list become one Gradio event carrying the
# element's data-* attributes; the comment typed next to a feedback button travels with it.
CLICK_JS = """
const send = (el) => {
  const d = el.dataset;
  const payload = {action: d.action, turn: Number(d.turn), passage: d.passage || '', useful: d.useful === '1'};
  if (d.action === 'feedback') {
    const box = el.closest('.feedback');
    const input = box ? box.querySelector('.comment') : null;
    payload.comment = input ? input.value : '';
    if (box) box.querySelectorAll('button').forEach((b) => { b.disabled = true; });
  } else {
    element.querySelectorAll('.selected').forEach((x) => x.classList.remove('selected'));
    el.classList.add('selected');
  }
  trigger('click', payload);
};
element.addEventListener('click', (e) => {
  const el = e.target.closest('[data-action]');
  if (el && element.contains(el)) { e.preventDefault(); send(el); }
});
element.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('[role=button][data-action]')) {
    e.preventDefault(); send(e.target);
  }
});
"""

CSS = """
.gradio-container { max-width: 1400px !important; }
#app-title h1 { margin: 0; font-size: 1.55rem; }
#app-title p { margin: .2rem 0 0; color: var(--body-text-color-subdued); }
.notice { border-left: 4px solid #2563eb; background: #eff6ff; color: #1e3a8a; padding: .6rem .9rem;
          border-radius: 6px; font-size: .92rem; line-height: 1.4; }
.dark .notice { background: #172554; color: #dbeafe; }
.notice .ref { opacity: .8; }
#about-line { font-size: .88rem; color: var(--body-text-color-subdued); }
#chat-box { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .8rem;
            background: var(--background-fill-primary); }
.chat .welcome { color: var(--body-text-color-subdued); padding: 1.5rem .5rem; }
.chat .welcome h3 { color: var(--body-text-color); margin-top: 0; }
.turn { margin-bottom: 1.1rem; }
.turn .who { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em;
             color: var(--body-text-color-subdued); margin-bottom: .2rem; }
.turn .q { display: flex; flex-direction: column; align-items: flex-end; margin-bottom: .6rem; }
.turn .q .bubble { background: #2563eb; color: white; border-radius: 12px 12px 2px 12px;
                   padding: .55rem .8rem; max-width: 85%; }
.turn .a .bubble { background: var(--background-fill-secondary); border-radius: 12px 12px 12px 2px;
                   padding: .7rem .9rem; border: 1px solid var(--border-color-primary); }
.answer { line-height: 1.55; font-size: 1rem; }
.answer.abstained { color: var(--body-text-color-subdued); font-style: italic; }
.answer.error { color: #b91c1c; }
.status { color: var(--body-text-color-subdued); font-size: .88rem; margin-bottom: .35rem; }
.dot { display: inline-block; width: .55rem; height: .55rem; border-radius: 50%; background: #2563eb;
       margin-right: .45rem; animation: pulse 1s infinite ease-in-out; }
@keyframes pulse { 0%, 100% { opacity: .25 } 50% { opacity: 1 } }
.cursor { display: inline-block; width: .45rem; height: 1rem; background: #2563eb; margin-left: 2px;
          vertical-align: text-bottom; animation: pulse 1s infinite; }
button.cite { display: inline-block; min-width: 1.35rem; padding: 0 .3rem; margin: 0 .1rem; border-radius: 5px;
              border: 1px solid #93c5fd; background: #dbeafe; color: #1d4ed8; font-size: .78rem;
              font-weight: 600; line-height: 1.25rem; cursor: pointer; vertical-align: baseline; }
button.cite:hover, button.cite.selected { background: #2563eb; color: white; }
.claim { cursor: help; }
.weak { text-decoration: underline dotted #d97706; text-underline-offset: 3px; }
.weak-mark { color: #d97706; font-weight: 700; margin-left: 1px; cursor: help; }
.sources { margin-top: .6rem; display: flex; flex-wrap: wrap; gap: .35rem; align-items: center; }
.sources .lbl { font-size: .75rem; text-transform: uppercase; color: var(--body-text-color-subdued);
                margin-right: .2rem; min-width: 5.5rem; }
button.chip { border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
              border-radius: 999px; padding: .15rem .6rem; font-size: .8rem; cursor: pointer;
              max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button.chip.cited { border-color: #93c5fd; }
button.chip.consulted { color: var(--body-text-color-subdued); border-style: dashed; }
button.chip:hover, button.chip.selected { border-color: #2563eb; }
.chip-n { display: inline-block; background: #2563eb; color: white; border-radius: 4px; padding: 0 .3rem;
          margin-right: .35rem; font-weight: 600; }
.meta { margin-top: .45rem; font-size: .75rem; color: var(--body-text-color-subdued); }
.feedback { margin-top: .5rem; display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; font-size: .85rem; }
.feedback button { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .15rem .6rem;
                   background: var(--background-fill-primary); cursor: pointer; font-size: .85rem; font-weight: 500; }
.feedback button:disabled { opacity: .5; cursor: default; }
.feedback button:hover { border-color: #2563eb; }
.feedback .comment { flex: 1; min-width: 12rem; border: 1px solid var(--border-color-primary); border-radius: 6px;
                     padding: .2rem .5rem; font-size: .85rem; background: var(--background-fill-primary); }
.feedback.done { color: #15803d; }
.evidence .ev-head { font-weight: 600; margin-bottom: .5rem; }
.evidence .ev-sub { margin: .8rem 0 .4rem; font-size: .78rem; text-transform: uppercase;
                    color: var(--body-text-color-subdued); }
.evidence.empty p, .evidence .ev-note { color: var(--body-text-color-subdued); font-size: .9rem; }
.card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .55rem .7rem;
        margin-bottom: .5rem; cursor: pointer; background: var(--background-fill-primary); }
.card:hover, .card.selected { border-color: #2563eb; box-shadow: 0 0 0 1px #2563eb33; }
.card.consulted { opacity: .8; border-style: dashed; }
.card-top { display: flex; gap: .45rem; align-items: baseline; margin-bottom: .3rem; }
.card-top .doc { font-weight: 600; flex: 1; }
.card-top .page, .file { font-size: .78rem; color: var(--body-text-color-subdued); }
.badge { background: #2563eb; color: white; border-radius: 4px; padding: 0 .35rem; font-size: .78rem; font-weight: 600; }
.badge.muted { background: var(--neutral-300); color: var(--neutral-800); font-weight: 500; }
.excerpt { font-size: .88rem; line-height: 1.45; }
mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.viewer .v-head { display: flex; gap: .5rem; align-items: baseline; font-weight: 600; font-size: 1.02rem; }
.viewer .support { margin: .35rem 0; font-size: .85rem; }
.viewer .v-text { margin-top: .5rem; line-height: 1.55; border-left: 3px solid #93c5fd; padding-left: .7rem; }
.viewer .page-note { margin-top: .5rem; font-size: .8rem; color: var(--body-text-color-subdued); }
.viewer.empty { color: var(--body-text-color-subdued); }
"""

CONFIRM_DELETE_JS = """(name, model) => {
  const sure = name && confirm('Supprimer « ' + name + ' » de l’index et du dossier des documents ?');
  return [sure ? name : '', model];
}"""


@dataclass
class Session:
    """What one browser tab has: its conversation, its turns, its export folder."""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    conversation: Conversation = field(default_factory=Conversation)
    turns: list[ChatTurn] = field(default_factory=list)


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


class ChatApp:
    def __init__(self, bot: Assistant, settings: Settings) -> None:
        self.bot = bot
        self.settings = settings
        self.exports = Path(tempfile.mkdtemp(prefix="assistant-exports-"))
        self.models = model_choices(settings.llm.model)

    # --- descriptions ------------------------------------------------------------------------
    def about(self, model: str | None = None) -> str:
        documents = self.bot.documents()
        passages = sum(d.passages for d in documents)
        latest = max((d.indexed_at for d in documents), default="")
        when = f", mis à jour le {_local_time(latest)}" if latest else ""
        where = "exécuté sur ce poste" if self.settings.llm.backend != "openai" else "serveur local"
        return (f"**Modèle** : {describe(model or self.settings.llm.model)}, {where} · "
                f"**Corpus** : {len(documents)} document(s), {passages} passages{when} · "
                f"recherche hybride (mots-clés + sens) · aucune donnée ne quitte la machine.")

    def document_rows(self) -> list[list[Any]]:
        return [[d.title, d.path, d.pages or "—", d.passages, _local_time(d.indexed_at)]
                for d in self.bot.documents()]

    def document_choices(self) -> list[tuple[str, str]]:
        return [(f"{d.title} ({d.path})" if d.title != d.path else d.path, d.path) for d in self.bot.documents()]

    def _documents_outputs(self, status: str, model: str | None = None) -> tuple[Any, ...]:
        return (status, self.document_rows(), gr.Dropdown(choices=self.document_choices(), value=None),
                self.about(model))

    # --- questions ---------------------------------------------------------------------------
    def ask(self, question: str, session: Session | None, model: str, passages: float,
            request: gr.Request | None = None):
        """Stream one exchange: the turn at once, the evidence as soon as it is found, the answer
        token by token, then the checked answer with its sources; logged for oversight."""
        session = session or Session()
        try:
            question = self.bot.chat.question(question or "").text
        except QuestionError as error:
            gr.Warning(str(error))
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), session, gr.skip()
            return
        turn = ChatTurn(question)
        session.turns.append(turn)
        index = len(session.turns) - 1

        def show(evidence: bool = True, done: bool = False) -> tuple[Any, ...]:
            return (conversation_html(session.turns),
                    evidence_html(index, turn) if evidence else gr.skip(),
                    gr.Tabs(selected="passages") if evidence and turn.phase == "search" else gr.skip(),
                    "" if turn.phase == "search" else gr.skip(),
                    gr.Button(interactive=done), session, gr.skip())

        yield show()
        try:
            for event in self.bot.chat.stream(question, session.conversation, model=model, passages=int(passages),
                                              user=getattr(request, "username", "") or ""):
                if isinstance(event, EvidenceEvent):
                    turn.evidence, turn.query, turn.phase = event.evidence, event.retrieval.query, "write"
                    yield show()
                elif isinstance(event, TokenEvent):
                    turn.draft = event.text
                    yield show(evidence=False)
                elif isinstance(event, AnswerEvent):
                    turn.answer, turn.phase, turn.record = event.answer, "done", event.exchange
        except AssistantError as error:
            turn.phase, turn.error = "error", str(error)
        except Exception:  # noqa: BLE001 - the user gets a message, the log the details
            log.exception("answering failed")
            turn.phase, turn.error = "error", "Une erreur inattendue s’est produite ; réessayez ou reformulez."
        yield (*show(done=True)[:-1], self.export(session))

    def export(self, session: Session) -> Any:
        answers = [t.answer for t in session.turns if t.answer is not None]
        if not answers:
            return gr.DownloadButton(value=None, interactive=False)
        now = datetime.now().astimezone()
        folder = self.exports / session.id
        folder.mkdir(exist_ok=True)
        path = folder / f"conversation-{now:%Y%m%d-%H%M%S}.md"
        path.write_text(conversation_markdown(answers, now), encoding="utf-8")
        return gr.DownloadButton(value=str(path), interactive=True)

    def new_conversation(self) -> tuple[Any, ...]:
        session = Session()
        return (conversation_html([]), evidence_html(None, None), VIEWER_EMPTY, gr.Image(value=None, visible=False),
                gr.DownloadButton(value=None, interactive=False), session, gr.Tabs(selected="passages"),
                gr.Button(interactive=True))

    # --- clicks in the conversation or the evidence list -------------------------------------
    def click(self, session: Session | None, evt: gr.EventData, request: gr.Request | None = None):
        data = getattr(evt, "_data", None) or {}
        nothing = (gr.skip(), gr.skip(), gr.skip(), gr.skip(), session)
        if session is None or not isinstance(data.get("turn"), (int, float)):
            return nothing
        index = int(data["turn"])
        if not 0 <= index < len(session.turns):
            return nothing
        turn = session.turns[index]
        if data.get("action") == "cite":
            viewer, image = self.open_passage(turn, str(data.get("passage", "")))
            return viewer, image, gr.Tabs(selected="source"), gr.skip(), session
        if data.get("action") == "feedback" and turn.record and turn.feedback is None:
            useful = bool(data.get("useful"))
            comment = str(data.get("comment", ""))[:1000]
            self.bot.chat.feedback(turn.record, useful, comment, getattr(request, "username", "") or "")
            turn.feedback = useful
            gr.Info("Merci : votre avis est enregistré.")
            return gr.skip(), gr.skip(), gr.skip(), conversation_html(session.turns), session
        return nothing

    def open_passage(self, turn: ChatTurn, passage_id: str) -> tuple[str, Any]:
        """The passage in full; for a PDF, its page with the passage highlighted."""
        found = turn.source(passage_id)
        if found is None:
            return VIEWER_EMPTY, gr.Image(value=None, visible=False)
        source, citation = found
        sentence = best_sentence(turn.query, source.text)
        if citation and turn.answer:
            claims = " ".join(s.text for s in turn.answer.sentences if citation.marker in s.markers)
            sentence = select_sentences(claims, source.text, 1, 80) if claims else sentence
        image, note = gr.Image(value=None, visible=False), ""
        path = self.settings.corpus_dir / source.document
        if source.document.lower().endswith(".pdf") and source.page:
            if not path.is_file():
                note = "Le fichier n’est plus dans le dossier des documents : page indisponible."
            else:
                try:
                    page = render_page(path, source.page, source.text, sentence)
                    image = gr.Image(value=page.image, visible=True,
                                     label=f"{source.document} — page {page.page} sur {page.pages}")
                    if not page.highlighted:
                        note = "Le passage n’a pas pu être repéré sur la page : il est surligné ci-dessus."
                except Exception:  # noqa: BLE001 - a damaged page must not break the viewer
                    log.exception("page rendering failed")
                    note = "La page n’a pas pu être affichée."
        return passage_html(source, citation, sentence, note), image

    # --- documents ---------------------------------------------------------------------------
    def upload(self, files: list[str] | None, model: str, progress: gr.Progress = gr.Progress()):
        if not files:
            return (gr.skip(), *self._documents_outputs("", model)[1:], None)
        lines = []
        for step, file in enumerate(files):
            name = Path(file).name
            progress((step, len(files)), desc=f"Indexation de « {name} »", unit="document")
            try:
                report = self.bot.add_document(Path(file), name)
            except Exception:  # noqa: BLE001 - one bad upload must not stop the others
                log.exception("upload failed: %s", name)
                lines.append(f"**Refusé** : « {name} » n’a pas pu être indexé (erreur inattendue).")
                continue
            if report.errors:
                lines += [f"**Refusé** : {error}" for error in report.errors]
            else:
                verb = "mis à jour" if report.updated else "ajouté"
                lines.append(f"**Indexé** : « {name} » {verb}, {report.passages} passage(s).")
        progress((len(files), len(files)), desc="Index à jour")
        return (*self._documents_outputs("\n\n".join(lines), model), None)

    def delete(self, name: str, model: str) -> tuple[Any, ...]:
        if not name:
            return self._documents_outputs("Choisissez d’abord le document à supprimer.", model)
        self.bot.delete_document(name)
        return self._documents_outputs(f"**Supprimé** : « {name} » a été retiré de l’index et du dossier des documents.", model)

    def choose_model(self, model: str) -> str:
        """Load the chosen model now, so that the next answer does not wait for it."""
        try:
            self.bot.warm_up(model)
        except AssistantError as error:
            gr.Warning(str(error))
        return self.about(model)

    def answer_queue(self) -> dict[str, Any]:
        """The embedded model answers one question at a time, in the slot it shares with uploads and
        the workshop; a model server queues or batches questions itself, so a worker passes it up to
        app.concurrent_answers at once rather than holding its users in Gradio's queue."""
        if self.settings.llm.backend == "openai":
            return {"concurrency_id": "answers", "concurrency_limit": self.settings.app.concurrent_answers}
        return {"concurrency_id": "model"}

    # --- layout ------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        with gr.Blocks(title="Assistant documentaire", analytics_enabled=False,
                       delete_cache=(3600, 86400)) as demo:  # rendered pages and exports: one day
            session = gr.State(None)
            gr.HTML("<div id='app-title'><h1>Assistant documentaire</h1><p>Des réponses tirées de vos "
                    "documents, avec leurs sources.</p></div>", elem_id="app-title")
            gr.HTML(AI_ACT_NOTICE, elem_id="ai-notice")
            about = gr.Markdown(self.about(), elem_id="about-line")
            with gr.Tabs():
                with gr.Tab("Questions", id="chat"):
                    with gr.Row(equal_height=False):
                        with gr.Column(scale=3):
                            chat = gr.HTML(conversation_html([]), elem_id="chat-box", js_on_load=CLICK_JS,
                                           autoscroll=True, min_height=420, max_height="62vh")
                            with gr.Row(equal_height=True):
                                question = gr.Textbox(placeholder="Posez votre question sur vos documents…",
                                                      show_label=False, lines=1, max_lines=5, scale=6,
                                                      elem_id="question", autofocus=True,
                                                      max_length=self.settings.limits.max_question_chars)
                                send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
                            with gr.Row():
                                new = gr.Button("Nouvelle conversation", size="sm", elem_id="new-conversation")
                                export = gr.DownloadButton("Exporter la conversation (Markdown)", size="sm",
                                                           interactive=False, elem_id="export")
                            with gr.Row():
                                model = gr.Radio(self.models, value=self.models[0][1], label="Modèle",
                                                 elem_id="model", scale=2)
                                passages = gr.Slider(2, 8, value=self.settings.retrieval.passages, step=1,
                                                     label="Passages consultés", elem_id="passages", scale=1)
                        with gr.Column(scale=2):
                            with gr.Tabs(selected="passages") as side:
                                with gr.Tab("Passages retrouvés", id="passages"):
                                    evidence = gr.HTML(evidence_html(None, None), elem_id="evidence",
                                                       js_on_load=CLICK_JS)
                                with gr.Tab("Source ouverte", id="source"):
                                    viewer = gr.HTML(VIEWER_EMPTY, elem_id="viewer", js_on_load=None)
                                    page = gr.Image(visible=False, interactive=False, show_label=True,
                                                    elem_id="page-image", type="pil", format="png",
                                                    buttons=["fullscreen", "download"])
                with gr.Tab("Documents", id="documents"):
                    gr.Markdown("Les documents indexés sont les seules sources des réponses. Ajoutez des "
                                "PDF, des fichiers Markdown (.md) ou texte (.txt) : seuls les nouveaux "
                                "fichiers sont indexés, le reste de l’index est conservé.")
                    table = gr.Dataframe(self.document_rows(),
                                         headers=["Titre", "Fichier", "Pages", "Passages", "Indexé le"],
                                         interactive=False, wrap=True, elem_id="documents-table")
                    upload = gr.File(label="Ajouter des documents (PDF, .md, .txt)", file_count="multiple",
                                     type="filepath", elem_id="upload")
                    status = gr.Markdown(elem_id="documents-status")
                    with gr.Row():
                        doomed = gr.Dropdown(self.document_choices(), value=None, label="Document à supprimer",
                                             elem_id="delete-choice", scale=3)
                        delete = gr.Button("Supprimer", variant="stop", elem_id="delete", scale=1)
                with gr.Tab("Préparer une session", id="workshop"):
                    WorkshopTab(self.bot, self.exports).build(model)
                with gr.Tab("À propos", id="about"):
                    gr.Markdown(self.about_page())

            ask_inputs = [question, session, model, passages]
            ask_outputs = [chat, evidence, side, question, send, session, export]
            queue = self.answer_queue()
            asked = [send.click(self.ask, ask_inputs, ask_outputs, show_progress="hidden",
                                api_visibility="private", **queue),
                     question.submit(self.ask, ask_inputs, ask_outputs, show_progress="hidden",
                                     api_visibility="private", **queue)]
            new.click(self.new_conversation, None,
                      [chat, evidence, viewer, page, export, session, side, send], cancels=asked,
                      api_visibility="private")
            for clickable in (chat, evidence):
                clickable.click(self.click, [session], [viewer, page, side, chat, session],
                                show_progress="hidden", api_visibility="private")
            documents_outputs = [status, table, doomed, about]
            upload.upload(self.upload, [upload, model], [*documents_outputs, upload], concurrency_id="model",
                          show_progress_on=[table], api_visibility="private")
            delete.click(self.delete, [doomed, model], documents_outputs, js=CONFIRM_DELETE_JS,
                         concurrency_id="model", api_visibility="private")
            model.change(self.choose_model, [model], [about], concurrency_id="model", api_visibility="private")
        return demo

    def about_page(self) -> str:
        return (
            "### Ce que fait cet assistant\n"
            "Il répond en français à des questions sur les documents indexés (onglet *Documents*), "
            "et seulement à partir d’eux : chaque affirmation renvoie par un numéro entre crochets au "
            "passage qui la justifie. Quand les documents ne contiennent pas l’information, il le dit "
            "(« L’information ne figure pas dans les documents. »).\n\n"
            "### Système d’IA (règlement européen sur l’IA, article 50)\n"
            "Les réponses sont générées par un modèle de langage exécuté sur cette machine "
            f"({describe(self.models[0][1])} par défaut, {describe(FAST)} en mode "
            "rapide). Elles peuvent contenir des erreurs : une phrase que les passages ne soutiennent "
            "pas est soulignée en pointillés et marquée d’un **?**. Les passages affichés sont ceux "
            "que le modèle a lus.\n\n"
            "### Supervision humaine\n"
            f"Chaque échange (question, réponse, sources, modèle, heure) et chaque avis "
            f"« utile / pas utile » est ajouté au journal `{self.settings.audit.path}` "
            "(une ligne JSON par enregistrement, jamais réécrit).\n\n"
            "### Confidentialité\n"
            "Documents, index, modèles et journal restent sur cette machine ; l’application n’envoie "
            "rien à l’extérieur.")


def exposure_refusal(app_settings: Any) -> str:
    """Why the app must not start: it would listen beyond this machine without a login ("" if fine)."""
    if app_settings.user and app_settings.password:
        return ""
    host = str(app_settings.host).strip("[]")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return ""
    return (f"l’application écouterait sur {host}, au-delà de ce poste, sans identifiant : définissez "
            "app.user et app.password (ou ASSISTANT_APP__USER et ASSISTANT_APP__PASSWORD), ou écoutez "
            "sur 127.0.0.1.")


def launch(bot: Assistant, settings: Settings, prevent_thread_lock: bool = False) -> gr.Blocks:
    demo = ChatApp(bot, settings).build()
    demo.queue(default_concurrency_limit=1)
    app_settings = settings.app
    auth = (app_settings.user, app_settings.password) if app_settings.user and app_settings.password else None
    refusal = exposure_refusal(app_settings)
    if refusal:
        raise SystemExit(f"Erreur : {refusal}")
    theme = gr.themes.Soft(primary_hue="blue", neutral_hue="slate",
                           font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
                           font_mono=["ui-monospace", "monospace"])  # system fonts: nothing fetched
    demo.launch(server_name=app_settings.host, server_port=app_settings.port, auth=auth,
                auth_message="Assistant documentaire : connectez-vous pour continuer.",
                ssr_mode=False, footer_links=[], theme=theme, css=CSS + WORKSHOP_CSS, share=False,
                prevent_thread_lock=prevent_thread_lock, quiet=True)
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Assistant documentaire : interface web.")
    parser.add_argument("--settings", type=Path, help="fichier de réglages YAML")
    parser.add_argument("--host", help="adresse d’écoute (défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (défaut : 7860)")
    parser.add_argument("--no-index", action="store_true", help="ne pas mettre l’index à jour au démarrage")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
    settings = load_settings(args.settings)
    if overrides:
        settings = settings.model_copy(update={"app": settings.app.model_copy(update=overrides)})
    refusal = exposure_refusal(settings.app)
    if refusal:  # before indexing or loading anything
        print(f"Erreur : {refusal}", file=sys.stderr, flush=True)
        raise SystemExit(2)
    bot = Assistant(settings)
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    if not args.no_index:
        print(f"Index de {settings.corpus_dir} : {bot.index(show_bar=True).summary()}", flush=True)
    print("Préchauffage du modèle…", flush=True)
    try:
        bot.warm_up()
    except AssistantError as error:  # the page still opens and says why answers fail
        print(f"Attention : {error}", flush=True)
    print(f"Prêt : http://{settings.app.host}:{settings.app.port}", flush=True)
    launch(bot, settings)


if __name__ == "__main__":
    main()
