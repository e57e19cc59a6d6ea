"""stripe-java's method table (``catalog/languages/java.json``), read once per process: which
member chains are SDK methods, which model classes exist."""

from __future__ import annotations

import functools

from stripe_perm_lint.catalog import load_catalog


def _table() -> dict:
    return load_catalog().language_table("java_legacy") or {"methods": {}}


def is_method(style: str, accessor: str) -> bool:
    return accessor in _table()["methods"].get(style, {})


@functools.cache
def model_classes() -> frozenset[str]:
    """``Customer``, ``checkout.Session``: the classes the legacy and instance styles name."""
    methods = _table()["methods"]
    return frozenset(a.rsplit(".", 1)[0] for style in ("java_legacy", "java_instance") for a in methods.get(style, {}))


@functools.cache
def service_chains() -> frozenset[str]:
    """Every chain of service accessors a client method goes through: `customers()`,
    `v1().checkout().sessions()`, so that `client.customers()` held in a variable stays a client."""
    chains = set()
    for accessor in _table()["methods"].get("java_client", {}):
        parts = accessor.split(".")[:-1]
        for i in range(1, len(parts) + 1):
            chains.add(".".join(parts[:i]))
    return frozenset(chains)
