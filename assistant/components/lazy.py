"""Optional backends' packages are imported on first use, with a French message when missing."""
from __future__ import annotations

import importlib
from types import ModuleType

from assistant.errors import ModelUnavailableError


def require(module: str, missing: str) -> ModuleType:
    """Import a backend's package, or raise `missing` (French, says how to install it)."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ModelUnavailableError(missing) from error
