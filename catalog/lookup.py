"""Indexes behind `operation_for_call`, `operation_for_http` and `is_sdk_helper`.

Built by `Catalog` from its own data: nothing here loads the catalog or imports the generator.
"""

from __future__ import annotations

import re

from stripe_perm_lint.catalog import path_rules
from stripe_perm_lint.catalog.model import Operation, Requirement

STYLES = {"node": "node", "python_client": "python", "python_legacy": "legacy", "python_instance": "instance"}
_LEGACY = "python_legacy"


def call_index(ops: tuple[Operation, ...]) -> dict[str, dict[str, Operation]]:
    """style -> accessor -> operation. An accessor that changed endpoint across SDK versions
    resolves to the current one (ops of the newest SDKs first)."""
    index: dict[str, dict[str, Operation]] = {s: {} for s in STYLES}
    for op in sorted(ops, key=lambda o: (not o.in_latest, o.id)):
        for style, attr in STYLES.items():
            for acc in getattr(op, attr):
                index[style].setdefault(acc, op)
        if op.api == "oauth":  # legacy `stripe.OAuth.token()` is a module function, not a resource class
            index[_LEGACY].setdefault("OAuth." + op.path.rsplit("/", 1)[-1], op)
    return index


def _candidates(style: str, accessor: str):
    acc = accessor.strip()
    for prefix in ("stripe.", "client."):
        if acc.startswith(prefix) and style in STYLES and style != "node":
            acc = acc[len(prefix):]
    yield acc
    if style.startswith("python") and acc.endswith("_async"):
        yield acc[: -len("_async")]


def find_call(index, style: str, accessor: str) -> Operation | None:
    table = index.get(style)
    if table is None:
        return None
    for acc in _candidates(style, accessor):
        if acc in table:
            return table[acc]
    return None


def is_helper(patterns: tuple[str, ...], style: str, accessor: str) -> bool:
    for acc in _candidates(style, accessor):
        names = {acc}
        if style == "python_instance" and "." in acc:
            names.add(acc.rsplit(".", 1)[-1])  # generic StripeObject methods on any class
        for name in names:
            for pat in patterns:
                if pat.startswith("*.") and name.rsplit(".", 1)[-1] == pat[2:] and "." in name:
                    return True
                if name == pat or (pat.endswith(".*") and name.startswith(pat[:-1])):
                    return True
                if pat.endswith(".*") and name == pat[:-2]:
                    return True
    return False


_PLACEHOLDER = re.compile(r"^(\{.*\}|\$\{.*\}|:\w+|<\w+>)$")
_ID_LIKE = re.compile(r"\d|^[a-z]+_[A-Za-z0-9]*[A-Z][A-Za-z0-9]*$")


def _segments(verb: str, path: str) -> list[str]:
    path = re.sub(r"^[a-z]+://[^/]+", "", path.strip()).split("?")[0].split("#")[0]
    segs = [s for s in path.split("/") if s]
    if segs[:2] == ["v1", "oauth"]:  # apps post the token exchange to api.stripe.com/v1/oauth/token too
        segs = segs[1:]
    if not segs or segs[0] not in ("v1", "v2", "oauth"):
        segs = ["v1", *segs]  # legacy StripeResource.extend paths are relative to /v1/
    return segs


class HttpIndex:
    def __init__(self, ops: tuple[Operation, ...], permission_names: frozenset[str]):
        self._valid = permission_names  # for the requirements of synthesized raw-request operations
        self._by_verb: dict[str, list[tuple[list[str], Operation]]] = {}
        for op in ops:
            segs = ["{}" if s.startswith("{") else s for s in op.path.strip("/").split("/")]
            self._by_verb.setdefault(op.verb, []).append((segs, op))

    def find(self, verb: str, path: str) -> Operation | None:
        verb = verb.upper()
        segs = _segments(verb, path)
        best, best_score = None, -1
        for op_segs, op in self._by_verb.get(verb, ()):
            if len(op_segs) != len(segs):
                continue
            score = 0
            for want, have in zip(segs, op_segs):
                if _PLACEHOLDER.match(want):
                    if have != "{}":
                        break
                elif want == have:
                    score += 1
                elif have != "{}":
                    break
            else:
                if score > best_score or (score == best_score and best is not None and not best.in_latest and op.in_latest):
                    best, best_score = op, score
        return best or self._synthesize(verb, segs)

    def _synthesize(self, verb: str, segs: list[str]) -> Operation | None:
        """Raw-request aliases no SDK method uses (`/v1/customers/{}/cards`): path rules only."""
        rest = ["{}" if _PLACEHOLDER.match(s) or (_ID_LIKE.search(s) and s != "3d_secure") else s for s in segs[1:]]
        norm = "/" + "/".join([segs[0], *rest])
        rule = path_rules.match(norm)
        if rule is None or verb not in ("GET", "POST", "DELETE"):
            return None
        req = path_rules.requirement(verb, norm, self._valid)  # the same computation the build uses
        return Operation(id=f"{verb} {norm}", verb=verb, path=norm, api=segs[0], object=None, return_kind="object",
                         requirement=Requirement.from_json(req), sdk_versions="raw request (path rules only)",
                         in_latest=False)
