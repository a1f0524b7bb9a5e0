"""« Questions »: the conversation, the passages found (shown before the answer), the source
viewer with the PDF page, feedback and the Markdown export.

The question goes to the chat service, whose events feed the turn (`ChatTurn.update`); each
change redraws the conversation from its templates. The service writes the audit log.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant, Conversation
from assistant.components.llm.catalogue import model_choices
from assistant.domain import AnswerEvent, TokenEvent
from assistant.errors import AssistantError, QuestionError
from assistant.render.html import ChatTurn, conversation_html, evidence_html, passage_html
from assistant.render.markdown import conversation_markdown
from assistant.render.viewer import source_view
from assistant.services.access import User
from assistant.ui.assets import asset

log = logging.getLogger("assistant.ui.chat")

CLICK_JS = asset("app.js")  # forwards clicks on [n], chips, cards and feedback buttons
UNEXPECTED = "Une erreur inattendue s’est produite ; réessayez ou reformulez."


@dataclass
class ChatState:
    """What one browser tab's chat holds: its conversation (whose id names it in the audit log
    and its export folder) and the turns shown."""
    conversation: Conversation = field(default_factory=Conversation)
    turns: list[ChatTurn] = field(default_factory=list)

    def html(self) -> str:
        return conversation_html(self.turns, self.conversation.id)


@dataclass
class ChatView:
    """The tab's components the handlers update."""
    chat: gr.HTML
    question: gr.Textbox
    send: gr.Button
    new: gr.Button
    export: gr.DownloadButton
    model: gr.Radio
    passages: gr.Slider
    side: gr.Tabs
    evidence: gr.HTML
    viewer: gr.HTML
    page: gr.Image


def _no_page() -> gr.Image:
    return gr.Image(value=None, visible=False)


class ChatTab:
    def __init__(self, assistant: Assistant, exports: Path) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.exports = exports

    def user(self, request: gr.Request | None) -> User:
        """Who asks: the logged-in account (their groups), or this machine's user without login."""
        return self.assistant.accounts.user(getattr(request, "username", None))

    # --- a question ----------------------------------------------------------------------------
    def ask(self, question: str, state: ChatState | None, model: str, passages: float,
            request: gr.Request | None = None) -> Iterator[tuple[Any, ...]]:
        """Stream one exchange: the turn at once, the evidence as soon as it is found, the answer
        token by token, then the checked answer with its sources.

        Outputs: chat, evidence, side tabs, question box, send button, state, export."""
        state = state or ChatState()
        try:
            checked = self.assistant.chat.question(question or "")  # validated once, here
        except QuestionError as error:
            gr.Warning(str(error))
            yield (*[gr.skip()] * 5, state, gr.skip())
            return
        turn = ChatTurn(checked.text)
        state.turns.append(turn)
        index = len(state.turns) - 1

        def show(evidence: bool = True, done: bool = False) -> tuple[Any, ...]:
            searching = turn.phase == "search"
            return (state.html(), evidence_html(index, turn) if evidence else gr.skip(),
                    gr.Tabs(selected="passages") if evidence and searching else gr.skip(),
                    "" if searching else gr.skip(), gr.Button(interactive=done), state, gr.skip())

        yield show()
        try:
            user = self.user(request)
            for event in self.assistant.chat.stream(checked, state.conversation, model=model, passages=int(passages),
                                                    groups=user.search_groups, user=user.name):
                turn.update(event)
                if not isinstance(event, AnswerEvent):  # the answer is shown once, below, with its export
                    yield show(evidence=not isinstance(event, TokenEvent))
        except AssistantError as error:
            turn.fail(str(error))
        except Exception:  # noqa: BLE001 - the user gets a message, the log the details
            log.exception("answering failed")
            turn.fail(UNEXPECTED)
        yield (*show(done=True)[:-1], self.export(state))

    def export(self, state: ChatState) -> gr.DownloadButton:
        """The conversation's answers as Markdown with their sources, ready to download."""
        answers = [t.answer for t in state.turns if t.answer is not None]
        if not answers:
            return gr.DownloadButton(value=None, interactive=False)
        now = datetime.now().astimezone()
        folder = self.exports / state.conversation.id
        folder.mkdir(parents=True, exist_ok=True)
        # One file per conversation, rewritten after each answer: not one more per answer.
        path = folder / f"conversation-{state.conversation.id[:8]}.md"
        path.write_text(conversation_markdown(answers, now), encoding="utf-8")
        return gr.DownloadButton(value=str(path), interactive=True)

    def new_conversation(self) -> tuple[Any, ...]:
        state = ChatState()
        return (state.html(), evidence_html(None, None), passage_html(), _no_page(),
                gr.DownloadButton(value=None, interactive=False), state, gr.Tabs(selected="passages"),
                gr.Button(interactive=True))

    # --- clicks in the conversation or the evidence list ---------------------------------------
    def click(self, state: ChatState | None, evt: gr.EventData, request: gr.Request | None = None
              ) -> tuple[Any, ...]:
        """A [n], chip or card opens its passage; a feedback button logs the verdict.

        Outputs: viewer, page image, side tabs, chat, state."""
        data = getattr(evt, "_data", None) or {}
        nothing = (gr.skip(), gr.skip(), gr.skip(), gr.skip(), state)
        if state is None or not isinstance(data.get("turn"), (int, float)):
            return nothing
        index = int(data["turn"])
        if not 0 <= index < len(state.turns):
            return nothing
        turn = state.turns[index]
        if data.get("action") == "cite":
            view = source_view(turn, str(data.get("passage", "")), self.settings.corpus_dir,
                               self.settings.limits.max_page_pixels)
            page = gr.Image(value=view.image, visible=True, label=view.caption) if view.image else _no_page()
            return view.html, page, gr.Tabs(selected="source"), gr.skip(), state
        if data.get("action") == "feedback" and turn.record and turn.feedback is None:
            useful = bool(data.get("useful"))
            self.assistant.chat.feedback(turn.record, useful, str(data.get("comment", "")),
                                         self.user(request).name)
            turn.feedback = useful
            gr.Info("Merci : votre avis est enregistré.")
            return gr.skip(), gr.skip(), gr.skip(), state.html(), state
        return nothing

    def answer_queue(self) -> dict[str, Any]:
        """The embedded model answers one question at a time, in the slot it shares with uploads and
        the workshop; a model server queues or batches questions itself, so a worker passes it up to
        app.concurrent_answers at once rather than holding its users in Gradio's queue."""
        if self.settings.llm.backend == "openai":
            return {"concurrency_id": "answers", "concurrency_limit": self.settings.app.concurrent_answers}
        return {"concurrency_id": "model"}

    # --- layout --------------------------------------------------------------------------------
    def build(self) -> gr.Radio:
        """The tab's layout and events; returns the model choice, which the other tabs follow."""
        state = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                conversation = self._conversation_column()
            with gr.Column(scale=2):
                side = self._side_column()
        view = ChatView(**conversation, **side)
        self._events(view, state)
        return view.model

    def _conversation_column(self) -> dict[str, Any]:
        chat = gr.HTML(ChatState().html(), elem_id="chat-box", js_on_load=CLICK_JS, autoscroll=True,
                       min_height=420, max_height="62vh")
        with gr.Row(equal_height=True):
            question = gr.Textbox(placeholder="Posez votre question sur vos documents…", show_label=False,
                                  lines=1, max_lines=5, scale=6, elem_id="question", autofocus=True,
                                  max_length=self.settings.limits.max_question_chars)
            send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
        with gr.Row():
            new = gr.Button("Nouvelle conversation", size="sm", elem_id="new-conversation")
            export = gr.DownloadButton("Exporter la conversation (Markdown)", size="sm", interactive=False,
                                       elem_id="export")
        with gr.Row():
            models = model_choices(self.settings.llm.model)
            model = gr.Radio(models, value=models[0][1], label="Modèle", elem_id="model", scale=2)
            passages = gr.Slider(2, 8, value=self.settings.retrieval.passages, step=1,
                                 label="Passages consultés", elem_id="passages", scale=1)
        return {"chat": chat, "question": question, "send": send, "new": new, "export": export, "model": model,
                "passages": passages}

    def _side_column(self) -> dict[str, Any]:
        with gr.Tabs(selected="passages") as side:
            with gr.Tab("Passages retrouvés", id="passages"):
                evidence = gr.HTML(evidence_html(None, None), elem_id="evidence", js_on_load=CLICK_JS)
            with gr.Tab("Source ouverte", id="source"):
                viewer = gr.HTML(passage_html(), elem_id="viewer", js_on_load=None)
                page = gr.Image(visible=False, interactive=False, show_label=True, elem_id="page-image",
                                type="pil", format="png", buttons=["fullscreen", "download"])
        return {"side": side, "evidence": evidence, "viewer": viewer, "page": page}

    def _events(self, v: ChatView, state: gr.State) -> None:
        inputs = [v.question, state, v.model, v.passages]
        outputs = [v.chat, v.evidence, v.side, v.question, v.send, state, v.export]
        queue = self.answer_queue()
        asked = [trigger(self.ask, inputs, outputs, show_progress="hidden", api_visibility="private", **queue)
                 for trigger in (v.send.click, v.question.submit)]
        v.new.click(self.new_conversation, None, [v.chat, v.evidence, v.viewer, v.page, v.export, state, v.side,
                                                  v.send], cancels=asked, api_visibility="private")
        for clickable in (v.chat, v.evidence):
            clickable.click(self.click, [state], [v.viewer, v.page, v.side, v.chat, state],
                            show_progress="hidden", api_visibility="private")
