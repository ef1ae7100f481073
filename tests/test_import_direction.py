"""Dependencies point one way: workflow → cases → departments, and config imports no app.

Read from the source with `ast`, imports inside functions included, so a lazy import cannot
hide a dependency in the wrong direction.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "departments", "cases", "workflow")

# What each top-level package may not import.
FORBIDDEN = {
    "departments": {"cases", "workflow"},
    "cases": {"workflow"},
    "config": {"departments", "cases", "workflow"},
}

# The ASGI entry point mounts the WebSocket routes; it is the process's composition root, like
# the URLconf, which includes the apps by name instead.
ENTRY_POINTS = {"config/asgi.py"}


def source_files(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, *, with_submodules: bool = False) -> set[str]:
    """The modules `path` imports anywhere; with `with_submodules`, `from a import b` also gives
    `a.b`, which is a module when b is one (`from workflow.items import services`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            if with_submodules:
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def wrong_way_imports(package: str) -> list[str]:
    wrong = []
    for path in source_files(package):
        if str(path.relative_to(ROOT)) in ENTRY_POINTS:
            continue
        for module in sorted(imported_modules(path)):
            if module.split(".")[0] in FORBIDDEN[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    return wrong


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_one_above_it(package):
    assert wrong_way_imports(package) == []


def test_the_check_sees_a_wrong_way_import(tmp_path, monkeypatch):
    """The walk finds an import hidden inside a function."""
    module = tmp_path / "cases" / "late.py"
    module.parent.mkdir()
    module.write_text("def f():\n    from workflow.items.models import ActionItem\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert wrong_way_imports("cases") == ["cases/late.py imports workflow.items.models"]


def test_no_import_cycle_between_modules():
    """No module imports one that imports it back, even through an import inside a function
    (notifications, tasks and the scan once did). A package's `__init__` and the app's `ready()`
    are left out: they only gather what their package holds."""
    modules = {module_name(p): p for app in APPS for p in source_files(app)}
    gatherers = {name for name, path in modules.items() if path.name in ("__init__.py", "apps.py")}
    graph = {
        name: ({m for m in imported_modules(path, with_submodules=True) if m in modules} - {name})
        - gatherers
        for name, path in modules.items()
    }
    visiting, done, cycles = set(), set(), []

    def visit(name, trail):
        if name in done:
            return
        if name in visiting:
            cycles.append(" → ".join([*trail[trail.index(name) :], name]))
            return
        visiting.add(name)
        for dependency in sorted(graph[name]):
            visit(dependency, [*trail, name])
        visiting.discard(name)
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []
