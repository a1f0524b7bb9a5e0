"""A conversation exported to Markdown with its sources, to keep or forward: each answer with the
passages it cites (full text) and the passages that were consulted but not cited."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from assistant.assistant import Answer
from assistant.citations import SUPPORTED, Citation
from assistant.evidence import Evidence
from assistant.generation import describe_model
from assistant.passages import page_of

AI_NOTICE = ("Réponses générées par un système d'intelligence artificielle à partir des documents "
             "indexés. Vérifiez les sources citées avant toute décision.")


@dataclass
class Source:
    """A passage as the user sees it: where it comes from and what it says."""
    document: str
    title: str
    page: int | None
    text: str
    passage_id: str

    @property
    def label(self) -> str:
        where = f"{self.title} ({self.document})" if self.title and self.title != self.document else self.document
        return f"{where}, p. {self.page}" if self.page else where


def source_of_citation(citation: Citation) -> Source:
    return Source(citation.document, citation.title, citation.page, citation.text, citation.passage_id)


def source_of_evidence(evidence: Evidence) -> Source:
    node = evidence.passage.node
    return Source(str(node.metadata.get("document", "")), str(node.metadata.get("title", "")),
                  page_of(node), node.text, node.node_id)


def consulted(answer: Answer) -> list[Evidence]:
    """Passages shown to the model that the answer does not cite."""
    cited = {c.passage_id for c in answer.citations}
    return [e for e in answer.evidence if e.passage.node.node_id not in cited]


def unsupported_sentences(answer: Answer) -> list[str]:
    """Sentences of the answer that no passage backs (shown discreetly, exported as such)."""
    return [] if answer.abstained else [s.text for s in answer.sentences if s.score < SUPPORTED]


def percent(value: float) -> str:
    return f"{round(value * 100)}\u202f%"  # French typography: narrow no-break space before %


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def to_markdown(answers: Sequence[Answer], when: datetime | None = None,
                title: str = "Conversation avec l'assistant documentaire") -> str:
    when = when or datetime.now().astimezone()
    models = ", ".join(dict.fromkeys(describe_model(a.model) for a in answers if a.model)) or "—"
    out = [f"# {title}", "",
           f"Exportée le {when:%d/%m/%Y à %H:%M} · modèle : {models}", "",
           f"*{AI_NOTICE}*", ""]
    for number, answer in enumerate(answers, start=1):
        out += [f"## {number}. {answer.question}", "", answer.text, ""]
        weak = unsupported_sentences(answer)
        if weak:
            out += ["*Non étayé par les passages (à vérifier) :* " + " ; ".join(f"« {s} »" for s in weak), ""]
        if answer.citations:
            out += ["### Sources citées", ""]
            for citation in answer.citations:
                source = source_of_citation(citation)
                out += [f"**[{citation.marker}] {source.label}** — appui {percent(citation.score)}", "",
                        _quote(source.text), ""]
        others = consulted(answer)
        if others:
            out += ["### Consultés (non cités)", ""]
            out += [f"- {source_of_evidence(e).label}" for e in others]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
