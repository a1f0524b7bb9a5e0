"""Run by tests/test_crash_safety.py in a subprocess (settings from ASSISTANT_* environment variables).

    python crash_worker.py index   # prints "ready" once loaded, then indexes (the process to kill)
    python crash_worker.py check [--remove-interrupted]
        # opens the index left behind, asks, (removes a file,) completes it, prints a JSON state
"""
from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

from assistant import Assistant, load_settings


def state(bot: Assistant) -> dict:
    """What the index holds: passages, their ids, the document list, and how they agree."""
    nodes = bot.store.all_passages()
    ids = [n.id for n in nodes]
    per_document = Counter(str(n.document) for n in nodes)
    records = {r.path: r.passages for r in bot.documents()}
    return {
        "count": bot.store.count(),
        "ids": sorted(ids),
        "unique": len(ids) == len(set(ids)),
        "records": records,
        "per_document": dict(per_document),
        "orphans": sorted(set(per_document) - set(records)),  # passages of no listed document
        "short": sorted(d for d, n in records.items() if per_document.get(d, 0) != n),  # record and passages disagree
    }


def main(command: str) -> None:
    settings = load_settings()
    bot = Assistant(settings)
    bot.store  # noqa: B018 - open the index before saying ready
    if command == "index":
        print("ready", flush=True)
        bot.index()
        print("done", flush=True)
        return
    out: dict = {"opened": True}
    out["left"] = state(bot)  # as the killed run left it
    if "--remove-interrupted" in sys.argv:
        # the user deletes the file the killed run was indexing (or else the newest one)
        keep = "fiche-07.md"  # the document the questions are about
        interrupted = [d for d in out["left"]["orphans"] + out["left"]["short"]
                       if d != keep and (settings.corpus_dir / d).exists()]
        files = [f for f in settings.corpus_dir.iterdir() if f.name != keep and f.is_file()]  # .locks aside
        victim = interrupted[0] if interrupted else max(files, key=lambda f: f.stat().st_mtime_ns).name
        (settings.corpus_dir / victim).unlink()
        out["removed"] = victim
    answer = bot.ask("Que dit-on d'Orion7 ?")  # answerable from whatever was indexed
    out["answered_left"] = {"abstained": answer.abstained, "text": answer.text}
    report = bot.index()
    out["report"] = {"added": len(report.added), "updated": len(report.updated), "removed": len(report.removed),
                     "unchanged": len(report.unchanged), "errors": [str(e) for e in report.errors]}
    out["after"] = state(bot)
    bot.store.refresh_lexical()
    out["lexical_ids"] = sorted(bot.store.lexical.ids)
    answer = bot.ask("Que dit-on d'Orion7 ?")
    out["answered_after"] = {"abstained": answer.abstained, "text": answer.text,
                             "documents": [c.passage.document for c in answer.citations],
                             "evidence": [e.passage.document for e in answer.evidence]}
    clean_settings = settings.model_copy(update={"index_dir": Path(str(settings.index_dir) + "-clean")})
    shutil.rmtree(clean_settings.index_dir, ignore_errors=True)
    clean = Assistant(clean_settings)
    clean.index()
    out["clean"] = state(clean)
    print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
