"""Object types (what reading/expanding one needs), their traversable fields, and events."""

from __future__ import annotations

from stripe_perm_lint.catalog.path_rules import NO_APP_PERMISSION

# Objects whose read requirement is not the one of their own GET endpoint.
_CARD_LIKE = {
    "access": "read", "canonical": "customer_read",
    "any_of": ["connected_account_read", "customer_read", "customer_write", "payment_method_read",
               "payment_method_write", "source_read", "source_write"],
    "no_permission_reason": None,
    "note": "cards and bank accounts live on a customer (sources) or a connected account (external accounts); "
            "any of those permissions is accepted (fewest false alarms)",
}
OBJECT_OVERRIDES = {"card": _CARD_LIKE, "bank_account": _CARD_LIKE}

# Object types that are never permissioned on their own: expanding them needs nothing extra.
EMBEDDED_ONLY_REASON = "not a separately permissioned object: it has no endpoint of its own and comes with its parent"

# Line items only exist inside their parent (a checkout session, payment link, quote, invoice or
# credit note) and are read through the parent's own endpoints: expanding `line_items` needs the
# parent's permission, which the call already needs, not one of some other parent's.
SUB_RESOURCES = {"item", "line_item", "credit_note_line_item"}
SUB_RESOURCE_REASON = "a line item comes with its parent; reading it needs the parent's permission only"

# List envelopes are SDK containers, not API objects.
CONTAINERS = {"list", "search_result", "v2.search_result"}

# Field-level overrides of what expanding one field needs.
FIELD_OVERRIDES = {
    "balance_transaction.source": {
        "access": "read", "any_of": ["balance_transaction_source_read"], "canonical": "balance_transaction_source_read",
        "no_permission_reason": None,
        "note": "current page: balance_transaction_source_read exists to expand `source` on Balance Transactions",
    },
}

# Expandable fields the SDK types do not show (the value is a string until expanded); no targets
# means expanding them needs nothing extra.
EXTRA_FIELDS = {
    ("apps.secret", "payload"): ["expandable", [], False],
}

# Event name prefix -> object type, where the event family is not named after the object.
EVENT_OBJECTS = {
    "customer.subscription": "subscription", "charge.dispute": "dispute", "charge.refund": "refund",
    "customer.discount": "discount", "customer.source": "source", "customer.tax_id": "tax_id",
    "application_fee.refund": "fee_refund", "account.external_account": "bank_account",
    "account.application": "application", "issuing_personalization_design": "issuing.personalization_design",
}


def object_reads(ops: list[dict], type_names: set[str]) -> dict[str, dict]:
    """{object: {"read": requirement, "expand_needs_nothing": bool}} for every object type."""
    best: dict[str, tuple] = {}
    listed: dict[str, set] = {}  # list-only objects (no retrieve): union over their list endpoints
    for op in ops:
        obj = op["object"]
        if not obj or op["verb"] != "GET":
            continue
        segs = op["path"].strip("/").split("/")
        # Prefer a current endpoint, then the retrieve endpoint (`.../{id}`), then the shortest path.
        rank = (not op["in_latest"], op["return_kind"] != "object", not segs[-1].startswith("{"), len(segs), op["path"])
        if op["requirement"]["any_of"] and op["in_latest"]:
            listed.setdefault(obj, set()).update(op["requirement"]["any_of"])
        if obj not in best or rank < best[obj][0]:
            best[obj] = (rank, op["requirement"])
    for obj, (rank, req) in list(best.items()):
        if rank[2] and req["any_of"] and len(listed.get(obj, ())) > len(req["any_of"]):
            note = "returned only by list endpoints of several parents; any of their permissions is accepted"
            best[obj] = (rank, dict(req, any_of=sorted(listed[obj]), note=note))
    out = {}
    for obj in sorted((type_names | set(best)) - CONTAINERS):
        if obj in SUB_RESOURCES:
            out[obj] = {"read": {"access": "read", "any_of": [], "canonical": None, "note": None,
                                 "no_permission_reason": SUB_RESOURCE_REASON},
                        "expand_needs_nothing": True}
        elif obj in OBJECT_OVERRIDES:
            out[obj] = {"read": OBJECT_OVERRIDES[obj], "expand_needs_nothing": False}
        elif obj in best:
            out[obj] = {"read": best[obj][1], "expand_needs_nothing": False}
        else:
            out[obj] = {"read": {"access": "read", "any_of": [], "canonical": None, "note": None,
                                 "no_permission_reason": EMBEDDED_ONLY_REASON},
                        "expand_needs_nothing": True}
    return out


def prune_types(types: dict) -> dict:
    """Keep top-level objects; drop nested types that lead to no object, recursively."""
    types = {
        t: {f: [k, sorted(ts), a] for f, (k, ts, a) in fields.items() if k != "scalar" or "::" not in t}
        for t, fields in types.items()
    }
    for (obj, field), spec in EXTRA_FIELDS.items():
        types.setdefault(obj, {})[field] = spec
    changed = True
    while changed:
        changed = False
        for t in list(types):
            for f, (kind, targets, _arr) in list(types[t].items()):
                live = [x for x in targets if x in types or "::" not in x]
                if kind == "embedded" and not live:
                    # An object with nothing expandable inside (`price.tiers`): a path may still end
                    # on it at top level, so keep its name there as a plain value.
                    if "::" in t:
                        del types[t][f]
                    else:
                        types[t][f] = ["scalar", [], False]
                    changed = True
                elif live != targets:
                    types[t][f][1] = live
                    changed = True
            if "::" in t and not types[t]:
                del types[t]
                changed = True
    return {t: types[t] for t in sorted(types)}


def events(rows: dict[str, list[str]], objects: dict[str, dict]) -> dict[str, dict]:
    """Event rows with the recommended permission (docs/semantics.md §5)."""
    out = {}
    for name, any_of in sorted(rows.items()):
        recommended = None
        parts = name.split(".")[:-1]
        while parts and recommended is None:
            prefix = ".".join(parts)
            obj = EVENT_OBJECTS.get(prefix, prefix)
            canonical = objects.get(obj, {}).get("read", {}).get("canonical")
            if canonical in any_of:
                recommended = canonical
            parts.pop()
        if recommended is None and any_of:
            recommended = sorted(any_of)[0]
        out[name] = {"any_of": sorted(any_of), "recommended": recommended}
    return out


__all__ = ["object_reads", "prune_types", "events", "FIELD_OVERRIDES", "NO_APP_PERMISSION"]
