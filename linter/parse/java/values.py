"""What a Java expression holds, as far as Stripe is concerned: a client (or one of its
services), request options, expand parameters, a webhook event or its type, a fetched model
object, a credential. Whose account each acts on is one of ``facts.ACCOUNTS``, or "" when the
value says nothing about it (request options that only set an idempotency key)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class JavaClient:
    """A ``StripeClient`` (``chain`` "") or one of its services (``chain`` "v1().customers()").
    ``injected``: Spring's bean, known here by its declared type only (the linker finds its account)."""

    account: str
    chain: str = ""
    injected: bool = False


@dataclass(frozen=True)
class JavaOptions:
    """A ``RequestOptions``: installing with ``setStripeAccount`` or a per-account ``setApiKey``."""

    account: str


@dataclass
class JavaParams:
    """Request parameters whose ``expand`` the parser follows: a ``...Params.builder()`` chain, a
    ``Map`` filled with ``put("expand", ...)``, or a ``List`` of paths filled with ``add``."""

    paths: list = field(default_factory=list)  # (path, string node)
    dynamic: bool = False
    events: list = field(default_factory=list)  # enabled_events put into a map: (name, node)


@dataclass(frozen=True)
class JavaEvent:
    """A webhook event (``Webhook.constructEvent``, a parameter typed ``Event``)."""


@dataclass(frozen=True)
class JavaEventType:
    """``event.getType()``."""


@dataclass(frozen=True)
class JavaModel:
    """A stripe-java model object fetched or typed as such (``Customer``, ``checkout.Session``);
    ``injected``: fetched through Spring's client, whose account the linker finds."""

    cls: str
    account: str
    injected: bool = False


@dataclass(frozen=True)
class JavaCredential:
    """A string used as an API key: whose account it is the key of."""

    account: str


def combined_account(base: str, options: list[JavaOptions]) -> str:
    """A call's account: per-request options win over the client's own (decision 6)."""
    accounts = {o.account for o in options}
    for account in ("installing", "platform"):
        if account in accounts:
            return account
    if "unknown" in accounts and base != "installing":
        return "unknown"
    return base
