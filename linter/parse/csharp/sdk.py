"""What the parser knows of Stripe.net, from the committed table (catalog/languages/csharp.json):
the service classes and their methods, the ``StripeClient`` service tree, the event-type
constants. Loaded once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from stripe_perm_lint.catalog import load_catalog

STYLE = "dotnet"  # `new CustomerService().Get`: accessor `CustomerService.Get`
CLIENT_STYLE = "dotnet_client"  # `client.V1.Customers.Get`: accessor `V1.Customers.Get`
CLIENT_TYPES = ("StripeClient", "IStripeClient")
# Dependency injection: what a client or service handed in by type links to, a name no C#
# identifier can clash with (``parse.csharp.registrations``, ``csharp_links``).
DI_PREFIX = "@di:"


def di_name(kind: str, cls: str) -> str:
    """`@di:StripeClient` for either client type (they are one client), `@di:CustomerService`."""
    return DI_PREFIX + ("StripeClient" if kind == "client" else cls)


# What builds a webhook event from a request, and what only parses one.
EVENT_SOURCES = ("ConstructEvent", "ParseEvent", "ConstructEventWithoutVerification")


@dataclass(frozen=True)
class Sdk:
    methods: frozenset[str]  # `CustomerService.Get`, `Checkout.SessionService.Create`
    services: frozenset[str]  # `CustomerService`, `Checkout.SessionService`
    client_methods: frozenset[str]  # `V1.Customers.Get`
    client_prefixes: frozenset[str]  # `V1`, `V1.Customers`, `V1.Checkout.Sessions`
    helpers: frozenset[str]  # `EventUtility.ConstructEvent`
    constants: dict  # `EventTypes.ChargeSucceeded` -> `charge.succeeded`
    nested: dict  # `CustomerService` -> {`BalanceTransactions`: `CustomerBalanceTransactionService`}

    def service_class(self, written: str, namespaces: tuple[str, ...]) -> str | None:
        """A type as the file writes it (`SessionService`, `Stripe.Checkout.SessionService`) ->
        the table's class, looked up in the Stripe namespaces the file imports, as C# does."""
        name = written.removeprefix("global::").removeprefix("Stripe.")
        if "<" in name:
            return None
        candidates = [f"{ns}.{name}" for ns in namespaces] + [name]
        found = next((c for c in candidates if c in self.services), None)
        if found is None and "." not in name:
            # Imported elsewhere (`global using Stripe.Billing;`): a name only one class has.
            owners = [c for c in self.services if c.endswith(f".{name}")]
            found = owners[0] if len(owners) == 1 else None
        return found


@functools.cache
def sdk() -> Sdk:
    table = load_catalog().language_table(STYLE)
    methods = frozenset(table["methods"][STYLE])
    client = frozenset(table["methods"][CLIENT_STYLE])
    prefixes = {".".join(m.split(".")[:i]) for m in client for i in range(1, m.count(".") + 1)}
    return Sdk(methods, frozenset(m.rsplit(".", 1)[0] for m in methods), client, frozenset(prefixes),
               frozenset(table["helpers"][STYLE]), table["constants"], table.get("nested", {}))
