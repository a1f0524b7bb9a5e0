"""Load test of the scaled-out assistant: concurrent conversations through app workers that share
one model server and one Chroma server, on loopback.

    python -m eval.load --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl

Starts `chroma run` and `python -m llama_cpp.server` on free ports (or uses running ones:
--model-url, --chroma), indexes the corpus into Chroma, then starts --workers processes, each an
app worker (an Assistant with the openai + chroma-http settings) serving its share of the
--conversations at once, one thread per conversation, as a web worker serves its users. Each
conversation asks the next --turns questions of the question file in a row. Prints throughput, latency
percentiles, errors, answer quality under load and the processes' peak memory.

Until the Gradio app can be driven over HTTP, the workers call the Assistant API directly.
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import multiprocessing as mp
import resource
import shutil
import statistics
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from eval.metrics import percentile, score_question, summarise
from eval.run import read_questions


def conversations_for(questions: list[dict[str, Any]], count: int, turns: int) -> list[list[dict[str, Any]]]:
    """Conversation i asks the next ``turns`` questions of the file (with all their turns): every
    question is asked about as often as the others."""
    return [[questions[(i * turns + j) % len(questions)] for j in range(turns)] for i in range(count)]


def run_conversation(assistant: Any, items: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """One user: the questions in a row, in one conversation; each turn timed from the client side."""
    from assistant import AnswerEvent, Conversation, TokenEvent

    conversation = Conversation()
    records = []
    for item in items:
        for number, turn in enumerate(item["turns"]):
            record: dict[str, Any] = {"conversation": name, "id": item["id"], "turn": number,
                                      "start": time.time()}
            start = time.perf_counter()
            try:
                tokens = 0
                for event in assistant.stream(turn["q"], conversation):
                    if isinstance(event, TokenEvent):
                        tokens += 1
                        record.setdefault("first_token_s", time.perf_counter() - start)
                    elif isinstance(event, AnswerEvent):
                        record["result"] = event.answer.to_result()
                        record["abstained"] = event.answer.abstained
                record["total_s"] = time.perf_counter() - start
                record["chunks"] = tokens
            except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                record["error"] = f"{type(error).__name__}: {error}"
                record["traceback"] = traceback.format_exc(limit=5)
            records.append(record)
    return records


def worker(number: int, settings_data: dict[str, Any], conversations: list[list[dict[str, Any]]],
           start: Any, results: Any) -> None:
    """An app worker process: warm up, wait for the others, then serve its conversations at once."""
    from assistant import Assistant
    from assistant.settings import Settings

    failure = ""
    try:
        assistant = Assistant(Settings.model_validate(settings_data))
        assistant.warm_up()
    except Exception as error:  # noqa: BLE001 - reported by the main process
        failure = f"{type(error).__name__}: {error}"
    finally:
        start.wait()  # even after a failed warm-up, so that the main process is not left waiting
    if failure:
        results.put({"worker": number, "records": [], "peak_rss_mb": 0, "failure": failure})
        return
    with ThreadPoolExecutor(max_workers=max(len(conversations), 1)) as pool:
        runs = [pool.submit(run_conversation, assistant, items, f"w{number}c{i}")
                for i, items in enumerate(conversations)]
        records = [record for run in runs for record in run.result()]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put({"worker": number, "records": records, "peak_rss_mb": round(peak_mb)})


def peak_rss_mb(pid: int) -> int | None:
    """Peak resident memory of a process we started (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


def report(records: list[dict[str, Any]], wall_s: float, questions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    done = [r for r in records if "error" not in r]
    first = [r["first_token_s"] for r in done if "first_token_s" in r]
    total = [r["total_s"] for r in done]
    chunks = sum(r.get("chunks", 0) for r in done)
    decode = [r["chunks"] / (r["total_s"] - r["first_token_s"]) for r in done
              if r.get("chunks", 0) > 3 and r["total_s"] > r.get("first_token_s", r["total_s"])]

    def spread(values: list[float]) -> dict[str, float]:
        return {"p50": round(percentile(values, 0.5), 2), "p90": round(percentile(values, 0.9), 2),
                "p99": round(percentile(values, 0.99), 2), "max": round(max(values, default=0.0), 2),
                "mean": round(statistics.fmean(values), 2) if values else 0.0}

    # Quality under load, scored like the evaluation (each question file item on its own).
    by_item: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in done:
        by_item.setdefault((r["conversation"], r["id"]), []).append(r)
    scores = [score_question(questions[item_id], {"id": item_id, "turns": [t["result"] for t in turns]})
              for (_, item_id), turns in by_item.items()
              if len(turns) == len(questions[item_id]["turns"])]
    quality = summarise(scores) if scores else {}
    return {
        "answers": len(records), "errors": len(records) - len(done), "wall_s": round(wall_s, 1),
        "answers_per_s": round(len(done) / wall_s, 3) if wall_s else None,
        "answers_per_min": round(60 * len(done) / wall_s, 1) if wall_s else None,
        "first_token_s": spread(first), "total_s": spread(total),
        "streamed_chunks_per_s": round(chunks / wall_s, 1) if wall_s else None,
        "decode_chunks_per_s_per_answer_p50": round(percentile(decode, 0.5), 1),
        "abstained": sum(bool(r.get("abstained")) for r in done),
        "answer_accuracy": quality.get("answer_accuracy"), "citation_hit": quality.get("citation_hit"),
        "abstention_accuracy": quality.get("abstention_accuracy"),
    }


def main(argv: list[str] | None = None) -> int:
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
    parser.add_argument("--out", type=Path, default=Path("eval/results/load.json"))
    parser.add_argument("--keep", action="store_true", help="keep the servers' data and logs")
    args = parser.parse_args(argv)
    faulthandler.enable()  # a crash in native code (onnxruntime, llama.cpp) still leaves a trace

    from assistant import Assistant
    from assistant.models import resolve_model_path
    from assistant.serving import free_port, start_chroma_server, start_model_server
    from assistant.settings import load_settings

    work = Path(tempfile.mkdtemp(prefix="assistant-load-"))
    servers = []
    try:
        if args.chroma:
            chroma_host, chroma_port = args.chroma.rsplit(":", 1)
        else:
            chroma_host, chroma_port = "127.0.0.1", str(free_port())
            servers.append(start_chroma_server(work / "chroma", int(chroma_port), work / "logs"))
        base = load_settings(corpus_dir=str(args.corpus), index_dir=str(work / "index"))
        if args.model_url:
            model_url = args.model_url
        else:
            model_path = resolve_model_path(args.model, base.model_cache_dir)
            servers.append(start_model_server(model_path, free_port(), work / "logs", threads=args.threads,
                                              alias=args.model))
            model_url = servers[-1].url
        settings = load_settings(
            corpus_dir=str(args.corpus), index_dir=str(work / "index"),
            llm={"backend": "openai", "api_base": model_url, "model": args.model},
            store={"backend": "chroma-http", "host": chroma_host, "port": chroma_port})
        started = time.perf_counter()
        indexed = Assistant(settings).index()  # the indexing job, before the workers
        print(f"Indexation : {indexed.summary()} ({time.perf_counter() - started:.1f} s)", flush=True)

        questions = read_questions(args.questions)
        conversations = conversations_for(questions, args.conversations, args.turns)
        context = mp.get_context("spawn")
        start = context.Barrier(args.workers + 1)
        results = context.Queue()
        processes = [context.Process(target=worker, args=(n, settings.model_dump(mode="json"),
                                                          conversations[n::args.workers], start, results))
                     for n in range(args.workers)]
        for process in processes:
            process.start()
        start.wait()  # every worker warmed up
        began = time.perf_counter()
        print(f"{args.conversations} conversations simultanées, {args.workers} workers…", flush=True)
        outputs = []
        while len(outputs) < len(processes):
            outputs.append(results.get(timeout=3600))
        wall = time.perf_counter() - began
        for process in processes:
            process.join()

        records = [r for output in outputs for r in output["records"]]
        for output in outputs:
            if output.get("failure"):
                print(f"✗ worker {output['worker']} : {output['failure']}")
                records += [{"conversation": f"w{output['worker']}", "id": "", "error": output["failure"]}]
        figures = report(records, wall, {q["id"]: q for q in questions})
        figures["workers"] = args.workers
        figures["conversations"] = args.conversations
        figures["peak_rss_mb"] = {f"worker{o['worker']}": o["peak_rss_mb"] for o in outputs}
        for server in servers:
            figures["peak_rss_mb"]["model_server" if "modèle" in server.name else "chroma"] = \
                peak_rss_mb(server.process.pid)
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        for r in records:
            if "error" in r:
                print(f"✗ {r['conversation']} {r['id']}: {r['error']}")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"figures": figures, "records": records}, ensure_ascii=False, indent=1),
                            encoding="utf-8")
        return 1 if figures["errors"] else 0
    finally:
        for server in reversed(servers):
            server.stop()
        if args.keep:
            print(f"Données et journaux des serveurs : {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
