"""JSON Schema validation: a compiled fast path for the common valid case, jsonschema for errors.

``jsonschema`` costs ~60 ms to import and ~0.3 ms per small document. `fastschema` compiles a
schema into a closure that only ever answers "certainly valid"; jsonschema runs only when that
answer is not given (an invalid document, or a schema the fast path does not support), and it
alone words the errors.
"""

from __future__ import annotations

import contextlib
import json
import re
import signal
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from roadworthy.formats import fastschema

if TYPE_CHECKING:
    from roadworthy.formats.yamlio import JsonPath


class Issue(NamedTuple):
    path: JsonPath  # where in the instance
    message: str


class InvalidSchema(Exception):
    """A user-supplied schema that is not a valid JSON Schema (found when it is first needed)."""


class Validator:
    def __init__(
        self, schema: Mapping[str, Any], registry: Any = None, *, check_schema: bool = False
    ) -> None:
        self.schema = schema
        self._registry = registry
        # Checking a schema against its metaschema needs jsonschema; a schema the fast path
        # compiles is well formed, so the check runs only when jsonschema is needed anyway.
        self._check_schema = check_schema
        self._fast: fastschema.Check | None = None
        self._fast_compiled = False
        self._slow: Any = None
        self._timed_out: ValidationTimeout | None = None

    def is_valid_fast(self, instance: Any) -> bool:
        if not self._fast_compiled:
            self._fast = fastschema.compile_schema(self.schema) if self._registry is None else None
            self._fast_compiled = True
        return self._fast is not None and self._fast(instance)

    def issues(self, instance: Any) -> list[Issue]:
        # A repository's own schema may hold a pattern that backtracks for ever (^(a+)+$):
        # Python's re honours signals, so a deadline stops it and the run goes on.
        if self._timed_out is not None:
            raise self._timed_out  # a schema that hung once is not tried on every document
        try:
            with deadline(SCHEMA_SECONDS if self._check_schema else None):
                if self.is_valid_fast(instance):
                    return []
                found = list(dict.fromkeys(self._slow_issues(instance)))
        except _Expired:
            self._timed_out = ValidationTimeout(
                f"validation took over {SCHEMA_SECONDS:g} s and was stopped; a pattern in the "
                "schema may backtrack catastrophically"
            )
            raise self._timed_out from None
        return sorted(_without_noise(found), key=lambda i: (_path_key(i.path), i.message))

    def _slow_issues(self, instance: Any) -> Iterator[Issue]:
        from jsonschema.exceptions import best_match
        from referencing.exceptions import Unresolvable

        try:
            errors = list(self._validator().iter_errors(instance))
        except RecursionError:
            yield Issue((), "nested too deeply to validate")
            return
        except Unresolvable as exc:
            raise InvalidSchema(f"a $ref cannot be resolved ({exc})") from None
        for error in errors:
            if error.context:
                error = best_match(error.context)
            if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
                error.instance, dict
            ):
                yield from _unknown_keys(error)
            elif error.validator == "propertyNames":
                key_path = (*error.absolute_path, str(error.instance))
                yield Issue(key_path, f"key {error.instance!r}: {error.message}")
            else:
                yield Issue(tuple(error.absolute_path), _describe(error))

    def _validator(self) -> Any:
        if self._slow is None:
            from jsonschema.exceptions import SchemaError
            from jsonschema.validators import validator_for

            cls = validator_for(self.schema)
            if self._check_schema:
                try:
                    cls.check_schema(dict(self.schema))
                except SchemaError as exc:
                    raise InvalidSchema(f"it is not a valid JSON Schema ({exc.message})") from None
            kwargs = {"registry": self._registry} if self._registry is not None else {}
            self._slow = cls(self.schema, **kwargs)
        return self._slow


SCHEMA_SECONDS = 2.0  # per document; real schemas validate a contract in well under 10 ms


class ValidationTimeout(InvalidSchema):
    pass


class _Expired(BaseException):
    """Raised by the deadline's signal: a BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way (the fast path catches everything) can swallow it."""


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Stop the block after ``seconds`` (main thread only: signals are delivered there)."""
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


def _without_noise(issues: list[Issue]) -> list[Issue]:
    """An unknown key explains its object's failure; a "'x' is required" from the alternatives
    of a oneOf at the same place only misleads (options: {path: ...} is not missing 'artifact')."""
    unknown_at = {i.path[:-1] for i in issues if i.message.startswith("unknown key")}
    return [i for i in issues if i.path not in unknown_at or i.message.startswith("unknown key")]


def _path_key(path: JsonPath) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{p:09d}") if isinstance(p, int) else (1, p) for p in path)


def _unknown_keys(error: Any) -> Iterator[Issue]:
    known = list(error.schema.get("properties", {}))
    patterns = error.schema.get("patternProperties", {})
    for key in error.instance:
        if key in known or any(re.search(p, key) for p in patterns):
            continue
        import difflib  # only for a misspelt key: keep it off the start-up path

        hint = difflib.get_close_matches(key, known, n=1)
        suffix = f" (did you mean {hint[0]!r}?)" if hint else ""
        allowed = f"; expected one of: {', '.join(known)}" if known and not hint else ""
        yield Issue((*error.absolute_path, key), f"unknown key {key!r}{suffix}{allowed}")


def _describe(error: Any) -> str:
    if error.validator == "required":
        return str(error.message).replace(" is a required property", " is required")
    if error.validator in ("enum", "const"):
        expected = error.validator_value
        options = expected if isinstance(expected, list) else [expected]
        shown = ", ".join(json.dumps(o) for o in options)
        return f"{json.dumps(error.instance, default=str)} is not one of: {shown}"
    return str(error.message)


def format_path(path: JsonPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
