"""Trainers' workspace: prepare a training session from the documents, every item sourced.

    from assistant.workshop import Workshop, check
    from assistant.render.training import export
    workshop = Workshop(assistant)
    session = workshop.prepare("l'IA Act pour les cadres", "cadres RH", 90, progress=callback)
    session.quiz[0].text = "..."                 # items are plain dataclasses: edit freely
    workshop.regenerate(session.quiz[2], session)
    problems = check(session)                    # what an edit broke, per item
    export(session, "exports")                   # session.md and session.docx
"""
from assistant.workshop.checks import check
from assistant.workshop.editing import apply_edit
from assistant.workshop.items import (LETTERS, PARTS, Item, KeyFigure, OutlinePart, QuizQuestion, TrainingSession,
                                      shortfall)
from assistant.workshop.workshop import Pool, Rejection, Workshop, WorkshopError

__all__ = ["LETTERS", "PARTS", "Item", "apply_edit", "KeyFigure", "OutlinePart", "Pool", "QuizQuestion", "Rejection",
           "TrainingSession", "Workshop", "WorkshopError", "check", "shortfall"]
