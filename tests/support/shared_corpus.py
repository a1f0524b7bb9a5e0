"""The shared documents beside the checkout (../shared, or ASSISTANT_SHARED), read by the tests
with the real models; copied into a temporary folder, never into the project."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("ASSISTANT_SHARED", Path(__file__).resolve().parents[3] / "shared"))


def copy_shared(names: list[str], root: Path) -> Path:
    """`root/corpus` holding a copy of these shared documents; fails when ../shared is missing."""
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"the shared corpus is missing: {SHARED / 'corpus'}")
    corpus = root / "corpus"
    for name in names:
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHARED / "corpus" / name, corpus / name)
    return corpus
