"""Fuzzing: random and mutated inputs must never crash, hang or change the output between runs.

Targets (one hypothesis test each):

1. ``read_manifest`` on random manifests and on mutations of the fixtures' manifests, written as
   ``stripe-app.json`` and as ``stripe-app.yaml``;
2. ``parse_file`` on mutations of the fixtures' ``.py`` / ``.ts`` / ``.tsx`` / ``.js`` sources, and of
   each backend language's (Ruby, Go, PHP, C#, Java) with fragments of its syntax;
3. the catalog questions behind expand paths, events, calls and raw requests, and every rule
   over an app of random facts;
4. a whole run (``lint_paths`` + both report formats) over a fixture with one file mutated, and
   a few end-to-end CLI runs in a subprocess.

Properties: no exception escapes, nothing hangs, the output is valid for its format, and two runs
give the same result. Mutations: byte and bit flips, truncation, deletion, repetition, insertion
of language fragments, splices from other seeds, bracket nesting, duplicate keys, wrong types,
YAML anchors and aliases.

The normal suite runs a few dozen derandomized examples per target (reproducible in CI). Set
``STRIPE_PERM_LINT_FUZZ_EXAMPLES=10000`` for a long random run: that many examples per in-process
target, and a hundredth of it (at least 5) for the CLI target, which starts a process per example.

In-process generators nest at most ``MAX_NEST`` brackets: deeper nesting can kill the interpreter
in native parser code, which is what the worker processes of a whole run are for. The explicit
deep-nesting tests go through ``lint_paths`` in a subprocess with 10,000 levels. The regression
tests at the end hold the smallest form of each failure fuzzing found.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
import yaml

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

# Hypothesis caches what it learns under ./.hypothesis; keep the working tree clean.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "stripe-perm-lint-hypothesis"))

from stripe_perm_lint.backends import BY_LANGUAGE
from stripe_perm_lint.backends import SUFFIXES as BACKEND_SUFFIXES
from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import (
    CALL_STYLES,
    ApiCall,
    EventUse,
    ExpandPath,
    FileFacts,
    PermissionReference,
    Position,
    RawRequest,
    RemovedApiUse,
    SdkFunctionUse,
    Unresolved,
)
from stripe_perm_lint.manifest import Manifest, read_manifest
from stripe_perm_lint.parse import parse_file

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

# ---------------------------------------------------------------------------------------------
# settings

LONG_EXAMPLES = int(os.environ.get("STRIPE_PERM_LINT_FUZZ_EXAMPLES", "0") or 0)
MAX_NEST = 150  # in-process nesting bound (CPython itself refuses more than 200 in Python)
MAX_SOURCE_CHARS = 4000
CALL_TIME_LIMIT = 30.0  # seconds one in-process call may take before it counts as a hang


def fuzz_settings(normal: int, long_divisor: int = 1) -> settings:
    if LONG_EXAMPLES:
        return settings(
            max_examples=max(5, LONG_EXAMPLES // long_divisor),
            deadline=None,
            derandomize=False,
            database=None,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        )
    return settings(
        max_examples=normal,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


class TookTooLong(AssertionError):
    pass


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Fail (instead of hanging the suite) when one call runs past ``seconds``."""

    def expire(signum, frame):
        raise TookTooLong(f"{what} took longer than {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------
# seed corpus: the fixtures, read once, never modified

def _fixture_files(suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and not p.is_symlink() and p.name.endswith(suffixes))


MANIFEST_FILES = sorted(p for p in FIXTURES.glob("**/stripe-app.*") if p.is_file())
JSON_SEEDS = [p.read_bytes() for p in MANIFEST_FILES if p.suffix == ".json"]
YAML_SEEDS = [p.read_bytes() for p in MANIFEST_FILES if p.suffix in (".yaml", ".yml")]
# Each valid manifest in the other syntax too, so both readers see every shape.
for _p in MANIFEST_FILES:
    try:
        _value = json.loads(_p.read_text("utf-8")) if _p.suffix == ".json" else yaml.safe_load(_p.read_text("utf-8"))
    except (ValueError, yaml.YAMLError):
        continue
    if isinstance(_value, dict):
        JSON_SEEDS.append(json.dumps(_value, indent=2).encode())
        YAML_SEEDS.append(yaml.safe_dump(_value, sort_keys=False, allow_unicode=True).encode())
MANIFEST_SEEDS = JSON_SEEDS + YAML_SEEDS

SOURCE_SUFFIXES = (".py", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs")
SOURCE_FILES = _fixture_files(SOURCE_SUFFIXES)
SOURCE_SEEDS = [(p.relative_to(FIXTURES).as_posix(), p.read_bytes()) for p in SOURCE_FILES]
PY_SEEDS = [data for rel, data in SOURCE_SEEDS if rel.endswith(".py")]
TS_SEEDS = [data for rel, data in SOURCE_SEEDS if not rel.endswith(".py")]
APP_DIRS = sorted(p.parent for p in MANIFEST_FILES if p.parent.parent == FIXTURES)
# Ruby, Go, PHP, C#, Java: each language mutated from its own fixture files.
BACKEND_SEEDS = {
    language: [p.read_bytes() for p in _fixture_files(tuple(s for s, b in BACKEND_SUFFIXES.items() if b.language == language))]
    for language in BY_LANGUAGE
}

assert MANIFEST_SEEDS and PY_SEEDS and TS_SEEDS and APP_DIRS, "the fixtures are the seed corpus"
assert all(BACKEND_SEEDS.values()), "every backend language has fixture sources to mutate"

CATALOG = load_catalog()
PERMISSION_NAMES = sorted(CATALOG.permission_names)
EVENT_NAMES = sorted(e.name for e in CATALOG.events)
_OBJECTS = json.loads((REPO / "catalog" / "objects.json").read_text("utf-8"))
OBJECT_TYPES = sorted(set(_OBJECTS["objects"]) | set(_OBJECTS["types"]))
FIELD_NAMES = sorted({f for fs in _OBJECTS["types"].values() for f in fs} | {"data"})
ACCESSORS = sorted({a for op in CATALOG.operations for a in (*op.node, *op.python, *op.legacy, *op.instance)})
HTTP_PATHS = sorted({op.path for op in CATALOG.operations})
UI_FUNCTIONS = sorted(CATALOG.ui_functions)

# ---------------------------------------------------------------------------------------------
# fragments inserted by the mutator

COMMON_FRAGMENTS = [
    "{", "}", "[", "]", "(", ")", '"', "'", "`", "\\", ",", ":", ";", "\n", "\r", "\r\n", "\t", " ",
    "\ufeff", "\u2028", "\u00a0", "\u200b", "\U0001F600", "\x00", "\x1b[31m", "/*", "*/", "//", "#",
    "${", "<!--", "-->", "é", "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), "\x7f",
]
JSON_FRAGMENTS = [
    '"permissions"', '"permission"', '"purpose"', '"declarations"', '"stripe_api_access"',
    '"stripe_api_access_type": "oauth"', '"id"', "null", "true", "false", "0", "-0", "1e999", "-1e999",
    "NaN", "Infinity", "1.5e-400", "123456789012345678901234567890", '"\\ud800"', '"\\u0000"', '"\\uZZZZ"',
    '"\\', ",,", ",", "{}", "[]", '{"permission": 1}', '{"permission": null}', '{"permission": "customer_read"}',
    '"customer_read"', '{"permissions": {"permission": "x"}}', '"permissions": 7,', '"permissions": [],',
    '"declarations": {"stripe_api_access": {"permissions": "customer_read"}},', '"__proto__": {}', "'x'",
    '"a": 1, "a": 2,', "\"permissions\": [\"customer_read\"], \"permissions\": [\"invoice_read\"],",
]
YAML_FRAGMENTS = [
    "&a ", "*a", "&a [*a]", "<<: *a\n", "<<: [*a, *b]\n", "*undefined", "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system", "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2001-12-14",
    "!!float .nan", "!!int 0x1F", "!custom x", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "? ",
    "- ", "-\n", "|\n  x\n", ">-\n  x\n", "permissions:\n  - customer_read\n", "permissions: customer_read\n",
    "declarations:\n  stripe_api_access:\n    permissions:\n      - permission: invoice_read\n",
    "  - permission:\n", "permission: [1, 2]", "\t", "  ", "key: value\nkey: other\n", "~", "null", "yes", "no",
    "on", "0o17", "2001-12-14t21:59:43.10-05:00", "{a: 1, a: 2}", "'unterminated", '"\\x', "@", "`",
]
PY_FRAGMENTS = [
    "import stripe\n", "from stripe import StripeClient\n", "client = StripeClient(key, stripe_account=acct)\n",
    "stripe.Customer.list()", "stripe.Customer.retrieve('cus', expand=['default_source', 'x.y'])",
    "client.v1.customers.list({'expand': ['data.default_source']})", "client.v2.core.accounts.create()",
    "stripe.raw_request('post', '/v1/customers')", "if event.type == 'customer.created':\n    pass\n",
    "match event['type']:\n    case 'invoice.paid' | 'x.y':\n        pass\n", "@webhooks.handler('charge.failed')\n",
    "from . import billing\n", "from .lib import client as c\n", "async def f(client: StripeClient):\n",
    "def f(stripe: 'Stripe'):\n", "class C:\n    client = StripeClient('k')\n", "lambda: (", "yield ", "await ",
    ":=", "**", "->", "...", "f'{", "f'{x!r:>{w}}'", "'''", '"""', "\\\n", "\n    ", "\n\t", "else:\n", "elif ",
    "try:\n", "except* E:\n", "global x\n", "del ", "type X = int\n", "print 'x'\n", "exec 'x'\n",
    "getattr(stripe, name).list()", "stripe.__dict__['Customer'].list()", "import importlib\n",
]
TS_FRAGMENTS = [
    "import Stripe from 'stripe';\n", "const stripe = new Stripe(key, {stripeAccount: acct});\n",
    "stripe.customers.list({expand: ['data.default_source']})", "stripe.v2.core.accounts.create()",
    "stripe.checkout.sessions.create({expand: ['line_items']}, {stripeAccount: a})", "stripe[name].list()",
    "stripe.rawRequest('POST', '/v1/customers', {})", "switch (event.type) { case 'invoice.paid': break; }",
    "if (event.type.startsWith('customer.subscription.')) {}", "enabled_events: ['*']", "export * from './x';\n",
    "export {a as b} from './y';\n", "export default function getStripe() { return stripe }\n",
    "getDashboardUserEmail()", "isPermissionAuthorized('customer_read')", "userContext.email", "`${", "`",
    "</", "<View>", "<>", "</>", "=>", "?.", "??=", "as const", "satisfies", "enum E { A }", "declare module 'x';",
    "/re[/]g", "@decorator\n", "#priv", "import.meta", "await using x = y;", "<T,>(x: T) => x", "/*", "//",
    "useMemo(() => new Stripe(k), [])", "const {customers} = stripe;", "async function* g() {}",
]
BRACKETS = [("[", "]"), ("(", ")"), ("{", "}")]
TS_BRACKETS = BRACKETS + [("<a>", "</a>"), ("`${", "}`"), ("f(", ")")]
PY_BRACKETS = BRACKETS + [("f(", ")"), ("not ", "")]

MUTATIONS = ("flip", "bitflip", "truncate", "delete", "insert", "splice", "repeat", "nest", "unbalanced")


@st.composite
def mutated(draw, seeds: list[bytes], fragments: list[str], brackets: list[tuple[str, str]], max_len: int = MAX_SOURCE_CHARS):
    """One seed with one to four mutations applied, as bytes (files are read as bytes)."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(MUTATIONS))
        n = len(data)
        pos = draw(st.integers(0, n))
        if op == "flip" and n:
            data[min(pos, n - 1)] = draw(st.integers(0, 255))
        elif op == "bitflip" and n:
            data[min(pos, n - 1)] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[pos:]
        elif op == "delete":
            del data[pos : draw(st.integers(pos, min(n, pos + 80)))]
        elif op == "insert":
            fragment = draw(st.sampled_from(fragments + COMMON_FRAGMENTS) | st.text(max_size=12))
            data[pos:pos] = fragment.encode("utf-8", "surrogatepass")
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, len(other)))
            piece = other[start : draw(st.integers(start, min(len(other), start + 400)))]
            if draw(st.booleans()):
                data[pos:] = piece  # a file that turns into another one half-way
            else:
                data[pos:pos] = piece
        elif op == "repeat":
            end = draw(st.integers(pos, min(n, pos + 40)))
            data[pos:end] = bytes(data[pos:end]) * draw(st.integers(2, 30))
        elif op in ("nest", "unbalanced"):
            opener, closer = draw(st.sampled_from(brackets))
            depth = draw(st.integers(1, MAX_NEST))
            end = draw(st.integers(pos, n))
            inner = bytes(data[pos:end]) if op == "nest" else b""
            closing = closer.encode() * depth if op == "nest" else closer.encode() * draw(st.integers(0, depth))
            data[pos:end] = opener.encode() * depth + inner + closing
    return bytes(data[: max_len * 2])


def as_source_text(data: bytes) -> str:
    """Decode as ``read_source`` does: UTF-8 (with BOM), else Latin-1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text[:MAX_SOURCE_CHARS]


# ---- random manifests -----------------------------------------------------------------------

MANIFEST_KEYS = ["permissions", "permission", "purpose", "declarations", "stripe_api_access", "id", "version",
                 "name", "icon", "ui_extension", "views", "stripe_api_access_type", "$schema", "extensions"]
permission_like = st.sampled_from(PERMISSION_NAMES) | st.sampled_from(["", " customer_read", "CUSTOMER_READ",
                                                                      "customer_read\n", "x" * 300]) | st.text(max_size=20)
json_leaf = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | permission_like)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(MANIFEST_KEYS) | st.text(max_size=8), inner, max_size=4),
    max_leaves=25,
)
permission_entry = st.one_of(
    st.fixed_dictionaries({"permission": permission_like}, optional={"purpose": st.text(max_size=30) | json_value}),
    st.fixed_dictionaries({"permission": json_value}),
    permission_like,
    json_value,
)
permission_list = st.lists(permission_entry, max_size=6) | json_value
manifest_value = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=30) | json_value,
        "permissions": permission_list,
        "declarations": st.fixed_dictionaries(
            {}, optional={"stripe_api_access": st.fixed_dictionaries({}, optional={"permissions": permission_list}) | json_value}
        ) | json_value,
        "stripe_api_access_type": st.sampled_from(["platform", "oauth", "restricted_api_key", "", "OAUTH"]) | json_value,
        "ui_extension": json_value,
    },
) | json_value


def _pairs_json(pairs) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs) + "}"


@st.composite
def random_manifest(draw) -> bytes:
    """A random manifest document: JSON or YAML, sometimes with keys given twice or aliases."""
    kind = draw(st.sampled_from(["json", "yaml", "json-duplicates", "yaml-duplicates", "yaml-aliases"]))
    value = draw(manifest_value)
    if kind == "json":
        text = json.dumps(value, indent=draw(st.sampled_from([None, 2, "\t"])), ensure_ascii=draw(st.booleans()))
    elif kind == "yaml":
        text = yaml.safe_dump(value, default_flow_style=draw(st.sampled_from([None, True, False])),
                              allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()))
    elif kind in ("json-duplicates", "yaml-duplicates"):
        keys = st.sampled_from(["permissions", "id", "declarations", "stripe_api_access_type"])
        pairs = draw(st.lists(st.tuples(keys, st.lists(permission_entry, max_size=3) | json_value), max_size=6))
        if kind == "json-duplicates":
            text = _pairs_json(pairs)
        else:
            text = "".join(f"{k}: {json.dumps(v)}\n" for k, v in pairs)
    else:
        text = draw(yaml_with_aliases())
    return text.encode("utf-8", "surrogatepass")


@st.composite
def yaml_with_aliases(draw) -> str:
    """Anchors referring to anchors (bounded fan-out: at most 4**4 expansions), merge keys,
    recursive and undefined aliases, aliases standing in for the permission list."""
    lines = ["a0: &a0 [{permission: customer_read, purpose: p}, invoice_read]"]
    levels = draw(st.integers(0, 4))
    for i in range(1, levels + 1):
        fan = draw(st.integers(1, 4))
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    top = f"*a{levels}"
    lines.append(draw(st.sampled_from([
        f"permissions: {top}",
        "permissions: *a0",
        f"declarations: {{stripe_api_access: {{permissions: {top}}}}}",
        "m: &m {permissions: *a0}\nn: {<<: *m, id: x}",
        "permissions: &r [*r]",
        "permissions: *nowhere",
        "r: &r {a: *r}\npermissions: *a0",
        "permissions: [*a0, *a0]",
        "permissions: &p\n  - customer_read\ndeclarations: {stripe_api_access: {permissions: *p}}",
    ])))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(YAML_FRAGMENTS)))
    return "\n".join(lines) + "\n"


manifest_bytes = st.one_of(
    mutated(JSON_SEEDS, JSON_FRAGMENTS, BRACKETS),
    mutated(YAML_SEEDS, YAML_FRAGMENTS, BRACKETS),
    mutated(MANIFEST_SEEDS, JSON_FRAGMENTS + YAML_FRAGMENTS, BRACKETS),
    random_manifest(),
)


# ---------------------------------------------------------------------------------------------
# checks shared by the targets

def _walk_values(value):
    """Every dataclass, tuple and scalar inside ``value`` (facts, manifests)."""
    yield value
    if is_dataclass(value):
        for f in fields(value):
            yield from _walk_values(getattr(value, f.name))
    elif isinstance(value, (tuple, list, frozenset)):
        for item in value:
            yield from _walk_values(item)


def check_facts(facts, path: str) -> None:
    assert isinstance(facts, FileFacts), type(facts)
    assert facts.path == path
    assert facts.language in ("python", "typescript", *BY_LANGUAGE)
    for value in _walk_values(facts):
        if isinstance(value, Position):
            assert isinstance(value.line, int) and isinstance(value.column, int)
            assert value.line >= 1 and value.column >= 1, f"positions are 1-based: {value}"
    # Facts cross a process boundary in a whole run: they must pickle to an equal value.
    assert pickle.loads(pickle.dumps(facts)) == facts
    internal = [p.message for p in facts.problems if "internal error" in p.message]
    assert not internal, f"a parser raised (caught, but the file's facts are lost): {internal}\n" + "\n".join(PARSER_NOTES)[-3000:]


def check_manifest(manifest, name: str) -> None:
    assert isinstance(manifest, Manifest), type(manifest)
    assert manifest.path == name
    assert isinstance(manifest.api_access_type, str)
    assert manifest.app_id is None or isinstance(manifest.app_id, str)
    for declared in manifest.permissions:
        assert isinstance(declared.name, str)
        assert declared.purpose is None or isinstance(declared.purpose, str)
        assert isinstance(declared.location.line, int) and declared.location.line >= 0
    for problem in (*manifest.problems, *manifest.structure):
        assert isinstance(problem.message, str) and problem.message
        assert problem.location.path == name
    for overlay in manifest.overlays:
        check_manifest(overlay, overlay.path)
    if manifest.unparsed:
        assert manifest.problems, "an unparsed manifest says why"
    frozenset(manifest.names)
    pickle.loads(pickle.dumps(manifest))


FINDING_KEYS = ["code", "rule", "severity", "permission", "path", "line", "column", "message"]
TEXT_LINE = re.compile(r"[^\n]*:\d+:\d+: SPL\d{3} [^\n]*")
SUMMARY_LINE = re.compile(r"Checked \d+ apps?: \d+ errors?, \d+ warnings?, \d+ infos?( \(\d+ suppressed(, \d+ in the baseline)?\)| \(\d+ in the baseline\))?")


def check_json_report(text: str, apps: int) -> dict:
    data = json.loads(text)
    assert data["version"] == 1 and len(data["apps"]) == apps
    for app in data["apps"]:
        assert {"root", "manifest", "declared", "required", "findings"} <= set(app), list(app)
        assert all(isinstance(n, str) for n in app["declared"] + app["required"])
        for finding in app["findings"]:
            assert set(FINDING_KEYS) <= set(finding), list(finding)  # test_cli pins the exact shape
            for related in finding.get("related", []):
                assert isinstance(related["path"], str) and isinstance(related["line"], int)
                assert isinstance(related["message"], str) and "\n" not in related["message"]
            assert re.fullmatch(r"SPL\d{3}", finding["code"]), finding
            assert finding["severity"] in ("error", "warning", "info")
            assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
            assert finding["line"] >= 0 and finding["column"] >= 0
            assert isinstance(finding["message"], str) and finding["message"]
    return data


NOTE_LINE = re.compile(r"    note: [^\n]*:\d+:\d+: [^\n]*")
# After the findings, one line per app with files in languages the linter cannot parse.
NOT_PARSED_LINE = re.compile(r"[^\n]*: (not parsed|untraced clients): [^\n]*")


def check_text_report(text: str, findings: int) -> None:
    """One line per finding (a message with a newline in it would break every consumer), each
    followed by its indented note lines, then the summary."""
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    assert SUMMARY_LINE.fullmatch(lines[-1]), lines[-1]
    controls = sorted({repr(c) for c in text if unicodedata.category(c) == "Cc" and c != "\n"})
    assert not controls, f"control characters from the analysed files reach the terminal: {controls}"
    finding_lines = [line for line in lines[:-1] if not NOTE_LINE.fullmatch(line) and not NOT_PARSED_LINE.fullmatch(line)]
    assert len(finding_lines) == findings, "a finding spans more than one line"
    for line in finding_lines:
        assert TEXT_LINE.fullmatch(line), line


def _parse(path: str, text: str):
    """``parse_file`` as a run calls it, with the lines it would print (internal errors) kept in
    ``PARSER_NOTES`` for the failure message."""
    PARSER_NOTES.clear()
    if "report" in inspect.signature(parse_file).parameters:
        return parse_file(path, text, report=PARSER_NOTES.append)
    return parse_file(path, text)


PARSER_NOTES: list[str] = []


# ---------------------------------------------------------------------------------------------
# target 1: the manifest reader

@fuzz_settings(50)
@given(data=manifest_bytes)
def test_read_manifest_never_raises_and_is_deterministic(data):
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("stripe-app.json", "stripe-app.yaml"):
            root = Path(tmp) / name.rsplit(".", 1)[1]
            root.mkdir()
            (root / name).write_bytes(data)
            (root / "stripe-app.dev.json").write_bytes(data)  # read as an overlay beside it
            with time_limit(CALL_TIME_LIMIT, f"read_manifest({name})"):
                first = read_manifest(root, name)
                second = read_manifest(root, name)
            check_manifest(first, name)
            assert first == second


# ---------------------------------------------------------------------------------------------
# target 2: the parsers

SOURCE_NAMES = ["a.py", "pkg/__init__.py", "src/views/View.tsx", "src/lib/stripe.ts", "server/index.js",
                "web/App.jsx", "lib/x.mjs", "lib/x.cjs", "types.d.ts"]

source_inputs = st.one_of(
    st.tuples(st.sampled_from([n for n in SOURCE_NAMES if n.endswith(".py")]), mutated(PY_SEEDS, PY_FRAGMENTS, PY_BRACKETS)),
    st.tuples(st.sampled_from([n for n in SOURCE_NAMES if not n.endswith(".py")]), mutated(TS_SEEDS, TS_FRAGMENTS, TS_BRACKETS)),
    # the wrong language for the suffix, and sources spliced across languages
    st.tuples(st.sampled_from(SOURCE_NAMES), mutated(PY_SEEDS + TS_SEEDS, PY_FRAGMENTS + TS_FRAGMENTS, BRACKETS)),
)


@fuzz_settings(50)
@given(source=source_inputs)
def test_parse_file_never_raises_and_is_deterministic(source):
    _parses_twice_alike(*source)


def _parses_twice_alike(path: str, data: bytes) -> None:
    text = as_source_text(data)
    with time_limit(CALL_TIME_LIMIT, f"parse_file({path})"):
        first = _parse(path, text)
        second = _parse(path, text)
    check_facts(first, path)
    assert first == second


# Fragments of the backend languages' syntax and SDK shapes.
BACKEND_FRAGMENTS = [
    "end", "do |e|", "Stripe::Customer.retrieve(", "stripe_account: ", "case event.type\nwhen ", "#{", "%w[",
    "func ", "package main\n", ":= ", "params.SetStripeAccount(", "switch event.Type {", "case ", "go func() {",
    "<?php ", "$stripe->customers->", "=> ", "\\Stripe\\", "?>", "<<<EOT\n", "match (",
    "new CustomerService()", "RequestOptions { StripeAccount = ", "=> {", "async ", "@\"", "$\"{",
    "Customer.retrieve(", "RequestOptions.builder()", "@Override", "->", "::", "\"invoice.paid\"", "'customer.'",
    "https://api.stripe.com/v1/customers/", "// stripe-perm-lint: ignore[SPL101] why\n", "/*", "*/",
]
BACKEND_NAMES = {language: f"backend/src/file{b.suffixes[0]}" for language, b in BY_LANGUAGE.items()}
backend_inputs = st.sampled_from(sorted(BY_LANGUAGE)).flatmap(
    lambda language: st.tuples(st.just(BACKEND_NAMES[language]), mutated(BACKEND_SEEDS[language], BACKEND_FRAGMENTS, BRACKETS)))


@fuzz_settings(60)
@given(source=backend_inputs)
def test_the_backend_parsers_never_raise_and_are_deterministic(source):
    _parses_twice_alike(*source)


def test_every_fixture_source_parses_without_internal_error():
    """The unmutated seeds: the baseline the mutations start from."""
    for rel, data in SOURCE_SEEDS:
        check_facts(_parse(rel, as_source_text(data)), rel)
    for path in _fixture_files(tuple(BACKEND_SUFFIXES)):
        rel = path.relative_to(FIXTURES).as_posix()
        check_facts(_parse(rel, as_source_text(path.read_bytes())), rel)


# ---------------------------------------------------------------------------------------------
# target 3: expand paths, events, calls, raw requests, and every rule over random facts

segment = st.sampled_from(FIELD_NAMES) | st.sampled_from(["", " ", "*", "data", "?", "__proto__", "constructor"]) | st.text(max_size=8)
expand_path = st.builds(
    lambda prefix, segs, sep, pad: pad + prefix + sep.join(segs) + pad,
    st.sampled_from(["", "data.", ".", "data.data."]),
    st.lists(segment, min_size=0, max_size=8),
    st.sampled_from([".", "..", ". ", "/"]),
    st.sampled_from(["", " ", "\n", "\t"]),
)
object_type = st.sampled_from(OBJECT_TYPES) | st.sampled_from(["", "::", "account::", "list", "data"]) | st.text(max_size=10)
event_name = st.one_of(
    st.sampled_from(EVENT_NAMES),
    st.sampled_from(EVENT_NAMES).map(lambda n: n.rsplit(".", 1)[0] + ".*"),
    st.sampled_from(EVENT_NAMES).flatmap(lambda n: st.integers(0, len(n)).map(lambda i: n[:i] + n[i + 1 :])),
    st.sampled_from(["*", ".*", "..*", "", ".", "*.*", "customer.*.*", "v2.core.account[requirements].updated",
                     "customer.subscription.", "a" * 500, "event_read"]),
    st.text(max_size=30),
)
accessor = st.one_of(
    st.sampled_from(ACCESSORS),
    st.sampled_from(ACCESSORS).map(lambda a: "stripe." + a),
    st.sampled_from(ACCESSORS).map(lambda a: a + "_async"),
    st.lists(segment, max_size=6).map(".".join),
    st.sampled_from(ACCESSORS).map(lambda a: a.replace(".", ".?.", 1)),
)
style = st.sampled_from(CALL_STYLES) | st.text(max_size=10)
http_path = st.one_of(
    st.sampled_from(HTTP_PATHS),
    st.sampled_from(HTTP_PATHS).map(lambda p: re.sub(r"\{[^}]*\}", "{}", p)),
    st.sampled_from(HTTP_PATHS).map(lambda p: "https://api.stripe.com" + p + "?expand[]=x#f"),
    st.lists(segment, max_size=6).map("/".join),
    st.text(max_size=40),
)
verb = st.sampled_from(["GET", "POST", "DELETE", "PUT", "PATCH", "?", "get", ""]) | st.text(max_size=6)
position = st.builds(Position, st.integers(1, 10**6), st.integers(1, 10**4))
account = st.sampled_from(["installing", "platform", "unknown"])
api_call = st.builds(
    ApiCall, style=style, accessor=accessor, position=position, account=account,
    expand=st.lists(st.builds(ExpandPath, expand_path, position), max_size=4).map(tuple), expand_dynamic=st.booleans(),
)
raw_request = st.builds(
    RawRequest, verb=verb, path=http_path, position=position, account=account,
    expand=st.lists(st.builds(ExpandPath, expand_path, position), max_size=3).map(tuple),
)
file_facts = st.builds(
    FileFacts,
    path=st.sampled_from(["src/views/View.tsx", "backend/app.py", "server/index.ts", "a.js"]),
    language=st.sampled_from(["python", "typescript"]),
    calls=st.lists(api_call, max_size=5).map(tuple),
    raw_requests=st.lists(raw_request, max_size=3).map(tuple),
    events=st.lists(st.builds(EventUse, event_name, st.sampled_from(["handled", "subscribed"]), position), max_size=5).map(tuple),
    sdk_functions=st.lists(st.builds(SdkFunctionUse, st.sampled_from(UI_FUNCTIONS) | st.text(max_size=10), position), max_size=2).map(tuple),
    permission_references=st.lists(st.builds(PermissionReference, permission_like, position), max_size=2).map(tuple),
    removed_apis=st.lists(st.builds(RemovedApiUse, st.text(max_size=10), position), max_size=2).map(tuple),
    unresolved=st.lists(st.builds(Unresolved, st.text(max_size=20), position), max_size=2).map(tuple),
)


@fuzz_settings(50)
@given(obj=object_type, path=expand_path, event=event_name, call_style=style, call_accessor=accessor,
       http_verb=verb, path_of_request=http_path, names=st.lists(permission_like, max_size=6), older=st.booleans())
def test_catalog_lookups_never_raise(obj, path, event, call_style, call_accessor, http_verb, path_of_request, names, older):
    catalog = CATALOG
    with time_limit(CALL_TIME_LIMIT, "catalog lookups"):
        resolution = catalog.resolve_expand(obj, path)
        assert resolution == catalog.resolve_expand(obj, path)
        assert resolution.error is None or (isinstance(resolution.error, str) and resolution.error)
        for target, requirement in resolution.steps:
            assert isinstance(target, str) and all(isinstance(n, str) for n in requirement.any_of)
        info = catalog.event(event)
        assert info is None or info.name == event
        catalog.operation_for_call(call_style, call_accessor)
        catalog.is_sdk_helper(call_style, call_accessor)
        catalog.operation_for_http(http_verb, path_of_request)
        catalog.ui_function_permission(call_accessor)
        catalog.permission(event)
        granted = catalog.grants(names, include_older_edition=older)
        assert granted == catalog.grants(names, include_older_edition=older)


def _lint_facts(files, permissions, options):
    from stripe_perm_lint.app import App
    from stripe_perm_lint.finding import Finding
    from stripe_perm_lint.manifest import DeclaredPermission
    from stripe_perm_lint.finding import Location
    from stripe_perm_lint.rules import ALL_RULES

    manifest = Manifest(
        path="stripe-app.json",
        permissions=tuple(DeclaredPermission(n, Location("stripe-app.json", 3 + i, 5)) for i, n in enumerate(permissions)),
    )
    app = App(root=Path("/nonexistent-app"), manifest=manifest, files=tuple(files), options=options)
    try:  # rules take one RuleContext (the app, the catalog and what is computed from them)
        from stripe_perm_lint.context import RuleContext
    except ImportError:  # older layout: check(app, catalog)
        findings = {f for rule in ALL_RULES for f in rule.check(app, CATALOG)}
    else:
        ctx = RuleContext(app, CATALOG)
        findings = {f for rule in ALL_RULES for f in rule.check(ctx)}
    findings = sorted(findings, key=Finding.sort_key)
    return [(f.code, f.rule, f.severity.value, f.location, f.message, f.permission) for f in findings]


@fuzz_settings(50)
@given(files=st.lists(file_facts, max_size=3), permissions=st.lists(permission_like, max_size=6),
       platform_calls=st.sampled_from(["info", "count"]), older=st.booleans())
def test_every_rule_over_random_facts_never_raises(files, permissions, platform_calls, older):
    """Random expand paths and event names (from real field and event names) through the
    analysis and every rule; the result is deterministic (apps are cached by identity, so the
    second run builds a new app)."""
    from stripe_perm_lint.app import Options

    options = Options(platform_calls=platform_calls, include_older_edition=older)
    with time_limit(CALL_TIME_LIMIT, "rules over random facts"):
        first = _lint_facts(files, permissions, options)
        second = _lint_facts(files, permissions, options)
    assert first == second
    for code, rule, severity, location, message, _ in first:
        assert re.fullmatch(r"SPL\d{3}", code) and message and isinstance(location.line, int)


# ---------------------------------------------------------------------------------------------
# target 4: whole runs

def _app_files(app_dir: Path) -> list[str]:
    return sorted(p.relative_to(app_dir).as_posix() for p in app_dir.rglob("*") if p.is_file() and not p.is_symlink())


APP_FILES = {app: _app_files(app) for app in APP_DIRS}


@st.composite
def mutated_app(draw):
    """(fixture folder, file inside it, new content of that file)."""
    app = draw(st.sampled_from(APP_DIRS))
    rel = draw(st.sampled_from(APP_FILES[app]))
    if rel.endswith(".py"):
        seeds, fragments, brackets = PY_SEEDS, PY_FRAGMENTS, PY_BRACKETS
    elif rel.endswith(SOURCE_SUFFIXES):
        seeds, fragments, brackets = TS_SEEDS, TS_FRAGMENTS, TS_BRACKETS
    elif rel.endswith((".yaml", ".yml")):
        seeds, fragments, brackets = YAML_SEEDS, YAML_FRAGMENTS, BRACKETS
    else:  # the manifest, tsconfig.json, package.json, .gitignore, requirements.txt, ...
        seeds, fragments, brackets = JSON_SEEDS, JSON_FRAGMENTS + ["*", "!", "**/", "[", "\\"], BRACKETS
    own = (app / rel).read_bytes()
    # Mostly the file's own content mutated, sometimes another seed in its place.
    content = draw(mutated([own] * 3 + seeds[:1], fragments, brackets) | mutated(seeds, fragments, brackets))
    if rel.startswith("stripe-app.") and draw(st.integers(0, 4)) == 0:
        content = draw(random_manifest())
    return app, rel, content


def _copy_app(tmp: str, app: Path, rel: str, content: bytes) -> Path:
    target = Path(tmp) / app.name
    shutil.copytree(app, target, symlinks=True)
    (target / rel).write_bytes(content)
    return target


def _render(reports, fmt: str) -> str:
    from stripe_perm_lint.report import FORMATS

    out = io.StringIO()
    FORMATS[fmt](reports, out, colour=False)
    return out.getvalue()


@fuzz_settings(12)
@given(case=mutated_app())
def test_whole_run_in_process_gives_valid_identical_reports(case):
    from stripe_perm_lint.engine import lint_paths

    app, rel, content = case
    with tempfile.TemporaryDirectory() as tmp:
        target = _copy_app(tmp, app, rel, content)
        first = lint_paths([target])
        second = lint_paths([target])
        json_first, json_second = _render(first, "json"), _render(second, "json")
        assert json_first == json_second, "two runs over the same files differ"
        data = check_json_report(json_first, apps=len(first))
        check_text_report(_render(first, "text"), sum(len(a["findings"]) for a in data["apps"]))


@fuzz_settings(4, long_divisor=100)
@given(case=mutated_app())
def test_cli_subprocess_never_dies(case):
    app, rel, content = case
    with tempfile.TemporaryDirectory() as tmp:
        target = _copy_app(tmp, app, rel, content)
        result = subprocess.run(
            [sys.executable, "-m", "stripe_perm_lint", "--format", "json", target.name],
            capture_output=True, text=True, cwd=tmp, timeout=180,
        )
    note(f"stderr: {result.stderr[-2000:]}")
    assert result.returncode in (0, 1), f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    check_json_report(result.stdout, apps=1)


# ---------------------------------------------------------------------------------------------
# explicit: nesting far past what an in-process parser survives, through a whole run

DEEP = 10_000
_RUN_SCRIPT = """
import json, sys
from pathlib import Path
from stripe_perm_lint.engine import lint_paths
reports = lint_paths([Path(sys.argv[1])])
print(json.dumps({
    "findings": [[f.code, f.location.path, f.message] for r in reports for f in r.findings],
    "required": sorted({p for r in reports for p in r.required}),
}))
"""
# Two calls on the installing account: one beside the deep file, one buried in it.
_OK_TS = "import Stripe from 'stripe';\nconst s = new Stripe('k', {stripeAccount: 'acct_1'});\ns.customers.list();\n"
_DEEP_TS = "import Stripe from 'stripe';\nconst t = new Stripe('k', {stripeAccount: 'acct_1'});\nconst a = {o}t.invoices.list(){c};\n"
_DEEP_PY = "import stripe\nx = {o}stripe.Invoice.list(stripe_account='acct_1'){c}\n"


def _deep(template: str, opener: str, closer: str) -> str:
    return template.replace("{o}", opener * DEEP).replace("{c}", closer * DEEP)


def _alias_bomb(levels: int = 10, fan: int = 10) -> str:
    lines = ["a0: &a0 [customer_read, customer_read]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\npermissions: *a{levels - 1}\n"


_MANIFEST = json.dumps({"id": "com.example.deep", "version": "1.0.0", "name": "Deep", "icon": "",
                        "permissions": [{"permission": "customer_read", "purpose": "p"}]})

DEEP_CASES = {
    # name: (file, its content, the codes acceptable on that file)
    # A source nested past what a parser survives is either analysed in full (the buried call is
    # seen: SPL101 for invoice_read, which the manifest lacks) or reported (SPL901), never lost.
    "python-brackets": ("backend/deep.py", _deep(_DEEP_PY, "[", "]"), {"SPL901", "SPL101"}),
    "python-parens": ("backend/deep.py", _deep(_DEEP_PY, "(", ")"), {"SPL901", "SPL101"}),
    "typescript-brackets": ("src/deep.ts", _deep(_DEEP_TS, "[", "]"), {"SPL901", "SPL101"}),
    "json-manifest": ("stripe-app.json", '{"permissions": ' + "[" * DEEP + "]" * DEEP + "}", {"SPL001"}),
    "json-manifest-objects": ("stripe-app.json", '{"permissions": [' + '{"a": ' * DEEP + "1" + "}" * DEEP + "]}", {"SPL001"}),
    "yaml-manifest": ("stripe-app.yaml", "permissions: " + "[" * DEEP + "]" * DEEP + "\n", {"SPL001"}),
    "yaml-manifest-block": ("stripe-app.yaml", "permissions:\n" + "".join(" " * i + "- \n" for i in range(2000)), {"SPL001"}),
    "yaml-alias-bomb": ("stripe-app.yaml", _alias_bomb(), {"SPL001"}),
}


@pytest.fixture(scope="module")
def deep_runs(tmp_path_factory):
    """Lint each deep case in its own process, all at once (they are independent and mostly wait)."""
    running = {}
    for case, (rel, content, _) in DEEP_CASES.items():
        app = tmp_path_factory.mktemp(case) / "app"
        (app / "src").mkdir(parents=True)
        if not rel.startswith("stripe-app."):
            (app / "stripe-app.json").write_text(_MANIFEST)
        (app / "src" / "ok.ts").write_text(_OK_TS)
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(content)
        running[case] = subprocess.Popen(
            [sys.executable, "-c", _RUN_SCRIPT, str(app)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    results = {}
    for case, process in running.items():
        try:
            out, err = process.communicate(timeout=150)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            err += "\n(killed after 150 s)"
        results[case] = (process.returncode, out, err)
    return results


@pytest.mark.parametrize("case", sorted(DEEP_CASES))
def test_deep_nesting_becomes_a_finding_not_a_crash(case, deep_runs):
    rel, _, codes = DEEP_CASES[case]
    returncode, out, err = deep_runs[case]
    assert returncode == 0, f"the run died (exit {returncode}): {err[-1500:]}"
    assert "Traceback" not in err, err[-1500:]
    report = json.loads(out)
    on_file = {code for code, path, _ in report["findings"] if path == rel}
    assert on_file & codes, f"expected one of {sorted(codes)} on {rel}: {report['findings']}"
    assert "customer_read" in report["required"], "the rest of the app was still analysed"


# ---------------------------------------------------------------------------------------------
# explicit: the smallest forms of what fuzzing found, so each stays fixed

MANIFEST_REGRESSIONS = {
    # PyYAML's safe constructors raise plain Python errors on tagged or timestamp-like scalars
    # they cannot build (ValueError, KeyError, IndexError, AttributeError): not YAMLError.
    "yaml-float-tag": "id: !!float x\n",
    "yaml-int-tag": "id: !!int x\n",
    "yaml-empty-int-tag": "id: !!int\n",
    "yaml-hex-int-tag": "id: !!int 0x\n",
    "yaml-bool-tag": "id: !!bool x\n",
    "yaml-timestamp-tag": "id: !!timestamp x\n",
    "yaml-timestamp-hour": "id: !!timestamp 2001-12-14 25:00:00\n",
    "yaml-implicit-date": "id: com.example.x\nversion: 2024-02-30\n",  # no tag: looks like a date
    "yaml-implicit-date-in-list": "permissions:\n  - 2024-13-01\n",
}


@pytest.mark.parametrize("case", sorted(MANIFEST_REGRESSIONS))
def test_manifest_regressions(case, tmp_path):
    (tmp_path / "stripe-app.yaml").write_text(MANIFEST_REGRESSIONS[case])
    with time_limit(CALL_TIME_LIMIT, "read_manifest"):
        manifest = read_manifest(tmp_path, "stripe-app.yaml")
    check_manifest(manifest, "stripe-app.yaml")


SOURCE_REGRESSIONS = {
    # libcst accepts string literals that CPython refuses, and its ``evaluated_value`` then raises
    # (it calls ``ast.literal_eval``): the file should be a syntax error, not an internal error.
    "python-nul-in-expand": ("a.py", 'import stripe\nstripe.Customer.list(expand=["a\x00"])\n'),
    "python-nul-in-raw-path": ("a.py", 'import stripe\nstripe.raw_request("get", "/v1/\x00")\n'),
    "python-bad-unicode-name": ("a.py", 'import stripe\nstripe.Customer.list(expand=["\\N{NOPE}"])\n'),
    "python-bad-name-in-handler": ("a.py", '@webhooks.handler("\\N{NOPE}")\ndef f(event):\n    pass\n'),
    "python-str-bytes-concat": ("a.py", 'if event.type == "a" b"b":\n    pass\n'),
    "python-nul-in-event": ("a.py", 'import stripe\nevent = stripe.Webhook.construct_event(p, s, k)\nassert event.type == "\x00x"\n'),
}


@pytest.mark.parametrize("case", sorted(SOURCE_REGRESSIONS))
def test_source_regressions(case):
    path, text = SOURCE_REGRESSIONS[case]
    with time_limit(CALL_TIME_LIMIT, "parse_file"):
        facts = _parse(path, text)
    check_facts(facts, path)


_HOOK_PY = (
    "import stripe\n\n"
    "def handle(payload, sig):\n"
    "    event = stripe.Webhook.construct_event(payload, sig, 'whsec')\n"
    "    if event.type == {name}:\n"
    "        pass\n"
)
_HOOK_TS = (
    "import Stripe from 'stripe';\n"
    "export function handle(event: Stripe.Event) {{\n"
    "  switch (event.type) {{\n"
    "    case {name}: break;\n"
    "  }}\n"
    "}}\n"
)
TEXT_REGRESSIONS = {
    # PyYAML's ReaderError message has a line break ('\n  in "<unicode string>", position 0').
    "yaml-reader-error": {"stripe-app.yaml": b"\x00id: x\n"},
    # The JSON error quotes the offending character as is.
    "json-control-character": {"stripe-app.json": b'\x1b[2J{"id": "x"}'},
    # Python string escapes are decoded, so the event name carries real ESC / BEL / newline
    # characters into the report: a terminal title change and colours from the analysed code.
    "python-event-escapes": {"backend/hook.py": _HOOK_PY.format(name=r'"x\x1b]0;PWNED\x07\x1b[31m"').encode()},
    "python-event-newline": {"backend/hook.py": _HOOK_PY.format(name=r'"a\nb"').encode()},
    "ts-template-newline": {"server/hook.ts": _HOOK_TS.format(name="`a\nb`").encode()},
    "ts-raw-escape-character": {"server/hook.ts": _HOOK_TS.format(name="'x\x1b[2Jy'").encode()},
}


@pytest.mark.parametrize("case", sorted(TEXT_REGRESSIONS))
def test_text_report_regressions(case, tmp_path):
    """Text output stays one line per finding, free of control characters, whatever the files hold."""
    from stripe_perm_lint.engine import lint_paths

    app = tmp_path / "app"
    app.mkdir()
    files = TEXT_REGRESSIONS[case]
    if not any(name.startswith("stripe-app.") for name in files):
        (app / "stripe-app.json").write_text(_MANIFEST)
    for rel, data in files.items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_bytes(data)
    reports = lint_paths([app])
    data = check_json_report(_render(reports, "json"), apps=1)
    check_text_report(_render(reports, "text"), sum(len(a["findings"]) for a in data["apps"]))


def test_analysed_code_does_not_make_python_print_warnings(tmp_path):
    """Parsing a file with CPython's parser (for a precise syntax-error position) or evaluating its
    string literals must not print the analysed file's SyntaxWarnings on the user's stderr."""
    app = tmp_path / "app"
    (app / "backend").mkdir(parents=True)
    (app / "stripe-app.json").write_text(_MANIFEST)
    (app / "backend" / "broken.py").write_text("x = 1if y else 2\nz = '\\d'\ndef (\n")
    (app / "backend" / "hook.py").write_text(_HOOK_PY.format(name="'customer.\\d'"))
    result = subprocess.run([sys.executable, "-m", "stripe_perm_lint", str(app)], capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert "Warning" not in result.stderr, result.stderr
