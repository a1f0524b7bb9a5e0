"""Command line: `assistant index`, `assistant ask`, `assistant documents`, `assistant session`,
`assistant user add|remove|list` (the web app's accounts)."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.offline import go_offline

if TYPE_CHECKING:
    from assistant.domain import Answer
    from assistant.services import Assistant


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Assistant documentaire local et sourcé.")
    parser.add_argument("--settings", type=Path, help="fichier de réglages YAML")
    sub = parser.add_subparsers(dest="command", required=True)
    index = sub.add_parser("index", help="indexer un dossier de documents (incrémental)")
    index.add_argument("--corpus", type=Path, help="dossier des documents (défaut : corpus/)")
    ask = sub.add_parser("ask", help="poser une question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="résultat au format de l'évaluation")
    ask.add_argument("--model", help="qwen2.5-1.5b (précis), qwen2.5-0.5b (rapide) ou chemin .gguf")
    ask.add_argument("--passages", type=int, help="nombre de passages montrés au modèle")
    sub.add_parser("documents", help="lister les documents indexés")
    session = sub.add_parser("session", help="préparer une session de formation (chiffres clés, quiz, déroulé)")
    session.add_argument("--theme", required=True, help="thème de la session")
    session.add_argument("--audience", default="", help="public, par exemple « cadres de la qualité »")
    session.add_argument("--minutes", type=int, default=90, help="durée en minutes (défaut : 90)")
    session.add_argument("--out", type=Path, default=Path("session"),
                         help="dossier des exports (défaut : session/), ou fichier .pptx (Markdown et Word à côté)")
    session.add_argument("--questions", type=int, default=8, help="nombre de questions du quiz (défaut : 8)")
    session.add_argument("--figures", type=int, default=8, help="nombre de chiffres clés (défaut : 8)")
    session.add_argument("--model", help="qwen2.5-1.5b (défaut), qwen2.5-0.5b ou chemin .gguf")
    _user_parser(sub)
    return parser


def _user_parser(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="comptes de l’application web (écrits dans le fichier de réglages)")
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="créer un compte ou changer son mot de passe, ses groupes, son rôle")
    add.add_argument("name")
    add.add_argument("--groups", default="", help="groupes d’accès séparés par des virgules, ex. rh,direction")
    add.add_argument("--role", choices=["reader", "editor", "admin"], default="reader",
                     help="reader : questions et sessions ; editor : ajoute et supprime les documents de ses "
                          "groupes ; admin : aussi les documents publics")
    add.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l’entrée standard")
    remove = actions.add_parser("remove", help="supprimer un compte")
    remove.add_argument("name")
    actions.add_parser("list", help="lister les comptes")


def _settings_file(args: argparse.Namespace) -> Path:
    from assistant.config import DEFAULT_SETTINGS_FILE

    return args.settings or Path(os.environ.get("ASSISTANT_SETTINGS") or DEFAULT_SETTINGS_FILE)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (encore) : ") != password:
        raise SystemExit("Erreur : les deux mots de passe diffèrent.")
    return password


def _user(args: argparse.Namespace) -> int:
    """`assistant user add|remove|list`: accounts in the settings file, passwords as scrypt hashes."""
    from assistant.config import Account, load_settings
    from assistant.services.access import hash_password, save_account

    path = _settings_file(args)
    if args.action == "list":
        for name, account in load_settings(path if path.exists() else None).app.accounts.items():
            print(f"{name} — {account.role}, groupes : {', '.join(account.groups) or 'aucun (documents publics)'}")
        return 0
    if args.action == "remove":
        save_account(path, args.name, None)
        print(f"Compte « {args.name} » supprimé de {path}.")
        return 0
    password = _read_password(args.password_stdin)
    if len(password) < 10:
        print("Erreur : le mot de passe doit compter au moins 10 caractères.", file=sys.stderr)
        return 2
    groups = [g.strip() for g in args.groups.split(",") if g.strip()]
    save_account(path, args.name, Account(password_hash=hash_password(password), groups=groups, role=args.role))
    print(f"Compte « {args.name} » ({args.role}, groupes : {', '.join(groups) or 'aucun'}) écrit dans {path}. "
          "Redémarrez l’application pour le prendre en compte.")
    return 0


def _print_answer(answer: Answer) -> None:
    if answer.notice:
        print(f"({answer.notice})")
    print(answer.text)
    if answer.citations:
        print("\nSources :")
        for c in answer.citations:
            page = f", p. {c.passage.page}" if c.passage.page else ""
            excerpt = " ".join(c.passage.text.split())
            print(f"  [{c.marker}] {c.passage.document}{page} (appui {c.score:.2f}) — {excerpt[:300]}")
    t = answer.timings
    print(f"\n({t.get('retrieval_s', 0):.2f} s recherche, {t.get('first_token_s', 0):.1f} s premier mot, "
          f"{t.get('total_s', 0):.1f} s au total)")


def _index(assistant: Assistant, args: argparse.Namespace) -> int:
    report = assistant.index(args.corpus, show_bar=True)
    print(report.summary())
    return 1 if report.errors and not (report.added or report.updated or report.unchanged) else 0


def _documents(assistant: Assistant, args: argparse.Namespace) -> int:
    for record in assistant.documents():
        pages = f"{record.pages} p., " if record.pages else ""
        print(f"{record.path} — {record.title} ({pages}{record.passages} passages, {record.indexed_at})")
    return 0


def _ask(assistant: Assistant, args: argparse.Namespace) -> int:
    answer = assistant.ask(args.question, model=args.model, passages=args.passages, user=getpass.getuser())
    if args.json:
        print(json.dumps({"id": "cli", "turns": [answer.to_result()]}, ensure_ascii=False))
    else:
        _print_answer(answer)
    return 0


def _session(assistant: Assistant, args: argparse.Namespace) -> int:
    """A training session prepared from the command line, progress on stderr, exports in --out."""
    from assistant.render.slides import to_pptx
    from assistant.render.training import export
    from assistant.workshop import Workshop, check

    def progress(message: str, done: int, total: int) -> None:
        print(f"\r[{done}/{total}] {message:<60}", end="", file=sys.stderr, flush=True)

    session = Workshop(assistant, model=args.model).prepare(
        args.theme, args.audience, args.minutes, figures=args.figures, questions=args.questions, progress=progress)
    print(file=sys.stderr)
    slides_file = args.out.suffix.lower() == ".pptx"
    folder, name = (args.out.parent, args.out.stem) if slides_file else (args.out, "session")
    markdown, docx = export(session, folder, name)
    slides = to_pptx(session, folder / f"{name}.pptx")
    problems = check(session)
    t = session.timings
    print(f"{len(session.figures)} chiffres clés ({t['figures_s']:.1f} s), {len(session.quiz)} questions "
          f"({t['quiz_s']:.1f} s), {len(session.outline)} parties ({t['outline_s']:.1f} s), "
          f"{len(session.sources())} passages cités")
    for note in session.notes:
        print(note)
    if problems:
        print(f"{len(problems)} élément(s) à vérifier (signalés dans les exports).")
    print(f"Exports : {slides}, {markdown} et {docx}")
    return 0


COMMANDS = {"index": _index, "documents": _documents, "ask": _ask, "session": _session}
NEEDS_DOCUMENTS = {"ask", "session"}


def main(argv: list[str] | None = None) -> int:
    go_offline()
    args = _parser().parse_args(argv)
    if args.command == "user":  # no index or model needed
        return _user(args)
    from assistant.config import load_settings
    from assistant.errors import AssistantError
    from assistant.services import Assistant

    try:
        assistant = Assistant(load_settings(args.settings))
        if args.command in NEEDS_DOCUMENTS and not assistant.documents():
            print("Aucun document indexé : lancez d'abord « assistant index ».", file=sys.stderr)
            return 1
        return COMMANDS[args.command](assistant, args)
    except AssistantError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
