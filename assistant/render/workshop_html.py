"""HTML of the workshop tab's session (no Gradio here): every item as a card with its sources
(document, page, excerpt) and, when an edit broke it, what to check. Jinja template, autoescaped:
item texts come from documents and from the trainer."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from assistant.render.training import excerpt
from assistant.workshop import PARTS, TrainingSession

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_TEMPLATES.filters["excerpt"] = excerpt


def session_html(session: TrainingSession | None, problems: dict[int, list[str]]) -> str:
    """The cards part by part; `problems` are `check(session)`'s (by position in session.items())."""
    sections = []
    if session is not None:
        flags = {id(item): problems.get(i, []) for i, item in enumerate(session.items())}
        sections = [(kind, heading, name, [(item, flags[id(item)]) for item in getattr(session, kind)])
                    for kind, heading, name in PARTS if getattr(session, kind)]
    return _TEMPLATES.get_template("workshop_session.html").render(sections=sections)
