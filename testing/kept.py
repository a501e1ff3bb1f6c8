"""A store of the user's cache (`workspace.parsecache`, `workspace.verdictcache`) as the tests
of kept results use it: opened under a test's own cache folder, installed where the code looks
for it, and written and read anew as the next run would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from roadworthy.formats import yamlio


def installed_cache(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: Any = None,
    install: Callable[[Any], None] = yamlio.install,
) -> Iterator[Any]:
    """A store of ``kind`` (the parse cache unless told) under ``folder`` (as
    $XDG_CACHE_HOME), handed to ``install`` for the test and taken back after it."""
    if kind is None:
        from roadworthy.workspace.parsecache import ParseCache

        kind = ParseCache
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    store = kind.open()
    assert store is not None
    install(store)
    yield store
    install(None)


def reopened(store: Any, install: Callable[[Any], None] = yamlio.install) -> Any:
    """``store`` written, then opened and installed anew, as the next run reads it."""
    store.close()
    again = type(store).open()
    assert again is not None
    install(again)
    return again
