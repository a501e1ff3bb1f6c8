"""PyYAML's C composer, and the builder that makes JSON data of its nodes (`yamlio` is the
front every reader goes through: it imports this module only to parse a document it has not
kept).

Reading uses PyYAML's C composer (fast, with positions) and builds plain JSON data from the node
tree itself, with the YAML 1.2 core schema: a date stays a string, ``yes``/``on`` stay strings,
no tag constructs an object. The builder reports duplicate keys, bounds alias expansion (a
"billion laughs" document fails fast instead of exhausting memory) and nesting depth, and can
record the position of every value so that schema errors point at a line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from roadworthy.formats.yamldoc import MAX_DEPTH, MAX_NODES, JsonPath, YamlDocument, YamlError
from roadworthy.formats.yamlsimple import DIGITS as _DIGITS
from roadworthy.formats.yamlsimple import resolve_plain

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_NODE = yaml.ScalarNode
_SEQUENCE_NODE = yaml.SequenceNode
_MAPPING_NODE = yaml.MappingNode
_PLAIN = "?plain"  # an untagged plain scalar, resolved here by the YAML 1.2 core schema
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_STRING_TAGS = frozenset({_STR, "tag:yaml.org,2002:binary", "tag:yaml.org,2002:timestamp", "!"})


class _ComposeLoader(_Loader):  # type: ignore[misc]
    # Tag resolution by regular expressions is half of PyYAML's load time; resolve plain
    # scalars ourselves (a first-character test settles most of them).
    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is _SCALAR_NODE:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is _SEQUENCE_NODE else _MAP

    # The composer calls these two around every node, for path resolvers, which are never
    # registered here; a C callable that ignores its arguments costs far less than PyYAML's
    # Python methods that return at once (a tenth of the composing time of a data contract).
    descend_resolver = slice  # slice(parent, index): made and dropped, nothing else
    ascend_resolver = tuple  # tuple(): the empty tuple


def parse(
    text: str,
    *,
    positions: bool = False,
    line_offset: int = 0,
    max_nodes: int = MAX_NODES,
) -> YamlDocument:
    """Parse one YAML document into JSON data. Raises `YamlError` with a 1-based position."""
    try:
        loader = _ComposeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        # An error "at the end of the stream" is marked on the line after the last one.
        last = text.count("\n") + (0 if text.endswith("\n") else 1)
        if line > max(last, 1):
            line, col = max(last, 1), 1
        raise YamlError(line + line_offset, col, _message(exc)) from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        raise YamlError(1 + line_offset, 1, str(exc).splitlines()[0]) from None
    if node is None:
        return YamlDocument(None)
    if positions or "&" in text:
        builder = _Builder(positions, line_offset, max_nodes)
    else:
        # Without an anchor there is no alias to expand or recurse through; skip that bookkeeping.
        builder = _PlainBuilder(positions, line_offset, max_nodes)
    data = builder.build(node, (), 0)
    return YamlDocument(data, builder.positions)


def _message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) if parts else "invalid YAML"


class _Builder:
    def __init__(self, positions: bool, line_offset: int, max_nodes: int) -> None:
        self.record = positions
        self.positions: dict[JsonPath, tuple[int, int]] = {}
        self.offset = line_offset
        self.max_nodes = max_nodes
        self.total = 0
        self.sizes: dict[int, int] = {}  # expanded size of finished nodes, for aliases
        self.values: dict[int, Any] = {}
        self.active: set[int] = set()

    def error(self, node: yaml.Node, message: str) -> YamlError:
        mark = node.start_mark
        return YamlError(mark.line + 1 + self.offset, mark.column + 1, message)

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        key = id(node)
        if key in self.values:  # an alias: shared, but counted at its expanded size
            self._count(node, self.sizes[key])
            return self.values[key]
        if key in self.active:
            raise self.error(node, "recursive alias: an anchor refers to a node that contains it")
        if depth > MAX_DEPTH:
            raise self.error(node, f"nesting deeper than {MAX_DEPTH} levels")
        if self.record:
            self.positions.setdefault(
                path, (node.start_mark.line + 1 + self.offset, 1 + node.start_mark.column)
            )
        before = self.total
        self._count(node, 1)
        self.active.add(key)
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            self._plain_collection(node, _SEQ)
            value = [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        else:
            value = self._mapping(node, path, depth)
        self.active.discard(key)
        self.sizes[key] = self.total - before
        self.values[key] = value
        return value

    def _count(self, node: yaml.Node, n: int) -> None:
        self.total += n
        if self.total > self.max_nodes:
            raise self.error(
                node, f"document expands to more than {self.max_nodes} values (alias bomb?)"
            )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _PLAIN:
            try:
                return resolve_plain(value)
            except ValueError:  # int() reads no more than sys.get_int_max_str_digits() digits
                raise self.error(node, f"an integer of more than {_DIGITS} digits") from None
        if tag in _STRING_TAGS:
            return value
        converter = _EXPLICIT.get(tag)
        if converter is None:
            raise self.error(node, f"unsupported tag {tag!r}")
        try:
            return converter(value)
        except ValueError:
            raise self.error(node, f"{value!r} is not a valid {tag.rsplit(':', 1)[-1]}") from None

    def _plain_collection(self, node: yaml.Node, tag: str) -> None:
        # A tag on a list or mapping (!!set, !!omap, !!python/object [...], !custom {...}) asks
        # for an object: refused as on a scalar, never silently read as plain data.
        if node.tag not in (tag, "!"):
            raise self.error(node, f"unsupported tag {node.tag!r}")

    def _mapping(self, node: yaml.Node, path: JsonPath, depth: int) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"unsupported tag {node.tag!r}")
        self._plain_collection(node, _MAP)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "complex mapping keys are not supported")
            key = key_node.value
            if key == "<<" and key_node.tag == _PLAIN:
                self._merge(merged, value_node, path, depth)
                continue
            if key in first_line:
                raise self.error(
                    key_node, f"duplicate key {key!r} (first at line {first_line[key]})"
                )
            first_line[key] = key_node.start_mark.line + 1 + self.offset
            if self.record:
                mark = key_node.start_mark
                key_path: JsonPath = (*path, key)  # not a[*p, k]: that needs Python 3.11
                self.positions[key_path] = (mark.line + 1 + self.offset, mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge(self, into: dict[str, Any], node: yaml.Node, path: JsonPath, depth: int) -> None:
        # YAML merge keys (<<: *defaults), honoured as PyYAML and ruamel do; explicit keys win.
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            value = self.build(source, path, depth + 1)
            if not isinstance(value, dict):
                raise self.error(source, "a merge key (<<) needs a mapping or a list of mappings")
            for key, item in value.items():
                into.setdefault(key, item)


class _PlainBuilder(_Builder):
    """`_Builder` for a document without anchors and positions: the same data and errors, with
    the bookkeeping for aliases left out, and a plain scalar in a mapping (most values of an
    artifact) resolved where it is met."""

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.error(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if type(node) is _SEQUENCE_NODE:  # the composer makes these classes, never subclasses
            self._plain_collection(node, _SEQ)
            return [self.build(item, path, depth + 1) for item in node.value]
        return self._mapping(node, path, depth)

    def _mapping(self, node: yaml.Node, path: JsonPath, depth: int) -> dict[str, Any]:
        if type(node) is not _MAPPING_NODE:
            raise self.error(node, f"unsupported tag {node.tag!r}")
        self._plain_collection(node, _MAP)
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        inner = depth + 1
        for key_node, value_node in node.value:
            if type(key_node) is not _SCALAR_NODE:
                raise self.error(key_node, "complex mapping keys are not supported")
            key = key_node.value
            if key == "<<" and key_node.tag == _PLAIN:
                self._merge(merged, value_node, path, depth)
                continue
            if key in result:
                raise self.error(
                    key_node, f"duplicate key {key!r} (first at line {self._first_line(node, key)})"
                )
            if type(value_node) is _SCALAR_NODE and value_node.tag == _PLAIN and inner <= MAX_DEPTH:
                try:
                    result[key] = resolve_plain(value_node.value)
                except ValueError:
                    result[key] = self._scalar(value_node)  # raises the error at the value
            else:
                result[key] = self.build(value_node, path, inner)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _first_line(self, node: yaml.Node, key: str) -> int:
        for key_node, _ in node.value:
            if key_node.value == key and not (key == "<<" and key_node.tag == _PLAIN):
                return int(key_node.start_mark.line) + 1 + self.offset
        raise AssertionError(key)  # the key was met before: unreachable


def load_as_pyyaml(text: str) -> Any:
    """The data PyYAML's safe loader gives (YAML 1.1, its merge-key rules), as JSON-like data:
    dates and other objects become strings. Only for text `load` already accepted."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise YamlError(1, 1, f"PyYAML cannot read it ({type(exc).__name__})") from None
    return _plain(data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _to_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ValueError(value)


def _to_null(value: str) -> None:
    if value not in ("null", "Null", "NULL", "~", ""):
        raise ValueError(value)


_EXPLICIT: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:int": lambda v: int(v, 0),
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": _to_bool,
    "tag:yaml.org,2002:null": _to_null,
}


def dump(data: Any) -> str:
    """Plain block-style YAML for data roadworthy generates (no comments to keep)."""
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False))
