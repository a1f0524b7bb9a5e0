"""Assistant documentaire local, sourcé et frugal.

    from assistant import Assistant, Conversation, load_settings
"""
from assistant.config import Settings, load_settings
from assistant.domain import Answer, AnswerEvent, EvidenceEvent, TokenEvent
from assistant.rag.conversation import Conversation
from assistant.services import Assistant

__all__ = ["Answer", "AnswerEvent", "Assistant", "Conversation", "EvidenceEvent", "Settings",
           "TokenEvent", "load_settings"]
