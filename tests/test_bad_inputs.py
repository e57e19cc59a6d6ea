"""The bad-input matrix: every odd manifest, source file and path a real repository can hold.

Each case builds a small app (a manifest that declares `customer_read` and a view that lists
customers, so the base app has no finding), changes one thing, lints it as the CLI does, and
states the exact findings and exit code. The run must never crash, hang or print a traceback.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from stripe_perm_lint.cli import main

MANIFEST = '{\n  "id": "com.example.matrix", "name": "Matrix", "icon": "",\n  "version": "0.0.1",\n  "permissions": [\n    {"permission": "customer_read", "purpose": "List customers"}\n  ]\n}\n'
YAML_MANIFEST = (
    "id: com.example.matrix\nversion: 0.0.1\ndeclarations:\n  stripe_api_access:\n    permissions:\n"
    "      - permission: customer_read\n        purpose: List customers\nname: Matrix\nextensions: []\n"
)
VIEW = (
    "import Stripe from 'stripe';\n"
    "import {createHttpClient, STRIPE_API_KEY} from '@stripe/ui-extension-sdk/http_client';\n"
    "const stripe = new Stripe(STRIPE_API_KEY, {httpClient: createHttpClient()});\n"
    "export const load = () => stripe.customers.list();\n"
)
BACKEND = "import stripe\n\n\ndef customers(account):\n    return stripe.Customer.list(stripe_account=account)\n"
VIEW_PATH = "src/views/View.tsx"


def build(tmp_path: Path, files: dict[str, str | bytes], manifest: str | None = "stripe-app.json") -> Path:
    """The base app plus ``files`` (a value of None deletes a base file)."""
    app = tmp_path / "app"
    base: dict[str, str | bytes | None] = {VIEW_PATH: VIEW}
    if manifest:
        base[manifest] = MANIFEST if manifest.endswith(".json") else YAML_MANIFEST
    base.update(files)
    for rel, content in base.items():
        if content is None:
            continue
        path = app / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return app


def lint(*args: str):
    """(exit code, [(code, path, line, column, message)], stderr) of one JSON run."""
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if not result.stdout:  # a usage error, or nothing to lint
        return result.exit_code, [], result.stderr
    apps = json.loads(result.stdout)["apps"]
    findings = [(f["code"], Path(f["path"]).name, f["line"], f["column"], f["message"]) for a in apps for f in a["findings"]]
    return result.exit_code, findings, result.stderr


def nested(open_: str, close: str, depth: int = 10_000) -> str:
    return open_ * depth + close * depth


# name -> (files to add or replace, manifest file name, exit code, findings as (code, file, line, column, message))
MANIFEST_CASES = {
    "json comment": (
        {"stripe-app.json": MANIFEST.replace('  "version"', '  // draft\n  "version"')}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 3, 3, "stripe-app.json: invalid JSON: comments are not allowed in JSON")],
    ),
    "json trailing comma": (
        {"stripe-app.json": MANIFEST.replace('"List customers"}', '"List customers"},')}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 6, 3, "stripe-app.json: invalid JSON: trailing comma before `]`")],
    ),
    "json truncated": (
        {"stripe-app.json": MANIFEST[:90]}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 4, 3, "stripe-app.json: invalid JSON: unterminated string")],
    ),
    "json with a byte order mark": ({"stripe-app.json": "\ufeff" + MANIFEST}, "stripe-app.json", 0, []),
    "json duplicate key": (
        {"stripe-app.json": MANIFEST.replace('  "version"', '  "permissions": [],\n  "version"')}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 5, 3,
          "stripe-app.json: duplicate key `permissions`: only its last value counts, the earlier one is ignored")],
    ),
    "json permissions as a string": (
        {"stripe-app.json": '{"id": "com.example.matrix", "permissions": "customer_read"}'}, "stripe-app.json", 1,
        [("SPL101", "View.tsx", 4, 27, "`stripe.customers.list()` needs `customer_read` (or `customer_write`), which "
          "stripe-app.json does not declare; fix: stripe apps grant permission customer_read \"PURPOSE\""),
         ("SPL001", "stripe-app.json", 1, 45, "stripe-app.json: `permissions` must be a list")],
    ),
    "json entries without a name, numbers and nulls": (
        {"stripe-app.json": '{"permissions": [{"purpose": "x"}, 3, null, {"permission": 7},\n'
                            ' {"permission": "customer_read", "purpose": "List customers"}]}'}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 1, 18, "stripe-app.json: a permissions entry needs a `permission` name"),
         ("SPL001", "stripe-app.json", 1, 36, "stripe-app.json: a permissions entry needs a `permission` name"),
         ("SPL001", "stripe-app.json", 1, 39, "stripe-app.json: a permissions entry needs a `permission` name"),
         ("SPL001", "stripe-app.json", 1, 45, "stripe-app.json: a permissions entry needs a `permission` name")],
    ),
    "json not an object": (
        {"stripe-app.json": '["customer_read"]'}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 1, 1, "stripe-app.json: the manifest must be an object")],
    ),
    "empty manifest": (
        {"stripe-app.json": ""}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 1, 1, "stripe-app.json: the manifest is empty")],
    ),
    "json nested 10,000 deep": (
        {"stripe-app.json": '{"id": "x", "extra": ' + nested("[", "]") + "}"}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 1, 85, "stripe-app.json: invalid JSON: nested more than 64 levels deep")],
    ),
    "json over 1 MiB": (
        {"stripe-app.json": MANIFEST[:-2] + ', "pad": "' + "x" * (1024 * 1024) + '"}'}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 0, 0, "stripe-app.json: the manifest is larger than 1024 KiB, so it is not read")],
    ),
    "json in UTF-16": (
        {"stripe-app.json": MANIFEST.encode("utf-16")}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 1, 1, "stripe-app.json: the manifest is UTF-16; Stripe reads manifests as UTF-8")],
    ),
    "json in Latin-1": (
        {"stripe-app.json": MANIFEST.replace("List", "Lis\u00e9").encode("latin-1")}, "stripe-app.json", 1,
        [("SPL001", "stripe-app.json", 1, 1, "stripe-app.json: the manifest is not UTF-8 (byte 154)")],
    ),
    "both json and yaml": (
        {"stripe-app.yaml": YAML_MANIFEST}, "stripe-app.json", 0,
        [("SPL005", "stripe-app.yaml", 1, 1,
          "`stripe-app.yaml` is ignored: `stripe-app.json` in the same folder is the manifest checked; keep only one")],
    ),
    "yaml indented with tabs": (
        {"stripe-app.yaml": YAML_MANIFEST.replace("      - permission", "\t- permission")}, "stripe-app.yaml", 1,
        [("SPL001", "stripe-app.yaml", 6, 1, "stripe-app.yaml: invalid YAML: found character '\\t' that cannot start any token")],
    ),
    "yaml with a small anchor and alias": (
        {"stripe-app.yaml": YAML_MANIFEST.replace("purpose: List customers", "purpose: &why List customers")
         + "ui_extension:\n  content_security_policy:\n    purpose: *why\n"}, "stripe-app.yaml", 0, [],
    ),
    "yaml alias bomb": (
        {"stripe-app.yaml": 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
         + "".join(f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
         + YAML_MANIFEST}, "stripe-app.yaml", 1,
        [("SPL001", "stripe-app.yaml", 2, 8, "stripe-app.yaml: invalid YAML: aliases expand the document past "
          "10,000 nodes (an alias bomb?); a manifest needs no aliases")],
    ),
    "yaml alias cycle": (
        {"stripe-app.yaml": "loop: &loop [*loop]\n" + YAML_MANIFEST}, "stripe-app.yaml", 1,
        [("SPL001", "stripe-app.yaml", 1, 14, "stripe-app.yaml: invalid YAML: aliases expand the document past "
          "10,000 nodes (an alias bomb?); a manifest needs no aliases")],
    ),
    "yaml duplicate key": (
        {"stripe-app.yaml": YAML_MANIFEST + "id: com.example.other\n"}, "stripe-app.yaml", 1,
        [("SPL001", "stripe-app.yaml", 10, 1, "stripe-app.yaml: invalid YAML: duplicate key `id`")],
    ),
    "yaml nested 10,000 deep": (
        {"stripe-app.yaml": YAML_MANIFEST + "extra: " + nested("[", "]") + "\n"}, "stripe-app.yaml", 1,
        [("SPL001", "stripe-app.yaml", 10, 71, "stripe-app.yaml: invalid YAML: nested more than 64 levels deep")],
    ),
    "yaml empty document": (
        {"stripe-app.yaml": "# nothing yet\n"}, "stripe-app.yaml", 1,
        [("SPL001", "stripe-app.yaml", 1, 1, "stripe-app.yaml: the manifest must be an object")],
    ),
}


@pytest.mark.parametrize("name", sorted(MANIFEST_CASES))
def test_bad_manifest(name: str, tmp_path: Path) -> None:
    files, manifest, exit_code, findings = MANIFEST_CASES[name]
    app = build(tmp_path, files, manifest)
    assert lint(str(app))[:2] == (exit_code, findings)


DEEP_PY = "table = " + nested("[", "]") + "\n"
LATIN1_PY = "# r\u00e9sum\u00e9 des paiements\n".encode("latin-1") + BACKEND.encode()
MIXED_PY = "# caf\u00e9 \u2014 ".encode() + "na\u00efve\n".encode("latin-1") + BACKEND.encode()
MINIFIED = ";".join(f"var a{i}=function(b){{return b*{i}}}" for i in range(30_000)) + ";" + VIEW.replace("\n", "")

# name -> (files to add or replace, exit code, findings as (code, file, line, column, message))
SOURCE_CASES = {
    "typescript syntax error, calls before it still seen": (
        {VIEW_PATH: VIEW + "export const broken = (x: number => x;\n"}, 0,
        [("SPL901", "View.tsx", 5, 21, "syntax error (unexpected input); facts may be incomplete")],
    ),
    "python syntax error": (
        {"backend/app.py": "def handler(:\n    pass\n"}, 0,
        [("SPL901", "app.py", 1, 13, "syntax error: invalid syntax")],
    ),
    "binary file with a source suffix": (
        {"src/logo.js": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, 0,
        [("SPL901", "logo.js", 1, 1, "skipped: binary content (NUL bytes)")],
    ),
    "python in Latin-1": (
        {"backend/billing.py": LATIN1_PY}, 0,
        [("SPL901", "billing.py", 1, 1, "not valid UTF-8 (byte 3); read as Latin-1")],
    ),
    "mixed encodings in one file": (
        {"backend/billing.py": MIXED_PY}, 0,
        [("SPL901", "billing.py", 1, 1, "not valid UTF-8 (byte 14); read as Latin-1")],
    ),
    "python nested 10,000 deep": (
        {"backend/data.py": DEEP_PY}, 0,
        [("SPL901", "data.py", 1, 209, "brackets nested more than 200 levels deep: not valid Python (CPython "
          "refuses it with 'too many nested parentheses'), so the file is not analysed")],
    ),
    "typescript nested 10,000 deep": ({"src/data.ts": "export const table = " + nested("[", "]") + ";\n"}, 0, []),
    "javascript object nested 5,000 deep": ({"src/data.js": "module.exports = " + "{a:" * 5000 + "1" + "}" * 5000 + ";\n"}, 0, []),
    "minified one-line bundle": ({"src/views/View.tsx": None, "src/bundle.min.js": MINIFIED}, 0, []),
    "paths with spaces and unicode": ({VIEW_PATH: None, "src/views/Caf\u00e9 \u00dcbersicht/View \u03a9.tsx": VIEW}, 0, []),
    "no sources at all": (
        {VIEW_PATH: None}, 0,
        [("SPL102", "stripe-app.json", 5, 20, "`customer_read` is declared but no code in this app needs it")],
    ),
    "tsconfig nested 10,000 deep": (
        {"tsconfig.json": '{"compilerOptions": ' + nested("[", "]") + "}"}, 0,
        [("SPL901", "tsconfig.json", 0, 0, "cannot read it (nested too deeply); its path aliases are not used")],
    ),
}


@pytest.mark.parametrize("name", sorted(SOURCE_CASES))
def test_bad_source(name: str, tmp_path: Path) -> None:
    files, exit_code, findings = SOURCE_CASES[name]
    app = build(tmp_path, files)
    assert lint(str(app))[:2] == (exit_code, findings)


def test_a_50_mb_generated_file_is_skipped_unread(tmp_path: Path) -> None:
    app = build(tmp_path, {})
    with open(app / "src" / "generated.js", "wb") as big:
        big.truncate(50 * 1024 * 1024)
    assert lint(str(app))[:2] == (0, [("SPL901", "generated.js", 1, 1, "skipped: larger than 2 MiB")])


def test_a_named_pipe_with_a_source_suffix_is_not_read(tmp_path: Path) -> None:
    app = build(tmp_path, {})
    os.mkfifo(app / "src" / "pipe.ts")  # reading it would block forever
    assert lint(str(app))[:2] == (0, [("SPL901", "pipe.ts", 1, 1, "skipped: not a regular file")])


def test_symlinks_loop_inside_and_lead_outside(tmp_path: Path) -> None:
    app = build(tmp_path, {})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.ts").write_text("stripe.invoices.list();\n")
    (app / "src" / "loop").symlink_to(app / "src")  # a cycle: never entered
    (app / "src" / "again.tsx").symlink_to(app / VIEW_PATH)  # linted at its real place
    (app / "src" / "shared").symlink_to(outside)
    (app / "src" / "secret.ts").symlink_to(outside / "secret.ts")
    (app / "src" / "gone.ts").symlink_to(tmp_path / "missing.ts")
    hint = "(pass its target with --extra-sources if it is part of the app)"
    assert lint(str(app))[:2] == (0, [
        ("SPL901", "gone.ts", 0, 0, "skipped: broken symbolic link"),
        ("SPL901", "secret.ts", 0, 0, f"skipped: symbolic link to a file outside the app, not followed {hint}"),
        ("SPL901", "shared", 0, 0, f"skipped: symbolic link to a folder outside the app, not followed {hint}"),
    ])


def test_unreadable_files_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod cannot make a file unreadable: refuse the reads instead.
    app = build(tmp_path, {"src/private/keys.ts": "export {};\n", "src/locked.ts": "export {};\n"})
    real_scandir, real_read_bytes = os.scandir, Path.read_bytes

    def scandir(path="."):
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.ts":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert lint(str(app))[:2] == (0, [
        ("SPL901", "locked.ts", 1, 1, "cannot read: Permission denied"),
        ("SPL901", "private", 0, 0, "cannot read folder: Permission denied"),
    ])


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    code, findings, stderr = lint(str(tmp_path / "nope"))
    assert (code, findings) == (2, [])
    assert stderr == f"stripe-perm-lint: error: {tmp_path / 'nope'}: no such file or directory\n"


def test_a_folder_without_an_app_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = lint(str(tmp_path))
    assert code == 2 and stderr.startswith("stripe-perm-lint: error: no stripe-app.json or stripe-app.yaml found under")


def test_a_source_file_lints_the_app_that_contains_it(tmp_path: Path) -> None:
    app = build(tmp_path, {"stripe-app.json": MANIFEST.replace("customer_read", "invoice_read")})
    (tmp_path / ".git").mkdir()  # the walk up stops at the repository root
    code, findings, _ = lint(str(app / VIEW_PATH), str(app / "src" / "views"))
    assert code == 1
    assert [(f[0], f[1]) for f in findings] == [("SPL101", "View.tsx"), ("SPL102", "stripe-app.json")]


def test_files_outside_every_app_are_nothing_to_lint(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "seed.ts").write_text("export {};\n")
    code, findings, stderr = lint(str(tmp_path / "scripts" / "seed.ts"))
    assert (code, findings) == (0, [])
    assert "no app contains the given files" in stderr


def test_control_characters_from_analysed_files_never_reach_the_terminal(tmp_path: Path) -> None:
    app = build(tmp_path, {"stripe-app.json": "\x00\x1b[2J" + MANIFEST, "src/views/Odd\x1b[31m.tsx": VIEW})
    result = CliRunner().invoke(main, ["check", "--no-color", str(app)])
    assert result.exit_code == 1
    assert "\x00" not in result.stdout and "\x1b" not in result.stdout
    assert "unexpected character `\\x00`" in result.stdout
