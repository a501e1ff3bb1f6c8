"""Regular expressions compiled on first use.

A hook imports some eighty module-level patterns of roadworthy's and uses about half of them;
compiling the rest (`re`'s compiler is Python) was 5 to 10 ms of its run. `compile` returns a
stand-in that compiles its pattern the first time one of its methods is asked for, then keeps
the compiled pattern's methods as its own attributes: later calls cost what a compiled
pattern's do. ``pattern`` and ``flags`` are known without compiling (patterns are built from
other patterns' text).
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

_METHODS = (
    "match",
    "fullmatch",
    "search",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
    "scanner",
    "groups",
    "groupindex",
)


class _Lazy:
    def __init__(self, pattern: Any, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only reached for what the instance does not hold yet: the first use.
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.flags = compiled.flags  # (the flags re adds, such as UNICODE)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazyre.compile({self.pattern!r}, {self.flags})"


def compile(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return cast("re.Pattern[AnyStr]", _Lazy(pattern, flags))
