"""Benchmark of the core: indexing, re-indexing, then accuracy, sourcing and latency on a question set.

    python -m eval.bench --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from assistant import Assistant, load_settings
from eval.metrics import score_question, summarise
from eval.run import read_questions, run_questions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, help="défaut : un dossier temporaire (indexation à froid)")
    parser.add_argument("--model")
    parser.add_argument("--out", type=Path, default=Path("eval/results/bench.jsonl"))
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    settings = load_settings(corpus_dir=args.corpus, index_dir=index_dir,
                             audit={"path": args.out.with_name("bench-audit.jsonl")})

    start = time.perf_counter()
    report = Assistant(settings).index()
    index_s = time.perf_counter() - start
    start = time.perf_counter()
    again = Assistant(settings).index()  # a new process-like object: nothing kept in memory
    reindex_s = time.perf_counter() - start
    assistant = Assistant(settings)
    start = time.perf_counter()
    assistant.warm_up(args.model)
    warm_s = time.perf_counter() - start

    questions = read_questions(args.questions)[: args.limit]
    results = run_questions(assistant, questions, args.out, args.model)
    scores = [score_question(q, r) for q, r in zip(questions, results)]
    summary = summarise(scores)
    passages = assistant.store.count()
    figures = {
        "documents": len(report.added), "passages": passages, "index_s": round(index_s, 1),
        "passages_per_s": round(passages / index_s, 1) if index_s else None,
        "reindex_unchanged_s": round(reindex_s, 2), "reindex_unchanged_docs": len(again.unchanged),
        "model_load_s": round(warm_s, 1), **summary,
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    for s in scores:
        if not s["correct"] or s["citation_hit"] is False:
            print(f"  ✗ {s['id']} ({s['kind']}): correct={s['correct']} citation_hit={s['citation_hit']} "
                  f"retrieval_hit={s['retrieval_hit']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
