"""One test runs every fixture app: lint it as a user would, compare with its expected.txt.

expected.txt is the exact text output (paths relative to the fixture folder), after an
optional block of `# ` comment lines that say what the fixture is about. A `# args: ...`
comment line adds command-line options. `UPDATE_EXPECTED=1 pytest` rewrites the output part
and keeps the comments; review the diff.
"""

from __future__ import annotations

import os
import shlex

import pytest
from click.testing import CliRunner

from stripe_perm_lint.cli import main

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").is_file())


def _split(text: str) -> tuple[list[str], str]:
    lines = text.splitlines(keepends=True)
    header = []
    while lines and lines[0].startswith("#"):
        header.append(lines.pop(0))
    return header, "".join(lines)


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = FIXTURES / name
    expected_file = folder / "expected.txt"
    header, expected = _split(expected_file.read_text(encoding="utf-8"))
    args = []
    for line in header:
        if line.startswith("# args:"):
            args += shlex.split(line[len("# args:"):])
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["check", *args, "--no-color", "."])
    assert result.exit_code in (0, 1), result.output
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text("".join(header) + result.output, encoding="utf-8")
        return
    assert result.output == expected
    _assert_matches_intent(header, result.output)
    has_error = any(" SPL" in l and _severity(l) == "error" for l in result.output.splitlines())
    assert result.exit_code == (1 if has_error else 0)


def _assert_matches_intent(header: list[str], output: str) -> None:
    """`# want: PATH:LINE CODE ...` lines were written with the fixture, before any output
    existed: the findings must land on exactly those lines, so a regenerated expected.txt
    cannot quietly accept a regression."""
    lines = [l[len("# want:"):].split() for l in header if l.startswith("# want:")]
    wants = sorted((w[0], w[1]) for w in lines if w[0] != "nothing")
    if not wants:
        return
    got = sorted(
        (l.split(": ", 1)[0].rsplit(":", 1)[0], l.split(": ", 1)[1].split(" ", 1)[0])
        for l in output.splitlines()
        if " SPL" in l
    )
    assert got == wants


def _severity(line: str) -> str:
    from stripe_perm_lint.rules import rule_by_code_or_name

    code = line.split(": ", 1)[1].split(" ", 1)[0]
    return rule_by_code_or_name(code).severity.value


def test_there_are_enough_fixtures() -> None:
    assert len(CASES) >= 15
