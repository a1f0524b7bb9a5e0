"""The corpus folder: which files are documents, and their content hashes (incremental indexing)."""
from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_folder_note(relative: str) -> bool:
    """The corpus folder's own README: not a document, never replaced by an upload."""
    return relative.casefold() == "readme.md"


def corpus_files(corpus: Path) -> dict[str, Path]:
    """Every file under the corpus folder by its relative name (hidden files and READMEs aside)."""
    files: dict[str, Path] = {}
    for path in sorted(corpus.rglob("*")):
        relative = path.relative_to(corpus)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if is_folder_note(relative.as_posix()):  # the folder's own instructions
            continue
        files[relative.as_posix()] = path
    return files
