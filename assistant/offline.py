"""No phone-home: set before chromadb, gradio or huggingface are imported."""
from __future__ import annotations

import os

OFFLINE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}


def go_offline() -> None:
    """Forced, not defaulted: HF_HUB_OFFLINE=0 left in a shell must not let a library phone home."""
    os.environ.update(OFFLINE_ENV)
