"""How far a scan is, on stderr: a one-line bar on a terminal, a plain line every so often in
a log (CI), nothing with --quiet."""

from __future__ import annotations

import shutil
import time
from typing import TextIO

BAR = 24


class Progress:
    def __init__(self, total: int, stream: TextIO | None, *, interval: float = 10.0) -> None:
        self.total = total
        self.stream = stream
        self.tty = bool(stream is not None and stream.isatty())
        self.interval = interval
        self.started = self.shown = time.monotonic()
        self.done = self.errors = 0

    def advance(self, target: str, *, error: bool) -> None:
        self.done += 1
        self.errors += error
        if self.stream is None:
            return
        now = time.monotonic()
        if self.tty:
            self._write("\r\x1b[K" + self._fit(f"{self._counts(now)} · {target}"))
        elif now - self.shown >= self.interval and self.done < self.total:
            self._write(f"roadworthy scan: {self._counts(now)}\n")
            self.shown = now

    def close(self) -> None:
        if self.stream is not None and self.tty and self.done:
            self._write("\r\x1b[K")

    def _counts(self, now: float) -> str:
        filled = BAR * self.done // max(self.total, 1)
        bar = f"[{'#' * filled}{'.' * (BAR - filled)}] " if self.tty else ""
        errors = f", {self.errors} error{'s' if self.errors != 1 else ''}" if self.errors else ""
        minutes, seconds = divmod(int(now - self.started), 60)
        return f"{bar}{self.done}/{self.total} repositories{errors} ({minutes}:{seconds:02d})"

    def _fit(self, text: str) -> str:
        width = shutil.get_terminal_size((80, 24)).columns - 1
        return text if len(text) <= width else text[: max(width - 1, 0)] + "…"

    def _write(self, text: str) -> None:
        assert self.stream is not None
        self.stream.write(text)
        self.stream.flush()
