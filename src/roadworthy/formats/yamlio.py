"""The only way roadworthy reads and writes YAML.

Reading (`load`) gives JSON data with the YAML 1.2 core schema, and the position of every value
when asked (`yamlparse`: PyYAML's C composer and roadworthy's own builder; `yamlsimple` reads
the simple block subset most artifacts are written in without it when no position is asked).
What a text parses to depends on nothing but the text, the options and that code, so a command
may install a store (`install`; `workspace.parsecache`) that keeps it from one run to the next:
a pre-commit run whose policy and artifacts it has read before then imports no YAML library at
all (PyYAML's import is 10 ms of such a run).

Appending with comments preserved (``approve``'s ledgers) uses ruamel.yaml's round trip; it is
imported only in `append_to_list`. No other module imports a YAML library.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from roadworthy.formats import codestamp
from roadworthy.formats.yamldoc import MAX_DEPTH, MAX_NODES, JsonPath, YamlDocument, YamlError

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "Handover",
    "JsonPath",
    "YamlDocument",
    "YamlError",
    "append_to_list",
    "dump",
    "install",
    "installed",
    "load",
    "load_as_pyyaml",
]

# What a store keeps for a text: its data and positions, or the error it raised.
Parsed = tuple[Any, dict[JsonPath, tuple[int, int]]] | YamlError


class Store(Protocol):
    def get(self, key: str, *, anchored: bool = True) -> Parsed | None:
        """What is kept under ``key``; ``anchored``: the text has an anchor, so its data may
        share a list or mapping (an alias)."""
        ...

    def put(self, key: str, parsed: Parsed) -> None: ...


@runtime_checkable
class Handover(Protocol):
    """A store whose new documents a forked worker hands to the process that keeps them."""

    def take_new(self) -> dict[str, bytes]: ...

    def adopt(self, documents: dict[str, bytes]) -> None: ...


_store: Store | None = None


def install(store: Store | None) -> None:
    """Keep what is parsed in ``store`` from now on (None: keep nothing)."""
    global _store
    _store = store


def installed() -> Store | None:
    return _store


def load(
    text: str,
    *,
    positions: bool = False,
    line_offset: int = 0,
    max_nodes: int = MAX_NODES,
) -> YamlDocument:
    """Parse one YAML document into JSON data. Raises `YamlError` with a 1-based position."""
    store = _store
    if store is None:
        return _parse(text, positions, line_offset, max_nodes)
    key = _key(text, positions, line_offset, max_nodes)
    kept = store.get(key, anchored="&" in text)  # (no alias without an anchor)
    if kept is None:
        try:
            document = _parse(text, positions, line_offset, max_nodes)
        except YamlError as exc:
            store.put(key, exc)
            raise
        store.put(key, (document.data, dict(document.positions)))
        return document
    if isinstance(kept, YamlError):
        raise YamlError(kept.line, kept.col, kept.message)
    return YamlDocument(kept[0], kept[1])


def _parse(text: str, positions: bool, line_offset: int, max_nodes: int) -> YamlDocument:
    if not positions:
        # Most artifacts are in the subset `yamlsimple` reads, in half the time (and a run that
        # reads only such texts never imports PyYAML); positions and errors need the composer.
        from roadworthy.formats import yamlsimple

        data = yamlsimple.read(text, max_nodes)
        if data is not None:
            return YamlDocument(data)
    from roadworthy.formats import yamlparse

    return yamlparse.parse(text, positions=positions, line_offset=line_offset, max_nodes=max_nodes)


def _key(text: str, positions: bool, line_offset: int, max_nodes: int) -> str:
    options = f"{_code()}\0{positions}\0{line_offset}\0{max_nodes}\0"
    return hashlib.sha256((options + text).encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _code() -> str:
    """A digest of the code a document's data comes from: the builder (`yamlparse`, these
    types) and PyYAML as installed."""
    own = ("yamlparse.py", "yamlsimple.py", "yamldoc.py", "yamlio.py")
    return codestamp.digest(tuple(Path(__file__).parent / n for n in own), (("yaml", "PyYAML"),))


def load_as_pyyaml(text: str) -> Any:
    """The data PyYAML's safe loader gives (YAML 1.1, its merge-key rules), as JSON-like data:
    dates and other objects become strings. Only for text `load` already accepted."""
    from roadworthy.formats import yamlparse

    return yamlparse.load_as_pyyaml(text)


def dump(data: Any) -> str:
    """Plain block-style YAML for data roadworthy generates (no comments to keep)."""
    from roadworthy.formats import yamlparse

    return yamlparse.dump(data)


# --- appending to a YAML list, keeping what a person wrote ------------------------------------


def append_to_list(
    text: str, item: Mapping[str, Any], *, flow: Sequence[str] = (), header: str = ""
) -> tuple[str, int]:
    """``text`` — one YAML document that is a list, or nothing — with ``item`` appended, and the
    list's new length. Comments, key order, a byte-order mark and CRLF line endings survive (a
    round trip through ruamel.yaml); ``flow`` keys of the item are written ``[a, b]``; an empty
    document starts with ``header``. Raises `YamlError` for anything but one list."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.removeprefix(bom).replace("\r\n", "\n")
    yaml = YAML()  # round trip
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.width = 100
    try:
        data = yaml.load(body) if body.strip() else None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        said = ", ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlError(line, 1, (said or str(exc)).splitlines()[0]) from None
    except YAMLError as exc:
        raise YamlError(1, 1, str(exc).splitlines()[0]) from None
    prefix = ""
    if data is None:
        data = CommentedSeq()
        prefix = body if body.strip() else header
    elif not isinstance(data, list):
        raise YamlError(1, 1, f"is a YAML {type(data).__name__}, not a list")
    entry = CommentedMap(item)
    for key in flow:
        if key in entry:
            seq = CommentedSeq(entry[key])
            seq.fa.set_flow_style()
            entry[key] = seq
    data.append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return bom + (prefix + out.getvalue()).replace("\n", newline), len(data)
