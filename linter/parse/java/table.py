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


_SERVICE_PACKAGE = "com.stripe.service"


@functools.cache
def service_classes() -> dict[str, str]:
    """The class stripe-java names each service by -> its chain: `com.stripe.service.CustomerService`
    -> `customers()`, `...service.CustomerBalanceTransactionService` -> `customers().balanceTransactions()`,
    `...service.checkout.SessionService` -> `checkout().sessions()`. A namespace (a chain with no
    methods of its own: `checkout()`, `v2()`) is a package; a resource prefixes its sub-services."""
    resources = {a.rsplit(".", 1)[0] for a in _table()["methods"].get("java_client", {})}
    out = {}
    for chain in sorted(service_chains()):
        if chain.startswith("v1()") or chain not in resources:
            continue  # `v1().customers()` is `customers()`'s class too; a namespace has none to type a value with
        parts = chain.split(".")
        packages, prefix = [_SERVICE_PACKAGE], ""
        for i, part in enumerate(parts):
            name = part.removesuffix("()")
            if ".".join(parts[:i + 1]) in resources:
                prefix += _singular(name[:1].upper() + name[1:])
            else:
                packages.append(name.lower())
        out[".".join(packages) + "." + prefix + "Service"] = chain
    return out


def _singular(word: str) -> str:
    """`Capabilities` -> `Capability`, `Sessions` -> `Session`, `Balance` as it is."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
