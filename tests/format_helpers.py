"""Shared by the tests/test_formats_*.py files: run the CLI as a user would, build odd reports."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

from click.testing import CliRunner

from stripe_perm_lint.cli import main
from stripe_perm_lint.engine import AppReport, lint_paths
from stripe_perm_lint.finding import Finding, Location, Severity
from stripe_perm_lint.report import FORMATS

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
DEMO = FIXTURES / "demo-app"
DUPLICATES = FIXTURES / "unknown-permission"  # an SPL003 with the first declaration as related place
INFO = FIXTURES / "platform-calls-backend"  # SPL105 findings at info level


def lint(*args: str):
    """The CliRunner result of ``stripe-perm-lint check ARGS``, in the current folder."""
    result = CliRunner().invoke(main, ["check", "--no-color", *args])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@functools.cache
def _every_fixture_report() -> tuple[AppReport, ...]:
    return tuple(lint_paths([FIXTURES]))


def every_fixture(fmt: str) -> str:
    """One format of one lint of every fixture app, paths relative to the repo root (linting all
    fixtures takes seconds, so the formats share the run)."""
    here = Path.cwd()
    os.chdir(REPO)
    try:
        out = io.StringIO()
        FORMATS[fmt](list(_every_fixture_report()), out)
        return out.getvalue()
    finally:
        os.chdir(here)


def app_with_broken_link(tmp_path: Path) -> Path:
    """An app whose only finding is about a file as a whole (line 0): a dangling symlink."""
    app = tmp_path / "app"
    (app / "src").mkdir(parents=True)
    (app / "stripe-app.json").write_text(
        '{"id": "com.example.links", "version": "0.0.1", "name": "Links", "icon": "./icon.png", "permissions": []}\n'
    )
    (app / "src" / "gone.ts").symlink_to(tmp_path / "missing.ts")
    return app


def report_of(root: Path, *findings: Finding) -> list[AppReport]:
    return [AppReport(root=root, manifest="stripe-app.json", declared=(), required=(), findings=findings)]


def finding(path: str, line: int, message: str, severity: Severity = Severity.ERROR, **more) -> Finding:
    code, rule = {
        Severity.ERROR: ("SPL101", "missing-permission"),
        Severity.WARNING: ("SPL102", "unused-permission"),
        Severity.INFO: ("SPL105", "platform-account-call"),
    }[severity]
    column = more.pop("column", 1 if line else 0)
    return Finding(code, rule, severity, Location(path, line, column), message, **more)

