"""The language-model role: llama.cpp in this process (default), any OpenAI-compatible server, or
the fake. Chosen here, by ``settings.llm.backend``; each backend's package is imported only when
it is used. Adding a backend: a module in this folder, a line below, a name in `LLMSettings`."""
from __future__ import annotations

import os
import re

from assistant.components.llm.base import ChatModel
from assistant.config import Settings

__all__ = ["ChatModel", "build_llm"]


def _physical_cores() -> int:
    """llama.cpp is fastest with one thread per physical core; hyper-threads only add contention."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            info = handle.read()
        cores = {(p, c) for p, c in re.findall(r"physical id\s*:\s*(\d+).*?core id\s*:\s*(\d+)", info, re.S)}
        if cores:
            return min(len(cores), os.cpu_count() or 1)
    except OSError:
        pass
    return os.cpu_count() or 1


def build_llm(settings: Settings, model: str | None = None) -> ChatModel:
    config = settings.llm
    name = model or config.model
    if config.backend == "fake":
        from assistant.components.llm.fake import FakeLLM

        return FakeLLM(model=name, config=config)
    if config.backend == "openai":
        from assistant.components.llm.server import ServerChat

        return ServerChat(model=name, config=config)
    from assistant.components.llm.llama_cpp import LlamaCppChat

    return LlamaCppChat(model=name, config=config, cache_dir=str(settings.model_cache_dir),
                        n_threads=config.n_threads or _physical_cores())
