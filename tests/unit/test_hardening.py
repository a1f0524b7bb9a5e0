"""The smaller guards of issue 15: offline forced whatever the environment says, Gradio's temporary
folder private, the bundled model checked by its SHA-256, pypdf recent enough to have its
decompression limits."""
from __future__ import annotations

import hashlib
import os
import stat
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from assistant import Assistant
from assistant.components.llm import catalogue
from assistant.components.llm.catalogue import BundledModel, assemble
from assistant.errors import ModelUnavailableError
from assistant.offline import OFFLINE_ENV, go_offline
from assistant.ui.app import build

ROOT = Path(__file__).resolve().parents[2]


def test_offline_is_forced_even_when_the_environment_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "True")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "True")
    go_offline()
    assert {key: os.environ[key] for key in OFFLINE_ENV} == OFFLINE_ENV


@pytest.mark.parametrize("given", [True, False])
def test_gradios_temporary_folder_is_readable_by_its_owner_only(assistant: Assistant, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch, given: bool) -> None:
    if given:  # an operator's GRADIO_TEMP_DIR, created world-readable
        folder = tmp_path / "gradio"
        folder.mkdir(mode=0o755)
        monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    else:
        monkeypatch.delenv("GRADIO_TEMP_DIR", raising=False)
    build(assistant)
    folder = Path(os.environ["GRADIO_TEMP_DIR"])
    mode = stat.S_IMODE(folder.stat().st_mode)
    assert folder.is_dir() and mode & 0o077 == 0, oct(mode)


def _parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunks: list[bytes]) -> BundledModel:
    files = []
    for i, chunk in enumerate(chunks):
        files.append(tmp_path / f"part{i:02d}.bin")
        files[-1].write_bytes(chunk)
    monkeypatch.setattr(catalogue, "_part_files", lambda model: files)
    digest = hashlib.sha256(b"".join(chunks)).hexdigest()
    return BundledModel("essai", "modèle d'essai", "Essai", "essai_part", len(chunks), "1.0", digest)


def test_the_assembled_model_is_checked_by_its_sha256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"GGUF" + b"a" * 1000, b"b" * 1000, b"c" * 500]
    model = _parts(tmp_path, monkeypatch, chunks)
    path = assemble(model, tmp_path / "cache")
    assert path.read_bytes() == b"".join(chunks)
    # a cached file altered in place (same size) is rebuilt from the parts, not loaded
    path.write_bytes(b"GGUF" + b"x" * (len(b"".join(chunks)) - 4))
    assert assemble(model, tmp_path / "cache").read_bytes() == b"".join(chunks)
    # a part altered in the installed package: refused with a French message, nothing left behind
    (tmp_path / "part01.bin").write_bytes(b"B" * 1000)
    path.unlink()
    with pytest.raises(ModelUnavailableError, match="empreinte SHA-256"):
        assemble(model, tmp_path / "cache")
    assert not any(p.suffix.startswith((".gguf", ".tmp")) for p in (tmp_path / "cache").iterdir())


def test_the_bundled_models_are_pinned_by_hash() -> None:
    for model in catalogue.BUNDLED.values():
        assert len(model.sha256) == 64 and int(model.sha256, 16)


def test_pypdf_is_pinned_to_a_release_with_its_decompression_limits() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [requirement] = [r for r in map(Requirement, project["dependencies"]) if r.name == "pypdf"]
    # 6.0.0 added the FlateDecode limit, 6.1.3 and 6.4.0 LZW's, 7.0.0 image sizes: none before is allowed
    assert not any(requirement.specifier.contains(v) for v in ("5.9.0", "6.0.0", "6.4.0", "7.0.0"))
    assert requirement.specifier.contains(version("pypdf"))
    from pypdf import filters

    assert filters.ZLIB_MAX_OUTPUT_LENGTH <= 100_000_000
