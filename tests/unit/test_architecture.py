"""The layering of docs/architecture.md, checked on the source: who may import whom, no import
cycle, Gradio only in the UI, no llama-index type in the domain, modules and functions short."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "assistant"

# Layer of each part of the package, and the layers it may import (besides itself).
ALLOWED = {
    "errors": set(),
    "offline": set(),
    "text": {"errors"},
    "config": set(),
    "domain": {"errors"},
    "components": {"config", "domain", "errors", "text"},
    "ingest": {"config", "domain", "errors", "text"},
    "rag": {"components", "config", "domain", "errors", "text"},
    "services": {"components", "config", "domain", "errors", "ingest", "offline", "rag", "text"},
    "workshop": {"components", "config", "domain", "errors", "rag", "services", "text"},
    "render": {"components", "domain", "errors", "rag", "text", "workshop"},
    "ui": {"__init__", "components", "config", "domain", "errors", "offline", "rag", "render", "services", "text",
           "workshop"},  # the root package: the public API (Assistant, Conversation, load_settings)
    "cli": {"config", "domain", "errors", "offline", "render", "services", "workshop"},
    "serving": {"components", "config", "offline"},
    "__init__": {"config", "domain", "rag", "services"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> list[str]:
    """Every `assistant...` module a file imports, at the top or inside a function."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from package import module` imports the module; anything else, the package
            submodules = [f"{node.module}.{alias.name}" for alias in node.names
                          if f"{node.module}.{alias.name}" in MODULES]
            names += submodules if len(submodules) == len(node.names) else [node.module, *submodules]
    return [n for n in names if n == "assistant" or n.startswith("assistant.")]


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


GRAPH = {name: {i for i in _imports(path) if i in MODULES and i != name} for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_layers_below_it(module: str) -> None:
    layer = _layer(module)
    wrong = {i for i in GRAPH[module] if _layer(i) not in ALLOWED[layer] | {layer}}
    assert not wrong, f"{module} ({layer}) imports {sorted(wrong)}"


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(target):] + [target]))
            if target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])


def test_gradio_only_in_the_ui_and_no_llama_index_type_in_the_domain() -> None:
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        if _layer(name) != "ui":
            assert "import gradio" not in source and "from gradio" not in source, name
    assert "llama_index" not in (PACKAGE / "domain.py").read_text(encoding="utf-8")


def test_modules_and_functions_stay_short() -> None:
    too_long = []
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > 300:
            too_long.append(f"{name}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 50:
                too_long.append(f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert not too_long, too_long
