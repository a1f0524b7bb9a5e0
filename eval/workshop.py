"""Times each artifact of the trainers' workspace per theme and prints what it produced.

    python -m eval.workshop --corpus ../shared/corpus [--out eval/reports/workshop]

The corpus is copied to a temporary folder and indexed there (never into the project). Writes,
per theme, the Markdown, DOCX and PowerPoint exports and a JSON dump of the items for reading, and
items.jsonl: every item of every theme on one line, to be rated (`eval.workshop_items`,
`eval.workshop_ratings`)."""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from assistant import Assistant, load_settings
from assistant.render.slides import to_pptx
from assistant.render.training import export
from assistant.workshop import TrainingSession, Workshop, check
from eval.workshop_items import write_items

THEMES = ["l'IA dans la maintenance et la qualité", "l'IA Act pour les cadres",
          "les compétences recherchées dans les offres"]
AUDIENCE = "cadres de l'industrie"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--out", type=Path, default=Path("eval/reports/workshop"))
    parser.add_argument("--theme", action="append", help="thème (répétable; défaut : les trois du ticket)")
    parser.add_argument("--audience", default=AUDIENCE)
    parser.add_argument("--minutes", type=int, default=90)
    parser.add_argument("--model", help="modèle (défaut : celui des réglages)")
    parser.add_argument("--label-figures", action="store_true", help="le modèle rédige les chiffres clés")
    parser.add_argument("--workdir", type=Path, help="dossier de travail gardé entre deux lancements "
                                                         "(copie du corpus et index) au lieu d'un dossier temporaire")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as scratch:
        tmp = args.workdir or Path(scratch)
        corpus = Path(tmp) / "corpus"
        if not corpus.exists():
            shutil.copytree(args.corpus, corpus)
        bot = Assistant(load_settings(corpus_dir=corpus, index_dir=Path(tmp) / "index"))
        start = time.perf_counter()
        bot.index()
        print(f"indexation : {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        bot.warm_up(args.model)
        print(f"chargement des modèles : {time.perf_counter() - start:.1f} s")
        workshop = Workshop(bot, model=args.model, label_figures=args.label_figures)
        rows = []
        dumps = []
        for n, theme in enumerate(args.theme or THEMES, start=1):
            session = workshop.prepare(theme, args.audience, args.minutes)
            problems = check(session)
            indexed = bot.store.get([q.passage.id for q in session.sources()])
            missing = [q.passage.reference for q in session.sources()
                       if q.passage.id not in indexed or indexed[q.passage.id].text != q.passage.text]
            print(f"\n{theme}: passages cités absents de l'index : {len(missing)} {missing}")
            export(session, args.out, f"theme-{n}")
            to_pptx(session, args.out / f"theme-{n}.pptx")
            dumps.append(asdict(session))
            (args.out / f"theme-{n}.json").write_text(json.dumps(dumps[-1], ensure_ascii=False, indent=1))
            t = session.timings
            rows.append((theme, t["search_s"], t["figures_s"], t["quiz_s"], t["outline_s"],
                         len(session.figures), len(session.quiz), len(session.outline), len(problems)))
            _print(session, problems)
        count = write_items(dumps, args.out / "items.jsonl")
        print(f"\néléments à noter : {count} -> {args.out / 'items.jsonl'}")
        rejected = [r for r in workshop.rejections]
        print(f"\nbrouillons rejetés : {len(rejected)}")
        for r in rejected:
            print(f"  [{r.kind}] {r.reason} — {r.sentence[:100]}")
        print("\n| thème | recherche s | chiffres s | quiz s | déroulé s | chiffres | questions | parties | éléments signalés |")
        print("|---|---|---|---|---|---|---|---|---|")
        for theme, *values in rows:
            print(f"| {theme} | " + " | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in values) + " |")


def _print(session: TrainingSession, problems: dict[int, list[str]]) -> None:
    print(f"\n=== {session.theme} ({', '.join(f'{k} {v:.1f}' for k, v in session.timings.items())})")
    for f in session.figures:
        print(f"  CHIFFRE {f.figure} — {f.text}  [{f.citations[0].passage.reference}]")
    for q in session.quiz:
        quote = q.citations[0]
        print(f"  QUIZ {q.text} -> {q.right_answer} | faux : {[c for i, c in enumerate(q.choices) if i != q.answer]}"
              f"\n       [{quote.passage.reference}] « {quote.text[:160]} »")
    for p in session.outline:
        print(f"  PARTIE {p.text} ({p.minutes} min, appui {p.support}) obj={p.objectives} disc={p.discussion}"
              f"\n       sources: {[q.passage.reference for q in p.citations]}")
    if problems:
        print(f"  signalés : {problems}")


if __name__ == "__main__":
    main()
