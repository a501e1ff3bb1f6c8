"""The layering contract: which parts of roadworthy may import which.

Every ``import`` and ``from ... import`` statement counts, wherever it is written: at the top,
inside a function (imported late for start-up time, but a dependency all the same) or under
``if TYPE_CHECKING:``; so does a string that is a module's full name (the lazy registries of
commands and check kinds import by name). The rules:

- ``formats``: the leaf readers import nothing of roadworthy outside ``roadworthy.formats`` and
  the foundation;
- ``foundation``: the modules every layer may use (``roadworthy.records``, ``lazyre``) import nothing of
  roadworthy;
- ``core``: nothing outside the command line (``cli``, ``__main__``, ``commands``) imports it;
- ``cycles``: no module depends on itself through others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

LEAF_PACKAGES = ("roadworthy.formats",)
FOUNDATION = ("roadworthy.records", "roadworthy.lazyre")
COMMAND_LINE = ("roadworthy.cli", "roadworthy.__main__", "roadworthy.commands")


class Edge(NamedTuple):
    source: str  # importing module
    target: str  # imported module
    path: str  # file of the import, relative to the source root
    line: int


def modules(src: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def edges(src: Path, package: str = "roadworthy") -> list[Edge]:
    known = modules(src)
    out: list[Edge] = []
    for name, path in known.items():
        if not (name == package or name.startswith(f"{package}.")):
            continue
        for target, line in _imports(name, path, known):
            if target != name:
                out.append(Edge(name, target, path.relative_to(src).as_posix(), line))
    return out


def _imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known:
            # A lazy registry names its modules ("roadworthy.checks.schema") for importlib.
            yield node.value, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield from _known(alias.name, node.lineno, known)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(name, is_package, node)
            for alias in node.names:
                # `from pkg import mod` depends on pkg.mod; `from mod import name` on mod.
                sub = f"{base}.{alias.name}"
                yield from _known(sub if sub in known else base, node.lineno, known)


def _absolute(name: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = name.split(".") if is_package else name.split(".")[:-1]
    parts = parts[: len(parts) - node.level + 1]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _known(target: str, line: int, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    if target in known:
        yield target, line


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in prefixes)


def violations(src: Path, package: str = "roadworthy") -> list[str]:
    found = edges(src, package)
    leaf = tuple(p.replace("roadworthy", package, 1) for p in LEAF_PACKAGES)
    command_line = tuple(p.replace("roadworthy", package, 1) for p in COMMAND_LINE)
    foundation = tuple(p.replace("roadworthy", package, 1) for p in FOUNDATION)
    problems = []
    for e in found:
        if _within(e.source, foundation):
            problems.append(f"{e.path}:{e.line}: {e.source} imports {e.target} (foundation)")
        elif _within(e.source, leaf) and not _within(e.target, (*leaf, *foundation)):
            problems.append(f"{e.path}:{e.line}: {e.source} imports {e.target} (formats)")
        if _within(e.target, command_line) and not _within(e.source, command_line):
            problems.append(f"{e.path}:{e.line}: {e.source} imports {e.target} (core)")
    problems += [_describe(cycle, found) for cycle in cycles(found)]
    return problems


def cycles(found: list[Edge]) -> list[list[str]]:
    """Each strongly connected group of modules (Tarjan), as one cycle through all of it."""
    graph: dict[str, list[str]] = {}
    for e in found:
        graph.setdefault(e.source, []).append(e.target)
        graph.setdefault(e.target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def _describe(group: list[str], found: list[Edge]) -> str:
    members = set(group)
    inside = [e for e in found if e.source in members and e.target in members]
    links = "; ".join(f"{e.path}:{e.line} {e.source} → {e.target}" for e in sorted(inside))
    return f"import cycle among {', '.join(group)} (cycles): {links}"


# -- the contract on roadworthy itself ----------------------------------------------------


def test_roadworthy_keeps_its_layering():
    assert violations(SRC) == []


def test_the_analysis_sees_the_real_tree():
    found = edges(SRC)
    # Sanity: enough of the real graph is seen that an empty violation list means something.
    assert len(found) > 200
    assert any(
        e.source == "roadworthy.cli" and e.target.startswith("roadworthy.commands.") for e in found
    )


# -- the contract test itself can fail --------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"pkg/__init__.py": "", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


LAYOUT = {
    "pkg/formats/__init__.py": "",
    "pkg/formats/leaf.py": "import json\n",
    "pkg/commands/__init__.py": "",
    "pkg/commands/run.py": "from pkg import engine\n",
    "pkg/cli.py": "from pkg.commands import run\n",
    "pkg/engine.py": "from pkg.formats import leaf\nfrom pkg import checks\n",
    "pkg/checks.py": "from pkg.formats.leaf import json\n",
}


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        pytest.param({}, [], id="clean"),
        pytest.param(
            {"pkg/checks.py": "def f():\n    from pkg.engine import x\n"},
            [
                "import cycle among pkg.checks, pkg.engine (cycles): "
                "pkg/checks.py:2 pkg.checks → pkg.engine; pkg/engine.py:2 pkg.engine → pkg.checks"
            ],
            id="cycle-through-a-function-level-import",
        ),
        pytest.param(
            {
                "pkg/checks.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from pkg import engine\n"
            },
            [
                "import cycle among pkg.checks, pkg.engine (cycles): "
                "pkg/checks.py:3 pkg.checks → pkg.engine; pkg/engine.py:2 pkg.engine → pkg.checks"
            ],
            id="cycle-under-type-checking",
        ),
        pytest.param(
            {"pkg/formats/leaf.py": "from pkg.engine import run\n"},
            [
                "pkg/formats/leaf.py:1: pkg.formats.leaf imports pkg.engine (formats)",
                "import cycle among pkg.checks, pkg.engine, pkg.formats.leaf (cycles): "
                "pkg/checks.py:1 pkg.checks → pkg.formats.leaf; "
                "pkg/engine.py:2 pkg.engine → pkg.checks; "
                "pkg/engine.py:1 pkg.engine → pkg.formats.leaf; "
                "pkg/formats/leaf.py:1 pkg.formats.leaf → pkg.engine",
            ],
            id="formats-importing-the-core",
        ),
        pytest.param(
            {
                "pkg/records.py": "import collections\n",
                "pkg/formats/leaf.py": "from pkg import records\n",
            },
            [],
            id="formats-importing-the-foundation",
        ),
        pytest.param(
            {"pkg/records.py": "from pkg.formats import leaf\n"},
            ["pkg/records.py:1: pkg.records imports pkg.formats.leaf (foundation)"],
            id="the-foundation-importing-roadworthy",
        ),
        pytest.param(
            {"pkg/engine.py": "from . import checks\n\ndef f():\n    from .commands import run\n"},
            [
                "pkg/engine.py:4: pkg.engine imports pkg.commands.run (core)",
                "import cycle among pkg.commands.run, pkg.engine (cycles): "
                "pkg/commands/run.py:1 pkg.commands.run → pkg.engine; "
                "pkg/engine.py:4 pkg.engine → pkg.commands.run",
            ],
            id="core-importing-a-command-relatively",
        ),
    ],
)
def test_planted_violations_are_caught(tmp_path, planted, expected):
    src = _package(tmp_path, {**LAYOUT, **planted})
    assert violations(src, "pkg") == expected
