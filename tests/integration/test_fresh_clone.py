"""A newcomer's clone: the repository's HEAD cloned into a folder with no ../shared beside it. The
project builds offline from the clone, `make demo` indexes the AI Act excerpts that ship in corpus/
and answers an AI Act question with the real models, citing the right article.

Install step: the full `pip install` (llama.cpp compiled, models downloaded: minutes, and PyPI)
is not repeated here. The clone's own package is built with pip, offline and without dependencies
(what `pip install -e .` would add to the venv of the running tests), and the clone's code then runs
in that venv through PYTHONPATH (checked: `import assistant` resolves to the clone)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
QUESTION = "Quel plafond d'amende s'applique à la fourniture d'informations inexactes aux autorités ?"

pytestmark = pytest.mark.models


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 900) -> tuple[str, float]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done.stdout, elapsed


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The committed HEAD in `<tmp>/work/repo`, with nothing else in `<tmp>/work`; the environment
    a user has (no ASSISTANT_* variable, no outer make) with the clone's code first."""
    work = tmp_path_factory.mktemp("work")
    repo = work / "repo"
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(repo)], check=True)
    subprocess.run(["git", "checkout", "--quiet", head.stdout.strip()], cwd=repo, check=True)
    assert sorted(p.name for p in work.iterdir()) == ["repo"]  # no ../shared beside the clone
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ASSISTANT_", "MAKE")) and k not in {"MFLAGS", "PYTHONPATH"}}
    return repo, {**env, "PYTHONPATH": str(repo)}


def test_the_clone_ships_the_ai_act_and_nothing_of_apec(clone: tuple[Path, dict[str, str]]) -> None:
    repo, env = clone
    tracked = subprocess.run(["git", "ls-files", "corpus"], cwd=repo, capture_output=True, text=True,
                             check=True).stdout.split()
    excerpts = [name for name in tracked if name.startswith("corpus/ai-act/")]
    assert len(excerpts) == 13 and all(name.endswith(".md") for name in excerpts)
    assert sorted(set(tracked) - set(excerpts)) == ["corpus/README.md"]  # no study PDF, no job offer
    assert not [line for line in subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True,
                                                check=True).stdout.split() if line.endswith(".pdf")]


def test_a_fresh_clone_builds_offline_indexes_and_cites_the_article(
        clone: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, env = clone
    pip = [sys.executable, "-m", "pip", "wheel", "--no-index", "--no-deps", "--no-build-isolation", "--quiet",
           "--wheel-dir", str(tmp_path / "wheel"), str(repo)]
    _, install_s = _run(pip, repo, env)
    wheel = zipfile.ZipFile(next((tmp_path / "wheel").glob("assistant-*.whl"))).namelist()
    assert "assistant/render/templates/answer.html" in wheel and "assistant/profiles/test.yaml" in wheel
    where, _ = _run([sys.executable, "-c", "import assistant; print(assistant.__file__)"], repo, env)
    assert Path(where.strip()).is_relative_to(repo)  # the clone's code runs, not the checkout's

    # The README's optional third command: index corpus/ (incremental), then one question.
    make = ["make", "-o", f"{VENV}/.installed", f"VENV={VENV}", "demo", f"QUESTION={QUESTION}"]
    out, demo_s = _run(make, repo, env)
    print(f"\nfresh clone: package built offline {install_s:.1f} s; make demo (index + ask) {demo_s:.1f} s\n{out}")
    assert "13 ajouté(s)" in out and "0 retiré(s)" in out  # the 13 excerpts, README.md not a document
    answer, _, sources = out.partition("\nSources :")
    assert "7 500 000" in answer or "7,5 millions" in answer
    assert "ai-act/article-99.md" in sources  # Article 99, Sanctions: the right article is cited
    assert (repo / "index").is_dir() and not (repo.parent / "shared").exists()
