"""Generate the catalog JSON files from the pinned SDK packages.

    python -m stripe_perm_lint.catalog.build            # write catalog/*.json
    python -m stripe_perm_lint.catalog.build --check    # regenerate in memory, exit 1 on a diff

Packages are downloaded into `.sdk-cache/` (see fetch.py) and read as text only.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import re
import sys
from pathlib import Path

from stripe_perm_lint.catalog import build_objects, fetch, permission_data, sdk_node, sdk_node_types, sdk_python, sdk_python_types
from stripe_perm_lint.catalog.build_ops import OpTable, normalize
from stripe_perm_lint.catalog.pysource import Package
from stripe_perm_lint.catalog.versions import NODE_ALL, NODE_LATEST, NODE_TYPED, PYTHON_ALL, PYTHON_LATEST, PYTHON_TYPED

HERE = Path(__file__).resolve().parent
OUTPUTS = ("permissions.json", "operations.json", "objects.json", "events.json", "sdk.json")


def _dump(data) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def permissions(seed: dict) -> dict:
    perms = {}
    for row in seed["permission_rows"]:
        for name in row["permissions"]:
            perms[name] = {"product": row["product"], "resource": row["resource"], "description": row["description"],
                           "docs_url": row["docs_url"], "source": permission_data.CURRENT}
    for name, (source, resource, product, desc) in permission_data.EXTRA_NAMES.items():
        perms.setdefault(name, {"product": product, "resource": resource, "description": desc,
                                "docs_url": None, "source": source})
    for name, p in perms.items():
        p["access"] = "write" if name.endswith("_write") else "read"
        other = name[:-4] + "write" if name.endswith("_read") else name[:-6] + "_read"
        p["counterpart"] = other if other in perms else None
        p["upload_refused"] = permission_data.UPLOAD_REFUSED.get(name)
    implied: dict[str, list] = {}
    for src, granted, source in permission_data.IMPLIED_EDGES:
        for name in (src, granted):
            if name not in perms:
                raise ValueError(f"implied edge uses unknown name {name}")
        edges = implied.setdefault(src, [])
        if [granted, permission_data.CURRENT] not in edges:
            edges.append([granted, source])
    return {"permissions": perms, "implied": {k: sorted(v) for k, v in sorted(implied.items())}}


@functools.cache
def _package(version: str) -> Package:
    return Package(fetch.python_package(version))


def collect_operations(valid: frozenset[str]) -> list[dict]:
    table = OpTable()
    latest = {f"node {NODE_LATEST}", f"python {PYTHON_LATEST}"}
    legacy = {v: sdk_python.legacy_rows(_package(v)) for v in PYTHON_ALL}
    # `rank` orders the path templates: newest python first (it has the placeholder names).
    for i, version in enumerate(reversed(PYTHON_ALL)):
        for acc, verb, path, obj, kind in sdk_python.client_rows(_package(version)):
            table.add("python", version, i, verb, path, obj=obj, kind=kind, python=acc)
            if acc.startswith("v1."):  # deprecated `client.customers` properties (13.0+) still exist
                table.add("python", version, i, verb, path, python=acc[3:])
        for style, acc, verb, path, obj, is_literal in legacy[version]:
            if is_literal:
                table.add("python", version, 50 + i, verb, path, **{style: acc})
    for i, version in enumerate(reversed(NODE_ALL)):
        for acc, verb, path in sdk_node.node_rows(fetch.node_package(version)):
            table.add("node", version, 100 + i, verb, path, node=acc)
            if acc.startswith("accounts."):  # `stripe.account` is kept as an alias of `stripe.accounts`
                table.add("node", version, 100 + i, verb, path, node="account." + acc[len("accounts."):])
    # Generic mixin rows count only where a literal source of any version has the endpoint.
    known = set(table.rows)
    for i, version in enumerate(reversed(PYTHON_ALL)):
        for style, acc, verb, path, obj, is_literal in legacy[version]:
            if not is_literal and (verb, normalize(path)) in known:
                table.add("python", version, 50 + i, verb, path, obj=obj, **{style: acc})
    return table.build(valid, latest)


def object_types() -> dict:
    merged: dict = {}
    for version in PYTHON_TYPED:
        sdk_python_types.merge_types(merged, sdk_python_types.object_types(_package(version)))
    for version in NODE_TYPED:  # only fills gaps: the Python types know nested objects too
        for obj, fields in sdk_node_types.expandable_fields(sdk_node_types.typings(fetch.node_tarball(version))).items():
            if obj in merged:
                for name, (kind, targets, array) in fields.items():
                    if name not in merged[obj] or merged[obj][name][0] == "scalar":
                        merged[obj][name] = [kind, set(targets), array]
    return merged


def api_version() -> str:
    text = (fetch.node_package(NODE_LATEST) / "cjs" / "apiVersion.js").read_text("utf-8")
    return re.search(r"ApiVersion = '([^']+)'", text).group(1)


def generate() -> dict[str, str]:
    seed = json.loads((HERE / "seed_reference.json").read_text("utf-8"))
    perms = permissions(seed)
    valid = frozenset(perms["permissions"])
    ops = collect_operations(valid)
    types = build_objects.prune_types(object_types())
    top_level = {t for t in types if "::" not in t}
    objects = build_objects.object_reads(ops, top_level)
    for row in seed["event_rows"].values():
        unknown = set(row) - valid
        if unknown:
            raise ValueError(f"event table uses unknown names {unknown}")
    events = build_objects.events(seed["event_rows"], objects)
    sdk = {
        "api_version": api_version(),
        "sdk_versions": {"node": NODE_LATEST, "python": PYTHON_LATEST},
        "older_sdk_versions": {"node": list(NODE_ALL[:-1]), "python": list(PYTHON_ALL[:-1]),
                               "python_typed": list(PYTHON_TYPED), "node_typed": list(NODE_TYPED)},
        "event_permission": "event_read",
        "ui_functions": permission_data.UI_FUNCTIONS,
        "sdk_helpers": {k: sorted(v) for k, v in permission_data.SDK_HELPERS.items()},
    }
    return {
        "permissions.json": _dump(perms),
        "operations.json": _dump({"operations": ops}),
        "objects.json": _dump({"objects": objects, "types": types, "field_overrides": build_objects.FIELD_OVERRIDES}),
        "events.json": _dump({"events": events}),
        "sdk.json": _dump(sdk),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files differ from a fresh build")
    args = parser.parse_args(argv)
    files = generate()
    if args.check:
        bad = 0
        for name, text in files.items():
            path = HERE / name
            old = path.read_text("utf-8") if path.exists() else ""
            if old != text:
                bad += 1
                diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), f"committed/{name}", f"generated/{name}", n=0, lineterm=""))
                print(f"{name}: differs ({sum(1 for d in diff if d[:1] in '+-') - 2} changed lines)")
                print("\n".join(diff[:30]))
        print("catalog is up to date" if not bad else f"{bad} catalog file(s) are stale: run python -m stripe_perm_lint.catalog.build")
        return 1 if bad else 0
    for name, text in files.items():
        (HERE / name).write_text(text, "utf-8")
    print(f"wrote {', '.join(files)} to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
