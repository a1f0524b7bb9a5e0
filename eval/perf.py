"""Performance benchmark: indexing, re-indexing, retrieval at scale, answer speed per bundled model
and against the llama-index baseline, peak memory. Prints figures; asserts nothing.

    python -m eval.perf --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl

Each model's answers run in a child process so that its peak memory is its own.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant import Assistant, load_settings
from assistant.components.llm.catalogue import BUNDLED
from assistant.domain import DocumentRecord, Passage
from assistant.rag.retrieval import HybridRetriever
from eval.metrics import percentile
from eval.run import read_questions


def _ms(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values) * 1000, 1), "p95_ms": round(percentile(values, 0.95) * 1000, 1)}


def _peak_rss_gb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 2)  # Linux: KiB


# --- indexing ------------------------------------------------------------------------------------
def indexing(corpus: Path) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="assistant-perf-"))
    shutil.copytree(corpus, work / "corpus")
    settings = load_settings(corpus_dir=str(work / "corpus"), index_dir=str(work / "index"))
    start = time.perf_counter()
    report = Assistant(settings).index()
    cold = time.perf_counter() - start
    passages = Assistant(settings).store.count()
    start = time.perf_counter()
    Assistant(settings).index()
    unchanged = time.perf_counter() - start
    changed = sorted((work / "corpus").rglob("*.md"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nParagraphe ajouté pour le banc d'essai.\n",
                       encoding="utf-8")
    start = time.perf_counter()
    again = Assistant(settings).index()
    one_changed = time.perf_counter() - start
    shutil.rmtree(work, ignore_errors=True)
    # to the millisecond: a small corpus with the fake embedder indexes in under 0.05 s, which read 0.0
    return {"documents": len(report.added), "passages": passages, "index_s": round(cold, 3),
            "passages_per_s": round(passages / cold, 1), "reindex_unchanged_s": round(unchanged, 3),
            "reindex_one_changed_s": round(one_changed, 3), "one_changed_replaced": len(again.updated)}


# --- retrieval at scale --------------------------------------------------------------------------
def synthetic_store(size: int, vocabulary: list[str], queries: list[str], work: Path) -> dict[str, Any]:
    """`size` passages of words drawn from the corpus (its word frequencies kept), random unit
    vectors: the search costs of a large index without embedding it for hours."""
    settings = load_settings(index_dir=str(work / f"index-{size}"))
    bot = Assistant(settings)
    rng = np.random.default_rng(size)
    sampler = random.Random(size)
    dimensions = len(bot.embedder.get_query_embedding("dimension"))  # 384 for e5-small
    start = time.perf_counter()
    per_document = 500
    for d in range(0, size, per_document):
        path = f"synthetique/doc-{d // per_document:05d}.txt"
        vectors = rng.standard_normal((min(per_document, size - d), dimensions)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        passages = [Passage(f"{path}-{i}", " ".join(sampler.choices(vocabulary, k=60)), path, path, position=i)
                    for i in range(len(vectors))]
        bot.store.add_document(DocumentRecord(path, "-", path, "text", 0, len(passages), "-"), passages,
                               vectors.tolist())
    build_s = time.perf_counter() - start
    bot.store.refresh_lexical()
    bot.embedder.get_query_embedding("préchauffage")
    vectors, embed = {}, []
    for query in queries:
        start = time.perf_counter()
        vectors[query] = bot.embedder.get_query_embedding(query)
        embed.append(time.perf_counter() - start)
    retriever = HybridRetriever(settings.retrieval, bot.store, _Precomputed(vectors))  # the search alone
    search = []
    for query in queries:
        start = time.perf_counter()
        retriever.retrieve(query)
        search.append(time.perf_counter() - start)
    total = [e + s for e, s in zip(embed, search)]
    return {"passages": bot.store.count(), "build_s": round(build_s, 1), "search": _ms(search),
            "query_embedding": _ms(embed), "retrieval_total": _ms(total)}


class _Precomputed:
    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def get_query_embedding(self, query: str) -> list[float]:
        return self.vectors[query]


def retrieval_at_scale(corpus: Path, questions: list[dict[str, Any]], sizes: list[int]) -> dict[str, Any]:
    from assistant.ingest.corpus import corpus_files
    from assistant.ingest.readers import read_document

    # Every word occurrence, so that sampling keeps the corpus's word frequencies.
    vocabulary = [w for name, path in corpus_files(corpus).items()
                  for page in read_document(path, name, 50).pages for p in page.paragraphs
                  for w in p.text.split()]
    queries = [t["q"] for q in questions for t in q["turns"]]
    work = Path(tempfile.mkdtemp(prefix="assistant-perf-scale-"))
    figures = {}
    for size in sizes:
        figures[str(size)] = synthetic_store(size, vocabulary, queries, work)
        print(f"  retrieval at {size} passages: {json.dumps(figures[str(size)])}", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return figures


# --- answers (child process per system) ----------------------------------------------------------
def answers(corpus: Path, questions_path: Path, model: str, system: str, limit: int) -> dict[str, Any]:
    """Runs in a child process: index (reused), warm up, answer, report speed and memory."""
    from eval.baseline import Baseline
    from eval.metrics import score_question, summarise
    from eval.run import run_questions

    index_dir = Path(tempfile.gettempdir()) / "assistant-perf-index"
    settings = load_settings(corpus_dir=corpus, index_dir=index_dir, audit={"path": index_dir / "audit.jsonl"})
    bot = Assistant(settings)
    bot.index()
    bot.warm_up(model)
    questions = read_questions(questions_path)[:limit]
    llm = bot.llm(model)
    decode: list[float] = []
    target: Any = Baseline(bot, corpus, model).new_dialogue if system == "baseline" else bot
    results = []
    for question in questions:  # one at a time so that decode speed is measured per answer
        before = getattr(llm, "generated_tokens", 0)
        [result] = run_questions(target, [question], model=model, verbose=False)
        results.append(result)
        last = result["turns"][-1]["timings"]
        generated = getattr(llm, "generated_tokens", 0) - before
        decoding = last.get("total_s", 0) - last.get("first_token_s", 0)
        if generated > 8 and decoding > 0:
            decode.append(generated / decoding)
    summary = summarise([score_question(q, r) for q, r in zip(questions, results)])
    keys = ["answer_accuracy", "citation_hit", "abstention_accuracy", "first_token_median_s", "first_token_p90_s",
            "total_median_s", "total_p90_s", "prompt_tokens_median"]
    retrieval = [t["timings"].get("retrieval_s", 0) for r in results for t in r["turns"] if "retrieval_s" in t["timings"]]
    return {"model": model, "system": system, "questions": len(questions), **{k: summary[k] for k in keys},
            "retrieval_median_s": round(statistics.median(retrieval), 3) if retrieval else None,
            "decode_tok_s": round(statistics.median(decode), 1) if decode else None, "peak_rss_gb": _peak_rss_gb()}


def run_child(corpus: Path, questions: Path, model: str, system: str, limit: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "eval.perf", "--corpus", str(corpus), "--questions", str(questions),
               "--child", system, "--model", model, "--limit", str(limit)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--limit", type=int, default=1000, help="questions per answer run")
    parser.add_argument("--models", default=",".join(BUNDLED))
    parser.add_argument("--skip", default="", help="comma list of: indexing,retrieval,answers,baseline")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(answers(args.corpus, args.questions, args.model, args.child, args.limit)))
        return 0
    skip = set(args.skip.split(","))
    questions = read_questions(args.questions)
    figures: dict[str, Any] = {}
    if "indexing" not in skip:
        figures["indexing"] = indexing(args.corpus)
        print(f"indexing: {json.dumps(figures['indexing'])}", flush=True)
    if "retrieval" not in skip:
        figures["retrieval"] = retrieval_at_scale(args.corpus, questions, [int(s) for s in args.sizes.split(",")])
    runs = []
    if "answers" not in skip:
        for model in args.models.split(","):
            runs.append(run_child(args.corpus, args.questions, model, "ours", args.limit))
            print(f"answers: {json.dumps(runs[-1])}", flush=True)
    if "baseline" not in skip:
        runs.append(run_child(args.corpus, args.questions, args.models.split(",")[0], "baseline", args.limit))
        print(f"answers: {json.dumps(runs[-1])}", flush=True)
    figures["answers"] = runs
    ours = next((r for r in runs if r["system"] == "ours"), None)
    base = next((r for r in runs if r["system"] == "baseline"), None)
    if ours and base and ours["first_token_median_s"]:
        figures["baseline_ratios"] = {
            "first_token": round(base["first_token_median_s"] / ours["first_token_median_s"], 1),
            "total": round(base["total_median_s"] / ours["total_median_s"], 1) if ours["total_median_s"] else None,
            "prompt_tokens": round(base["prompt_tokens_median"] / ours["prompt_tokens_median"], 1)
            if ours["prompt_tokens_median"] else None}
        print(f"baseline / ours: {json.dumps(figures['baseline_ratios'])}")
    out = Path("eval/results/perf.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
