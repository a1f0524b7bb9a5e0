"""Figures and observations the reliability tests print past pytest's capture (and keep in
artifacts/), for the closing notes: bad inputs with their messages, kill and concurrency runs."""
from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def show(config: pytest.Config, title: str, lines: list[str], file: str | None = None) -> None:
    capture = config.pluginmanager.getplugin("capturemanager")
    text = "\n".join([title, *lines])
    with capture.global_and_fixture_disabled():
        print(f"\n{text}", flush=True)
    if file:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / file).write_text(text + "\n", encoding="utf-8")
