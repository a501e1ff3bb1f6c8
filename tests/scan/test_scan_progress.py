"""Progress on stderr: a bar redrawn in place on a terminal, plain lines in a log."""

from __future__ import annotations

import io

from roadworthy.scan.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn() -> None:
    stream = Terminal()
    progress = Progress(4, stream)
    progress.advance("github.com/acme/a", error=False)
    progress.advance("github.com/acme/b", error=True)
    progress.close()
    text = stream.getvalue()
    assert "\n" not in text
    frames = [f for f in text.split("\r\x1b[K") if f]
    assert frames[0].startswith("[######..................] 1/4 repositories (0:00)")
    assert frames[1].startswith("[############............] 2/4 repositories, 1 error (0:00)")
    assert frames[1].endswith("· github.com/acme/b")
    assert text.endswith("\r\x1b[K")  # the bar is wiped before the summary line


def test_a_log_gets_a_line_every_interval_and_not_for_the_last() -> None:
    stream = io.StringIO()
    progress = Progress(3, stream, interval=0.0)
    for name in "abc":
        progress.advance(name, error=False)
    progress.close()
    assert stream.getvalue().splitlines() == [
        "roadworthy scan: 1/3 repositories (0:00)",
        "roadworthy scan: 2/3 repositories (0:00)",
    ]


def test_quiet_writes_nothing() -> None:
    progress = Progress(2, None)
    progress.advance("a", error=True)
    progress.close()
    assert (progress.done, progress.errors) == (1, 1)
