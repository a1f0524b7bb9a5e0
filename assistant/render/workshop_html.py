"""HTML of the workshop tab's session (no Gradio here): every item as a card with its sources
(document, page, excerpt) and, when an edit broke it, what to check. Jinja template, autoescaped:
item texts come from documents and from the trainer."""
from __future__ import annotations

from assistant.render.templating import render
from assistant.workshop import PARTS, TrainingSession


def session_html(session: TrainingSession | None, problems: dict[int, list[str]]) -> str:
    """The cards part by part; `problems` are `check(session)`'s (by position in session.items())."""
    sections = []
    if session is not None:
        flags = {id(item): problems.get(i, []) for i, item in enumerate(session.items())}
        sections = [(kind, heading, name, [(item, flags[id(item)]) for item in getattr(session, kind)])
                    for kind, heading, name in PARTS if getattr(session, kind)]
    return render("workshop_session.html", sections=sections)
