"""The prefilter (``stripe_perm_lint.prefilter``) and the Python parser's fast walk change what is
parsed and how, never a result: every fixture gives the same report with and without them, and
the cross-file cases a skimmed file can take part in are completed."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

from stripe_perm_lint.app import Options
from stripe_perm_lint.cli import main
from stripe_perm_lint.app_loader import load_app
from stripe_perm_lint.parse.python import parse_python
from stripe_perm_lint.parse.python.walk import walk
from stripe_perm_lint.prefilter import DISABLE_ENV, could_matter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").is_file())
MANIFEST = {"id": "com.example.pf", "version": "0.0.1", "name": "PF", "permissions": []}


def _report(folder: Path, args: list[str], monkeypatch: pytest.MonkeyPatch, prefilter: bool) -> str:
    if prefilter:
        monkeypatch.delenv(DISABLE_ENV, raising=False)
    else:
        monkeypatch.setenv(DISABLE_ENV, "1")
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["check", *args, "--format", "json", "--no-color", "."])
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize("name", CASES)
def test_every_fixture_reports_the_same_with_and_without_the_prefilter(name, monkeypatch) -> None:
    folder = FIXTURES / name
    args = [a for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
            if line.startswith("# args:") for a in shlex.split(line[len("# args:"):])]
    args = [a for a in args if a not in ("--format", "text")]
    assert _report(folder, args, monkeypatch, True) == _report(folder, args, monkeypatch, False)


def test_the_byte_test_keeps_what_can_matter_by_itself() -> None:
    kept = [
        b"import Stripe from 'stripe'",
        b"client.customers.list()",  # a client of any name, by its SDK resource
        b"api\n  .billingPortal\n  .sessions.create()",
        b"if (t === 'invoice.paid') {}",  # a known event family in a string
        b"getDashboardUserEmail()",
        b"params = {'expand': FIELDS}",
        b"call('/v1/charges')",
        b"from .hooks import WEBHOOK_SECRET",
    ]
    assert all(could_matter(text) for text in kept)
    skipped = [b"export const add = (a: number, b: number) => a + b;\n", b"def total(items):\n    return sum(items)\n",
               b"const label = 'invoice';\nrender(file.name)\n"]
    assert not any(could_matter(text) for text in skipped)


def test_the_catalog_signals_decide_as_one_pattern_of_their_names_would() -> None:
    """The byte test finds words after a dot or a quote and looks them up; that equals matching
    the names themselves as long as every name is a plain identifier (checked here), and on the
    fixtures' sources and the cases above it decides as the pattern made of the names does."""
    import re

    from stripe_perm_lint.prefilter import _signalled, _vocabulary

    resources, families, functions = _vocabulary()
    assert all(re.fullmatch(rb"[A-Za-z_][A-Za-z0-9_]*", name) for name in (*resources, *families))
    oracle = re.compile(b"|".join([
        rb"\.\s*(?:" + b"|".join(map(re.escape, sorted(resources))) + rb")\b",
        rb"[\"'`](?:" + b"|".join(map(re.escape, sorted(families))) + rb")\.",
        b"|".join(map(re.escape, functions))]))
    texts = [p.read_bytes() for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix in (".ts", ".tsx", ".py", ".rb")]
    texts += [b"x.customersExtra()", b"x. customers", b"x.\n  checkout", b"'invoicex.paid'", b"`invoice.paid`", b"'invoice'",
              b".v1.billing", b"getDashboardUserEmail", b"customers.list", b"\"account.updated\""]
    assert len(texts) > 100
    assert [_signalled(t) for t in texts] == [oracle.search(t) is not None for t in texts]


def _app(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "stripe-app.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def _skimmed(root: Path) -> set[str]:
    app = load_app(root, "stripe-app.json", frozenset(), Options())
    return {f.path for f in app.files if f.skimmed}


CROSS_FILE = {
    # a request wrapper, reached through a barrel that names nothing Stripe
    "src/api/request.ts": (
        "export async function apiRequest(path: string, init?: RequestInit) {\n"
        "  return fetch(`https://api.stripe.com/v1${path}`, { ...init, headers: { 'Stripe-Account': acct } });\n}\n"),
    "src/api/index.ts": "export * from './request';\n",
    "src/refunds.ts": (
        "import { apiRequest } from './api';\n"
        "export const refund = (id: string) => apiRequest('/refunds', { method: 'POST', body: id });\n"),
    # an expand list kept in a module that names nothing Stripe
    "src/fields.ts": "export const FIELDS = ['customer', 'subscription'] as const;\n",
    "src/invoices.ts": (
        "import Stripe from 'stripe';\nimport { FIELDS } from './fields';\n"
        "const stripe = new Stripe(process.env.KEY!);\n"
        "export const get = (id: string) => stripe.invoices.retrieve(id, { expand: [...FIELDS] }, { stripeAccount: a });\n"),
    "src/unrelated.ts": "export const add = (a: number, b: number) => a + b;\n",
    # Python: a client re-exported by a package's __init__ that names nothing Stripe
    "backend/clients/make.py": "import stripe\n\nclient = stripe.StripeClient('sk')\n",
    "backend/clients/__init__.py": "from .make import client\n",
    "backend/util.py": "from backend.sync import run\n\n\ndef total(items):\n    return sum(items)\n",
    "backend/sync.py": "from backend.clients import client\n\n\ndef run(a):\n    try:\n        from backend.clients import client as c\n    except ImportError:\n        pass\n    return a\n",
}


def test_files_another_module_makes_matter_are_parsed_fully(tmp_path, monkeypatch) -> None:
    root = _app(tmp_path, CROSS_FILE)
    alone = {"src/api/index.ts", "src/refunds.ts", "src/fields.ts", "backend/clients/__init__.py", "backend/sync.py",
             "backend/util.py"}
    assert not any(could_matter(CROSS_FILE[rel].encode()) for rel in alone)  # skimmed at first
    # then completed: each other one matters through another
    assert _skimmed(root) == {"backend/util.py", "src/unrelated.ts"}
    with_prefilter = _report(root, [], monkeypatch, True)
    assert with_prefilter == _report(root, [], monkeypatch, False)
    found = {(f["path"], f["permission"]) for f in json.loads(with_prefilter)["apps"][0]["findings"]}
    assert ("src/refunds.ts", "charge_write") in found  # the wrapper's call, through the barrel
    assert ("src/invoices.ts", "customer_read") in found  # an expand list from a module naming nothing


def test_a_skimmed_python_file_keeps_the_imports_a_full_parse_records() -> None:
    source = CROSS_FILE["backend/sync.py"] + "if x:\n    from .a import b\nelse:\n    import app.c as d\n"
    assert parse_python("sync.py", source, skim=True).imports == parse_python("sync.py", source).imports
    assert len(parse_python("sync.py", source).imports) == 4


class _Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.seen.append("+" + type(node).__name__)
        return not isinstance(node, cst.Lambda)  # a visitor that prunes is pruned the same way

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.seen.append("-" + type(original_node).__name__)


def test_the_fast_walk_visits_what_libcst_visits_in_the_same_order() -> None:
    source = (FIXTURES.parent / "linter" / "parse" / "python" / "scope.py").read_text(encoding="utf-8")
    source += "f = lambda x: g(x)\nmatch a:\n    case {'k': [1, *rest]}: pass\n"
    module = cst.parse_module(source)
    slow, fast = _Recorder(), _Recorder()
    module.visit(slow)
    walk(module, fast)
    inert = {"+" + n for n in _inert_names(slow.seen)} | {"-" + n for n in _inert_names(slow.seen)}
    assert fast.seen == [s for s in slow.seen if s not in inert]
    assert len(fast.seen) > 1000


def _inert_names(seen: list[str]) -> set[str]:
    from stripe_perm_lint.parse.python.walk import _INERT

    return {s[1:] for s in seen if issubclass(getattr(cst, s[1:]), _INERT)}


IMPORT_FORMS_TS = """\
import Client, { make as build, type Shape } from './client';
import * as api from '@/lib/api';
import Legacy = require('../legacy');
import 'polyfill';
import React from 'react';
export * from './barrel';
export { default as helper, other } from './helpers';
export * as ns from './namespaced';
const { a, b: renamed } = require('./cjs');
function later() {
  const nested = require('./nested');
  return nested;
}
const broken = ;
"""


# No `require` and no `declare`: the skim reads the top-level statements only.
ES_MODULE_TS = """\
import Client, { make as build } from './client';
import * as api from '@/lib/api';
export * from './barrel';
export { default as helper } from './helpers';
export const total = (a: number) => a + 1;
namespace Internal { export const x = 1; }
function later() { return import('./lazy'); }
"""
# An ambient module may hold imports below the top: the whole-tree query reads them.
AMBIENT_TS = """\
import Client from './client';
declare module './client' {
  import { Shape } from './shape';
  export { Extra } from './extra';
}
"""


@pytest.mark.parametrize("source", [ES_MODULE_TS, AMBIENT_TS])
def test_a_skim_of_the_top_level_alone_records_what_a_full_parse_does(source):
    from stripe_perm_lint.parse.typescript import parse_typescript
    from stripe_perm_lint.parse.typescript.skim import skim_typescript

    full, skim = parse_typescript("src/m.ts", source), skim_typescript("src/m.ts", source)
    assert skim.imports == full.imports and len(skim.imports) >= 2
    assert skim.problems == full.problems


def test_every_fixture_file_skims_to_the_imports_of_its_full_parse():
    from stripe_perm_lint.parse.typescript import parse_typescript
    from stripe_perm_lint.parse.typescript.skim import skim_typescript

    files = [p for p in sorted(FIXTURES.rglob("*")) if p.suffix in (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs")]
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        rel = path.relative_to(FIXTURES).as_posix()
        full, skim = parse_typescript(rel, text), skim_typescript(rel, text)
        assert (skim.imports, skim.problems) == (full.imports, full.problems), rel


@pytest.mark.parametrize("suffix", [".ts", ".tsx", ".js"])
def test_a_typescript_skim_records_what_a_full_parse_does_for_the_cross_file_step(suffix):
    from stripe_perm_lint.parse.typescript import parse_typescript
    from stripe_perm_lint.parse.typescript.skim import skim_typescript

    path = "src/module" + suffix
    full, skim = parse_typescript(path, IMPORT_FORMS_TS), skim_typescript(path, IMPORT_FORMS_TS)
    assert skim.skimmed and not full.skimmed
    assert skim.imports == full.imports
    assert {(b.local, b.module, b.name) for b in skim.imports} >= {
        ("Client", "./client", "default"), ("build", "./client", "make"), ("api", "@/lib/api", "*"),
        ("Legacy", "../legacy", "default"), ("*", "./barrel", "*"), ("helper", "./helpers", "default"),
        ("renamed", "./cjs", "b"), ("nested", "./nested", "default")}
    assert skim.problems == full.problems and len(skim.problems) == 1  # `const broken = ;`


def test_a_backend_file_counts_its_sdk_s_members_besides_the_words():
    from stripe_perm_lint.prefilter import could_matter_backend

    go = b"func f(t string) { payments.ForAccount(t).Customers.Get(id, nil) }"
    php = b"<?php function f($c, $id) { return $c->customers->retrieve($id); }"
    csharp = b"class A { Task F(IClient c) => c.V1.Invoices.GetAsync(id); }"
    assert not any(could_matter(code) for code in (go, php, csharp))  # no word, no TS/Python member
    assert could_matter_backend(go, "go") and could_matter_backend(php, "php")
    assert could_matter_backend(csharp, "csharp")
    assert not could_matter_backend(b"func f() { repo.Users.Lookup(id) }", "go")
