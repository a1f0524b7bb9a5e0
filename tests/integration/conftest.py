"""Fixtures of the integration lane: one `chroma run` server per test module."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.serving import Server, free_port, start_chroma_server


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("chroma")
    with start_chroma_server(root / "data", free_port(), root / "logs") as server:
        yield server
