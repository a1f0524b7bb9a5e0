"""Crash safety: the indexer (a real subprocess, fake embedder) is killed with SIGKILL at random
points, repeatedly, while it adds, replaces and removes documents. Each time the index must open
and answer, the next run must complete, and the result must equal a clean index of the same
folder: same passages (no duplicates, none missing), document list consistent with the passages
and the lexical index."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.documents import make_pdf
from support.report import show

WORKER = Path(__file__).resolve().parents[1] / "support" / "crash_worker.py"
RUNS = int(os.environ.get("ASSISTANT_CRASH_RUNS", "8"))
WORDS = ("maintenance capteur ligne atelier sécurité énergie fournisseur qualité audit stock "
         "planning équipe contrôle procédure incident formation budget site usine client").split()


def _paragraphs(rng: random.Random, number: int, version: int) -> list[str]:
    out = [f"Le code d'accès de l'atelier Orion{number} est F{number:02d}-V{version}."]
    for _ in range(rng.randint(3, 6)):
        out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))).capitalize() + ".")
    return out


def write_document(corpus: Path, number: int, version: int) -> None:
    rng = random.Random(number * 1000 + version)
    paragraphs = _paragraphs(rng, number, version)
    if number % 8 == 0:  # some PDFs, a paragraph per page
        (corpus / f"fiche-{number:02d}.pdf").write_bytes(make_pdf([[p] for p in paragraphs]))
    else:
        text = f"# Fiche {number}\n\n" + "\n\n".join(paragraphs) + "\n"
        (corpus / f"fiche-{number:02d}.md").write_text(text, encoding="utf-8")


def corpus_names(corpus: Path) -> set[str]:
    return {p.name for p in corpus.iterdir() if p.is_file()}


def change_corpus(corpus: Path, rng: random.Random, run: int, next_number: list[int]) -> None:
    """Between runs: replace three documents, remove one, add two."""
    names = sorted(corpus_names(corpus))
    for name in rng.sample(names, 3):
        number = int(name[6:8])
        (corpus / name).unlink()
        write_document(corpus, number, run)
    names = sorted(corpus_names(corpus))
    (corpus / rng.choice([n for n in names if not n.startswith("fiche-07")])).unlink()
    for _ in range(2):
        write_document(corpus, next_number[0], 0)
        next_number[0] += 1


def worker(command: str, env: dict[str, str], cwd: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), command, *options], env=env, cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def timed_index(env: dict[str, str], cwd: Path) -> float:
    """A run to the end: how long indexing takes once the process is loaded."""
    process = worker("index", env, cwd)
    assert process.stdout.readline().strip() == "ready"
    start = time.monotonic()
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0 and "done" in out, err
    return time.monotonic() - start


def test_indexer_killed_at_random_points(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(1, 41):
        write_document(corpus, number, 0)
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
           "ASSISTANT_MODEL_CACHE_DIR": str(tmp_path / "cache"), "ASSISTANT_EMBEDDING__BACKEND": "fake",
           "ASSISTANT_LLM__BACKEND": "fake", "ASSISTANT_LLM__MODEL": "fake",
           "ASSISTANT_AUDIT__PATH": str(tmp_path / "audit.jsonl"),
           "PYTHONPATH": os.pathsep.join([str(WORKER.parents[2]), str(WORKER.parents[1]), os.environ.get("PYTHONPATH", "")])}
    # the duration of a full first indexing, on a throwaway index, sets the range of kill times
    full = timed_index({**env, "ASSISTANT_INDEX_DIR": str(tmp_path / "timing")}, tmp_path)
    rng = random.Random(int(os.environ.get("ASSISTANT_CRASH_SEED", "20240611")))
    next_number = [41]
    lines, failures, killed, lost, duplicates = [], [], 0, 0, 0
    for run in range(RUNS):
        if run:
            change_corpus(corpus, rng, run, next_number)
        process = worker("index", env, tmp_path)
        assert process.stdout.readline().strip() == "ready"
        delay = rng.uniform(0.0, full if run == 0 else full / 3)  # later runs index a few files only
        time.sleep(delay)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.communicate()
        killed += not finished
        # every other time, the file being indexed is deleted before the next run
        check = worker("check", env, tmp_path, *(["--remove-interrupted"] if run % 2 else []))
        out, err = check.communicate(timeout=600)
        if check.returncode != 0:
            failures.append(f"run {run}: the index left by the kill could not be used:\n{err[-3000:]}")
            break
        state = json.loads(out.strip().splitlines()[-1])
        after, clean, left = state["after"], state["clean"], state["left"]
        problems = []
        expected = corpus_names(corpus)
        if set(after["records"]) != expected:
            problems.append(f"document list {sorted(set(after['records']) ^ expected)} differs from the folder")
        if not after["unique"] or after["count"] != len(after["ids"]):
            problems.append("duplicate passages")
        if after["ids"] != clean["ids"] or after["count"] != clean["count"]:
            problems.append(f"{after['count']} passages, a clean index has {clean['count']}")
        if left["orphans"]:
            problems.append(f"the kill left passages of no listed document: {left['orphans']}")
        if after["orphans"] or after["short"]:
            problems.append(f"orphans {after['orphans']}, records not matching passages {after['short']}")
        if state["lexical_ids"] != sorted(after["ids"]):
            problems.append("lexical index differs from the passages")
        answered = state["answered_after"]
        if answered["abstained"] or "fiche-07.md" not in answered["evidence"]:
            problems.append(f"question not answered with fiche-07.md: {answered}")
        if state["report"]["errors"]:
            problems.append(f"errors: {state['report']['errors']}")
        lost += len(expected - set(after["records"])) + max(0, clean["count"] - after["count"])
        duplicates += max(0, after["count"] - clean["count"])
        if problems:
            failures.append(f"run {run}: " + "; ".join(problems))
        lines.append(f"  run {run + 1}: killed after {delay:.2f} s{' (had already finished)' if finished else ''}; "
                     f"left {left['count']} passages / {len(left['records'])} documents "
                     f"(unfinished {len(left['short'])}, orphan passages {len(left['orphans'])}); next run: "
                     f"+{state['report']['added']} ~{state['report']['updated']} -{state['report']['removed']} "
                     f"{'file ' + state['removed'] + ' deleted; ' if 'removed' in state else ''}"
                     f"-> {after['count']} passages = clean {clean['count']}; "
                     f"{'OK' if not problems else 'FAILED'}")
    show(request.config, f"Arrêts brutaux de l'indexation (SIGKILL), indexation complète en {full:.1f} s",
         [*lines, f"  runs {len(lines)}, killed before the end {killed}, failures {len(failures)}, "
                  f"records lost {lost}, duplicate passages {duplicates}"], "crash-safety.txt")
    assert not failures, "\n".join(failures)
    assert killed >= RUNS // 2  # the kills did land while indexing
