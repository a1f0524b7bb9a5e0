"""The page's CSS and JavaScript, kept as files in ui/static (read once, when a tab module loads)."""
from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"


def asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8").strip()
