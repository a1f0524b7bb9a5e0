"""`assistant session`: prepare a session from the command line, progress on stderr, exports in --out."""
from __future__ import annotations

import argparse
import sys

from assistant.services.assistant import Assistant
from assistant.workshop.export import check, export
from assistant.workshop.workshop import Workshop


def run_session(assistant: Assistant, args: argparse.Namespace) -> int:
    def progress(message: str, done: int, total: int) -> None:
        print(f"\r[{done}/{total}] {message:<60}", end="", file=sys.stderr, flush=True)

    workshop = Workshop(assistant, model=args.model)
    session = workshop.prepare(args.theme, args.audience, args.minutes, figures=args.figures,
                               questions=args.questions, progress=progress)
    print(file=sys.stderr)
    markdown, docx = export(session, args.out)
    problems = check(session)
    t = session.timings
    print(f"{len(session.figures)} chiffres clés ({t['figures_s']:.1f} s), {len(session.quiz)} questions "
          f"({t['quiz_s']:.1f} s), {len(session.outline)} parties ({t['outline_s']:.1f} s), "
          f"{len(session.sources())} passages cités")
    if len(session.quiz) < args.questions:
        print(f"Seulement {len(session.quiz)} questions ont passé les vérifications sur {args.questions} demandées.")
    if problems:
        print(f"{len(problems)} élément(s) à vérifier (signalés dans les exports).")
    print(f"Exports : {markdown} et {docx}")
    return 0
