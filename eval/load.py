"""Load test of the scaled-out assistant: concurrent conversations through app workers (app.py)
that share one model server, one Chroma server and one audit log, on loopback, over HTTP.

    python -m eval.load --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl

Starts `chroma run` and `python -m llama_cpp.server` on free ports (or uses running ones:
--model-url, --chroma), indexes the corpus into Chroma (the indexing job), then starts --workers
`app.py --no-index` processes on free ports with the server settings and a shared audit log. The
--conversations then run at once, each a browser session of its own (eval.app_client: Gradio's
queue protocol, as the page speaks it), spread round-robin over the workers as a load balancer
would; each asks the next --turns questions of the question file in a row, as follow-ups of one
conversation. Every turn is timed from the client side: to the first piece of answer text on the
page and to the finished answer. Prints throughput, latency percentiles, errors, answer quality
under load, the audit log's lines per worker and the processes' peak memory.
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import shutil
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from eval.app_client import AppClient, read_turns
from eval.metrics import percentile, score_question, summarise
from eval.run import read_questions


def conversations_for(questions: list[dict[str, Any]], count: int, turns: int) -> list[list[dict[str, Any]]]:
    """Conversation i asks the next ``turns`` questions of the file (with all their turns): every
    question is asked about as often as the others."""
    return [[questions[(i * turns + j) % len(questions)] for j in range(turns)] for i in range(count)]


def run_conversation(url: str, items: list[dict[str, Any]], name: str, worker: int, model: str,
                     timeout_s: float, start: threading.Barrier) -> list[dict[str, Any]]:
    """One user in one browser tab: the questions in a row, in one conversation; each turn timed
    and read from the page as the user sees it."""
    client = AppClient(url, timeout=timeout_s)
    start.wait()
    records = []
    for item in items:
        for number, turn in enumerate(item["turns"]):
            record: dict[str, Any] = {"conversation": name, "worker": worker, "id": item["id"], "turn": number,
                                      "start": time.time()}
            try:
                exchange = client.ask(turn["q"], model=model)
                turns = read_turns(exchange.chat_html)
                shown = turns[-1] if turns else {"q": None}
                if shown["q"] != " ".join(turn["q"].split()):  # not shown, or another user's conversation
                    record["error"] = f"la page ne montre pas la question mais {shown['q']!r}"
                elif shown["error"] or not shown["final"]:
                    record["error"] = shown["error"] or "pas de réponse finale"
                else:
                    record.update(total_s=exchange.total_s, chunks=exchange.updates, result=shown,
                                  abstained=shown["abstained"])
                    if exchange.first_text_s is not None:
                        record["first_token_s"] = exchange.first_text_s
            except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                record["error"] = f"{type(error).__name__}: {error}"
            records.append(record)
    return records


def match_audit(records: list[dict[str, Any]], audit: list[dict[str, Any]]) -> int:
    """Give each answered turn the cited passages' text, which the page does not carry, from the
    shared audit log: the page names each answer's record (`exchange`) and its conversation.
    Returns the answers the log lacks (or logs under another conversation)."""
    logged = {entry["id"]: entry for entry in audit if entry.get("type") == "exchange"}
    missing = 0
    for record in records:
        shown = record.get("result")
        if shown is None:
            continue
        entry = logged.get(shown.get("exchange", ""))
        if entry is None or entry["conversation"] != shown.get("conversation"):
            missing += 1
            continue
        shown["citations"] = entry["sources"]
        record["audited"] = True
    return missing


def report(records: list[dict[str, Any]], wall_s: float, questions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    done = [r for r in records if "error" not in r]
    first = [r["first_token_s"] for r in done if "first_token_s" in r]
    total = [r["total_s"] for r in done]
    chunks = sum(r.get("chunks", 0) for r in done)
    decode = [r["chunks"] / (r["total_s"] - r["first_token_s"]) for r in done
              if r.get("chunks", 0) > 3 and r["total_s"] > r.get("first_token_s", r["total_s"])]

    def spread(values: list[float]) -> dict[str, float]:
        return {**{f"p{round(q * 100)}": round(percentile(values, q), 2) for q in (0.5, 0.9, 0.95, 0.99)},
                "max": round(max(values, default=0.0), 2),
                "mean": round(statistics.fmean(values), 2) if values else 0.0}

    # Quality under load, scored like the evaluation (each question file item on its own).
    by_item: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in done:
        by_item.setdefault((r["conversation"], r["id"]), []).append(r)
    scores = [score_question(questions[item_id], {"id": item_id, "turns": [t["result"] for t in turns]})
              for (_, item_id), turns in by_item.items()
              if len(turns) == len(questions[item_id]["turns"])]
    quality = summarise(scores) if scores else {}
    served: dict[str, int] = defaultdict(int)
    for r in done:
        served[f"worker{r.get('worker', 0)}"] += 1
    return {
        "answers": len(records), "errors": len(records) - len(done), "wall_s": round(wall_s, 1),
        "answers_per_s": round(len(done) / wall_s, 3) if wall_s else None,
        "answers_per_min": round(60 * len(done) / wall_s, 1) if wall_s else None,
        "first_token_s": spread(first), "total_s": spread(total),
        "streamed_chunks_per_s": round(chunks / wall_s, 1) if wall_s else None,
        "decode_chunks_per_s_per_answer_p50": round(percentile(decode, 0.5), 1),
        "answers_by_worker": dict(sorted(served.items())),
        "abstained": sum(bool(r.get("abstained")) for r in done),
        "answer_accuracy": quality.get("answer_accuracy"), "citation_hit": quality.get("citation_hit"),
        "abstention_accuracy": quality.get("abstention_accuracy"),
    }


def peak_rss_mb(pid: int) -> int | None:
    """Peak resident memory of a process we started and that still runs (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--questions", type=Path, default=Path("../shared/eval/dev.jsonl"))
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--turns", type=int, default=2, help="questions of the file per conversation")
    parser.add_argument("--model", default="qwen2.5-1.5b")
    parser.add_argument("--threads", type=int, default=2, help="threads of the model server")
    parser.add_argument("--model-url", help="a running OpenAI-compatible server, e.g. http://host:8080/v1")
    parser.add_argument("--chroma", help="a running Chroma server, host:port")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="longest silence of a worker (it sends a heartbeat every 15 s while an answer waits)")
    parser.add_argument("--out", type=Path, default=Path("eval/results/load.json"))
    parser.add_argument("--keep", action="store_true", help="keep the servers' data and logs")
    return parser.parse_args(argv)


def as_environment(settings: dict[str, Any], prefix: str = "ASSISTANT_") -> dict[str, str]:
    """Nested settings as the environment variables a deployment sets (ASSISTANT_LLM__MODEL...)."""
    env: dict[str, str] = {}
    for key, value in settings.items():
        if isinstance(value, dict):
            env.update(as_environment(value, f"{prefix}{key.upper()}__"))
        else:
            env[f"{prefix}{key.upper()}"] = str(value)
    return env


def start_servers(args: argparse.Namespace, work: Path, servers: list[Any]) -> dict[str, Any]:
    """The model and Chroma servers (started here unless given); returns the workers' settings."""
    from assistant.components.llm.catalogue import resolve_model_path
    from assistant.config import load_settings
    from assistant.serving import free_port, start_chroma_server, start_model_server

    if args.chroma:
        chroma_host, chroma_port = args.chroma.rsplit(":", 1)
    else:
        chroma_host, chroma_port = "127.0.0.1", str(free_port())
        servers.append(start_chroma_server(work / "chroma", int(chroma_port), work / "logs"))
    model_url = args.model_url
    if not model_url:
        model_path = resolve_model_path(args.model, load_settings().model_cache_dir)
        servers.append(start_model_server(model_path, free_port(), work / "logs", threads=args.threads,
                                          alias=args.model))
        model_url = servers[-1].url
    return {"corpus_dir": args.corpus.resolve(), "index_dir": work / "index",
            "llm": {"backend": "openai", "api_base": model_url, "model": args.model},
            "store": {"backend": "chroma-http", "host": chroma_host, "port": int(chroma_port)},
            "audit": {"path": work / "audit.jsonl"}}


def start_workers(args: argparse.Namespace, work: Path, env: dict[str, str], workers: list[Any]) -> None:
    from assistant.serving import free_port, spawn_app_worker

    started = time.perf_counter()
    for _ in range(args.workers):
        workers.append(spawn_app_worker(free_port(), work / "logs", env))
    for worker in workers:  # ready once the page answers: after the worker's warm-up
        worker.wait_ready(worker.url + "/", timeout_s=600)
    print(f"{args.workers} workers prêts ({time.perf_counter() - started:.1f} s) : "
          f"{', '.join(w.url for w in workers)}", flush=True)


def run_load(args: argparse.Namespace, workers: list[Any], questions: list[dict[str, Any]]
             ) -> tuple[list[dict[str, Any]], float]:
    """Every conversation at once, round-robin over the workers; the records and the wall time."""
    conversations = conversations_for(questions, args.conversations, args.turns)
    start = threading.Barrier(len(conversations) + 1)
    with ThreadPoolExecutor(max_workers=max(len(conversations), 1)) as pool:
        runs = [pool.submit(run_conversation, workers[i % len(workers)].url, items, f"c{i}",
                            i % len(workers), args.model, args.timeout, start)
                for i, items in enumerate(conversations)]
        start.wait()  # every client ready: the conversations begin together
        began = time.perf_counter()
        print(f"{args.conversations} conversations simultanées sur {args.workers} workers…", flush=True)
        records = [record for run in runs for record in run.result()]
    return records, time.perf_counter() - began


def audited(args: argparse.Namespace, work: Path, records: list[dict[str, Any]], wall: float,
            questions: list[dict[str, Any]], workers: list[Any], servers: list[Any]) -> dict[str, Any]:
    """The figures, the answers matched in the shared audit log, the processes' peak memory."""
    audit_path = work / "audit.jsonl"
    audit = [json.loads(line) for line in audit_path.read_text(encoding="utf-8").splitlines()
             if line.strip()] if audit_path.exists() else []
    missing = match_audit(records, audit)
    figures = report(records, wall, {q["id"]: q for q in questions})
    logged: dict[str, int] = defaultdict(int)
    for r in records:
        if r.get("audited"):
            logged[f"worker{r['worker']}"] += 1
    figures.update(workers=args.workers, conversations=args.conversations, audit_lines=len(audit),
                   audit_exchanges_by_worker=dict(sorted(logged.items())), answers_not_in_audit=missing)
    figures["peak_rss_mb"] = {f"worker{n}": peak_rss_mb(w.process.pid) for n, w in enumerate(workers)}
    for server in servers:
        figures["peak_rss_mb"]["model_server" if "modèle" in server.name else "chroma"] = \
            peak_rss_mb(server.process.pid)
    return figures


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    faulthandler.enable()  # a crash in native code (onnxruntime, llama.cpp) still leaves a trace
    from assistant import Assistant, load_settings

    work = Path(tempfile.mkdtemp(prefix="assistant-load-"))
    servers: list[Any] = []
    workers: list[Any] = []
    try:
        deployment = start_servers(args, work, servers)
        started = time.perf_counter()
        indexed = Assistant(load_settings(**deployment)).index()  # the indexing job
        print(f"Indexation : {indexed.summary()} ({time.perf_counter() - started:.1f} s)", flush=True)
        start_workers(args, work, {**as_environment(deployment), "GRADIO_TEMP_DIR": str(work / "gradio")}, workers)
        questions = read_questions(args.questions)
        records, wall = run_load(args, workers, questions)
        figures = audited(args, work, records, wall, questions, workers, servers)
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        for r in records:
            if "error" in r:
                print(f"✗ {r['conversation']} (worker {r['worker']}) {r['id']}: {r['error']}")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"figures": figures, "records": records}, ensure_ascii=False, indent=1),
                            encoding="utf-8")
        return 1 if figures["errors"] or figures["answers_not_in_audit"] else 0
    finally:
        for server in [*reversed(workers), *reversed(servers)]:  # the workers first: they use the servers
            server.stop()
        if args.keep:
            print(f"Données et journaux des serveurs et des workers : {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
