"""Join the SDK method rows of every pinned version into operations with a requirement."""

from __future__ import annotations

import re
from collections import defaultdict

from stripe_perm_lint.catalog.path_rules import requirement

_PLACEHOLDER = re.compile(r"\{[^}]*\}|%s")


def normalize(path: str) -> str:
    return _PLACEHOLDER.sub("{}", path).rstrip("/") or "/"


def api_of(path: str) -> str:
    return "oauth" if path.startswith("/oauth") else path.split("/")[1]


class OpTable:
    """Accumulates rows from every SDK source, keyed by (VERB, normalised path)."""

    def __init__(self):
        self.rows = defaultdict(lambda: {
            "paths": {}, "node": set(), "python": set(), "legacy": set(), "instance": set(),
            "versions": defaultdict(set), "object": {}, "kind": None})

    def add(self, source: str, version: str, rank: int, verb: str, path: str, *, obj=None, kind=None, **names):
        op = self.rows[(verb, normalize(path))]
        op["paths"].setdefault(rank, path)
        op["versions"][source].add(version)
        for key, value in names.items():
            op[key].add(value)
        if obj:
            op["object"].setdefault(rank, obj)
        if kind and op["kind"] is None:
            op["kind"] = kind

    def build(self, valid: frozenset[str], latest: set[str]) -> list[dict]:
        out = []
        for (verb, norm), op in sorted(self.rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            path = op["paths"][min(op["paths"])]
            accessors = op["node"] | op["python"] | op["legacy"]
            kind = op["kind"] or _guess_kind(accessors)
            versions = "; ".join(f"{src} {' '.join(sorted(v, key=_vkey))}" for src, v in sorted(op["versions"].items()))
            out.append({
                "id": f"{verb} {path}", "verb": verb, "path": path, "api": api_of(norm),
                "object": op["object"][min(op["object"])] if op["object"] else None,
                "return_kind": kind,
                "node": sorted(op["node"]), "python": sorted(op["python"]),
                "legacy": sorted(op["legacy"]), "instance": sorted(op["instance"]),
                "sdk_versions": versions,
                "in_latest": any(f"{src} {ver}" in latest for src, vs in op["versions"].items() for ver in vs),
                "requirement": requirement(verb, norm, valid),
            })
        return out


def _guess_kind(accessors: set[str]) -> str:
    last = {a.rsplit(".", 1)[-1] for a in accessors}
    if any(x.startswith("search") for x in last):
        return "search"
    if any(x.startswith("list") or x.startswith("autoPaging") for x in last):
        return "list"
    return "object"


def _vkey(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))
