"""A file that crashes, hangs or trips a bug in a parser, and a rule that fails, cost only
themselves: the run goes on, says what happened in one line, and reports everything else."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from stripe_perm_lint.cli import main
from stripe_perm_lint.workers import parse_all

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BACKEND = FIXTURES / "missing-permission-python-client"


def run(*args: str):
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    findings = [(f["code"], f["path"].rsplit("/", 1)[-1], f["message"]) for a in json.loads(result.stdout)["apps"] for f in a["findings"]]
    return result.exit_code, findings, result.stderr


def copy_app(tmp_path: Path, extra: dict[str, str]) -> Path:
    app = tmp_path / "app"
    for source in BACKEND.rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            target = app / source.relative_to(BACKEND)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    for rel, text in extra.items():
        (app / rel).write_text(text)
    return app


def sabotage_python_parser(monkeypatch: pytest.MonkeyPatch, name: str, action) -> None:
    """Make the Python parser misbehave on one file name only; workers are forked, so they
    inherit the patch."""
    import stripe_perm_lint.parse.python as python_parser

    real = python_parser.parse_python

    def parse_python(path: str, source: str, skim: bool = False):
        if path.endswith(name):
            action()
        return real(path, source, skim=skim)

    monkeypatch.setattr(python_parser, "parse_python", parse_python)


@pytest.fixture
def baseline(tmp_path_factory):
    """The fixture app's own findings, which every sabotaged run must still report."""
    return run(str(copy_app(tmp_path_factory.mktemp("base"), {})))[1]


def test_a_parser_killed_by_a_signal_costs_only_its_file(tmp_path, monkeypatch, baseline) -> None:
    app = copy_app(tmp_path, {"backend/crash.py": "x = 1\n"})
    sabotage_python_parser(monkeypatch, "crash.py", lambda: os.kill(os.getpid(), signal.SIGSEGV))
    code, findings, stderr = run(str(app))
    crashed = ("SPL901", "crash.py", "skipped: the python parser (libcst) crashed on this file (SIGSEGV)")
    assert sorted(findings) == sorted([*baseline, crashed])
    assert code == 1  # the app's own missing permission, as without the crash
    assert stderr == (
        "stripe-perm-lint: backend/crash.py: skipped: the python parser (libcst) crashed on this file (SIGSEGV); "
        "the run goes on (please report it if the file is valid code)\n"
    )


def test_a_parser_bug_is_one_line_and_a_finding(tmp_path, monkeypatch, baseline) -> None:
    app = copy_app(tmp_path, {"backend/odd.py": "x = 1\n"})
    sabotage_python_parser(monkeypatch, "odd.py", lambda: {}["odd"])
    code, findings, stderr = run(str(app))
    bug = ("SPL901", "odd.py", "internal error while parsing (KeyError: 'odd'); please report it")
    assert (code, sorted(findings)) == (1, sorted([*baseline, bug]))
    assert stderr == (
        "stripe-perm-lint: internal error while parsing backend/odd.py: KeyError: 'odd'; please report it "
        "(rerun with --debug for the traceback)\n"
    )
    _, _, debug_stderr = run("--debug", str(app))
    assert "Traceback (most recent call last)" in debug_stderr and "KeyError: 'odd'" in debug_stderr


def test_a_hung_parser_is_stopped_at_the_time_limit(tmp_path, monkeypatch) -> None:
    app = copy_app(tmp_path, {"backend/slow.py": "x = 1\n"})
    sabotage_python_parser(monkeypatch, "slow.py", lambda: time.sleep(60))
    notes: list[str] = []
    facts = parse_all(app, ["backend/main.py", "backend/slow.py"], report=notes.append, timeout=0.5)
    assert [f.path for f in facts] == ["backend/main.py", "backend/slow.py"]
    assert facts[0].calls and not facts[0].problems
    assert [p.message for p in facts[1].problems] == ["skipped: parsing took longer than 0.5 s"]
    assert notes == ["backend/slow.py: skipped: parsing took longer than 0.5 s; the run goes on (please report it if the file is valid code)"]


def test_a_failing_rule_is_reported_and_the_other_rules_still_run(tmp_path, monkeypatch, baseline) -> None:
    from stripe_perm_lint.rules import ALL_RULES, rule_by_code_or_name

    unused = rule_by_code_or_name("SPL102")

    def broken(ctx):
        raise ValueError("boom")

    monkeypatch.setattr(unused, "check", broken)
    code, findings, stderr = run(str(copy_app(tmp_path, {})))
    assert code == 2  # the results are incomplete and no finding says so
    assert sorted(findings) == sorted(f for f in baseline if f[0] != "SPL102")
    assert len(ALL_RULES) > 1 and findings
    assert stderr.startswith("stripe-perm-lint: internal error in rule SPL102 (unused-permission) on the app at ")
    assert stderr.endswith(": ValueError: boom; please report it (rerun with --debug for the traceback)\n")


def test_one_failing_app_does_not_hide_the_others(tmp_path, monkeypatch) -> None:
    import stripe_perm_lint.app_loader as engine

    good = copy_app(tmp_path / "good", {})
    bad = copy_app(tmp_path / "bad", {})
    real = engine.read_manifest

    def read_manifest(root, name):
        if root == bad.resolve():
            raise RuntimeError("cannot happen")
        return real(root, name)

    monkeypatch.setattr(engine, "read_manifest", read_manifest)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path)])
    assert result.exit_code == 2
    assert [a["root"] for a in json.loads(result.stdout)["apps"]] == [os.path.relpath(good)]
    assert "internal error while linting the app at" in result.stderr and "RuntimeError: cannot happen" in result.stderr


def test_parallel_parsing_gives_the_serial_result() -> None:
    root = FIXTURES / "webhook-events-python"
    rels = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py"))
    assert len(rels) > 1
    assert parse_all(root, rels, jobs=1) == parse_all(root, rels, jobs=3)


def _apps_side_by_side(tmp_path: Path, names: list[str]) -> Path:
    import shutil

    for name in names:
        shutil.copytree(FIXTURES / name, tmp_path / "apps" / name, ignore=shutil.ignore_patterns("expected.txt"))
    return tmp_path / "apps"


def test_the_apps_of_one_run_share_their_parser_workers(tmp_path, monkeypatch) -> None:
    import stripe_perm_lint.workers as workers

    names = sorted(["missing-permission-python-client", "webhook-events-node", "cross-file-client-python", "ruby-webhooks"])
    folder = _apps_side_by_side(tmp_path, names)
    started = []
    real_init = workers._Worker.__init__
    monkeypatch.setattr(workers._Worker, "__init__", lambda self, context: (started.append(1), real_init(self, context))[1])
    together = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(folder)])
    assert together.exit_code == 1, together.output
    assert 0 < len(started) <= min(os.cpu_count() or 1, workers.MAX_WORKERS) < len(names) * 2
    alone = [json.loads(CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(folder / n)]).stdout)["apps"][0]
             for n in names]
    assert [a["findings"] for a in json.loads(together.stdout)["apps"]] == [a["findings"] for a in alone]
    assert workers._idle is None  # stopped when the run ended


def test_a_worker_killed_in_one_app_is_not_handed_to_the_next(tmp_path, monkeypatch, baseline) -> None:
    import stripe_perm_lint.workers as workers

    first = copy_app(tmp_path / "a", {"backend/crash.py": "x = 1\n"})
    copy_app(tmp_path / "b", {})
    sabotage_python_parser(monkeypatch, "crash.py", lambda: os.kill(os.getpid(), signal.SIGSEGV))
    alive_when_given = []
    real_give = workers._Worker.give
    monkeypatch.setattr(workers._Worker, "give",
                        lambda self, index, task: (alive_when_given.append(self.process.is_alive()), real_give(self, index, task))[1])
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(tmp_path)])
    apps = json.loads(result.stdout)["apps"]
    assert [a["root"].rsplit("/", 2)[-2] for a in apps] == ["a", "b"]
    crashed = [f for f in apps[0]["findings"] if f["code"] == "SPL901"]
    assert [f["path"].rsplit("/", 1)[-1] for f in crashed] == ["crash.py"]
    assert sorted((f["code"], f["path"].rsplit("/", 1)[-1], f["message"]) for f in apps[1]["findings"]) == sorted(baseline)
    assert result.stderr.count("crashed on this file") == 1 and first.exists()
    assert alive_when_given and all(alive_when_given)  # the dead worker was replaced, never kept idle
