"""The services every entry point calls: chat (a question in, an audited exchange out), documents
(index, add, delete, list), audit; `Assistant` holds them over shared components."""
from assistant.services.assistant import Assistant

__all__ = ["Assistant"]
