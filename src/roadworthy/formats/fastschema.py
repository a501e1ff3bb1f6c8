"""Sound fast pre-check for JSON Schema validation.

`compile_schema` turns a JSON Schema into a plain closure that returns True only when the
instance is *certainly* valid under ``jsonschema.validators.validator_for(schema)`` with default
settings (no format checker). False means "maybe invalid": the caller then runs the real
`jsonschema` validator, which stays the only source of error messages. None means the schema uses
something this module does not model, so the caller must always use `jsonschema`.

Every keyword mirrors jsonschema's implementation for the schema's draft, quirks included. Inner
checks must be exact, never merely cautious, because their results are also used negated
(``not``, ``if``, failed ``anyOf``/``oneOf`` branches, non-matching ``contains`` items). Where
jsonschema itself would *crash* (a regex on a non-string key, ``multipleOf`` on NaN, ...) a check
raises `_Unknown` instead, and the top-level closure turns any exception into False. Where a
failure is tolerated, jsonschema may have evaluated the subschema in another order (``anyOf``
even fully) and crashed on the way, so the instance is first scanned for anything that could
make jsonschema crash (`_hazardous`). Recursion through ``$ref`` is bounded (`_ref_check`) so a
deep instance never passes here where jsonschema would overflow its stack.

This module must not import jsonschema: avoiding its import cost is the point.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from numbers import Number
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

__all__ = ["Check", "compile_schema"]

Check = Callable[[Any], bool]

# Deeper schemas (per $ref target) are rejected; jsonschema uses ~3-5 stack frames per level.
_MAX_SCHEMA_DEPTH = 40
# Instances nested deeper than this count as hazardous in tolerated failures: jsonschema builds
# error messages with repr(instance) there, which can hit the recursion limit.
_MAX_INSTANCE_DEPTH = 48
# An int this large cannot be divided by a float (jsonschema's multipleOf crashes).
_HUGE_INT = 2**1000

_TYPE_NAMES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})


class _Unsupported(Exception):
    """Compile time: the schema uses something not modelled here."""


class _Unknown(Exception):
    """Run time: jsonschema's verdict cannot be predicted (it would crash, or might)."""


class _State(threading.local):
    # Weighted nesting of $ref calls in progress on this thread (bounds recursion; see _ref_check).
    depth = 0


_STATE = _State()


# --------------------------------------------------------------------------------------------
# Drafts
# --------------------------------------------------------------------------------------------

_COMMON = frozenset(
    [
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "enum",
        "format",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "properties",
        "required",
        "type",
        "uniqueItems",
    ]
)
_DRAFT6_NEW = frozenset(
    {"const", "contains", "exclusiveMaximum", "exclusiveMinimum", "propertyNames"}
)
_MODERN = frozenset(
    ["dependentRequired", "dependentSchemas", "if", "unevaluatedItems", "unevaluatedProperties"]
)


class _Draft(NamedTuple):
    """What jsonschema's validator class for one draft knows (its VALIDATORS keys etc.)."""

    name: str
    vocabulary: frozenset[str]
    # Present keywords that make the schema unsupported (vocabulary or not).
    unsupported: frozenset[str]
    id_key: str
    legacy: bool  # draft <= 7: `$ref` hides its siblings; `items` may be an array
    modern_integer: bool  # draft 6+: 1.0 is an integer
    bool_schemas: bool  # draft 6+ (jsonschema crashes on some draft-4 boolean positions)
    counted_contains: bool  # 2019-09+: minContains / maxContains
    prefix_items: bool  # 2020-12: prefixItems + schema-only items


_D4 = _Draft(
    name="draft4",
    vocabulary=_COMMON | {"additionalItems", "dependencies"},
    unsupported=frozenset(),
    id_key="id",
    legacy=True,
    modern_integer=False,
    bool_schemas=False,
    counted_contains=False,
    prefix_items=False,
)
_D6 = _Draft(
    name="draft6",
    vocabulary=_D4.vocabulary | _DRAFT6_NEW,
    unsupported=frozenset(),
    id_key="$id",
    legacy=True,
    modern_integer=True,
    bool_schemas=True,
    counted_contains=False,
    prefix_items=False,
)
_D7 = _Draft(
    name="draft7",
    vocabulary=_D6.vocabulary | {"if"},
    unsupported=frozenset(),
    id_key="$id",
    legacy=True,
    modern_integer=True,
    bool_schemas=True,
    counted_contains=False,
    prefix_items=False,
)
_D2019 = _Draft(
    name="draft2019-09",
    vocabulary=_COMMON | _DRAFT6_NEW | _MODERN | {"$recursiveRef", "additionalItems"},
    unsupported=frozenset(
        {"$recursiveRef", "$recursiveAnchor", "unevaluatedItems", "unevaluatedProperties"}
    ),
    id_key="$id",
    legacy=False,
    modern_integer=True,
    bool_schemas=True,
    counted_contains=True,
    prefix_items=False,
)
_D2020 = _Draft(
    name="draft2020-12",
    vocabulary=_COMMON | _DRAFT6_NEW | _MODERN | {"$dynamicRef", "prefixItems"},
    unsupported=frozenset(
        {"$dynamicRef", "$dynamicAnchor", "unevaluatedItems", "unevaluatedProperties"}
    ),
    id_key="$id",
    legacy=False,
    modern_integer=True,
    bool_schemas=True,
    counted_contains=True,
    prefix_items=True,
)

# Keyed like jsonschema's _META_SCHEMAS (a URIDict): urlsplit(uri).geturl() of each meta-schema
# id. So "http://json-schema.org/draft-07/schema#" and "...schema" match, but the https variant
# of draft-07 does not (jsonschema then warns and falls back to the latest draft). None: draft 3.
_DIALECTS: dict[str, _Draft | None] = {
    "http://json-schema.org/draft-03/schema": None,
    "http://json-schema.org/draft-04/schema": _D4,
    "http://json-schema.org/draft-06/schema": _D6,
    "http://json-schema.org/draft-07/schema": _D7,
    "https://json-schema.org/draft/2019-09/schema": _D2019,
    "https://json-schema.org/draft/2020-12/schema": _D2020,
}


def _dialect(uri: Any) -> tuple[bool, _Draft | None]:
    """(known, draft) for a `$schema` value, normalised as jsonschema's URIDict does."""
    if not isinstance(uri, str):
        raise _Unsupported("$schema is not a string")
    try:
        key = urlsplit(uri).geturl()
    except ValueError as error:
        raise _Unsupported("$schema is not a URI") from error
    return key in _DIALECTS, _DIALECTS.get(key)


# --------------------------------------------------------------------------------------------
# Runtime helpers (exact copies of jsonschema's semantics)
# --------------------------------------------------------------------------------------------


def _true(_x: Any) -> bool:
    return True


def _false(_x: Any) -> bool:
    return False


def _all(checks: Iterable[Check]) -> Check:
    """Conjunction of checks, specialised for small counts."""
    cs = [c for c in checks if c is not _true]
    if any(c is _false for c in cs):
        return _false
    if not cs:
        return _true
    if len(cs) == 1:
        return cs[0]
    if len(cs) == 2:
        a, b = cs
        return lambda x: a(x) and b(x)
    if len(cs) == 3:
        a, b, c = cs
        return lambda x: a(x) and b(x) and c(x)
    many = tuple(cs)

    def check(x: Any) -> bool:
        for c in many:  # noqa: SIM110 - a loop is faster than all() over a generator
            if not c(x):
                return False
        return True

    return check


def _unbool(element: Any, true: object = object(), false: object = object()) -> Any:
    # The defaults are created once, like jsonschema's: unbool(True) is unbool(True).
    if element is True:
        return true
    if element is False:
        return false
    return element


def _equal(one: Any, two: Any) -> bool:
    """jsonschema._utils.equal: 1 == 1.0 but True != 1, recursively."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two, strict=False))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and _equal(value, two[key]) for key, value in one.items()
        )
    return bool(_unbool(one) == _unbool(two))


def _uniq(container: list[Any]) -> bool:
    """jsonschema._utils.uniq, including its sort-then-compare-neighbours shortcut."""
    try:
        ordered = sorted(_unbool(i) for i in container)
        for i, j in zip(ordered, itertools.islice(ordered, 1, None), strict=False):
            if _equal(i, j):
                return False
    except (NotImplementedError, TypeError):
        try:
            keys = [_canonical(i) for i in container]
        except _Unknown:
            pass
        else:
            return len(set(keys)) == len(keys)
        seen: list[Any] = []
        for e in container:
            e = _unbool(e)
            for i in seen:
                if _equal(i, e):
                    return False
            seen.append(e)
    return True


def _canonical(x: Any) -> Any:
    """A hashable key with key(a) == key(b) exactly when _equal(a, b), for plain JSON values.

    Numbers stay raw (1 == 1.0, equal hashes) while booleans are tagged (True != 1); a NaN equals
    only itself in both. Lets uniqueItems on arrays of objects avoid jsonschema's O(n^2) fallback.
    """
    t = type(x)
    if t is str or t is int or t is float or x is None:
        return x
    if t is bool:
        return ("b", x)
    if t is list:
        return ("l", tuple(_canonical(v) for v in x))
    if t is dict:
        return ("d", frozenset((k, _canonical(v)) for k, v in x.items()))
    raise _Unknown  # not plain JSON: use the slow, faithful comparison


def _hazardous(x: Any, depth: int = 0) -> bool:
    """Could jsonschema crash somewhere while evaluating any schema against `x`?

    Crashes seen in jsonschema: re.search on a non-string key (patternProperties,
    additionalProperties), multipleOf with a float divisor on NaN/inf/huge ints, comparisons of
    exotic numbers, and RecursionError on deep instances (repr in error messages, sorting).
    """
    t = type(x)
    if t is str or t is bool or x is None:
        return False
    if t is int:
        return not -_HUGE_INT < x < _HUGE_INT
    if t is float:
        return not math.isfinite(x)
    if isinstance(x, dict):
        if depth >= _MAX_INSTANCE_DEPTH:
            return True
        return any(not isinstance(k, str) or _hazardous(v, depth + 1) for k, v in x.items())
    if isinstance(x, list):
        if depth >= _MAX_INSTANCE_DEPTH:
            return True
        return any(_hazardous(v, depth + 1) for v in x)
    if isinstance(x, str):
        return False
    if isinstance(x, int):
        return not -_HUGE_INT < x < _HUGE_INT
    if isinstance(x, float):
        return not math.isfinite(x)
    # Exotic numbers (Decimal, Fraction, complex) are conservatively hazardous; other objects
    # (dates, bytes, sets from YAML) have no JSON type and cannot crash a keyword.
    return isinstance(x, Number)


def _deeper_than(x: Any, depth: int) -> bool:
    if isinstance(x, dict):
        return depth <= 0 or any(_deeper_than(v, depth - 1) for v in x.values())
    if isinstance(x, list):
        return depth <= 0 or any(_deeper_than(v, depth - 1) for v in x)
    return False


def _tolerated(x: Any) -> None:
    """A subschema failed on `x` and that failure is acceptable: make sure it was clean."""
    if _hazardous(x):
        raise _Unknown


def _enum_check(members: Sequence[Any]) -> Check:
    """any(equal(member, x)), with hash lookups for exact-type scalars."""
    strs: set[str] = set()
    nums: set[int | float] = set()
    bools: set[bool] = set()
    has_null = False
    containers: list[Any] = []
    everything = tuple(members)
    for m in members:
        t = type(m)
        if t is str:
            strs.add(m)
        elif t is int or t is float:
            nums.add(m)
        elif t is bool:
            bools.add(m)
        elif m is None:
            has_null = True
        elif t is dict or t is list:
            containers.append(m)
        else:  # not JSON (e.g. a date from YAML): compare everything the slow way
            return lambda x: any(_equal(m, x) for m in everything)

    def check(x: Any) -> bool:
        t = type(x)
        if t is str:
            return x in strs
        if t is int or t is float:
            return x in nums
        if t is bool:
            return x in bools
        if x is None:
            return has_null
        if t is dict or t is list:
            return any(_equal(m, x) for m in containers)
        return any(_equal(m, x) for m in everything)

    return check


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --------------------------------------------------------------------------------------------
# Keyword checks that need more than a lambda
# --------------------------------------------------------------------------------------------


def _multiple_of(divisor: int | float) -> Check:
    """jsonschema's multipleOf: float quotient test with a Fraction fallback on overflow."""
    if not isinstance(divisor, float):
        return lambda x: not x % divisor

    def check(x: Any) -> bool:
        try:
            quotient = x / divisor
        except (OverflowError, ZeroDivisionError) as error:  # huge int: jsonschema crashes
            raise _Unknown from error
        try:
            failed = int(quotient) != quotient
        except OverflowError:
            try:
                from fractions import Fraction  # rare: keep decimal off start-up

                failed = (Fraction(x) / Fraction(divisor)).denominator != 1
            except (OverflowError, ValueError) as error:  # inf: jsonschema crashes
                raise _Unknown from error
        except ValueError as error:  # NaN: jsonschema crashes
            raise _Unknown from error
        return not failed

    return check


def _unique(x: list[Any]) -> bool:
    if len(x) < 2:
        return True
    if _deeper_than(x, _MAX_INSTANCE_DEPTH):  # sorting/equal recurse through the items
        raise _Unknown
    return _uniq(x)


def _contains_any(sub: Check) -> Check:
    """Draft 6/7 contains: some item matches (jsonschema stops at the first match)."""

    def check(x: list[Any]) -> bool:
        for i, item in enumerate(x):
            if sub(item):
                if i:
                    _tolerated(x)
                return True
        return False

    return check


def _contains_counted(sub: Check, low: float, high: float | None) -> Check:
    """2019-09+ contains: minContains <= matches <= maxContains (all items evaluated)."""

    def check(x: list[Any]) -> bool:
        matches = 0
        limit = len(x) if high is None else high
        for item in x:
            if sub(item):
                matches += 1
                if matches > limit:
                    return False
        if matches < low:
            return False
        if matches < len(x):
            _tolerated(x)
        return True

    return check


def _any_of(branches: Sequence[Check]) -> Check:
    if not branches:  # jsonschema: an empty anyOf never passes
        return _false
    first, rest = branches[0], tuple(branches[1:])

    def check(x: Any) -> bool:
        if first(x):
            return True
        for branch in rest:
            if branch(x):
                _tolerated(x)
                return True
        return False

    return check


def _one_of(branches: Sequence[Check]) -> Check:
    all_branches = tuple(branches)
    several = len(all_branches) > 1

    def check(x: Any) -> bool:
        found = False
        for branch in all_branches:
            if branch(x):
                if found:
                    return False
                found = True
        if found and several:
            _tolerated(x)
        return found

    return check


def _not(sub: Check) -> Check:
    def check(x: Any) -> bool:
        if sub(x):
            return False
        _tolerated(x)
        return True

    return check


def _if_then_else(cond: Check, then: Check, otherwise: Check) -> Check:
    def check(x: Any) -> bool:
        if cond(x):
            return then(x)
        _tolerated(x)
        return otherwise(x)

    return check


class _Unit:
    """A compiled $ref target (or the root); `check` is filled in once compiled."""

    __slots__ = ("check",)

    def __init__(self) -> None:
        self.check: Check = _false


def _ref_check(unit: _Unit, cost: int, budget: int) -> Check:
    """Call a $ref target, bounding the recursion through refs.

    jsonschema needs several stack frames per schema level; this check needs fewer, so without a
    bound a deep recursive instance could pass here while jsonschema hits RecursionError. `cost`
    is the static depth of the $ref inside its own target, so the counter bounds the schema depth.
    """

    def check(x: Any) -> bool:
        state = _STATE
        depth = state.depth + cost
        if depth > budget:
            raise _Unknown
        state.depth = depth
        try:
            return unit.check(x)
        finally:
            state.depth = depth - cost

    return check


# --------------------------------------------------------------------------------------------
# Objects: properties / patternProperties / additionalProperties / required, fused
# --------------------------------------------------------------------------------------------


class _Shape:
    """The interacting object keywords; built checks also test isinstance(x, dict)."""

    # Plain classes rather than dataclasses: defining a dataclass costs ~0.4 ms at import, and
    # this module is imported by every run.
    __slots__ = ("additional", "joined", "patterns", "props", "required")

    def __init__(self) -> None:
        self.props: dict[str, Check] = {}
        self.patterns: list[tuple[re.Pattern[str], Check]] = []
        self.additional: Check | None = None  # None: no additionalProperties keyword
        # jsonschema's "|".join(patternProperties) (None if empty)
        self.joined: re.Pattern[str] | None = None
        self.required: frozenset[str] = frozenset()

    def build(self) -> Check | None:
        if self.patterns:
            return self._general()
        extra = self.additional
        if extra is None or extra is _true:
            return self._open()
        if extra is _false:
            return self._closed()
        return self._default(extra)

    def _open(self) -> Check | None:
        checks = {k: c for k, c in self.props.items() if c is not _true}
        required = self.required
        if not checks:
            return (lambda x: isinstance(x, dict) and x.keys() >= required) if required else None
        get, items, size = checks.get, tuple(checks.items()), len(checks)

        def check(x: dict[Any, Any]) -> bool:
            if not isinstance(x, dict) or not x.keys() >= required:
                return False
            if len(x) <= size:
                for k, v in x.items():
                    c = get(k)
                    if c is not None and not c(v):
                        return False
            else:
                for k, c in items:
                    if k in x and not c(x[k]):
                        return False
            return True

        return check

    def _closed(self) -> Check:
        get, required = self.props.get, self.required

        def check(x: dict[Any, Any]) -> bool:
            if not isinstance(x, dict) or not x.keys() >= required:
                return False
            for k, v in x.items():
                c = get(k)
                if c is None or not c(v):
                    return False
            return True

        return check

    def _default(self, extra: Check) -> Check:
        get, required = self.props.get, self.required

        def check(x: dict[Any, Any]) -> bool:
            if not isinstance(x, dict) or not x.keys() >= required:
                return False
            for k, v in x.items():  # noqa: SIM110 - faster than all() over a generator
                if not get(k, extra)(v):
                    return False
            return True

        return check

    def _general(self) -> Check:
        get, required, patterns = self.props.get, self.required, tuple(self.patterns)
        extra, joined = self.additional, self.joined

        def check(x: dict[Any, Any]) -> bool:
            if not isinstance(x, dict) or not x.keys() >= required:
                return False
            for k, v in x.items():
                if not isinstance(k, str):  # jsonschema's re.search(pattern, k) raises
                    raise _Unknown
                c = get(k)
                if c is not None:
                    if not c(v):
                        return False
                elif (
                    extra is not None
                    and (joined is None or joined.search(k) is None)
                    and not extra(v)
                ):
                    return False
                for pattern, pc in patterns:
                    if pattern.search(k) is not None and not pc(v):
                        return False
            return True

        return check


# --------------------------------------------------------------------------------------------
# Per-schema assembly: type dispatch
# --------------------------------------------------------------------------------------------


class _Parts:
    """Keyword checks of one schema object, grouped by the instance type they apply to."""

    __slots__ = (
        "arr",
        "generic",
        "max_length",
        "min_length",
        "num",
        "obj",
        "search",
        "shape",
        "types",
    )

    def __init__(self) -> None:
        self.types: frozenset[str] | None = None
        self.generic: list[Check] = []
        self.obj: list[Check] = []
        self.arr: list[Check] = []
        self.min_length: float | None = None
        self.max_length: float | None = None
        self.search: Callable[[str], object] | None = None
        self.num: list[Check] = []
        self.shape = _Shape()

    def assemble(self, modern_integer: bool) -> Check:
        shape = self.shape.build()
        text = _text_check(self.min_length, self.max_length, self.search)
        gen = _all(self.generic)
        # Shape and text checks test their own type, so alone they are the whole check.
        if self.types == _OBJECT_ONLY and shape and not self.obj and gen is _true:
            return shape
        if self.types == _STRING_ONLY and text and gen is _true:
            return text
        kinds = {
            "object": _all([*([shape] if shape else []), *self.obj, gen]),
            "array": _all([*self.arr, gen]),
            "string": _all([*([text] if text else []), gen]),
            "number": _all([*self.num, gen]),
        }
        if self.types is None and all(kinds[k] is gen for k in kinds):
            return gen
        return _dispatch(self.types, kinds, gen, modern_integer)


def _text_check(
    low: float | None, high: float | None, search: Callable[[str], object] | None
) -> Check | None:
    """minLength / maxLength (code points) / pattern (re.search), testing isinstance(x, str)."""
    if low is None and high is None:
        if search is None:
            return None
        return lambda x: isinstance(x, str) and search(x) is not None
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high

    def check(x: Any) -> bool:
        if not isinstance(x, str):
            return False
        n = len(x)
        if n < lo or n > hi:
            return False
        return search is None or search(x) is not None

    return check


_OBJECT_ONLY = frozenset({"object"})
_STRING_ONLY = frozenset({"string"})
_SINGLE: dict[str, type] = {"object": dict, "array": list, "string": str, "boolean": bool}


def _dispatch(
    types: frozenset[str] | None, kinds: dict[str, Check], gen: Check, modern_integer: bool
) -> Check:
    def allowed(name: str) -> bool:
        return types is None or name in types

    if types is not None and len(types) == 1:
        (name,) = types
        if name in _SINGLE:
            return _isinstance_check(_SINGLE[name], kinds.get(name, gen))
        if name == "null":
            return (lambda x: x is None) if gen is _true else (lambda x: x is None and gen(x))
    num = kinds["number"]
    c_float = num if allowed("number") else _false
    if c_float is _false and types is not None and "integer" in types and modern_integer:
        c_float = _integral_float(num)
    table: dict[type, Check] = {
        dict: kinds["object"] if allowed("object") else _false,
        list: kinds["array"] if allowed("array") else _false,
        str: kinds["string"] if allowed("string") else _false,
        int: num if allowed("number") or allowed("integer") else _false,
        float: c_float,
        bool: gen if allowed("boolean") else _false,
        type(None): gen if allowed("null") else _false,
    }
    other = gen if types is None else _false
    slow = _slow_dispatch(table, other)
    get = table.get
    return lambda x: get(type(x), slow)(x)


def _isinstance_check(cls: type, rest: Check) -> Check:
    if rest is _true:
        return lambda x: isinstance(x, cls)
    if rest is _false:
        return _false
    return lambda x: isinstance(x, cls) and rest(x)


def _integral_float(num: Check) -> Check:
    if num is _true:
        return lambda x: x.is_integer()
    return lambda x: x.is_integer() and num(x)


def _slow_dispatch(table: dict[type, Check], other: Check) -> Check:
    """Instances whose exact type is not a JSON type: subclasses, dates, exotic numbers."""

    def check(x: Any) -> bool:
        for cls in (dict, list, str, bool, int, float):
            if isinstance(x, cls):
                return table[cls](x)
        if isinstance(x, Number):  # Decimal, complex, ...: jsonschema may compare or crash
            raise _Unknown
        return other(x)

    return check


# --------------------------------------------------------------------------------------------
# The compiler
# --------------------------------------------------------------------------------------------


class _At(NamedTuple):
    """Where a subschema sits: depth inside its $ref target, and whether the path from that
    target's root descends into the instance (a $ref cycle that never does loops forever)."""

    depth: int
    consumed: bool

    def into(self, consumes: bool) -> _At:
        return _At(self.depth + 1, self.consumed or consumes)


_Schema = Mapping[str, Any]
_Handler = Callable[["_Compiler", _Parts, Any, _Schema, _At], None]


class _Compiler:
    def __init__(self, root: Mapping[str, Any], draft: _Draft) -> None:
        self.root = root
        self.draft = draft
        self.units: dict[int, _Unit] = {}
        self.unit_stack: list[int] = []
        self.edges: dict[int, set[int]] = {}  # $ref edges not descending into the instance
        # jsonschema recurses ~3-5 frames per schema level; leave room for the caller's stack.
        self.budget = max(0, (sys.getrecursionlimit() - 300) // 8)

    def compile(self) -> Check:
        unit = self.unit(self.root)
        if _has_cycle(self.edges):
            raise _Unsupported("$ref cycle that never descends into the instance")
        return unit.check

    def unit(self, target: Any) -> _Unit:
        key = id(target)
        found = self.units.get(key)
        if found is not None:
            return found
        unit = self.units[key] = _Unit()
        self.unit_stack.append(key)
        unit.check = self.sub(target, _At(0, False), root=target is self.root)
        self.unit_stack.pop()
        return unit

    def sub(self, schema: Any, at: _At, root: bool = False) -> Check:
        if at.depth > _MAX_SCHEMA_DEPTH:
            raise _Unsupported("schema nested too deeply")
        if schema is True or schema is False:
            if not self.draft.bool_schemas:
                raise _Unsupported("boolean schema before draft 6")
            return _true if schema else _false
        if not isinstance(schema, dict) and not (root and isinstance(schema, Mapping)):
            raise _Unsupported("schema is not an object")
        self.check_identity(schema, root)
        ref = schema.get("$ref")
        if self.draft.legacy and ref is not None:  # jsonschema's ignore_ref_siblings
            return self.ref(ref, at)
        parts = _Parts()
        for key, value in schema.items():
            if key in self.draft.unsupported:
                raise _Unsupported(key)
            if key in self.draft.vocabulary:
                handler = _HANDLERS.get(key)
                if handler is None:
                    raise _Unsupported(key)
                handler(self, parts, value, schema, at)
        return parts.assemble(self.draft.modern_integer)

    def check_identity(self, schema: Mapping[str, Any], root: bool) -> None:
        """`$schema` picks the validator class in jsonschema's evolve(); `$id` moves the base."""
        if "$schema" in schema and not root:
            known, draft = _dialect(schema["$schema"])
            if known and draft is not self.draft:
                raise _Unsupported("subschema switches draft")
        if self.draft.id_key in schema and (
            not root or not isinstance(schema[self.draft.id_key], str)
        ):
            raise _Unsupported("non-root $id")

    def ref(self, ref: Any, at: _At) -> Check:
        if not isinstance(ref, str):
            raise _Unsupported("$ref is not a string")
        target = self.resolve(ref)
        unit = self.unit(target)
        if not at.consumed:
            self.edges.setdefault(self.unit_stack[-1], set()).add(id(target))
        return _ref_check(unit, at.depth + 1, self.budget)

    def resolve(self, ref: str) -> Any:
        """referencing's Resolver.lookup + Resource.pointer, for same-document refs only."""
        if not ref.startswith("#"):
            raise _Unsupported("non-local $ref")
        fragment = ref[1:]
        if not fragment:
            return self.root
        if not fragment.startswith("/"):
            raise _Unsupported("$ref to an anchor")
        contents: Any = self.root
        for segment in unquote(fragment[1:]).split("/"):
            key: int | str
            if isinstance(contents, Sequence):
                try:
                    key = int(segment)
                except ValueError as error:
                    raise _Unsupported("bad array index in $ref") from error
            else:
                key = segment.replace("~1", "/").replace("~0", "~")
            try:
                contents = contents[key]
            except (LookupError, TypeError) as error:
                raise _Unsupported("unresolvable $ref") from error
            id_value = contents.get(self.draft.id_key) if isinstance(contents, dict) else None
            if id_value is not None and not isinstance(id_value, dict):
                raise _Unsupported("$ref passes through a subschema with $id")
        return contents

    def subs(self, values: Any, at: _At, consumes: bool) -> list[Check]:
        if not isinstance(values, list):
            raise _Unsupported("expected an array of schemas")
        return [self.sub(v, at.into(consumes)) for v in values]


def _has_cycle(edges: dict[int, set[int]]) -> bool:
    done: set[int] = set()
    active: set[int] = set()

    def visit(node: int) -> bool:
        if node in active:
            return True
        if node in done:
            return False
        active.add(node)
        found = any(visit(n) for n in edges.get(node, ()))
        active.discard(node)
        done.add(node)
        return found

    return any(visit(n) for n in list(edges))


# --------------------------------------------------------------------------------------------
# Keyword handlers: (compiler, parts, keyword value, whole schema, position) -> None
# --------------------------------------------------------------------------------------------


def _number_value(value: Any) -> int | float:
    if not _is_number(value):
        raise _Unsupported("expected a number")
    return value  # type: ignore[no-any-return]


def _names(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Unsupported("expected an array of strings")
    return frozenset(value)


def _regex(pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise _Unsupported("pattern is not a string")
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise _Unsupported("pattern does not compile with Python re") from error


def _h_type(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(
        isinstance(n, str) and n in _TYPE_NAMES for n in names
    ):
        raise _Unsupported("unknown type")  # jsonschema raises UnknownType when it meets one
    p.types = frozenset(names)


def _h_enum(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if not isinstance(value, list) or _depth(value) > _MAX_INSTANCE_DEPTH:
        raise _Unsupported("enum is not a (shallow) array")
    p.generic.append(_enum_check(value))


def _h_const(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if _depth(value) > _MAX_INSTANCE_DEPTH:
        raise _Unsupported("const too deep")
    p.generic.append(_enum_check([value]))


def _h_properties(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise _Unsupported("properties is not an object")
    p.shape.props = {k: c.sub(v, at.into(True)) for k, v in value.items()}


def _h_pattern_properties(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if not isinstance(value, dict):
        raise _Unsupported("patternProperties is not an object")
    p.shape.patterns = [(_regex(k), c.sub(v, at.into(True))) for k, v in value.items()]


def _h_additional_properties(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    patterns = schema.get("patternProperties", {})
    if not isinstance(patterns, dict) or not all(isinstance(k, str) for k in patterns):
        raise _Unsupported("patternProperties is not an object")
    # jsonschema decides "additional" with one regex, "|".join(patterns); an empty join
    # (no patterns, or the single pattern "") excludes nothing.
    joined = "|".join(patterns)
    p.shape.joined = _regex(joined) if joined else None
    p.shape.additional = _bool_or_schema(c, value, at)
    if not isinstance(schema.get("properties", {}), dict):
        raise _Unsupported("properties is not an object")


def _bool_or_schema(c: _Compiler, value: Any, at: _At) -> Check:
    """additionalProperties/additionalItems: jsonschema tests booleans itself in every draft."""
    if isinstance(value, bool):
        return _true if value else _false
    return c.sub(value, at.into(True))


def _h_required(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.shape.required = _names(value)


def _h_min_properties(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    n = _number_value(value)
    p.obj.append(lambda x: not len(x) < n)


def _h_max_properties(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    n = _number_value(value)
    p.obj.append(lambda x: not len(x) > n)


def _h_property_names(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    sub = c.sub(value, at.into(True))
    if sub is not _true:
        p.obj.append(lambda x: all(map(sub, x)))


def _h_dependencies(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    """Draft 4-7: an array means dependentRequired, anything else is a schema."""
    if not isinstance(value, dict):
        raise _Unsupported("dependencies is not an object")
    for name, dependency in value.items():
        if isinstance(dependency, list):
            p.obj.append(_dependent_required(name, _names(dependency)))
        else:
            p.obj.append(_dependent_schema(name, c.sub(dependency, at.into(False))))


def _h_dependent_required(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if not isinstance(value, dict):
        raise _Unsupported("dependentRequired is not an object")
    p.obj.extend(_dependent_required(k, _names(v)) for k, v in value.items())


def _h_dependent_schemas(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if not isinstance(value, dict):
        raise _Unsupported("dependentSchemas is not an object")
    p.obj.extend(_dependent_schema(k, c.sub(v, at.into(False))) for k, v in value.items())


def _dependent_required(name: Any, needed: frozenset[str]) -> Check:
    return lambda x: name not in x or x.keys() >= needed


def _dependent_schema(name: Any, sub: Check) -> Check:
    return lambda x: name not in x or sub(x)


def _h_items(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if isinstance(value, list):
        if c.draft.prefix_items:  # 2020-12 would treat the array as a schema and crash
            raise _Unsupported("array-form items in 2020-12")
        p.arr.append(_prefix(c.subs(value, at, True)))
        return
    sub = c.sub(value, at.into(True))  # draft 4 rejects a boolean here (jsonschema crashes)
    start = 0
    if c.draft.prefix_items:
        prefix = schema.get("prefixItems", [])
        if not isinstance(prefix, list):
            raise _Unsupported("prefixItems is not an array")
        start = len(prefix)
    p.arr.append(_rest(sub, start))


def _prefix(subs: list[Check]) -> Check:
    checks = tuple(subs)
    return lambda x: all(check(item) for check, item in zip(checks, x, strict=False))


def _rest(sub: Check, start: int) -> Check:
    if sub is _true:
        return _true
    if sub is _false:
        return lambda x: len(x) <= start
    if start == 0:
        return lambda x: all(map(sub, x))
    return lambda x: all(map(sub, itertools.islice(x, start, None)))


def _h_prefix_items(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.arr.append(_prefix(c.subs(value, at, True)))


def _h_additional_items(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    """Draft <= 2019-09: applies only when `items` is an array (absent items counts as {})."""
    items = schema.get("items", {})
    if isinstance(items, dict):
        return
    if not isinstance(items, list):
        raise _Unsupported("additionalItems beside boolean items")  # jsonschema: len(True)
    sub = _bool_or_schema(c, value, at)
    p.arr.append(_rest(sub, len(items)))


def _h_min_items(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    n = _number_value(value)
    p.arr.append(lambda x: not len(x) < n)


def _h_max_items(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    n = _number_value(value)
    p.arr.append(lambda x: not len(x) > n)


def _h_unique_items(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    if not isinstance(value, bool):
        raise _Unsupported("uniqueItems is not a boolean")
    if value:
        p.arr.append(_unique)


def _h_contains(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    sub = c.sub(value, at.into(True))
    if not c.draft.counted_contains:
        p.arr.append(_contains_any(sub))
        return
    low = _number_value(schema.get("minContains", 1))
    high = _number_value(schema["maxContains"]) if "maxContains" in schema else None
    p.arr.append(_contains_counted(sub, low, high))


def _h_min_length(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.min_length = _number_value(value)


def _h_max_length(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.max_length = _number_value(value)


def _h_pattern(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.search = _regex(value).search


def _h_minimum(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    bound = _number_value(value)
    if c.draft is _D4 and schema.get("exclusiveMinimum", False):  # draft 4: boolean modifier
        p.num.append(lambda x: not x <= bound)
    else:
        p.num.append(lambda x: not x < bound)


def _h_maximum(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    bound = _number_value(value)
    if c.draft is _D4 and schema.get("exclusiveMaximum", False):
        p.num.append(lambda x: not x >= bound)
    else:
        p.num.append(lambda x: not x > bound)


def _h_exclusive_minimum(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    bound = _number_value(value)
    p.num.append(lambda x: not x <= bound)


def _h_exclusive_maximum(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    bound = _number_value(value)
    p.num.append(lambda x: not x >= bound)


def _h_multiple_of(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    divisor = _number_value(value)
    if not 0 < divisor < _HUGE_INT:  # x % huge-int overflows for float x
        raise _Unsupported("multipleOf is not a usable positive number")
    p.num.append(_multiple_of(divisor))


def _h_all_of(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.generic.extend(c.subs(value, at, False))


def _h_any_of(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.generic.append(_any_of(c.subs(value, at, False)))


def _h_one_of(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.generic.append(_one_of(c.subs(value, at, False)))


def _h_not(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.generic.append(_not(c.sub(value, at.into(False))))


def _h_if(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    """`then`/`else` only act through `if` (alone they are ignored, as in jsonschema)."""
    cond = c.sub(value, at.into(False))
    then = c.sub(schema["then"], at.into(False)) if "then" in schema else _true
    otherwise = c.sub(schema["else"], at.into(False)) if "else" in schema else _true
    # Even with trivial branches the condition runs: jsonschema evaluates it (and may crash).
    p.generic.append(_if_then_else(cond, then, otherwise))


def _h_ref(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    p.generic.append(c.ref(value, at))


def _h_ignore(c: _Compiler, p: _Parts, value: Any, schema: _Schema, at: _At) -> None:
    """`format` is an annotation: jsonschema validates it only with a format checker."""


_HANDLERS: dict[str, _Handler] = {
    "$ref": _h_ref,
    "additionalItems": _h_additional_items,
    "additionalProperties": _h_additional_properties,
    "allOf": _h_all_of,
    "anyOf": _h_any_of,
    "const": _h_const,
    "contains": _h_contains,
    "dependencies": _h_dependencies,
    "dependentRequired": _h_dependent_required,
    "dependentSchemas": _h_dependent_schemas,
    "enum": _h_enum,
    "exclusiveMaximum": _h_exclusive_maximum,
    "exclusiveMinimum": _h_exclusive_minimum,
    "format": _h_ignore,
    "if": _h_if,
    "items": _h_items,
    "maxItems": _h_max_items,
    "maxLength": _h_max_length,
    "maxProperties": _h_max_properties,
    "maximum": _h_maximum,
    "minItems": _h_min_items,
    "minLength": _h_min_length,
    "minProperties": _h_min_properties,
    "minimum": _h_minimum,
    "multipleOf": _h_multiple_of,
    "not": _h_not,
    "oneOf": _h_one_of,
    "pattern": _h_pattern,
    "patternProperties": _h_pattern_properties,
    "prefixItems": _h_prefix_items,
    "properties": _h_properties,
    "propertyNames": _h_property_names,
    "required": _h_required,
    "type": _h_type,
    "uniqueItems": _h_unique_items,
}


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def compile_schema(schema: Mapping[str, Any] | bool) -> Check | None:
    """Compile `schema` into a sound fast check, or None if the schema is not supported.

    ``check(instance) is True`` implies jsonschema (the validator class chosen by `$schema`,
    default settings) reports no error for `instance`; False means "maybe invalid".
    """
    if schema is True or schema is False:  # jsonschema: the latest draft, trivially
        return _true if schema else _false
    if not isinstance(schema, Mapping):
        return None
    try:
        draft = _D2020
        if "$schema" in schema:
            known, found = _dialect(schema["$schema"])
            if not known or found is None:
                return None
            draft = found
        inner = _Compiler(schema, draft).compile()
    except Exception:  # _Unsupported, or a schema too malformed to compile: jsonschema decides
        return None

    def check(instance: Any) -> bool:
        try:
            return inner(instance)
        except Exception:  # _Unknown, RecursionError or anything unforeseen: "maybe invalid"
            return False

    return check
