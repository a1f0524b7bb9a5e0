"""The upload size limit is Gradio's own (`max_file_size`): a file over it is refused while it
streams in and never lands in Gradio's temporary folder (it did: the 50 MB check came after the
whole file was on disk). The app runs in this process, on loopback, with the fakes."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from assistant import Assistant
from assistant.serving import free_port
from assistant.ui.app import launch
from support.settings import fake_settings


@pytest.mark.servers
def test_an_upload_over_the_limit_never_lands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(temp))
    port = free_port()
    settings = fake_settings(tmp_path, limits={"max_file_mb": 0.01}, app={"port": port})  # 10 kB
    demo = launch(Assistant(settings), prevent_thread_lock=True)
    try:
        url = f"http://127.0.0.1:{port}/gradio_api/upload"
        big = httpx.post(url, files={"files": ("gros.txt", b"a" * 40_000, "text/plain")}, timeout=30)
        assert big.status_code == 413, big.text
        landed = [p.name for p in temp.rglob("*") if p.is_file()] if temp.exists() else []
        assert "gros.txt" not in landed
        small = httpx.post(url, files={"files": ("petit.txt", b"a" * 2_000, "text/plain")}, timeout=30)
        assert small.status_code == 200 and "petit.txt" in small.text  # the limit is not a wall
    finally:
        demo.close()
