"""A clone without ../shared: the tests that need the Apec study skip with one reason, the same for
all, so the summary shows one line; under CI a missing ../shared fails instead of skipping."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import shared_corpus
from support.shared_corpus import copy_shared, fold_skip, require_shared


@pytest.fixture
def no_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    missing = tmp_path / "shared"
    monkeypatch.setattr(shared_corpus, "SHARED", missing)
    monkeypatch.delenv("CI", raising=False)
    return missing


def test_without_shared_the_test_is_skipped_with_one_reason(no_shared: Path, tmp_path: Path) -> None:
    reasons = set()
    for needs in (lambda: require_shared("corpus"), lambda: require_shared("corpus", "eval/dev.jsonl"),
                  lambda: copy_shared(["etude-ia-industrie.pdf"], tmp_path)):
        with pytest.raises(pytest.skip.Exception) as skipped:
            needs()
        reasons.add(str(skipped.value))
    assert len(reasons) == 1  # one line in pytest's summary, however many tests skip
    reason = reasons.pop()
    assert "../shared" in reason and str(no_shared) in reason and "\n" not in reason


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_missing_shared_folder_is_an_error(no_shared: Path, monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_shared("corpus")


def test_a_partial_shared_folder_still_skips(no_shared: Path) -> None:
    (no_shared / "corpus").mkdir(parents=True)
    assert require_shared("corpus") == no_shared
    with pytest.raises(pytest.skip.Exception):
        require_shared("corpus", "eval/dev.jsonl")


def test_shared_documents_are_copied_out_of_the_project(no_shared: Path, tmp_path: Path) -> None:
    (no_shared / "corpus" / "offres").mkdir(parents=True)
    (no_shared / "corpus" / "offres" / "offre.md").write_text("# Offre\n", encoding="utf-8")
    corpus = copy_shared(["offres/offre.md"], tmp_path / "copy")
    assert (corpus / "offres" / "offre.md").read_text(encoding="utf-8") == "# Offre\n"


def _skipped(where: str, reason: str) -> pytest.TestReport:
    return pytest.TestReport("t::x", (where, 3, "x"), {}, "skipped", (where, 3, f"Skipped: {reason}"), "setup")


def test_every_skip_for_a_missing_shared_folder_is_reported_from_one_place(no_shared: Path) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_shared("corpus")
    places = {fold_skip(_skipped(f"tests/integration/test_{n}.py", str(skipped.value))).longrepr[:2]
              for n in range(3)}
    assert len(places) == 1 and places.pop()[0] == shared_corpus.__file__  # one line in the summary
    other = fold_skip(_skipped("tests/integration/test_st.py", "extra [st] not installed"))
    assert other.longrepr[0] == "tests/integration/test_st.py"  # other skips keep their place
