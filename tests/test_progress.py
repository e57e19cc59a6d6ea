"""The progress line: only on a terminal, only after a second, cleared at the end and before any
note, never in a machine format."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from stripe_perm_lint.cli import main
from stripe_perm_lint.discover import discover_sources
from stripe_perm_lint.engine import RunLog
from stripe_perm_lint.progress import Progress, progress_for
from stripe_perm_lint.workers import parse_all

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_shows_in_the_first_second():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock)
    clock.now += 0.9
    progress.update(1, 10)
    progress.clear()
    assert stream.getvalue() == ""


def test_after_a_second_one_line_is_rewritten_in_place_and_cleared():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock)
    clock.now += 1.5
    progress.update(9, 1000)
    clock.now += 0.01
    progress.update(10, 1000)  # too soon to redraw
    clock.now += 0.2
    progress.update(11, 1000)
    progress.update(1000, 1000)  # the last file is always drawn
    assert stream.getvalue() == ("\rparsing 9/1000 files" "\rparsing 11/1000 files" "\rparsing 1000/1000 files")
    progress.clear()
    cleared = stream.getvalue()
    assert cleared.endswith("\r" + " " * len("parsing 1000/1000 files") + "\r")
    progress.clear()  # nothing on screen: nothing written
    assert stream.getvalue() == cleared


def test_a_shorter_line_covers_the_longer_one_it_replaces():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock)
    clock.now += 2
    progress.update(999, 1000)
    progress.clear()
    progress.update(5, 10)
    assert stream.getvalue().endswith("\rparsing 5/10 files")
    progress.update(10, 10)
    assert stream.getvalue().endswith("\rparsing 10/10 files")


def test_only_on_a_terminal_and_only_when_wanted():
    assert progress_for(io.StringIO(), True) is None
    assert progress_for(Terminal(), False) is None
    assert isinstance(progress_for(Terminal(), True), Progress)


def test_a_note_clears_the_line_first():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock)
    clock.now += 2
    log = RunLog(write=lambda line: stream.write(f"[{line}]\n"), progress=progress)
    progress.update(1, 3)
    log.note("a note")
    assert stream.getvalue() == "\rparsing 1/3 files\r" + " " * len("parsing 1/3 files") + "\r[a note]\n"


def test_parsing_counts_every_file_of_the_app_and_ends_cleared(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "cross-file-client-python", app)
    sources = discover_sources(app, "stripe-app.json", frozenset()).sources
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock)
    clock.now += 5
    facts = parse_all(app, sources, progress=progress)
    assert [f.path for f in facts] == list(sources)
    drawn = stream.getvalue()
    assert f"\rparsing {len(sources)}/{len(sources)} files" in drawn
    assert drawn.endswith(" \r"), "cleared at the end"


def test_never_in_the_cli_when_stderr_is_not_a_terminal():
    result = CliRunner().invoke(main, ["check", str(FIXTURES / "demo-app")])
    assert "parsing" not in result.stderr


def test_the_cli_wants_it_only_above_a_text_report_without_quiet(monkeypatch):
    import stripe_perm_lint.progress as progress

    asked: list[bool] = []
    monkeypatch.setattr(progress, "progress_for", lambda stream, wanted: asked.append(wanted))
    demo = str(FIXTURES / "demo-app")
    for args in (["--format", "text"], ["--format", "json"], ["--format", "sarif"], ["--quiet"], []):
        CliRunner().invoke(main, ["check", *args, demo])
    assert asked == [True, False, False, False, True]
