"""Assistant documentaire local, sourcé et frugal."""
from assistant.assistant import Answer, AnswerEvent, Assistant, EvidenceEvent, TokenEvent
from assistant.conversation import Conversation
from assistant.settings import Settings, load_settings

__all__ = ["Answer", "AnswerEvent", "Assistant", "Conversation", "EvidenceEvent", "Settings",
           "TokenEvent", "load_settings"]
