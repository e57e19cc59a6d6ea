"""The baseline round trip through the command line: record, hide, survive edits, count
duplicates, report stale entries, and fail in one line on a file it cannot use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stripe_perm_lint.cli import main
from stripe_perm_lint.examples import UI_CLIENT, manifest

CALLS = {
    "invoices": "export const invoices = () => stripe.invoices.list();\n",
    "payouts": "export const payouts = () => stripe.payouts.list();\n",
    "payouts_again": "export const payoutsAgain = () => stripe.payouts.list();\n",
}


def make_app(folder: Path, *calls: str, declared: tuple[str, ...] = ("customer_read",)) -> Path:
    (folder / "src/views").mkdir(parents=True, exist_ok=True)
    (folder / "stripe-app.json").write_text(manifest(*declared), encoding="utf-8")
    view = UI_CLIENT + "\n" + "".join(CALLS[c] for c in calls)
    (folder / "src/views/View.tsx").write_text(view, encoding="utf-8")
    return folder


def cli(*args: str):
    return CliRunner().invoke(main, ["--no-color", *args])


def codes(output: str) -> list[str]:
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in output.splitlines() if ": SPL" in line]


def test_round_trip_hides_every_recorded_finding(tmp_path, monkeypatch):
    make_app(tmp_path / "app", "invoices", "payouts")
    monkeypatch.chdir(tmp_path)
    written = cli("--write-baseline", "baseline.json", "app")
    assert written.exit_code == 0 and written.stdout == ""
    assert written.stderr == "stripe-perm-lint: recorded 3 findings of 1 app in baseline.json\n"
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert data["version"] == 1
    assert [(e["code"], e["permission"], e["path"], e["subject"], e["count"]) for e in data["findings"]] == [
        ("SPL101", "invoice_read", "app/src/views/View.tsx", "stripe.invoices.list()", 1),
        ("SPL101", "payout_read", "app/src/views/View.tsx", "stripe.payouts.list()", 1),
        ("SPL102", "customer_read", "app/stripe-app.json", "customer_read", 1),
    ]
    hidden = cli("--baseline", "baseline.json", "app")
    assert hidden.exit_code == 0 and hidden.stderr == ""
    assert hidden.stdout == "Checked 1 app: 0 errors, 0 warnings, 0 infos (3 in the baseline)\n"


def test_entries_survive_edits_and_new_findings_still_show(tmp_path, monkeypatch):
    app = make_app(tmp_path / "app", "invoices")
    monkeypatch.chdir(tmp_path)
    assert cli("--write-baseline", "baseline.json", "app").exit_code == 0
    view = app / "src/views/View.tsx"
    view.write_text("// moved down by a new header\n\n" + view.read_text() + CALLS["payouts"], encoding="utf-8")
    result = cli("--baseline", "baseline.json", "app")
    assert result.exit_code == 1
    assert codes(result.stdout) == ["SPL101"] and "stripe.payouts.list()" in result.stdout


def test_two_identical_findings_and_one_entry_hide_one(tmp_path, monkeypatch):
    app = make_app(tmp_path / "app", "payouts")
    monkeypatch.chdir(tmp_path)
    cli("--write-baseline", "baseline.json", "app")
    make_app(app, "payouts", "payouts_again")
    result = cli("--baseline", "baseline.json", "app")
    assert codes(result.stdout) == ["SPL101"] and ":7:" in result.stdout.splitlines()[0]
    cli("--write-baseline", "baseline.json", "app")
    counts = [e["count"] for e in json.loads((tmp_path / "baseline.json").read_text())["findings"]]
    assert counts == [2, 1]  # both payouts calls, then the unused customer_read


def test_stale_entries_are_reported_in_one_line(tmp_path, monkeypatch):
    app = make_app(tmp_path / "app", "invoices", "payouts")
    monkeypatch.chdir(tmp_path)
    cli("--write-baseline", "baseline.json", "app")
    make_app(app, "invoices", declared=("customer_read", "payout_read"))
    result = cli("--baseline", "baseline.json", "app")
    assert result.stderr == (
        "stripe-perm-lint: 1 entry in the baseline baseline.json matched no finding; refresh it with --write-baseline baseline.json\n"
    )
    # payout_read is declared and unused now: a new finding, not hidden.
    assert codes(result.stdout) == ["SPL102"]


def test_paths_are_relative_to_the_baseline_file_not_the_working_folder(tmp_path, monkeypatch):
    make_app(tmp_path / "repo/apps/desk", "invoices")
    (tmp_path / "repo/ci").mkdir()
    monkeypatch.chdir(tmp_path / "repo/apps")
    cli("--write-baseline", "../ci/baseline.json", "desk")
    entries = json.loads((tmp_path / "repo/ci/baseline.json").read_text())["findings"]
    assert {e["path"] for e in entries} == {"../apps/desk/src/views/View.tsx", "../apps/desk/stripe-app.json"}
    monkeypatch.chdir(tmp_path / "repo/apps/desk")
    result = cli("--baseline", "../../ci/baseline.json", ".")
    assert result.exit_code == 0 and codes(result.stdout) == []


def test_writing_is_deterministic_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    make_app(tmp_path / "app", "payouts", "invoices")
    monkeypatch.chdir(tmp_path)
    cli("--write-baseline", "baseline.json", "app")
    first = (tmp_path / "baseline.json").read_bytes()
    cli("--baseline", "baseline.json", "--write-baseline", "baseline.json", "app")  # refresh in place
    assert (tmp_path / "baseline.json").read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app", "baseline.json"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (None, "cannot read the baseline {path}: no such file"),
        ("folder", "cannot read the baseline {path}: not a regular file"),
        ("{not json", "the baseline {path} is not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)"),
        ('{"version": 2, "findings": []}', "{path} is not a version 1 stripe-perm-lint baseline; write a new one with --write-baseline"),
        ('{"version": 1, "findings": {}}', "{path} is not a version 1 stripe-perm-lint baseline; write a new one with --write-baseline"),
        (
            '{"version": 1, "findings": [{"code": "SPL101", "path": "a", "subject": "b", "count": 0}]}',
            "the baseline {path}: entry 1 needs code, path and subject (strings), permission (a string or null) and count (a positive whole number)",
        ),
    ],
)
def test_a_baseline_that_cannot_be_used_is_one_line_and_exit_2(tmp_path, monkeypatch, text, error):
    make_app(tmp_path / "app", "invoices")
    monkeypatch.chdir(tmp_path)
    if text == "folder":
        (tmp_path / "baseline.json").mkdir()
    elif text is not None:
        (tmp_path / "baseline.json").write_text(text, encoding="utf-8")
    result = cli("--baseline", "baseline.json", "app")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "stripe-perm-lint: error: " + error.format(path="baseline.json") + "\n"


def test_a_baseline_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, monkeypatch):
    make_app(tmp_path / "app", "invoices")
    monkeypatch.chdir(tmp_path)
    result = cli("--write-baseline", "missing/baseline.json", "app")
    assert result.exit_code == 2
    assert result.stderr == "stripe-perm-lint: error: cannot write the baseline missing/baseline.json: folder missing does not exist\n"
