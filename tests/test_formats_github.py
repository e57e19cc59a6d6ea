"""`--format github`: one workflow command per finding, with file, line, column and title, and the
escaping GitHub's toolkit applies, so a message can never start a command of its own."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from format_helpers import DEMO, DUPLICATES, INFO, REPO, app_with_broken_link, every_fixture, finding, lint, report_of
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.report.github import render_github


def test_the_demo_app_gives_one_annotation_per_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = lint("--format", "github", "fixtures/demo-app")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=fixtures/demo-app/src/views/InvoiceListView.tsx,line=12,col=5,title=SPL101 missing-permission::"
        "`stripe.invoices.list()` needs `invoice_read` (or `invoice_write`), which stripe-app.json does not declare; "
        'fix: stripe apps grant permission invoice_read "PURPOSE"',
        "::warning file=fixtures/demo-app/stripe-app.json,line=13,col=21,title=SPL102 unused-permission::"
        "`payout_read` is declared but no code in this app needs it",
    ]


def test_every_fixture_gives_exactly_one_line_per_finding() -> None:
    lines = every_fixture("github").splitlines()
    findings = [f for app in json.loads(every_fixture("json"))["apps"] for f in app["findings"]]
    assert len(lines) == len(findings) > 100
    commands = {"error": "::error ", "warning": "::warning ", "info": "::notice "}
    assert sorted(l.split(" ", 1)[0] + " " for l in lines) == sorted(commands[f["severity"]] for f in findings)
    assert all(f",title={f['code']} {f['rule']}::" in "\n".join(lines) for f in findings)


def test_info_is_a_notice_and_related_places_are_notes_in_the_body(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INFO)
    assert any(l.startswith("::notice file=server/index.ts,line=10,col=26,title=SPL105 platform-account-call::")
               for l in lint("--format", "github", ".").stdout.splitlines())
    monkeypatch.chdir(DUPLICATES)
    (duplicate,) = [l for l in lint("--format", "github", ".").stdout.splitlines() if "SPL003" in l]
    assert duplicate == (
        "::warning file=stripe-app.json,line=25,col=21,title=SPL003 duplicate-permission::"
        "`payment_intent_read` is already declared at line 17%0Anote: stripe-app.json:17:21: first declared here"
    )


def test_a_finding_about_a_whole_file_has_no_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(app_with_broken_link(tmp_path))
    assert lint("--format", "github", ".").stdout == (
        "::warning file=src/gone.ts,title=SPL901 unparsable-file::skipped: broken symbolic link\n"
    )


def test_properties_and_data_are_escaped_as_github_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    message = "100% sure:\r\n::error::injected, \x1b[31mred"
    reports = report_of(tmp_path, finding("src/a,b:c%d.ts", 2, message, Severity.INFO, column=7))
    out = io.StringIO()
    render_github(reports, out)
    assert out.getvalue() == (
        "::notice file=src/a%2Cb%3Ac%25d.ts,line=2,col=7,title=SPL105 platform-account-call::"
        "100%25 sure:%0D%0A::error::injected, \\x1b[31mred\n"
    )
    assert out.getvalue().count("\n") == 1


def test_the_demo_app_from_inside_uses_paths_relative_to_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO / "src")
    lines = lint("--format", "github", "..").stdout.splitlines()
    assert [l.split(",", 1)[0] for l in lines] == ["::warning file=../stripe-app.json", "::error file=views/InvoiceListView.tsx"]
