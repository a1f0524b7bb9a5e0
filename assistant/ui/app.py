"""The page as a whole: title, AI notice and the line under it, the four tabs and the links
between them; launching it, and the command line of ``app.py``.

    python app.py [--settings settings.yaml] [--host 127.0.0.1] [--port 7860] [--no-index]
"""
from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant, load_settings
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.render.templating import render
from assistant.ui.about import about_line, about_page
from assistant.ui.assets import asset
from assistant.ui.chat import ChatTab
from assistant.ui.documents import DocumentsTab
from assistant.ui.workshop import CSS as WORKSHOP_CSS
from assistant.ui.workshop import WorkshopTab

CSS = asset("app.css")
# System fonts only: a theme's web fonts would be fetched from outside the machine.
THEME_FONTS = {"font": ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
               "font_mono": ["ui-monospace", "monospace"]}


def build(assistant: Assistant) -> gr.Blocks:
    """The page's Blocks, each tab calling `assistant`'s services."""
    exports = Path(tempfile.mkdtemp(prefix="assistant-exports-"))  # conversation and session downloads
    with gr.Blocks(title="Assistant documentaire", analytics_enabled=False,
                   delete_cache=(3600, 86400)) as demo:  # rendered pages and exports: one day
        gr.HTML(render("title.html"), elem_id="app-title")
        gr.HTML(render("notice.html"), elem_id="ai-notice")
        about = gr.Markdown(about_line(assistant), elem_id="about-line")
        with gr.Tabs():
            with gr.Tab("Questions", id="chat"):
                model = ChatTab(assistant, exports).build()
            with gr.Tab("Documents", id="documents"):
                documents = DocumentsTab(assistant)
                listed = documents.build(model, about)
            with gr.Tab("Préparer une session", id="workshop"):
                WorkshopTab(assistant, exports).build(model)
            with gr.Tab("À propos", id="about"):
                gr.Markdown(about_page(assistant))

        def choose_model(name: str) -> str:
            """Load the chosen model now, so that the next answer does not wait for it."""
            try:
                assistant.warm_up(name)
            except AssistantError as error:
                gr.Warning(str(error))
            return about_line(assistant, name)

        model.change(choose_model, [model], [about], concurrency_id="model", api_visibility="private")
        # each new page reads the documents as they are now, not as they were at start
        demo.load(documents.refresh, [model], listed, api_visibility="private")
    return demo


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


def launch(assistant: Assistant, prevent_thread_lock: bool = False) -> gr.Blocks:
    app_settings = assistant.settings.app
    refusal = exposure_refusal(app_settings)
    if refusal:
        raise SystemExit(f"Erreur : {refusal}")
    demo = build(assistant)
    demo.queue(default_concurrency_limit=1)
    auth = (app_settings.user, app_settings.password) if app_settings.user and app_settings.password else None
    theme = gr.themes.Soft(primary_hue="blue", neutral_hue="slate", **THEME_FONTS)
    demo.launch(server_name=app_settings.host, server_port=app_settings.port, auth=auth,
                auth_message="Assistant documentaire : connectez-vous pour continuer.",
                ssr_mode=False, footer_links=[], theme=theme, css=CSS + "\n" + WORKSHOP_CSS, share=False,
                max_file_size=int(assistant.settings.limits.max_file_mb * 1024 * 1024),  # refused before it lands
                prevent_thread_lock=prevent_thread_lock, quiet=True)
    return demo


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
    print(f"Prêt : http://{settings.app.host}:{settings.app.port}", flush=True)
    launch(assistant)
