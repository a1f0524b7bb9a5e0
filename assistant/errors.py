"""Errors the user sees: each carries a clear French message."""
from __future__ import annotations


class AssistantError(Exception):
    """Base class: ``str(error)`` is a French message meant for the user."""


class DocumentError(AssistantError):
    """A file could not be read as a document; the rest of the corpus is still indexed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"« {path} » n'a pas été indexé : {reason}")
        self.path = path
        self.reason = reason


class QuestionError(AssistantError):
    """The question cannot be asked as it is (empty, too long)."""


class ModelUnavailableError(AssistantError):
    """A model is missing or a model server does not answer."""
