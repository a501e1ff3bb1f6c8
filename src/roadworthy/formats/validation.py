"""JSON Schema validation of artifacts and policies: `Validator.issues` -> sorted `Issue` list.

jsonschema-rs validates (a real ODCS v3 contract in microseconds); where it has no wheel, the
import fails and the pure-Python jsonschema takes over. Both report `Failure` values that
`schema_failures` words, so the findings are the same whichever runs. Neither is imported
before the first validation: ``roadworthy --version`` must stay fast.
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from roadworthy.formats import verdicts
from roadworthy.formats.schema_failures import (
    Failure,
    InvalidSchema,
    Issue,
    UnresolvableRef,
    issues_of,
    sorted_issues,
)
from roadworthy.formats.schema_refs import unresolvable_ref

if TYPE_CHECKING:
    from roadworthy.formats.yamlio import JsonPath

__all__ = [
    "SCHEMA_SECONDS",
    "InvalidSchema",
    "Issue",
    "ValidationTimeout",
    "Validator",
    "engine_name",
    "format_path",
]

# A deadline per validated document: real contracts validate in well under 10 ms (jsonschema)
# or 0.1 ms (jsonschema-rs), so only a pathological schema or document gets near it.
SCHEMA_SECONDS = 2.0

# $schema values as jsonschema keys them (urlsplit(...).geturl(): "...schema#" == "...schema").
_DRAFTS = {
    "http://json-schema.org/draft-04/schema": "draft4",
    "http://json-schema.org/draft-06/schema": "draft6",
    "http://json-schema.org/draft-07/schema": "draft7",
    "https://json-schema.org/draft/2019-09/schema": "draft2019-09",
    "https://json-schema.org/draft/2020-12/schema": "draft2020-12",
}
_LATEST = "draft2020-12"  # no $schema: both libraries take the latest draft


class ValidationTimeout(InvalidSchema):
    pass


class _Engine(Protocol):
    def is_valid(self, instance: Any) -> bool: ...
    def failures(self, instance: Any) -> Iterator[Failure]: ...


@cache
def _module(name: str | None) -> Any:
    """jsonschema-rs unless it cannot be imported (no wheel for this platform), or the one named."""
    if name in (None, "rs"):
        try:
            from roadworthy.formats import schema_rs

            return schema_rs
        except ImportError:
            if name == "rs":
                raise
    from roadworthy.formats import schema_py

    return schema_py


def engine_name(name: str | None = None) -> str:
    """Which library validates: "jsonschema-rs" or "jsonschema"."""
    return "jsonschema-rs" if _module(name).__name__.endswith("_rs") else "jsonschema"


class Validator:
    """``seconds``: stop one validation after that long (a finding, never a stalled run).
    ``check_schema``: the schema is the repository's own, so it is checked against its
    metaschema first, and a validation stopped by the deadline blames its patterns."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        *,
        check_schema: bool = False,
        seconds: float | None = None,
        engine: str | None = None,
    ) -> None:
        self.schema = schema
        self._check_schema = check_schema
        self._seconds = SCHEMA_SECONDS if check_schema and seconds is None else seconds
        self._engine_name = engine
        self._engine: _Engine | None = None
        self._native = False  # the compiled engine is jsonschema-rs (see _quick)
        self._broken: InvalidSchema | None = None
        self._schema_key: str | None = None  # "" when the schema's verdicts cannot be kept

    def issues(self, instance: Any) -> list[Issue]:
        if self._broken is not None:
            raise self._broken  # a schema that failed once is not tried on every document
        text = _dumped(instance)
        if text == "":
            # Never "no issues": a ValueError that names no value is not a pass.
            return sorted_issues(list(_non_finite(instance, ()))) or [
                Issue((), "it cannot be written as JSON")
            ]
        store, key = verdicts.installed(), None
        if store is not None and text is not None:
            key = self._key(text)
            kept = store.get(key) if key is not None else None
            if kept is not None:
                return [Issue(tuple(path), message) for path, message in kept]
        found = self._validated(instance)
        if store is not None and key is not None:
            store.put(key, [(list(i.path), i.message) for i in found])
        return found

    def _key(self, text: str) -> str | None:
        if self._schema_key is None:
            made = verdicts.schema_key(self.schema, self._engine_name, self._check_schema)
            self._schema_key = made or ""
        return verdicts.key(self._schema_key, text) if self._schema_key else None

    def _validated(self, instance: Any) -> list[Issue]:
        try:
            quick = self._quick(instance)
            if quick is True:
                return []
            with deadline(self._seconds if quick is None else quick):
                engine = self._compiled()
                if quick is None and engine.is_valid(instance):  # (a float: found invalid)
                    return []
                found = [i for f in engine.failures(instance) for i in issues_of(f)]
        except _Expired:
            raise self._timed_out() from None
        except RecursionError:
            return [Issue((), "nested too deeply to validate")]
        except UnresolvableRef:  # one the look before compiling missed (an anchor)
            self._broken = InvalidSchema("a $ref cannot be resolved")
            raise self._broken from None
        except InvalidSchema as exc:
            self._broken = exc
            raise
        return sorted_issues(found)

    def _quick(self, instance: Any) -> bool | float | None:
        """True for a document jsonschema-rs finds valid, checked without arming the deadline:
        it holds the interpreter, so the deadline's signal could end it only once it returned,
        and the clock says the same. Otherwise the seconds left for the deadline (None: all)."""
        if self._engine is None or not self._native or self._seconds is None:
            return None
        start = time.monotonic()
        valid = self._engine.is_valid(instance)
        left = self._seconds - (time.monotonic() - start)
        if left <= 0 and threading.current_thread() is threading.main_thread():
            raise _Expired
        return True if valid else max(left, 1e-6)

    def _compiled(self) -> _Engine:
        if self._engine is None:
            module = _module(self._engine_name)
            draft = _draft(self.schema)
            ref = unresolvable_ref(self.schema, "id" if draft == "draft4" else "$id")
            if ref is not None:
                raise InvalidSchema(f"a $ref cannot be resolved ({ref})")
            if self._check_schema:
                failures = module.meta_failures(self.schema, draft)
                problems = sorted_issues([i for f in failures for i in issues_of(f)])
                if problems:
                    where = format_path(problems[0].path) or "the schema"
                    raise InvalidSchema(
                        f"it is not a valid JSON Schema ({where}: {problems[0].message})"
                    )
            self._engine = module.Engine(self.schema, draft)
            self._native = module.__name__.endswith("_rs")
        return self._engine

    def _timed_out(self) -> ValidationTimeout:
        stopped = f"validation took over {self._seconds:g} s and was stopped"
        if self._check_schema:
            # A pattern of the repository's schema that backtracks for ever (^(a+)+$ in
            # Python's re) is the likely cause: the schema is not tried on other documents.
            cause = "a pattern in the schema may backtrack catastrophically"
            self._broken = InvalidSchema(
                f"a validation with it was stopped after {self._seconds:g} s; {cause}"
            )
            return ValidationTimeout(f"{stopped}; {cause}")
        return ValidationTimeout(stopped)


def _draft(schema: Mapping[str, Any]) -> str:
    if "$schema" not in schema:
        return _LATEST
    uri = schema["$schema"]
    try:
        key = urlsplit(uri).geturl() if isinstance(uri, str) else None
    except ValueError:
        key = None
    if key not in _DRAFTS:
        raise InvalidSchema(f"its $schema {uri!r} is not a JSON Schema draft roadworthy knows")
    return _DRAFTS[key]


def _dumped(instance: Any) -> str | None:
    """The instance as JSON text; "" when a NaN, an infinity or an integer too long for decimal
    (a YAML hexadecimal one: Python limits only base 10) is in it; None when it is not
    plain JSON or too deep, which validation says (JSON's encoder, in C, is the fastest walk
    Python has)."""
    try:
        return json.dumps(instance, allow_nan=False, check_circular=False)
    except ValueError:
        return ""
    except (TypeError, RecursionError):
        return None


def _non_finite(value: Any, path: JsonPath) -> Iterator[Issue]:
    """NaN and infinities (YAML's .nan, .inf) are not JSON: the two libraries disagree on them.
    Nor is an integer Python will not write in decimal: jsonschema-rs skips it, jsonschema
    fails to word it."""
    if type(value) is float:
        if not math.isfinite(value):
            yield Issue(path, f"{value!r} is not a JSON number")
    elif type(value) is int:
        if value.bit_length() > _SAFE_BITS and len(_digits(value)) == 0:
            yield Issue(path, "an integer too long to write in decimal is not a JSON number")
    elif type(value) is dict:
        for key, item in value.items():
            if type(item) in _CONTAINERS_OR_FLOAT:
                yield from _non_finite(item, (*path, key))
    elif type(value) is list:
        for index, item in enumerate(value):
            if type(item) in _CONTAINERS_OR_FLOAT:
                yield from _non_finite(item, (*path, index))


_CONTAINERS_OR_FLOAT = frozenset({dict, list, float, int})
_SAFE_BITS = 2048  # 617 decimal digits: under any int_max_str_digits Python allows (>= 640)


def _digits(value: int) -> str:
    """``value`` in decimal; "" when Python refuses (sys.int_max_str_digits)."""
    try:
        return str(value)
    except ValueError:
        return ""


class _Expired(BaseException):
    """Raised by the deadline's signal: a BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way can swallow it."""


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Stop the block after ``seconds`` (main thread only: signals are delivered there).

    A signal interrupts Python code only: jsonschema-rs, which holds the interpreter while it
    runs, is bounded instead by the size cap on files and its regex engines' own limits."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def format_path(path: JsonPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
