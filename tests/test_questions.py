"""The questions users ask: `why PERMISSION`, `catalog lookup`, and the consent delta `diff`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from stripe_perm_lint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(FIXTURES / "demo-app")
    return FIXTURES / "demo-app"


def test_why_lists_the_call_a_missing_permission_would_meet(demo):
    result = run("why", "invoice_read")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        ".: `invoice_read` is not declared in stripe-app.json",
        "  it meets 1 need (1 counted, 0 on the platform's own account):",
        "    src/views/InvoiceListView.tsx:12:5: `stripe.invoices.list()` needs read, met directly",
        "      also met by: `invoice_write`",
    ]


def test_why_says_when_nothing_needs_a_declared_permission(demo):
    assert run("why", "payout_read").output.splitlines() == [
        ".: `payout_read` is declared in stripe-app.json",
        "  nothing in this app needs it; SPL102 reports it as unused",
    ]


def test_why_shows_implied_and_platform_needs(monkeypatch):
    monkeypatch.chdir(FIXTURES / "redundant-permissions")
    out = run("why", "quote_read").output
    assert "`stripe.products.list()` needs read, met through what it implies (`product_read`)" in out
    assert "also met by: `product_read` (declared), `product_write`" in out
    monkeypatch.chdir(FIXTURES / "platform-calls-backend")
    out = run("why", "product_read").output
    assert "it meets 1 need (0 counted, 1 on the platform's own account):" in out
    assert "`stripe.products.list()` needs read, met directly; acts on the platform's own account" in out


def test_why_rejects_an_unknown_permission_with_a_suggestion(demo):
    result = run("why", "custmer_read")
    assert result.exit_code == 2
    assert "unknown permission 'custmer_read'; did you mean 'customer_read'?" in result.output


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("customers.list", "needs (read): one of `customer_read`, `customer_write`; recommended `customer_read`"),
        ("stripe.customers.list", "endpoint GET /v1/customers (returns list of `customer`)"),
        ("Customer.list", "stripe-python legacy `Customer.list`"),
        ("GET /v1/customers/cus_123", "endpoint GET /v1/customers/{customer} (returns object of `customer`)"),
        ("get https://api.stripe.com/v1/invoices", "endpoint GET /v1/invoices"),
        ("customer.subscription.updated", "recommended: `subscription_read`"),
        ("balance_transaction_source_read", "implies: `payout_read` (current-page)"),
        ("POST /v1/account_sessions", "needs: no app permission allows it"),
    ],
)
def test_catalog_lookup_answers_each_kind_of_question(query, expected):
    result = run("catalog", "lookup", query)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_catalog_lookup_of_an_unknown_name_is_a_usage_error():
    result = run("catalog", "lookup", "customers.frobnicate")
    assert result.exit_code == 2 and "knows no SDK method, endpoint, event or permission" in result.output


def test_catalog_without_a_subcommand_still_summarises():
    result = run("catalog")
    assert result.exit_code == 0 and "operations" in result.output and "permission names" in result.output


def manifest(tmp: Path, name: str, permissions: dict[str, str], access: str | None = None) -> Path:
    body = {"id": "com.example.app", "version": "1.0.0", "name": "Example",
            "permissions": [{"permission": p, "purpose": why} for p, why in permissions.items()]}
    if access:
        body["stripe_api_access_type"] = access
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=2) + "\n")
    return path


def test_diff_of_two_manifests(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    manifest(tmp_path, "old/stripe-app.json", {"customer_read": "Show customers", "payout_read": "Show payouts"})
    manifest(tmp_path, "new/stripe-app.json", {"customer_read": "Show the customer", "invoice_read": "List invoices"},
             access="oauth")
    result = run("diff", "old/stripe-app.json", "new/stripe-app.json")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Permissions: old/stripe-app.json -> new/stripe-app.json",
        "  added invoice_read",
        "  removed payout_read",
        '  purpose of customer_read: "Show customers" → "Show the customer"',
        "  `stripe_api_access_type`: platform → oauth",
        "",
        "Installed users will be asked to re-authorize the app when this version is released (the permission "
        "scope changes).",
    ]
    data = json.loads(run("diff", "--format", "json", "old/stripe-app.json", "new/stripe-app.json").output)
    assert data["added"] == ["invoice_read"] and data["removed"] == ["payout_read"] and data["reauthorize"] is True
    assert data["access_type"] == ["platform", "oauth"]


def test_diff_markdown_for_a_pr_comment_and_no_change(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    manifest(tmp_path, "a/stripe-app.json", {"customer_read": "Show customers"})
    manifest(tmp_path, "b/stripe-app.json", {"customer_read": "Show customers", "charge_write": "Refund"})
    out = run("diff", "--format", "markdown", "a/stripe-app.json", "b/stripe-app.json").output
    assert out.startswith("### Permission changes: a/stripe-app.json → b/stripe-app.json\n- added `charge_write`\n")
    same = run("diff", "a/stripe-app.json", "a/stripe-app.json").output
    assert "No permission changes: installed users are upgraded without a prompt." in same


def test_diff_reports_a_broken_or_missing_manifest_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stripe-app.json").write_text('{"permissions": [')
    result = run("diff", "stripe-app.json", "nope.json")
    assert result.exit_code == 2 and "stripe-app.json:1:" in result.output and "Traceback" not in result.output
    manifest(tmp_path, "ok/stripe-app.json", {})
    result = run("diff", "ok/stripe-app.json", "nope.json")
    assert result.exit_code == 2 and "nope.json: no such manifest file" in result.output
    assert run("diff", "ok/stripe-app.json").exit_code == 2


def test_diff_against_a_git_ref(tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@e", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})

    git("init", "-q")
    (tmp_path / "README").write_text("app\n")
    git("add", "README")
    git("commit", "-qm", "before the app")
    manifest(tmp_path, "app/stripe-app.json", {"customer_read": "Show customers"})
    git("add", "app")
    git("commit", "-qm", "app")
    manifest(tmp_path, "app/stripe-app.json", {"customer_read": "Show customers", "refund_write": "Refund"})
    monkeypatch.chdir(tmp_path)
    out = run("diff", "--base", "HEAD", "app").output
    assert out.splitlines()[:2] == ["Permissions: HEAD:app/stripe-app.json -> app/stripe-app.json", "  added refund_write"]
    first = run("diff", "--base", "HEAD~1", "app/stripe-app.json").output  # the app did not exist yet
    assert "added customer_read" in first and "added refund_write" in first
    bad = run("diff", "--base", "no-such-ref", "app")
    assert bad.exit_code == 2 and "--base no-such-ref: no such commit" in bad.output
