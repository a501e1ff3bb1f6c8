"""Which `$ref` of a schema cannot be resolved inside its file (roadworthy never fetches one).

jsonschema-rs resolves every reference when it compiles a schema, jsonschema only when one is
reached; looking first makes both refuse the same schemas, before any document is validated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

# Metaschemas both libraries carry (a schema may $ref its draft's).
_BUILT_IN = frozenset(
    {
        "http://json-schema.org/draft-04/schema",
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    }
)


def unresolvable_ref(schema: Any, id_key: str = "$id") -> str | None:
    """The first `$ref` (in document order) that no part of the schema itself answers."""
    resources: dict[str, Any] = {"": schema}
    refs: list[tuple[str, str]] = []
    for base, node, ref in _walk(schema, "", id_key):
        if ref is None:
            resources.setdefault(base, node)
        else:
            refs.append((base, ref))
    for base, ref in refs:
        target, fragment = urldefrag(urljoin(base, ref))
        if _normal(target) in _BUILT_IN:
            continue
        if target not in resources or not _points(resources[target], fragment):
            return ref
    return None


def _walk(node: Any, base: str, id_key: str) -> Iterator[tuple[str, Any, str | None]]:
    """(base URI, node, $ref) of every reference; (base URI, node, None) for each resource."""
    if isinstance(node, dict):
        value = node.get(id_key)
        if isinstance(value, str) and not value.startswith("#"):
            base = urldefrag(urljoin(base, value)).url
            yield base, node, None
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield base, node, ref
        for item in node.values():
            yield from _walk(item, base, id_key)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, base, id_key)


def _points(resource: Any, fragment: str) -> bool:
    """Does the JSON pointer lead somewhere? (A plain-name fragment is an anchor: assumed.)"""
    if not fragment.startswith("/"):
        return True
    node = resource
    for raw in fragment.split("/")[1:]:
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True


def _normal(uri: str) -> str:
    try:
        return urlsplit(uri).geturl()
    except ValueError:
        return uri
