"""The page as a whole: title, AI notice and the line under it, the four tabs and the links
between them; launching it, and the command line of ``app.py``.

    python app.py [--settings settings.yaml] [--host 127.0.0.1] [--port 7860] [--no-index]
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

import gradio as gr
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant import Assistant, load_settings
from assistant.config import AppSettings, Settings
from assistant.errors import AssistantError
from assistant.render.templating import render
from assistant.ui.about import about_line, about_page
from assistant.ui.assets import asset
from assistant.ui.chat import ChatTab
from assistant.ui.documents import DocumentsTab
from assistant.ui.guard import Policy, SiteGuard, allowed_hosts, is_loopback
from assistant.ui.workshop import CSS as WORKSHOP_CSS
from assistant.ui.workshop import WorkshopTab

CSS = asset("app.css")
# System fonts only: a theme's web fonts would be fetched from outside the machine.
THEME_FONTS = {"font": ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
               "font_mono": ["ui-monospace", "monospace"]}


def build(assistant: Assistant) -> gr.Blocks:
    """The page's Blocks, each tab calling `assistant`'s services."""
    private_cache()
    exports = Path(tempfile.mkdtemp(prefix="assistant-exports-"))  # conversation and session downloads
    with gr.Blocks(title="Assistant documentaire", analytics_enabled=False,
                   delete_cache=(3600, 86400)) as demo:  # rendered pages and exports: one day
        gr.HTML(render("title.html"), elem_id="app-title")
        gr.HTML(render("notice.html"), elem_id="ai-notice")
        about = gr.Markdown(about_line(assistant), elem_id="about-line")  # the user's own at page load
        with gr.Tabs():
            with gr.Tab("Questions", id="chat"):
                model = ChatTab(assistant, exports).build()
            with gr.Tab("Documents", id="documents"):
                DocumentsTab(assistant).build(model, about, demo)  # its list filled per user at page load
            with gr.Tab("Préparer une session", id="workshop"):
                WorkshopTab(assistant, exports).build(model)
            with gr.Tab("À propos", id="about"):
                gr.Markdown(about_page(assistant))

        def choose_model(name: str, request: gr.Request = None) -> str:
            """Load the chosen model now, so that the next answer does not wait for it."""
            try:
                assistant.warm_up(name)
            except AssistantError as error:
                gr.Warning(str(error))
            return about_line(assistant, name, assistant.accounts.user(getattr(request, "username", None)))

        model.change(choose_model, [model], [about], concurrency_id="model", api_visibility="private")
    return demo


def exposure_refusal(app_settings: AppSettings) -> str:
    """Why the app must not start ("" if fine): a clear-text shared login, or listening beyond this
    machine with no account."""
    if app_settings.user or app_settings.password:
        return ("app.user et app.password (un mot de passe en clair partagé) ne sont plus acceptés : créez un "
                "compte par personne avec « assistant user add NOM --groups GROUPE --role reader|editor|admin », "
                "puis retirez-les des réglages.")
    if app_settings.accounts or is_loopback(str(app_settings.host)):
        return ""
    return (f"l’application écouterait sur {app_settings.host}, au-delà de ce poste, sans comptes : créez-en "
            "avec « assistant user add NOM --groups GROUPE --role editor », ou écoutez sur 127.0.0.1.")


def private_cache() -> Path:
    """Gradio's temporary folder (uploads, page images, exports) readable by this user only: by
    default it is /tmp/gradio, open to every account on the machine."""
    folder = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / f"assistant-gradio-{os.getuid()}")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.is_symlink() or folder.stat().st_uid != os.getuid():  # planted by someone else
        folder = Path(tempfile.mkdtemp(prefix="assistant-gradio-"))
    folder.chmod(0o700)
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder


def web_app(assistant: Assistant, demo: gr.Blocks) -> FastAPI:
    """The page mounted in a FastAPI app whose middleware checks hosts, origins, cookies and logins."""
    app_settings = assistant.settings.app
    accounts = assistant.accounts
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    # A parent app with its own CORSMiddleware: Gradio then echoes no origin (only these).
    app.add_middleware(CORSMiddleware, allow_origins=app_settings.allowed_origins, allow_credentials=True,
                       allow_methods=["*"], allow_headers=["*"])
    policy = Policy(allowed_hosts(app_settings.host, app_settings.allowed_hosts),
                    set(app_settings.allowed_origins), accounts)
    app.add_middleware(SiteGuard, policy=policy)
    theme = gr.themes.Soft(primary_hue="blue", neutral_hue="slate", **THEME_FONTS)
    return gr.mount_gradio_app(
        app, demo, "/", auth=accounts.authenticate if accounts.login_required else None,
        auth_message="Assistant documentaire : connectez-vous pour continuer.", ssr_mode=False, footer_links=[],
        theme=theme, css=CSS + "\n" + WORKSHOP_CSS, server_name=app_settings.host, server_port=app_settings.port,
        max_file_size=int(assistant.settings.limits.max_file_mb * 1024 * 1024))  # refused before it lands


class _Page(uvicorn.Server):
    """Says `ready` once the page answers: printed before, it came while the page was still being
    built, and a user who opened the address at once was refused."""

    def __init__(self, config: uvicorn.Config, ready: str) -> None:
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets: list | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self.ready:
            print(self.ready, flush=True)


def server(assistant: Assistant, ready: str = "") -> uvicorn.Server:
    """The page's web server, not yet started (`launch` runs it; a test may run it in a thread);
    it prints `ready` once the page answers."""
    app_settings = assistant.settings.app
    refusal = exposure_refusal(app_settings)
    if refusal:
        raise SystemExit(f"Erreur : {refusal}")
    demo = build(assistant)
    demo.queue(default_concurrency_limit=1)
    return _Page(uvicorn.Config(
        web_app(assistant, demo), host=app_settings.host.strip("[]"), port=app_settings.port, proxy_headers=True,
        forwarded_allow_ips=app_settings.trusted_proxies, log_level="warning"), ready)


def launch(assistant: Assistant, ready: str = "") -> None:
    """Serve the page until interrupted (uvicorn, as Gradio's own launch does), printing `ready`
    once it answers."""
    server(assistant, ready).run()


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings file (or defaults and environment), with --host and --port on top."""
    settings = load_settings(args.settings)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
    if overrides:
        settings = settings.model_copy(update={"app": settings.app.model_copy(update=overrides)})
    return settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Assistant documentaire : interface web.")
    parser.add_argument("--settings", type=Path, help="fichier de réglages YAML")
    parser.add_argument("--host", help="adresse d’écoute (défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (défaut : 7860)")
    parser.add_argument("--no-index", action="store_true", help="ne pas mettre l’index à jour au démarrage")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = settings_from(args)
    refusal = exposure_refusal(settings.app)
    if refusal:  # before indexing or loading anything
        print(f"Erreur : {refusal}", file=sys.stderr, flush=True)
        raise SystemExit(2)
    assistant = Assistant(settings)
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    if not args.no_index:
        print(f"Index de {settings.corpus_dir} : {assistant.corpus.index(show_bar=True).summary()}", flush=True)
    print("Préchauffage du modèle…", flush=True)
    try:
        assistant.warm_up()
    except AssistantError as error:  # the page still opens and says why answers fail
        print(f"Attention : {error}", flush=True)
    launch(assistant, f"Prêt : http://{settings.app.host}:{settings.app.port}")
