"""The one Jinja environment of the page's HTML (chat and workshop tab): templates in ``assistant/render/templates``,
every value escaped unless a filter marks it safe, so user and document text never becomes markup.

    render("evidence.html", index=0, turn=turn)
"""
from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from assistant.render.markdown import percent
from assistant.render.session import excerpt


def lines(text: str) -> Markup:
    """Escaped text whose line breaks stay visible (<br>): answers and passages keep their lines."""
    return Markup("<br>").join(escape(text).split("\n"))


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "\u202fs"  # French: decimal comma, narrow space


_ENVIRONMENT = Environment(
    loader=PackageLoader("assistant.render", "templates"),
    autoescape=True,
    undefined=StrictUndefined,  # a misspelt name fails the tests instead of rendering empty
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_ENVIRONMENT.filters.update(lines=lines, percent=percent, seconds=seconds, excerpt=excerpt)


def render(name: str, **context: Any) -> str:
    return _ENVIRONMENT.get_template(name).render(**context)
