"""Trainers' workspace: prepare a training session from the documents, every item sourced.

    from assistant.workshop import Workshop, to_markdown, to_docx
    workshop = Workshop(assistant)
    session = workshop.prepare("l'IA Act pour les cadres", "cadres RH", 90, progress=callback)
    session.quiz[0].text = "..."                 # items are plain dataclasses: edit freely
    workshop.regenerate(session.quiz[2], session)
    to_docx(session, "session.docx")
"""
from assistant.workshop.export import check, export, to_docx, to_markdown
from assistant.workshop.items import KeyFigure, OutlinePart, Progress, QuizQuestion, Session, Source
from assistant.workshop.workshop import Rejection, Workshop, WorkshopError

__all__ = ["KeyFigure", "OutlinePart", "Progress", "QuizQuestion", "Rejection", "Session", "Source",
           "Workshop", "WorkshopError", "check", "export", "to_docx", "to_markdown"]
