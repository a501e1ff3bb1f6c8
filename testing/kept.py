"""The user's parse cache (`workspace.parsecache`) as tests of kept documents use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from roadworthy.formats import yamlio
from roadworthy.workspace.parsecache import ParseCache


def installed_cache(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ParseCache]:
    """A parse cache under ``folder`` (as $XDG_CACHE_HOME), installed for the test's loads."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    store = ParseCache.open()
    assert store is not None
    yamlio.install(store)
    yield store
    yamlio.install(None)


def reopened(store: ParseCache) -> ParseCache:
    """``store`` written and read anew, as the next run reads it."""
    store.close()
    again = ParseCache.open()
    assert again is not None
    yamlio.install(again)
    return again
