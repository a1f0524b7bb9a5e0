"""What the model is shown, without the model: for each question, whether its expected facts are in
the evidence put in the prompt (an upper bound on answer accuracy), whether the first one is in the
leading excerpt (a small model takes what it reads first) and whether a gold passage was retrieved.

    python -m eval.evidence --corpus ../shared/corpus --questions eval/tuning.jsonl [--show]

Seconds instead of the evaluation's minutes, so evidence changes can be screened before a full run.
Only French first turns are read (a follow-up or an English question needs the model first).
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from assistant import Assistant, load_settings
from assistant.text.language import question_language
from assistant.text.normalise import for_match
from eval.metrics import facts_found, quote_in, text_facts
from eval.run import read_questions


def screen(assistant: Assistant, question: dict[str, Any]) -> dict[str, Any]:
    turn = question["turns"][0]
    retrieval, _ = assistant.retrieve(turn["q"])
    evidence = assistant.chat.evidence(assistant.chat.question(turn["q"]), retrieval)
    shown = "\n".join(e.excerpt for e in evidence)
    lead = evidence[0].excerpt.split(" … ")[0] if evidence else ""
    expect = text_facts(turn["expect"])  # a yes/no's verdict is the model's reading of a fact
    return {"id": question["id"], "kind": question.get("kind", ""),
            "in_evidence": facts_found(shown, expect),
            "in_passages": facts_found("\n".join(r.passage.text for r in retrieval.passages), expect),
            "leads": bool(expect) and any(for_match(v) in for_match(lead) for v in expect[0]),
            "retrieved": quote_in([{"text": r.passage.text} for r in retrieval.passages], question.get("gold", [])),
            "words": len(shown.split()), "evidence": shown}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, action="append", required=True)
    parser.add_argument("--show", action="store_true", help="print the evidence of each question missing a fact")
    parser.add_argument("--index-dir", type=Path, help="kept between runs (défaut : un dossier temporaire)")
    args = parser.parse_args(argv)
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="assistant-evidence-"))
    assistant = Assistant(load_settings(corpus_dir=args.corpus, index_dir=index_dir))
    assistant.index(show_bar=False)
    for path in args.questions:
        questions = [q for q in read_questions(path)  # a bare « oui » / « non » has no fact to find
                     if not q.get("abstain") and question_language(q["turns"][0]["q"]) == "fr"
                     and text_facts(q["turns"][0]["expect"])]
        rows = [screen(assistant, q) for q in questions]
        n = max(1, len(rows))
        print(f"{path.stem}: {len(rows)} questions | facts in evidence {sum(r['in_evidence'] for r in rows) / n:.2f}"
              f" | first fact in the leading excerpt {sum(r['leads'] for r in rows) / n:.2f}"
              f" | in the passages retrieved {sum(r['in_passages'] for r in rows) / n:.2f}"
              f" | gold passage retrieved {sum(r['retrieved'] for r in rows) / n:.2f}"
              f" | evidence words (mean) {sum(r['words'] for r in rows) / n:.0f}")
        for row in rows:
            if args.show and row["in_passages"] and not row["in_evidence"]:
                print(f"  {row['id']} ({row['kind']}): {row['evidence'][:400]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
