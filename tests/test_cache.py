"""The facts cache: a warm run gives the same report as a cold one and as ``--no-cache``, parses
only what changed, opens no source file when nothing did, and never trusts what it finds on disk."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from stripe_perm_lint.cache import FactsCache, Stamp, status_of, unchanged
from stripe_perm_lint.cli import main
from stripe_perm_lint.facts import FileFacts

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AN_HOUR_AGO = time.time() - 3600


def copy_fixture(tmp_path: Path, name: str) -> Path:
    """A copy of a fixture app whose files were last modified an hour ago (a checkout at rest)."""
    app = tmp_path / name
    shutil.copytree(FIXTURES / name, app, ignore=shutil.ignore_patterns("expected.txt"))
    for path in app.rglob("*"):
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    return app


def lint(app: Path, *args: str):
    result = CliRunner().invoke(main, ["check", "--format", "json", *args, str(app)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout, result.stderr


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("STRIPE_PERM_LINT_CACHE_DIR", str(folder))
    return folder


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "v1").rglob("*") if p.is_file())


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any parse from here on is an internal error in the report (workers are forked, so they
    inherit the patch): a run that shows none parsed nothing."""
    import stripe_perm_lint.parse as parse

    def parse_file(path, *args, **kwargs):
        raise AssertionError(f"parsed {path}")

    monkeypatch.setattr(parse, "parse_file", parse_file)


@pytest.mark.parametrize("name", ["demo-app", "cross-file-client-python", "extra-sources-backend"])
def test_a_warm_run_reports_exactly_what_a_cold_run_and_no_cache_do(tmp_path, cache_dir, monkeypatch, name):
    app = copy_fixture(tmp_path, name)
    extra = ["--extra-sources", str(app / "worker")] if (app / "worker").is_dir() else []
    target = app / "stripe-app" if (app / "stripe-app").is_dir() else app
    uncached, _ = lint(target, "--no-cache", *extra)
    cold, _ = lint(target, *extra)
    assert entries(cache_dir), "the cold run filled the cache"
    forbid_parsing(monkeypatch)
    warm, stderr = lint(target, *extra)
    assert warm == cold == uncached
    assert "internal error" not in stderr


def test_a_changed_file_is_parsed_again(tmp_path, cache_dir):
    app = copy_fixture(tmp_path, "cross-file-client-python")
    cold, _ = lint(app)
    module = app / "backend" / "reports.py"
    module.write_text(module.read_text() + "\n\ndef refunds(account_id: str):\n    return get_client(account_id).v1.refunds.list()\n")
    warm, _ = lint(app)
    assert warm == lint(app, "--no-cache")[0]
    assert "charge_read" in json.loads(warm)["apps"][0]["required"]  # refunds are read under charges
    assert "charge_read" not in json.loads(cold)["apps"][0]["required"]


def test_a_same_size_change_with_the_old_mtime_is_still_seen(tmp_path, cache_dir):
    """Content swapped for content of the same size, mtime put back: the ctime still moves."""
    app = copy_fixture(tmp_path, "demo-app")
    lint(app)
    view = next((app / "src" / "views").glob("*.tsx"))
    before = view.stat()
    text = view.read_text()
    assert "customers" in text
    view.write_text(text.replace("customers", "customerz"))
    os.utime(view, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert view.stat().st_size == before.st_size
    assert lint(app)[0] == lint(app, "--no-cache")[0]


def test_a_touched_file_is_hashed_and_its_cached_facts_reused(tmp_path, cache_dir, monkeypatch):
    app = copy_fixture(tmp_path, "demo-app")
    cold, _ = lint(app)
    for path in app.rglob("*.ts*"):
        os.utime(path, (AN_HOUR_AGO + 60, AN_HOUR_AGO + 60))  # a checkout rewrote it, same bytes
    forbid_parsing(monkeypatch)
    warm, stderr = lint(app)
    assert warm == cold
    assert "internal error" not in stderr


def test_corrupt_or_foreign_entries_are_recomputed_and_never_run(tmp_path, cache_dir):
    app = copy_fixture(tmp_path, "demo-app")
    cold, _ = lint(app)
    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for number, entry in enumerate(entries(cache_dir)):
        entry.write_bytes(b"\x80\x05garbage" if number % 2 else pickle.dumps(Hostile()))
    assert lint(app)[0] == cold
    assert not marker.exists(), "unpickling an entry ran code"
    assert lint(app)[0] == cold  # and the rewritten entries are good


def test_an_unusable_cache_folder_is_one_note_and_the_run_goes_on(tmp_path, monkeypatch):
    app = copy_fixture(tmp_path, "demo-app")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("STRIPE_PERM_LINT_CACHE_DIR", str(blocker / "cache"))
    stdout, stderr = lint(app)
    assert stdout == lint(app, "--no-cache")[0]
    assert stderr.count("running without the cache") == 1, stderr
    assert f"cannot use the cache folder {blocker / 'cache'}" in stderr


def test_no_cache_never_touches_the_folder(tmp_path, cache_dir):
    app = copy_fixture(tmp_path, "demo-app")
    lint(app, "--no-cache")
    assert not cache_dir.exists()


def test_cache_dir_option_wins_over_the_environment(tmp_path, cache_dir):
    app = copy_fixture(tmp_path, "demo-app")
    chosen = tmp_path / "chosen"
    lint(app, "--cache-dir", str(chosen))
    assert entries(chosen) and not cache_dir.exists()
    assert (chosen / ".gitignore").read_text().splitlines()[-1] == "*", "a cache folder in a repo is not committed"


def test_a_crashed_parse_is_not_cached(tmp_path, cache_dir, monkeypatch):
    import stripe_perm_lint.parse.python as python_parser

    app = copy_fixture(tmp_path, "cross-file-client-python")
    real, crash = python_parser.parse_python, [True]

    def parse_python(path: str, source: str):
        if path.endswith("reports.py") and crash[0]:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, source)

    monkeypatch.setattr(python_parser, "parse_python", parse_python)
    crashed, _ = lint(app)
    assert "crashed on this file" in crashed
    crash[0] = False
    assert lint(app)[0] == lint(app, "--no-cache")[0]


# A run under an audit hook that records every source file opened below the app folder, in this
# process or a forked parser worker (each appends to a file opened before the hook was installed).
AUDITED_RUN = r'''
import json, os, sys
app, record, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
fd = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
SOURCES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".py")

def hook(event, hook_args):
    if event == "open" and isinstance(hook_args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(hook_args[0])
        if path.startswith(app) and path.endswith(SOURCES):
            os.write(fd, (path + "\n").encode())

sys.addaudithook(hook)
from stripe_perm_lint.cli import main
from stripe_perm_lint.facts import FileFacts
try:
    main(args, standalone_mode=False)
except SystemExit:
    pass
'''


def opened_by_a_run(app: Path, record: Path) -> tuple[str, list[str]]:
    command = [sys.executable, "-c", AUDITED_RUN, str(app), str(record), json.dumps(["check", "--format", "json", str(app)])]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    opened = record.read_text().splitlines() if record.exists() else []
    record.unlink(missing_ok=True)
    return result.stdout, opened


def test_a_warm_run_with_nothing_changed_opens_no_source_file(tmp_path, cache_dir):
    app = copy_fixture(tmp_path, "cross-file-client-python")
    cold, opened = opened_by_a_run(app, tmp_path / "opened")
    assert len(opened) == 4, "the harness sees the cold run read each source"
    warm, opened = opened_by_a_run(app, tmp_path / "opened")
    assert opened == []
    assert warm == cold


def test_a_file_modified_just_before_it_was_hashed_is_hashed_again(tmp_path):
    """Within the mtime tick of the hash, a second change could keep the same status (racy)."""
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    info = path.stat()
    assert unchanged(Stamp(status_of(info), info.st_mtime_ns + 5_000_000_000, "x"), info)
    assert not unchanged(Stamp(status_of(info), info.st_mtime_ns + 100_000_000, "x"), info)
    path.write_text("x = 22\n")
    assert not unchanged(Stamp(status_of(info), info.st_mtime_ns + 5_000_000_000, "x"), path.stat())


def test_an_index_belongs_to_one_tool_identity_and_one_app(tmp_path):
    facts = FileFacts(path="a.py", language="python")
    index = {"a.py": (Stamp((1, 2, 3, 4), 5, "0" * 64), facts)}
    FactsCache(tmp_path, "tool-a").save_index(tmp_path / "app", index)
    assert FactsCache(tmp_path, "tool-a").load_index(tmp_path / "app") == index
    assert FactsCache(tmp_path, "tool-b").load_index(tmp_path / "app") == {}, "another version of the linter"
    assert FactsCache(tmp_path, "tool-a").load_index(tmp_path / "other") == {}


def test_two_runs_at_once_share_the_cache_safely(tmp_path, cache_dir):
    app = copy_fixture(tmp_path, "cross-file-client-python")
    expected = lint(app, "--no-cache")[0]
    command = [sys.executable, "-m", "stripe_perm_lint", "--format", "json", str(app)]
    for _ in range(2):  # cold (both write every entry), then warm (both read them)
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [stdout for stdout, _ in outputs] == [expected, expected], [stderr for _, stderr in outputs]
    assert not [p for p in cache_dir.rglob(".tmp-*")], "no temporary file left behind"


def test_a_file_the_prefilter_skimmed_and_then_completed_is_cached_in_full(tmp_path, cache_dir, monkeypatch):
    """The prefilter skims `jobs.py` (it names nothing Stripe); another module makes it matter, so
    it is parsed again in full. The warm run must reuse that full parse, never the skimmed facts,
    and must parse nothing."""
    app = tmp_path / "app"
    (app / "backend" / "lib").mkdir(parents=True)
    (app / "stripe-app.json").write_text(json.dumps(
        {"id": "a", "version": "1.0.0", "name": "A", "icon": "", "stripe_api_access_type": "oauth", "permissions": []}))
    (app / "backend" / "__init__.py").write_text("")
    (app / "backend" / "lib" / "__init__.py").write_text("")
    (app / "backend" / "lib" / "clients.py").write_text(
        "from stripe import StripeClient\n\n\ndef client_for(token):\n    return StripeClient(token)\n")
    (app / "backend" / "jobs.py").write_text(
        "from backend.lib.clients import client_for\n\n\ndef nightly(token):\n"
        "    return getattr(client_for(token), 'customers').list(limit=3)\n")
    for path in app.rglob("*"):
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    cold, _ = lint(app)
    assert '"customer_read"' in cold  # found through the completed file
    forbid_parsing(monkeypatch)
    warm, warm_err = lint(app)
    assert warm == cold and "parsed" not in warm_err
