"""The upload size limit is Gradio's own (`max_file_size`): a file over it is refused while it
streams in and never lands in Gradio's temporary folder (it did: the 50 MB check came after the
whole file was on disk). The app is served as `launch` serves it (uvicorn, behind the site guard), in
a thread of this process, on loopback, with the fakes."""
from __future__ import annotations

from pathlib import Path

import threading
import time

import httpx
import pytest

from assistant import Assistant
from assistant.serving import free_port
from assistant.ui.app import server
from support.settings import fake_settings


@pytest.mark.servers
def test_an_upload_over_the_limit_never_lands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(temp))
    port = free_port()
    settings = fake_settings(tmp_path, limits={"max_file_mb": 0.01}, app={"port": port})  # 10 kB
    web = server(Assistant(settings))
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    while not web.started and thread.is_alive():
        time.sleep(0.05)
    try:
        url = f"http://127.0.0.1:{port}/gradio_api/upload"
        big = httpx.post(url, files={"files": ("gros.txt", b"a" * 40_000, "text/plain")}, timeout=30)
        assert big.status_code == 413, big.text
        landed = [p.name for p in temp.rglob("*") if p.is_file()] if temp.exists() else []
        assert "gros.txt" not in landed
        small = httpx.post(url, files={"files": ("petit.txt", b"a" * 2_000, "text/plain")}, timeout=30)
        assert small.status_code == 200 and "petit.txt" in small.text  # the limit is not a wall
    finally:
        web.should_exit = True
        thread.join(10)
