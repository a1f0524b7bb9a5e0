"""What the page says about the corpus: the line under the title, the documents table and the
outcome of an upload or a deletion (French, Markdown where Gradio shows Markdown)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.components.llm.catalogue import describe
from assistant.domain import DocumentRecord, IndexReport

HEADERS = ["Titre", "Fichier", "Pages", "Passages", "Indexé le"]


def local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


def about_line(documents: list[DocumentRecord], model: str, local: bool) -> str:
    """Model, corpus and freshness in one line (`local`: the model runs in this process)."""
    passages = sum(d.passages for d in documents)
    latest = max((d.indexed_at for d in documents), default="")
    when = f", mis à jour le {local_time(latest)}" if latest else ""
    where = "exécuté sur ce poste" if local else "serveur local"
    return (f"**Modèle** : {describe(model)}, {where} · "
            f"**Corpus** : {len(documents)} document(s), {passages} passages{when} · "
            f"recherche hybride (mots-clés + sens) · aucune donnée ne quitte la machine.")


def document_rows(documents: list[DocumentRecord]) -> list[list[Any]]:
    return [[d.title, d.path, d.pages or "—", d.passages, local_time(d.indexed_at)] for d in documents]


def document_choices(documents: list[DocumentRecord]) -> list[tuple[str, str]]:
    """(label, path) of each document, the title first when it says more than the file name."""
    return [(f"{d.title} ({d.path})" if d.title != d.path else d.path, d.path) for d in documents]


def upload_lines(name: str, report: IndexReport | None) -> list[str]:
    """The outcome of one uploaded file (`report` None: it failed unexpectedly)."""
    if report is None:
        return [f"**Refusé** : « {name} » n’a pas pu être indexé (erreur inattendue)."]
    if report.errors:
        return [f"**Refusé** : {error}" for error in report.errors]
    verb = "mis à jour" if report.updated else "ajouté"
    return [f"**Indexé** : « {name} » {verb}, {report.passages} passage(s)."]


def job_line(name: str, state: str, done: int, total: int, report: IndexReport | None) -> list[str]:
    """One background upload: waiting, indexing (passages embedded so far), or its outcome."""
    if state == "waiting":
        return [f"**En attente** : « {name} »."]
    if state == "indexing":
        so_far = f", {done} / {total} passages" if total else ""
        return [f"**Indexation en cours** : « {name} »{so_far}."]
    return upload_lines(name, report)


def replace_question(names: list[str]) -> str:
    listed = ", ".join(f"« {n} »" for n in names)
    return (f"{listed} : un document de ce nom existe déjà. Le remplacer par le fichier envoyé ? "
            "(l’ancien reste en place si vous refusez)")


def renamed(original: str, name: str) -> str:
    return (f"**Renommé** : deux fichiers envoyés s’appellent « {original} » une fois leur nom nettoyé ; "
            f"le second est enregistré sous « {name} ».")


def deleted(name: str) -> str:
    return f"**Supprimé** : « {name} » a été retiré de l’index et du dossier des documents."


NOTHING_TO_DELETE = "Choisissez d’abord le document à supprimer."
