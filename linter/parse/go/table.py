"""What the Go parser needs of the committed stripe-go table (``catalog/languages/go.json``): the
accessors of each call style, the SDK's helpers and its `EventType` constants."""

from __future__ import annotations

import functools

from stripe_perm_lint.catalog import load_catalog


@functools.cache
def go_table() -> dict:
    return load_catalog().language_table("go_legacy") or {"methods": {}}


def is_method(style: str, accessor: str) -> bool:
    return accessor in go_table()["methods"].get(style, {})


def is_helper(style: str, accessor: str) -> bool:
    return accessor in go_table().get("helpers", {}).get(style, ())


@functools.cache
def resource_packages() -> frozenset[str]:
    """The SDK packages whose functions call the API (`customer`, `checkout/session`)."""
    return frozenset(a.rsplit(".", 1)[0] for a in go_table()["methods"].get("go_legacy", {}))


@functools.cache
def client_fields() -> frozenset[str]:
    """The first member of every client accessor (`Customers`, `V1Customers`): a chain starting
    with one on a receiver named for Stripe looks like a client's."""
    return frozenset(a.split(".", 1)[0] for style in ("go_api", "go_client")
                     for a in go_table()["methods"].get(style, {}))


def event_type_constant(name: str) -> str | None:
    """`EventTypeInvoicePaid` -> `invoice.paid`, from the SDK's own constants."""
    return go_table().get("event_types", {}).get(name)
