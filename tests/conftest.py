"""Fixtures shared by the three lanes (unit, integration, e2e): settings of the test profile in a
temporary folder, the fake model injected through the constructor, a small indexed corpus."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

from assistant import Assistant
from assistant.components.llm.fake import FakeLLM
from assistant.config import Settings
from support.documents import MARKDOWN, PDF_FOOTER, PDF_HEADER, PDF_PAGES, TEXT, make_pdf
from support.settings import fake_settings
from support.shared_corpus import fold_skip, status_line

# No example database, and hypothesis's own files go to the system temp folder, not the project.
hypothesis_settings.register_profile("fast", database=None)
hypothesis_settings.load_profile("fast")
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "assistant-tests-hypothesis")


def pytest_report_header() -> str:
    return status_line()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201
    return fold_skip((yield))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return fake_settings(tmp_path)


@pytest.fixture
def fake_llm() -> FakeLLM:
    """The model of the `assistant` fixture: script its replies with ``fake_llm.say(...)``."""
    return FakeLLM()


@pytest.fixture
def make_corpus(settings: Settings):
    """Write the Markdown, text and PDF documents; returns the corpus folder."""
    def make() -> Path:
        corpus = settings.corpus_dir
        (corpus / "guide.md").write_text(MARKDOWN, encoding="utf-8")
        (corpus / "teletravail.txt").write_text(TEXT, encoding="utf-8")
        (corpus / "etude.pdf").write_bytes(make_pdf(PDF_PAGES, PDF_HEADER, PDF_FOOTER))
        return corpus
    return make


@pytest.fixture
def assistant(settings: Settings, fake_llm: FakeLLM) -> Assistant:
    return Assistant(settings, llm=fake_llm)


@pytest.fixture
def indexed(assistant: Assistant, make_corpus) -> Assistant:
    make_corpus()
    report = assistant.index()
    assert not report.errors, report.summary()
    return assistant
