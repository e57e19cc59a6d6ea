"""`--output FILE`: the chosen format goes to FILE, written atomically, while the terminal gets
text; a path that cannot be written is a one-line error (exit 2)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from format_helpers import DEMO, lint
from stripe_perm_lint.report import FORMATS


def test_the_file_gets_the_format_and_the_terminal_gets_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO)
    text, sarif = lint("."), lint("--format", "sarif", ".")
    for fmt in ("sarif", "github", "gitlab", "json", "text"):
        target = tmp_path / f"report.{fmt}"
        result = lint("--format", fmt, "--output", str(target), ".")
        assert result.exit_code == 1, fmt
        assert result.stdout == text.stdout, fmt
        assert target.read_text(encoding="utf-8") == lint("--format", fmt, ".").stdout, fmt
    assert json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8")) == json.loads(sarif.stdout)
    assert sorted(os.listdir(tmp_path)) == sorted(f"report.{fmt}" for fmt in FORMATS)  # no temporary file left


def test_an_existing_file_is_replaced_with_the_usual_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO)
    target = tmp_path / "report.json"
    target.write_text("old and much longer than the new report " * 1000)
    target.chmod(0o640)
    lint("--format", "json", "--output", str(target), ".")
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.json"
    umask = os.umask(0o022)
    try:
        lint("--format", "json", "--output", str(fresh), ".")
    finally:
        os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o644  # not the 0600 of a temporary file


def test_a_symlink_keeps_pointing_at_the_file_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO)
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "latest.sarif"
    real.write_text("old\n")
    link = tmp_path / "report.sarif"
    link.symlink_to(real)
    lint("--format", "sarif", "--output", str(link), ".")
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert os.listdir(tmp_path / "reports") == ["latest.sarif"]


def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--output /dev/stderr` or a pipe: renaming over it would replace the pipe (or, as root,
    the device) with a regular file."""
    monkeypatch.chdir(DEMO)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so that opening it to write does not block
    try:
        result = lint("--format", "github", "--output", str(pipe), ".")
        assert result.exit_code == 1
        assert stat.S_ISFIFO(pipe.stat().st_mode)
        assert os.read(reader, 1 << 16).decode("utf-8") == lint("--format", "github", ".").stdout
    finally:
        os.close(reader)


def test_output_to_our_own_stderr_file_is_written_into_it(tmp_path: Path) -> None:
    """`--output /dev/stderr 2>log`: replacing log by rename would cut stderr off from it."""
    log = tmp_path / "log"
    with open(log, "w") as stderr:
        before = os.fstat(stderr.fileno()).st_ino
        result = subprocess.run(
            [sys.executable, "-m", "stripe_perm_lint", "--format", "github", "--output", "/dev/stderr", "."],
            cwd=DEMO, stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=120,
        )
    assert result.returncode == 1 and result.stdout.endswith("Checked 1 app: 1 error, 1 warning, 0 infos\n")
    assert log.stat().st_ino == before
    assert [line.split(" ", 1)[0] for line in log.read_text().splitlines()] == ["::error", "::warning"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO)
    target = tmp_path / "report.sarif"
    target.write_text("the previous report\n")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    # --no-cache: the full disk would also (rightly) turn the cache off, with its own note.
    result = lint("--no-cache", "--format", "sarif", "--output", str(target), ".")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"stripe-perm-lint: error: cannot write {target}: No space left on device\n"
    assert target.read_text() == "the previous report\n"
    assert os.listdir(tmp_path) == ["report.sarif"]


@pytest.mark.parametrize(
    ("where", "why"),
    [
        ("missing/report.sarif", "folder {tmp}/missing does not exist"),
        (".", "it is a folder"),
        ("file/report.sarif", "folder {tmp}/file does not exist"),
    ],
)
def test_a_bad_output_path_is_a_one_line_error_before_linting(tmp_path: Path, where: str, why: str) -> None:
    (tmp_path / "file").write_text("a file, not a folder\n")
    target = tmp_path / where
    # The app path does not exist either: the output is checked first, so no lint is wasted.
    result = lint("--format", "sarif", "--output", str(target), str(tmp_path / "no-such-app"))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"stripe-perm-lint: error: cannot write {target}: {why.format(tmp=tmp_path)}\n"


def test_an_unwritable_folder_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod cannot forbid writing: refuse the temporary file instead.
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    monkeypatch.chdir(DEMO)
    result = lint("--no-cache", "--format", "gitlab", "--output", str(tmp_path / "gl-code-quality.json"), ".")
    assert result.exit_code == 2
    assert result.stderr == f"stripe-perm-lint: error: cannot write {tmp_path / 'gl-code-quality.json'}: Permission denied\n"


def test_files_outside_any_app_still_leave_an_empty_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes.ts").write_text("export {};\n")
    monkeypatch.chdir(tmp_path)
    result = lint("--format", "sarif", "--output", "out.sarif", "notes.ts")
    assert result.exit_code == 0
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["runs"][0]["results"] == []


def test_the_cli_offers_every_registered_format() -> None:
    from stripe_perm_lint.cli import check

    (fmt,) = [p for p in check.params if p.name == "fmt"]
    assert sorted(fmt.type.choices) == sorted(FORMATS)
