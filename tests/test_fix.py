"""`--fix`, `--unsafe-fixes`, `--diff` and `init`: the manifest brought in line with the code,
every byte the fix is not about kept, and nothing written that should not be."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from stripe_perm_lint.cli import main
from stripe_perm_lint.jsonpos import parse_json
from stripe_perm_lint.manifest_edit import EditError, PermissionEdit, edit_manifest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
MANIFESTS = sorted(p for p in FIXTURES.glob("*/stripe-app.*") if p.name in ("stripe-app.json", "stripe-app.yaml"))
VIEW = (
    "import Stripe from 'stripe';\n"
    "import {createHttpClient, STRIPE_API_KEY} from '@stripe/ui-extension-sdk/http_client';\n\n"
    "const stripe = new Stripe(STRIPE_API_KEY, {httpClient: createHttpClient(), apiVersion: '2023-10-16'});\n\n"
    "export const load = () => stripe.invoices.list({status: 'open'});\n"
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def app(tmp_path: Path, manifest: str, name: str = "stripe-app.json", view: str = VIEW) -> Path:
    root = tmp_path / "app"
    (root / "src" / "views").mkdir(parents=True)
    (root / name).write_bytes(manifest.encode("utf-8"))
    (root / "src" / "views" / "Invoices.tsx").write_text(view, encoding="utf-8")
    return root


def test_nothing_to_fix_leaves_every_fixture_manifest_byte_identical():
    assert MANIFESTS
    for path in MANIFESTS:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        assert edit_manifest(path.name, text, PermissionEdit()) == text, path


def test_fixing_the_demo_app_adds_only_the_missing_entry(tmp_path, monkeypatch):
    root = tmp_path / "demo"
    shutil.copytree(FIXTURES / "demo-app", root)
    before = (root / "stripe-app.json").read_text()
    monkeypatch.chdir(tmp_path)
    result = run("--fix", "demo")
    assert result.exit_code == 0, result.output
    assert "SPL101" not in result.output
    after = (root / "stripe-app.json").read_text()
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("+ ", "- ")]
    assert diff == ['+     },', '+     {', '+       "permission": "invoice_read",',
                    '+       "purpose": "Read invoices: stripe.invoices.list() in InvoiceListView.tsx"']
    assert "drafted purpose, review it" in result.stderr and "fixed demo/stripe-app.json: added 1" in result.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").is_file()))
def test_fixing_any_fixture_then_relinting_reports_no_missing_permission(name, tmp_path, monkeypatch):
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root, symlinks=True)
    monkeypatch.chdir(root)
    header = [line for line in (root / "expected.txt").read_text().splitlines() if line.startswith("# args:")]
    args = [a for line in header for a in line[len("# args:"):].split()]
    result = run("check", *args, "--fix", ".")
    assert result.exit_code in (0, 1), result.output
    refused = "not fixed" in result.stderr
    missing = [line for line in result.output.splitlines() if re.search(r":\d+:\d+: SPL101 ", line)]
    assert not missing or refused, result.output


def test_diff_prints_the_change_writes_nothing_and_exits_1(tmp_path, monkeypatch):
    root = app(tmp_path, json.dumps({"id": "a", "version": "1.0.0", "name": "A", "icon": "", "permissions": []}, indent=2))
    before = (root / "stripe-app.json").read_bytes()
    monkeypatch.chdir(tmp_path)
    result = run("--diff", "app")
    assert result.exit_code == 1
    assert result.output.startswith("--- a/app/stripe-app.json\n+++ b/app/stripe-app.json\n")
    assert '+      "permission": "invoice_read",' in result.output
    assert (root / "stripe-app.json").read_bytes() == before
    run("--fix", "app")
    assert run("--diff", "app").exit_code == 0  # nothing left to change


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        # tabs, CRLF, no final newline, an unknown key, one-line entries
        ('{\r\n\t"id": "a",\r\n\t"x-team": {"owner": "billing"},\r\n\t"permissions": [\r\n'
         '\t\t{"permission": "payout_read", "purpose": "Show payouts"}\r\n\t]\r\n}',
         '{\r\n\t"id": "a",\r\n\t"x-team": {"owner": "billing"},\r\n\t"permissions": [\r\n'
         '\t\t{"permission": "payout_read", "purpose": "Show payouts"},\r\n'
         '\t\t{"permission": "invoice_read", "purpose": "Read invoices: stripe.invoices.list() in Invoices.tsx"}\r\n\t]\r\n}'),
        # four spaces, an empty list
        ('{\n    "id": "a",\n    "permissions": []\n}\n',
         '{\n    "id": "a",\n    "permissions": [\n        {\n            "permission": "invoice_read",\n'
         '            "purpose": "Read invoices: stripe.invoices.list() in Invoices.tsx"\n        }\n    ]\n}\n'),
        # no list at all: a new last member
        ('{\n  "id": "a",\n  "name": "A"\n}',
         '{\n  "id": "a",\n  "name": "A",\n  "permissions": [\n    {\n      "permission": "invoice_read",\n'
         '      "purpose": "Read invoices: stripe.invoices.list() in Invoices.tsx"\n    }\n  ]\n}'),
    ],
)
def test_json_formatting_is_kept(manifest, expected, tmp_path, monkeypatch):
    root = app(tmp_path, manifest)
    monkeypatch.chdir(tmp_path)
    run("--fix", "app")
    assert (root / "stripe-app.json").read_bytes().decode() == expected


def test_yaml_comments_and_layout_are_kept(tmp_path, monkeypatch):
    manifest = (
        "id: com.example.app  # the app's id\nversion: 1.0.0\nname: Example\nicon: \"\"\n"
        "# what the app may read\npermissions:\n  - permission: payout_read\n    purpose: Show payouts  # shown to installers\n"
        "extensions: []\n"
    )
    root = app(tmp_path, manifest, name="stripe-app.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("--fix", "--unsafe-fixes", "app")
    assert result.exit_code == 0, result.output
    assert (root / "stripe-app.yaml").read_text() == (
        "id: com.example.app  # the app's id\nversion: 1.0.0\nname: Example\nicon: \"\"\n"
        "# what the app may read\npermissions:\n"
        "  - permission: invoice_read\n    purpose: 'Read invoices: stripe.invoices.list() in Invoices.tsx'\n"
        "extensions: []\n"
    )


def test_unsafe_fixes_remove_unused_narrow_writes_and_respect_keep_and_suppressions(tmp_path, monkeypatch):
    manifest = json.dumps({"id": "a", "version": "1.0.0", "name": "A", "icon": "", "permissions": [
        {"permission": "invoice_write", "purpose": "Show open invoices"},
        {"permission": "payout_read", "purpose": "Show payouts"},
        {"permission": "balance_read", "purpose": "Show the balance"},
    ]}, indent=2)
    root = app(tmp_path, manifest)
    (root / "stripe-perm-lint.toml").write_text('[keep]\nbalance_read = "read by the payouts worker in another repo"\n')
    monkeypatch.chdir(tmp_path)
    assert run("--fix", "app").exit_code == 0
    assert json.loads((root / "stripe-app.json").read_text())["permissions"][1]["permission"] == "payout_read"  # safe: kept
    result = run("--fix", "--unsafe-fixes", "app")
    assert result.exit_code == 0, result.output
    names = [p["permission"] for p in json.loads((root / "stripe-app.json").read_text())["permissions"]]
    assert names == ["invoice_read", "balance_read"]  # narrowed, payout_read removed, the kept one stays


def test_a_manifest_that_does_not_parse_is_not_touched(tmp_path, monkeypatch):
    root = app(tmp_path, '{"id": "a", "permissions": [,]}')
    before = (root / "stripe-app.json").read_bytes()
    monkeypatch.chdir(tmp_path)
    result = run("--fix", "app")
    assert (root / "stripe-app.json").read_bytes() == before
    assert result.exit_code == 1 and "SPL001" in result.output


def test_a_manifest_changed_on_disk_meanwhile_is_refused(tmp_path, monkeypatch):
    import stripe_perm_lint.fixes as fixes

    root = app(tmp_path, json.dumps({"id": "a", "version": "1.0.0", "name": "A", "icon": "", "permissions": []}))
    real = fixes.edit_manifest

    def edit_while_someone_saves(name, text, edit):
        (root / "stripe-app.json").write_text(text.replace('"A"', '"B"'))  # an editor saves meanwhile
        return real(name, text, edit)

    monkeypatch.setattr(fixes, "edit_manifest", edit_while_someone_saves)
    monkeypatch.chdir(tmp_path)
    result = run("--fix", "app")
    assert "not fixed: it changed on disk while it was being fixed" in result.stderr
    assert '"B"' in (root / "stripe-app.json").read_text()  # the editor's save is what remains


def test_file_mode_and_byte_order_mark_are_kept(tmp_path, monkeypatch):
    root = app(tmp_path, "\ufeff" + json.dumps({"id": "a", "version": "1.0.0", "name": "A", "icon": "", "permissions": []}))
    os.chmod(root / "stripe-app.json", 0o640)
    monkeypatch.chdir(tmp_path)
    run("--fix", "app")
    data = (root / "stripe-app.json").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"invoice_read" in data
    assert (root / "stripe-app.json").stat().st_mode & 0o777 == 0o640


def test_init_writes_or_prints_the_permission_list(tmp_path, monkeypatch):
    root = app(tmp_path, json.dumps({"id": "a", "version": "1.0.0", "name": "A", "icon": ""}, indent=2) + "\n")
    monkeypatch.chdir(tmp_path)
    printed = run("init", "--print", "--purpose-prefix", "TODO: ", "app")
    assert json.loads(printed.output) == [
        {"permission": "invoice_read", "purpose": "TODO: Read invoices: stripe.invoices.list() in Invoices.tsx"}
    ]
    assert "permissions" not in (root / "stripe-app.json").read_text()
    assert run("init", "app").exit_code == 0
    assert json.loads((root / "stripe-app.json").read_text())["permissions"][0]["permission"] == "invoice_read"
    again = run("init", "app")
    assert again.exit_code == 2 and "already declares 1 permissions; run `stripe-perm-lint --fix` instead" in again.stderr


def test_replacing_every_entry_gives_a_well_formed_list():
    text = '{\n  "permissions": [\n    {"permission": "secret_write", "purpose": "Keep settings"}\n  ],\n  "ui": {}\n}\n'
    out = edit_manifest("stripe-app.json", text, PermissionEdit(add=(("payout_read", "Read payouts"),),
                                                                 remove=frozenset({"secret_write"})))
    assert json.loads(out) == {"permissions": [{"permission": "payout_read", "purpose": "Read payouts"}], "ui": {}}
    assert out.endswith('  ],\n  "ui": {}\n}\n')


def test_an_edit_of_a_list_that_is_not_a_list_is_refused():
    with pytest.raises(EditError):
        edit_manifest("stripe-app.json", '{"permissions": {"a": 1}}', PermissionEdit(add=(("x_read", "Read x"),)))


_INDENTS = st.sampled_from(["  ", "    ", "\t"])


@settings(max_examples=40, deadline=None, derandomize=True)
@given(indent=_INDENTS, crlf=st.booleans(), final_newline=st.booleans(), one_line=st.booleans(),
       declared=st.lists(st.sampled_from(["customer_read", "payout_read", "charge_write", "invoice_read"]),
                         unique=True, max_size=4),
       added=st.lists(st.sampled_from(["refund_read", "dispute_read", "product_read"]), unique=True, min_size=1,
                      max_size=3),
       drop=st.sets(st.sampled_from(["customer_read", "payout_read", "charge_write", "invoice_read"])))
def test_adding_and_removing_keeps_everything_outside_the_list(indent, crlf, final_newline, one_line, declared, added,
                                                               drop):
    body = {"id": "com.example.app", "x-unknown": [1, {"nested": True}],
            "permissions": [{"permission": p, "purpose": f"Why {p}"} for p in declared], "ui_extension": {"views": []}}
    text = json.dumps(body, indent=None if one_line else indent)
    if crlf:
        text = text.replace("\n", "\r\n")
    if final_newline:
        text += "\r\n" if crlf else "\n"
    edit = PermissionEdit(add=tuple((p, f"Read {p}") for p in added), remove=frozenset(drop))
    out = edit_manifest("stripe-app.json", text, edit)
    parsed, before = parse_json(out), parse_json(text)
    assert [e["permission"] for e in parsed.value["permissions"]] == [p for p in declared if p not in drop] + added
    assert {k: v for k, v in parsed.value.items() if k != "permissions"} == \
        {k: v for k, v in before.value.items() if k != "permissions"}
    start, end = before.spans[("permissions",)]
    new_start, new_end = parsed.spans[("permissions",)]
    assert out[:new_start] == text[:start] and out[new_end:] == text[end:]  # not one byte outside the list
    assert ("\r\n" in out) == ("\r\n" in text)  # line endings kept
    assert ("\n" in out) == ("\n" in text)  # a one-line file stays on one line
