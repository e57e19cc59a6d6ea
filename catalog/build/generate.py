"""`generate()`: the text of every catalog JSON file, made from the pinned SDK packages.

Packages are downloaded into `.sdk-cache/` (see fetch.py) and read as text only; the hand-kept
inputs are `seed_reference.json` and `permission_data.py` here and `../path_rules.py`.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from stripe_perm_lint.catalog.build import fetch, node, node_types, objects, permission_data, python, python_types
from stripe_perm_lint.catalog.build.operations import OpTable, normalize
from stripe_perm_lint.catalog.build.pysource import Package
from stripe_perm_lint.catalog.build.versions import NODE_ALL, NODE_LATEST, NODE_TYPED, PYTHON_ALL, PYTHON_LATEST, PYTHON_TYPED

HERE = Path(__file__).resolve().parent
CATALOG = HERE.parent  # where the generated files live: the runtime package's data
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
    legacy = {v: python.legacy_rows(_package(v)) for v in PYTHON_ALL}
    # `rank` orders the path templates: newest python first (it has the placeholder names).
    for i, version in enumerate(reversed(PYTHON_ALL)):
        for acc, verb, path, obj, kind in python.client_rows(_package(version)):
            table.add("python", version, i, verb, path, obj=obj, kind=kind, python=acc)
            if acc.startswith("v1."):  # deprecated `client.customers` properties (13.0+) still exist
                table.add("python", version, i, verb, path, python=acc[3:])
        for style, acc, verb, path, obj, is_literal in legacy[version]:
            if is_literal:
                table.add("python", version, 50 + i, verb, path, **{style: acc})
    for i, version in enumerate(reversed(NODE_ALL)):
        for acc, verb, path in node.node_rows(fetch.node_package(version)):
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
        python_types.merge_types(merged, python_types.object_types(_package(version)))
    for version in NODE_TYPED:  # only fills gaps: the Python types know nested objects too
        for obj, fields in node_types.expandable_fields(node_types.typings(fetch.node_tarball(version))).items():
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
    types = objects.prune_types(object_types())
    top_level = {t for t in types if "::" not in t}
    reads = objects.object_reads(ops, top_level)
    for row in seed["event_rows"].values():
        unknown = set(row) - valid
        if unknown:
            raise ValueError(f"event table uses unknown names {unknown}")
    events = objects.events(seed["event_rows"], reads)
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
        "objects.json": _dump({"objects": reads, "types": types, "field_overrides": objects.FIELD_OVERRIDES}),
        "events.json": _dump({"events": events}),
        "sdk.json": _dump(sdk),
    }
