"""An attestation candidate is kept when a folder above it is a link (`governance._behind_link`).
Today's rewrite walked up with `posixpath.dirname`, which returns ``//`` for ``//`` itself: a
candidate under a component path that keeps POSIX's two leading slashes (``declare: path:
' //x'`` cleans to ``//x``) looped for ever wherever the tree had a symlink. The walk before the
rewrite (`ancestors`, by `str.rpartition`) ends at the root; so does this one. Not reached end to
end today (a declared ``//x`` fails git's listing first), kept as the old walk's equivalence."""

from __future__ import annotations

import signal

from roadworthy.change.governance import _behind_link
from roadworthy.workspace.listing import ancestors


def _walk(path: str, links: set[str]) -> bool:
    def stop(*_: object) -> None:
        raise TimeoutError(path)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(5)
    try:
        return _behind_link(path, links)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_candidate_under_leading_slashes_ends_its_walk() -> None:
    for path in ("//x/ATTESTATIONS.yaml", "/x/ATTESTATIONS.yaml", "a//b/ATTESTATIONS.yaml"):
        for links in ({"l"}, {"a"}, {"//x"}, {"a/"}):
            old = bool(ancestors([path.rpartition("/")[0]]) & links)
            assert _walk(path, links) == old, (path, links)
