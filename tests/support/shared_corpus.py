"""The shared documents beside the checkout (../shared, or ASSISTANT_SHARED): the Apec study, the
job offers and the dev question set, which may not be committed. Tests read them from there (copied
into a temporary folder, never into the project). A clone without them skips those tests with one
reason; in CI (CI=true) a missing ../shared is an error, never a skip."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("ASSISTANT_SHARED", Path(__file__).resolve().parents[3] / "shared"))


MISSING = "needs ../shared (the Apec study, job offers, dev questions), not found at"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def status_line() -> str:
    """One line at the top of the test run: whether the tests on the study will run."""
    if (SHARED / "corpus").is_dir():
        return f"shared documents: {SHARED}"
    then = "an error (CI=true)" if in_ci() else "skipped"
    return f"shared documents: not found at {SHARED}; the tests on the Apec study are {then}"


def require_shared(*relative: str) -> Path:
    """The shared folder, once these paths under it are checked (default: corpus/). When one is
    missing: a skip whose reason is the same for every test, so pytest's summary folds them into one
    line; a failure under CI."""
    if all((SHARED / name).exists() for name in relative or ("corpus",)):
        return SHARED
    reason = f"{MISSING} {SHARED}; set ASSISTANT_SHARED to the folder holding corpus/ and eval/"
    if in_ci():
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def fold_skip(report: pytest.TestReport) -> pytest.TestReport:
    """A skip for a missing ../shared reported from here, whichever test or fixture asked: pytest's
    summary folds skips by place and reason, so the whole run says it in one line."""
    if report.skipped and isinstance(report.longrepr, tuple) and MISSING in report.longrepr[2]:
        report.longrepr = (__file__, require_shared.__code__.co_firstlineno, report.longrepr[2])
    return report


def copy_shared(names: list[str], root: Path) -> Path:
    """`root/corpus` holding a copy of these shared documents (skipped, or failed in CI, without them)."""
    shared = require_shared(*(f"corpus/{name}" for name in names))
    corpus = root / "corpus"
    for name in names:
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared / "corpus" / name, corpus / name)
    return corpus
