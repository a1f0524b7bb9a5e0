"""A conversation exported to Markdown with its sources, to keep or forward: each answer with the
passages it cites (full text) and the passages that were consulted but not cited."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assistant.components.llm.catalogue import describe
from assistant.domain import Answer

AI_NOTICE = ("Réponses générées par un système d'intelligence artificielle à partir des documents "
             "indexés. Vérifiez les sources citées avant toute décision.")


def percent(value: float) -> str:
    return f"{round(value * 100)}\u202f%"  # French typography: narrow no-break space before %


def quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def _answer(number: int, answer: Answer) -> list[str]:
    out = [f"## {number}. {answer.question}", "", answer.text, ""]
    if answer.removed:
        out += ["*Texte non sourcé (retiré de la réponse, aucun passage ne le confirme) :* "
                + " ; ".join(f"« {s} »" for s in answer.removed), ""]
    if answer.citations:
        out += ["### Sources citées", ""]
        for citation in answer.citations:
            out += [f"**[{citation.marker}] {citation.passage.reference}** — appui {percent(citation.score)}", "",
                    quote(citation.passage.text), ""]
    if answer.consulted:
        out += ["### Consultés (non cités)", ""]
        out += [f"- {e.passage.reference}" for e in answer.consulted]
        out.append("")
    return out


def conversation_markdown(answers: Sequence[Answer], when: datetime | None = None,
                          title: str = "Conversation avec l'assistant documentaire") -> str:
    when = when or datetime.now().astimezone()
    models = ", ".join(dict.fromkeys(describe(a.model) for a in answers if a.model)) or "—"
    out = [f"# {title}", "",
           f"Exportée le {when:%d/%m/%Y à %H:%M} · modèle : {models}", "",
           f"*{AI_NOTICE}*", ""]
    for number, answer in enumerate(answers, start=1):
        out += _answer(number, answer)
    return "\n".join(out).rstrip() + "\n"
