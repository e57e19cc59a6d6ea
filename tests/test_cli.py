"""The command line as a user meets it: exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from stripe_perm_lint.cli import main

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

DEMO = FIXTURES / "demo-app"


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "stripe_perm_lint", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_json_lists_untraced_clients_once_each_with_their_uses(monkeypatch):
    monkeypatch.chdir(FIXTURES / "untraced-clients")
    result = CliRunner().invoke(main, ["--format", "json", "."])
    app = json.loads(result.output)["apps"][0]
    assert app["untraced_clients"] == [
        {"path": "backend/billing/reconcile.py", "line": 3, "column": 35, "origin": "import",
         "name": "platform_client", "source": "shared.stripe_clients", "uses": 1},
        {"path": "backend/billing/reconcile.py", "line": 6, "column": 19, "origin": "parameter",
         "name": "stripe_api", "source": "", "uses": 1},
        {"path": "src/views/CustomerView.tsx", "line": 3, "column": 10, "origin": "import",
         "name": "stripe", "source": "@acme/billing-kit", "uses": 3},  # also ProfileCard.tsx, as `billing`
        {"path": "src/views/CustomerView.tsx", "line": 4, "column": 10, "origin": "import",
         "name": "client", "source": "@acme/payments-core", "uses": 1},
    ]
    # The app's own `crm.customers.find()` and the backend's `db.customers.find()` are no clients.
    assert not any(u["name"] in ("crm", "db") for u in app["untraced_clients"])
    # The inferred call keeps its confidence; the uncounted ones make SPL102 say so.
    unused = [f for f in app["findings"] if f["code"] == "SPL102"]
    assert [f["permission"] for f in unused] == ["invoice_read", "payout_read"]
    assert [f["message"].split("; ", 1)[1] for f in unused] == [
        "1 untraced client may need it: `client` from `@acme/payments-core`",
        "1 untraced client may need it: parameter `stripe_api`",
    ]


def test_json_untraced_clients_empty_when_every_client_is_traced(monkeypatch):
    monkeypatch.chdir(DEMO)
    result = CliRunner().invoke(main, ["--format", "json", "."])
    assert json.loads(result.output)["apps"][0]["untraced_clients"] == []


def test_demo_app_exits_1_with_missing_and_unused():
    result = run(str(DEMO))
    assert result.returncode == 1, result.stderr
    assert " SPL101 " in result.stdout and " SPL102 " in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Checked 1 app: 1 error")


def test_json_shape_is_stable(monkeypatch):
    monkeypatch.chdir(DEMO)
    result = CliRunner().invoke(main, ["--format", "json", "."])
    data = json.loads(result.output)
    assert data["version"] == 1 and len(data["apps"]) == 1
    app = data["apps"][0]
    assert list(app) == ["root", "manifest", "declared", "required", "findings", "not_analysed", "untraced_clients",
                         "vendored_sdks"]
    assert app["root"] == "." and app["manifest"] == "stripe-app.json"
    assert app["declared"] == sorted(app["declared"]) and app["required"] == sorted(app["required"])
    for finding in app["findings"]:
        assert list(finding) == ["code", "rule", "severity", "permission", "path", "line", "column", "message", "confidence", "related"]
    missing = {f["permission"] for f in app["findings"] if f["rule"] == "missing-permission"}
    unused = {f["permission"] for f in app["findings"] if f["rule"] == "unused-permission"}
    assert missing <= set(app["required"]) and not missing & set(app["declared"])
    assert unused <= set(app["declared"]) and not unused & set(app["required"])


def test_output_is_byte_identical_across_runs():
    first, second = run("--format", "json", str(FIXTURES)), run("--format", "json", str(FIXTURES))
    assert first.stdout == second.stdout and first.stdout


def test_paths_are_relative_to_where_the_command_runs():
    result = run("demo-app", cwd=FIXTURES)
    assert all(l.startswith("demo-app/") for l in result.stdout.splitlines()[:-1])


def test_usage_errors_exit_2_with_one_line_and_no_traceback(tmp_path):
    for args in (["/no/such/folder"], [str(tmp_path)], ["--format", "xml", str(DEMO)], ["explain", "SPL999"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_no_app_found_message(tmp_path):
    result = run(str(tmp_path))
    assert result.stderr.strip() == f"stripe-perm-lint: error: no stripe-app.json or stripe-app.yaml found under {tmp_path}"


def test_explain_and_rules():
    result = run("explain", "missing-permission")
    assert result.returncode == 0 and result.stdout.startswith("SPL101 missing-permission (error)")
    assert "## Fix" in result.stdout
    listing = run("rules").stdout.splitlines()  # the repo's `rules` folder holds no app: the command runs
    assert listing[0].startswith("SPL001") and any(l.startswith("SPL101  missing-permission") for l in listing)


def test_catalog_coverage_command():
    result = run("catalog", "--coverage")
    assert result.returncode == 0 and result.stdout.strip()


def test_platform_calls_option_counts_backend_calls():
    folder = FIXTURES / "platform-calls-backend"
    info = run(str(folder)).stdout
    counted = run("--platform-calls", "count", str(folder)).stdout
    assert " SPL105 " in info and " SPL105 " not in counted


def test_hostile_inputs_are_reported_and_the_run_goes_on(tmp_path):
    app = tmp_path / "app"
    (app / "src" / "views").mkdir(parents=True)
    (app / "stripe-app.json").write_text(
        '{"id": "x", "version": "1", "name": "X", "icon": "", '
        '"permissions": [{"permission": "customer_read", "purpose": "List the customers"}]}'
    )
    (app / "src" / "views" / "View.tsx").write_text(
        "\ufeffimport Stripe from 'stripe';\n"
        "import {createHttpClient, STRIPE_API_KEY} from '@stripe/ui-extension-sdk/http_client';\n"
        "const stripe = new Stripe(STRIPE_API_KEY, {httpClient: createHttpClient()});\n"
        "stripe.customers.list();\n"
    )
    (app / "src" / "logo.ts").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (app / "src" / "bundle.js").write_text("x = 1;\n" * 400_000)  # over the 2 MiB limit
    (app / "src" / "deep.ts").write_text("const a = " + "[" * 3000 + "]" * 3000 + ";\n")
    (app / "src" / "legacy.py").write_bytes("# caf\xe9\nimport stripe\n".encode("latin-1"))
    (app / "src" / "loop").symlink_to(app / "src")
    result = run("--format", "json", str(app))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    findings = json.loads(result.stdout)["apps"][0]["findings"]
    by_file = {f["path"].rsplit("/", 1)[-1]: f["message"] for f in findings if f["code"] == "SPL901"}
    assert by_file["logo.ts"] == "skipped: binary content (NUL bytes)"
    assert by_file["bundle.js"] == "skipped: larger than 2 MiB"
    assert by_file["legacy.py"].startswith("not valid UTF-8")
    assert not [f for f in findings if f["code"] in ("SPL101", "SPL102")]  # customers.list still seen
