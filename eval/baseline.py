"""The baseline every "better" or "faster" claim is measured against: a plain llama-index pipeline
with the library's defaults over the same documents and the same models.

- documents: the same text as ours (our reader, one llama-index Document per page), so that the
  comparison is about the pipeline, not about PDF extraction;
- chunking, index and retrieval: `VectorStoreIndex.from_documents` defaults (SentenceSplitter
  1024/200 tokens, in-memory vector store, top-k 2), dense only;
- answers: `CitationQueryEngine` defaults (512-token citation chunks, its English prompt asking for
  [n] markers), wrapped in `CondenseQuestionChatEngine` for follow-up questions;
- models: our embedder and our in-process LLM (the same weights, threads and KV cache code).
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.chat_engine import CondenseQuestionChatEngine
from llama_index.core.query_engine import CitationQueryEngine

from assistant import Assistant
from assistant.errors import DocumentError
from assistant.ingest.corpus import corpus_files
from assistant.ingest.readers import read_document
from assistant.rag.answering import is_abstention
from eval.run import read_questions, write_results

# CitationQueryEngine's prompt names the chunks "Source n" and asks for [n]; the model writes
# either, and both are counted so that the baseline is not scored down for its wording.
MARKER = re.compile(r"\[(?:Source\s*)?(\d+)\]|\bSource\s+(\d+)", re.IGNORECASE)


def cited_numbers(text: str, sources: int) -> list[int]:
    found = {int(a or b) for a, b in MARKER.findall(text)}
    return sorted(n for n in found if 0 < n <= sources)


def page_documents(corpus: Path, max_file_mb: float) -> list[Document]:
    documents = []
    for name, path in corpus_files(corpus).items():
        try:
            source = read_document(path, name, max_file_mb)
        except DocumentError:
            continue
        for page in source.pages:
            text = "\n\n".join(p.text for p in page.paragraphs)
            if text.strip():
                documents.append(Document(text=text, metadata={"document": name, "page": page.number or -1}))
    return documents


class Baseline:
    """Built with the same models as `assistant`; indexes the corpus in memory at construction."""

    def __init__(self, assistant: Assistant, corpus: Path | None = None, model: str | None = None) -> None:
        settings = assistant.settings
        start = time.perf_counter()
        documents = page_documents(corpus or settings.corpus_dir, settings.limits.max_file_mb)
        self.index = VectorStoreIndex.from_documents(documents, embed_model=assistant.embedder)
        self.index_s = time.perf_counter() - start
        self.llm = assistant.llm(model)

    def new_dialogue(self) -> BaselineDialogue:
        engine = CitationQueryEngine.from_args(self.index, llm=self.llm, streaming=True)
        return BaselineDialogue(CondenseQuestionChatEngine.from_defaults(query_engine=engine, llm=self.llm))


class BaselineDialogue:
    def __init__(self, chat: CondenseQuestionChatEngine) -> None:
        self.chat = chat

    def ask(self, question: str) -> dict[str, Any]:
        """One turn, in the results format of the evaluation."""
        start = time.perf_counter()
        response = self.chat.stream_chat(question)
        timings: dict[str, float] = {}
        text = ""
        for delta in response.response_gen:
            timings.setdefault("first_token_s", time.perf_counter() - start)
            text += delta
        timings["total_s"] = time.perf_counter() - start
        timings.setdefault("first_token_s", timings["total_s"])
        retrieved = [_passage(s) for s in response.source_nodes]  # the citation chunks, "Source n"
        return {"q": question, **read_answer(text, retrieved), "retrieved": retrieved,
                "timings": {k: round(v, 3) for k, v in timings.items()},
                "prompt_tokens": getattr(self.chat._llm, "last_prompt_tokens", 0)}


def read_answer(text: str, retrieved: list[dict[str, Any]]) -> dict[str, Any]:
    """The answer, its abstention flag and the chunks its markers name. Also re-reads a results
    file written by an older reading (`python -m eval.baseline --reread FILE`): the text and the
    chunks in prompt order are all it needs."""
    cited = cited_numbers(text, len(retrieved))
    return {"answer": text.strip(), "abstained": is_abstention(text) or not text.strip(),
            "citations": [{"marker": n, **retrieved[n - 1]} for n in cited]}


def reread(path: Path) -> None:
    results = read_questions(path)
    for result in results:
        for turn in result["turns"]:
            turn.update(read_answer(turn["answer"], turn["retrieved"]))
    write_results(results, path)


def _passage(source: Any) -> dict[str, Any]:
    node = source.node
    page = node.metadata.get("page", -1)
    return {"document": node.metadata.get("document"), "page": None if page in (-1, None) else int(page),
            "text": re.sub(r"^Source \d+:\s*", "", node.get_content())}


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] != ["--reread"] or len(sys.argv) != 3:
        raise SystemExit("usage: python -m eval.baseline --reread RESULTS.jsonl")
    reread(Path(sys.argv[2]))
