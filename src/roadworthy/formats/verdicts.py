"""What a schema said of a document, kept between runs by the store a command installs.

A document's issues under a schema depend on nothing but the two, the library that validates
and the code that words its failures. A pre-commit run validates the same policy, the same
rule options and mostly the same contracts every time; importing jsonschema-rs (with the
``email`` and ``decimal`` modules it loads) and compiling a dozen schemas is 15 ms of such a
run. So `Validator.issues` asks the installed store first, under the key `key` makes, and a run
whose documents all validated before imports no validator at all.

The store is the caller's (`workspace.verdictcache`: the user's cache folder, signed with the
user's key); none is installed by default, and then every document is validated.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from roadworthy.formats import codestamp

# The modules whose code decides a verdict's words (this package's), and the libraries that
# may validate: a new release of either is a new key.
_OWN = ("validation.py", "schema_failures.py", "schema_rs.py", "schema_py.py", "verdicts.py")
_LIBRARIES = (
    ("jsonschema_rs", "jsonschema_rs"),
    ("jsonschema", "jsonschema"),
    ("referencing", "referencing"),
    ("jsonschema_specifications", "jsonschema_specifications"),
)

Verdict = list[tuple[list[str | int], str]]  # each issue's path and message


class Store(Protocol):
    def get(self, key: str) -> Verdict | None: ...

    def put(self, key: str, verdict: Verdict) -> None: ...


_store: Store | None = None


def install(store: Store | None) -> None:
    """Keep verdicts in ``store`` from now on (None: keep none)."""
    global _store
    _store = store


def installed() -> Store | None:
    return _store


def schema_key(schema: Mapping[str, Any], engine: str | None, check_schema: bool) -> str | None:
    """The part of a key that names the schema and how it is applied; None when the schema is
    not plain JSON (then nothing is kept)."""
    try:
        text = json.dumps(schema, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    parts = [_code(), str(engine), str(check_schema), text]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def key(schema: str, document: str) -> str:
    """The key of a document (``json.dumps`` of JSON data: string keys, as YAML and JSON
    parse to) under a schema's key."""
    return hashlib.sha256(f"{schema}\0{document}".encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _code() -> str:
    """A digest of the code a verdict comes from: this package's validating modules, and the
    validating libraries as installed (jsonschema's metaschemas and references included)."""
    return codestamp.digest(tuple(Path(__file__).parent / name for name in _OWN), _LIBRARIES)
