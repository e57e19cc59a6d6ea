"""The method tables of the SDKs of the backend languages (Ruby, Go, PHP, C#, Java).

Unlike stripe-node and stripe-python, those SDKs are on no registry CI reaches, so each table is
generated once from a checkout of the SDK's public repository and committed, with its
provenance, as ``catalog/languages/<language>.json``. This module is what every language's
generator shares: joining an SDK's (verb, path) onto the catalog's operations, writing a table,
and the check that runs in CI without the SDK sources (``--check``): every operation a table
names exists, and every current operation is reachable in each table or said to be absent.

    python -m stripe_perm_lint.catalog.build.languages --check
    python -m stripe_perm_lint.catalog.build.lang_<language> --sdk PATH   # regenerate one table

A table (see docs/languages.md):

    {"language": "ruby", "sdk": "stripe-ruby", "sdk_version": "19.5.0",
     "source": "https://github.com/stripe/stripe-ruby commit 51a1809...",
     "generated_by": "python -m stripe_perm_lint.catalog.build.lang_ruby --sdk PATH",
     "display": {"ruby_client": "client.{}", "ruby_legacy": "Stripe::{}"},  # how a call is shown
     "methods": {"ruby_client": {"v1.customers.retrieve": "GET /v1/customers/{customer}"}, ...},
     "convention": {"java_legacy": ["Customer.retrieve", ...]},   # derived by naming convention
     "helpers": {"ruby_legacy": ["Webhook.construct_event"]},    # SDK members that call no API
     "absent": {"POST /v1/...": "why no method of this SDK reaches it"}}
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

LANGUAGES_DIR = Path(__file__).resolve().parent.parent / "languages"
# Parameters as each SDK writes them in a path: `{customer}`, `%s`, `%<customer>s` (Ruby),
# `{WebUtility.UrlEncode(id)}` (C#), `#{id}` (Ruby interpolation), `:id`.
_PARAMETER = re.compile(r"\{[^/]*\}|%<\w+>s|%[sdv]|#\{[^/]*\}|:\w+")
REQUIRED_KEYS = ("language", "sdk", "sdk_version", "source", "generated_by", "display", "methods")


def shape(verb: str, path: str) -> tuple[str, str]:
    """(VERB, path with every parameter written `{}`): how operations are joined across SDKs."""
    return verb.upper(), _PARAMETER.sub("{}", path.split("?", 1)[0])


def operation_index() -> dict[tuple[str, str], str]:
    """(verb, `{}` path) -> operation id, over the committed ``operations.json``."""
    ops = json.loads((LANGUAGES_DIR.parent / "operations.json").read_text("utf-8"))["operations"]
    return {shape(o["verb"], o["path"]): o["id"] for o in ops}


def required_operations() -> list[str]:
    """The operations each table must reach or explain: every one of the current API (`in_latest`)
    but Connect OAuth, which each SDK exposes through its own OAuth helper, not a resource."""
    ops = json.loads((LANGUAGES_DIR.parent / "operations.json").read_text("utf-8"))["operations"]
    return sorted(o["id"] for o in ops if o["in_latest"] and o["api"] != "oauth")


def dump(table: dict) -> str:
    return json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_table(table: dict) -> Path:
    """Write ``catalog/languages/<language>.json`` (whole file; the generator is its only writer)."""
    path = LANGUAGES_DIR / f"{table['language']}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(dump(table), "utf-8")
    return path


def problems(table: dict) -> list[str]:
    """What is wrong with one table, as lines; empty when it is complete and consistent."""
    out = [f"missing key `{k}`" for k in REQUIRED_KEYS if k not in table]
    if out:
        return out
    known = set(operation_index().values())
    reached = set()
    for style, methods in sorted(table["methods"].items()):
        if style not in table["display"]:
            out.append(f"style `{style}` has no display template")
        elif "{}" not in table["display"][style]:
            out.append(f"style `{style}`: display template has no `{{}}` for the accessor")
        for accessor, op_id in sorted(methods.items()):
            if op_id not in known:
                out.append(f"{style} `{accessor}` names `{op_id}`, which is no operation of the catalog")
            reached.add(op_id)
    for style, accessors in sorted(table.get("convention", {}).items()):
        for accessor in accessors:
            if accessor not in table["methods"].get(style, {}):
                out.append(f"convention entry {style} `{accessor}` is not in the table's methods")
    absent = table.get("absent", {})
    for op_id in required_operations():
        if op_id not in reached and not absent.get(op_id):
            out.append(f"`{op_id}`: no method reaches it and `absent` gives no reason")
    for op_id in sorted(absent):
        if op_id in reached:
            out.append(f"`{op_id}` is both reached and listed as absent")
    committed = LANGUAGES_DIR / f"{table['language']}.json"
    if not committed.exists():
        out.append(f"no committed file {committed.name}")
    elif dump(table) != committed.read_text("utf-8"):
        out.append("the file is not in the generator's canonical form (sorted keys, one-space indent)")
    return out


def tables() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(LANGUAGES_DIR.glob("*.json"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build.languages",
                                     description="check the committed SDK method tables of the backend languages")
    parser.add_argument("--check", action="store_true", help="exit 1 if any table is incomplete or inconsistent")
    parser.parse_args(argv)
    bad = 0
    for table in tables():
        found = problems(table)
        name = table.get("language", "?")
        reached = len({op for methods in table.get("methods", {}).values() for op in methods.values()})
        print(f"{name}: {reached} operations reached, {len(table.get('absent', {}))} absent"
              + (f", {len(found)} problem(s)" if found else ", complete"))
        for line in found[:40]:
            print(f"  {line}")
        bad += bool(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
