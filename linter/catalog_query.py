"""``stripe-perm-lint catalog lookup QUERY``: what the bundled catalog says about one SDK method,
HTTP endpoint, event or permission, in the words a user asks with."""

from __future__ import annotations

import re

from stripe_perm_lint.catalog.model import Operation, Requirement

_HTTP = re.compile(r"^(GET|POST|DELETE|PUT|PATCH)\s+(\S+)$", re.IGNORECASE)
_STYLES = (("node", "stripe-node"), ("python_client", "stripe-python StripeClient"),
           ("python_legacy", "stripe-python legacy"), ("python_instance", "stripe-python object method"))


def lookup(catalog, query: str) -> list[str] | None:
    """Lines describing ``query``, or None when the catalog knows nothing by that name."""
    query = query.strip()
    http = _HTTP.match(query)
    if http:
        path = http.group(2)
        if path.startswith("https://api.stripe.com"):
            path = path[len("https://api.stripe.com"):]
        op = catalog.operation_for_http(http.group(1).upper(), path)
        return _operation(catalog, op) if op else None
    if catalog.permission(query) is not None:
        return _permission(catalog, query)
    event = catalog.event(query)
    if event is not None:
        return [
            f"event {event.name}",
            f"  needs: `{catalog.event_permission}` and one of {_names(event.any_of)}",
            f"  recommended: `{event.recommended}`",
        ]
    accessor = query[len("stripe."):] if query.startswith("stripe.") else query
    for style, label in _STYLES:
        op = catalog.operation_for_call(style, accessor)
        if op is not None:
            return [f"{label} `{accessor}`", *_operation(catalog, op)]
    return None


def _operation(catalog, op: Operation) -> list[str]:
    lines = [f"endpoint {op.id} (returns {op.return_kind} of `{op.object or 'unknown'}`)"]
    lines += _requirement(op.requirement)
    sdk = [("stripe-node", op.node), ("stripe-python", op.python), ("stripe-python legacy", op.legacy)]
    lines += [f"  {label}: {', '.join(names)}" for label, names in sdk if names]
    if op.sdk_versions:
        lines.append(f"  seen in: {op.sdk_versions}")
    return lines


def _requirement(req: Requirement) -> list[str]:
    if req.no_permission_reason:
        return [f"  needs: no app permission allows it ({req.no_permission_reason})"]
    if not req.any_of:
        return ["  needs: nothing"]
    lines = [f"  needs ({req.access}): one of {_names(req.any_of)}; recommended `{req.canonical}`"]
    if req.note:
        lines.append(f"  note: {req.note}")
    return lines


def _permission(catalog, name: str) -> list[str]:
    info = catalog.permission(name)
    lines = [f"permission {name} ({info.product}: {info.resource}, {info.access})", f"  {info.description}"]
    if info.counterpart:
        lines.append(f"  counterpart: `{info.counterpart}`")
    for granted, source in catalog.implied_edges(name):
        lines.append(f"  implies: `{granted}` ({source})")
    if info.upload_refused:
        lines.append(f"  refused at upload: {info.upload_refused}")
    uses = sorted(op.id for op in catalog.operations if name in op.requirement.any_of)
    lines.append(f"  meets {len(uses)} endpoint{'s' if len(uses) != 1 else ''}" + (":" if uses else ""))
    lines += [f"    {op}" for op in uses[:20]]
    if len(uses) > 20:
        lines.append(f"    ... and {len(uses) - 20} more")
    return lines


def _names(names) -> str:
    return ", ".join(f"`{n}`" for n in names)
