"""The progress line on stderr: ``parsing 1234/5678 files``, rewritten in place.

Only on a terminal, and only once the run has taken longer than ``DELAY_SECONDS``: a pre-commit
hook or a small app finishes before it would show, and a log file or CI output never gets carriage
returns. The line is cleared when parsing ends and before any note is written, so it never mixes
with the report or a message.
"""

from __future__ import annotations

import time
from typing import Callable, TextIO

DELAY_SECONDS = 1.0
# Redraw at most this often: a terminal write per file would slow a run of small files.
REDRAW_SECONDS = 0.1


class Progress:
    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.clock = stream, clock
        self.started = clock()  # the run's start, not the app's: many small apps add up too
        self.drawn_at: float | None = None
        self.width = 0  # of the line on screen, 0 when none is

    def update(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < DELAY_SECONDS:
            return
        if done < total and self.drawn_at is not None and now - self.drawn_at < REDRAW_SECONDS:
            return
        line = f"parsing {done}/{total} files"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width, self.drawn_at = len(line), now

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
        self.drawn_at = None


def progress_for(stream: TextIO, wanted: bool) -> Progress | None:
    """A progress line on ``stream`` when ``wanted`` and ``stream`` is a terminal."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        terminal = False
    return Progress(stream) if wanted and terminal else None


class Ticker:
    """Counts finished files for the progress line (None: no line is shown)."""

    def __init__(self, progress: Progress | None, done: int, total: int) -> None:
        self.progress, self.done, self.total = progress, done, total

    def __call__(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress.update(self.done, self.total)
