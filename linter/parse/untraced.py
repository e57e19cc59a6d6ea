"""When a receiver of untraced origin behaves like a Stripe client (docs/semantics.md §11), for
both parsers. Only text and the catalog's accessor names live here; each parser walks its own
syntax (``parse/typescript/inferred.py``, ``parse/python/inferred.py``) and asks ``looks_like_client``
about the member chain it found.

A call ``<receiver>.<chain>()`` on a receiver nobody traced is an ``UntracedClient`` when

- the chain is exactly an SDK method the catalog knows and hangs off a bare name or call
  (`client.invoices.list()`), whatever that is called: the shape alone is Stripe's (a member such
  as `deps.github` is named for what it is); or
- the receiver's name says Stripe and the chain starts with an SDK resource
  (`stripe.customers.someWrapper()`, `stripe_client.Customer.sync_all()`), unless the method is
  one of a plain collection's (`stripeData.charges.filter()` is an array, not a resource).

`db.customers.find()` is neither, and stays silent: the summary must not cry wolf.
"""

from __future__ import annotations

import functools

from stripe_perm_lint.catalog import load_catalog

# Methods of arrays, maps, strings, promises, lists and dicts: a chain ending in one reads data
# that merely has a resource's name (`stripeData.charges.map(...)`), not an API.
_COLLECTION_METHODS = frozenset({
    "map", "filter", "forEach", "find", "findIndex", "reduce", "some", "every", "includes", "indexOf",
    "push", "pop", "shift", "slice", "splice", "join", "sort", "concat", "flat", "flatMap", "keys",
    "values", "entries", "get", "set", "has", "add", "toString", "then", "catch", "finally", "length",
    "append", "extend", "items", "copy", "count", "index", "startswith", "startsWith", "split", "strip",
    "trim", "lower", "upper", "toLowerCase", "toUpperCase", "at", "clear", "remove", "insert", "setdefault",
})
# Namespaces of SDK helpers, not resources: `stripe.webhooks.constructEvent` is no API call.
_HELPER_NAMESPACES = frozenset({"webhooks", "errors", "StripeResource", "Webhook", "error", "util"})


@functools.cache
def sdk_resources(language: str) -> frozenset[str]:
    """First segments of the SDK's method accessors: `customers`, `checkout`, `v2` (stripe-node);
    `customers`, `v1` (StripeClient) and `Customer`, `checkout` (legacy classes) in Python."""
    catalog = load_catalog()
    attrs = ("node",) if language == "typescript" else ("python", "legacy")
    return frozenset(
        accessor.split(".", 1)[0]
        for op in catalog.operations
        for attr in attrs
        for accessor in getattr(op, attr)
        if "." in accessor
    ) - _HELPER_NAMESPACES


def names_stripe(name: str | None) -> bool:
    return name is not None and "stripe" in name.lower()


def looks_like_client(language: str, receiver_name: str | None, chain: list[str], exact: bool, root: bool) -> bool:
    """Whether a call of ``chain`` (`customers.list`, at least two segments) on an untraced receiver
    called ``receiver_name`` makes that receiver look like a Stripe client. ``exact``: the chain
    is an SDK method the catalog knows (and no SDK helper); ``root``: the receiver is a name or a
    call's result, not a member (a member's own name, `deps.github`, says what it is)."""
    if len(chain) < 2 or chain[0] in _HELPER_NAMESPACES:
        return False
    if exact and root:
        return True
    return (
        names_stripe(receiver_name)
        and chain[0] in sdk_resources(language)
        and chain[-1] not in _COLLECTION_METHODS
    )


def receiver_label(text: str) -> str:
    """The receiver as written, on one line and short enough for a summary."""
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."
