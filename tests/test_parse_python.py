"""Python parser: snippet -> simplified facts (table of small cases, pyflakes style).

Each case lists every fact of the kinds it checks (by default: calls, expand paths, raw requests,
events, unresolved, pending calls, problems), in order, as the tuples of ``parse_helpers`` (shared
with the TypeScript parser's table); a case that expects ``[]`` is a near miss that must produce
nothing. Line numbers count from the first line of the dedented snippet.
"""

from __future__ import annotations

import textwrap

import pytest
from parse_helpers import facts, simplify

DEFAULT = frozenset({"call", "expand", "expand_dynamic", "expand_import", "raw", "event", "unresolved", "pending", "problem"})


def case(id: str, code: str, expected: list[tuple], kinds=DEFAULT):
    return pytest.param(textwrap.dedent(code).lstrip("\n"), expected, kinds, id=id)


LEGACY = [
    case("legacy-list", """
        import stripe
        stripe.Customer.list(limit=3)
        """, [("call", "python_legacy", "Customer.list", 2, "platform")]),
    case("legacy-nested-namespace", """
        import stripe
        stripe.checkout.Session.create(mode="payment")
        stripe.billing.Meter.list()
        stripe.issuing.Card.create()
        stripe.apps.Secret.find(name="x", scope={"type": "account"})
        stripe.terminal.Reader.list()
        stripe.test_helpers.TestClock.advance("clock_1", frozen_time=1)
        """, [
            ("call", "python_legacy", "checkout.Session.create", 2, "platform"),
            ("call", "python_legacy", "billing.Meter.list", 3, "platform"),
            ("call", "python_legacy", "issuing.Card.create", 4, "platform"),
            ("call", "python_legacy", "apps.Secret.find", 5, "platform"),
            ("call", "python_legacy", "terminal.Reader.list", 6, "platform"),
            ("call", "python_legacy", "test_helpers.TestClock.advance", 7, "platform"),
        ]),
    case("legacy-from-import-class", """
        from stripe import Price
        Price.list()
        """, [("call", "python_legacy", "Price.list", 2, "platform")]),
    case("legacy-from-submodule", """
        from stripe.checkout import Session
        Session.retrieve("cs_1")
        """, [("call", "python_legacy", "checkout.Session.retrieve", 2, "platform")]),
    case("legacy-from-import-namespace", """
        from stripe import checkout
        checkout.Session.create()
        """, [("call", "python_legacy", "checkout.Session.create", 2, "platform")]),
    case("legacy-module-alias", """
        import stripe as s
        s.Invoice.upcoming(customer="cus_1")
        """, [("call", "python_legacy", "Invoice.upcoming", 2, "platform")]),
    case("legacy-async-keeps-suffix", """
        import stripe
        async def f():
            await stripe.Customer.list_async()
        """, [("call", "python_legacy", "Customer.list_async", 3, "platform")]),
    case("legacy-auto-paging-is-inner-call", """
        import stripe
        for c in stripe.Customer.list(limit=10).auto_paging_iter():
            print(c)
        """, [("call", "python_legacy", "Customer.list", 2, "platform")]),
    case("legacy-helpers-are-not-calls", """
        import stripe
        stripe.api_key = "sk"
        stripe.set_app_info("x")
        stripe.WebhookSignature.verify_header("p", "h", "s")
        stripe.util.convert_to_stripe_object({})
        stripe.http_client.RequestsClient()
        client = stripe.StripeClient("sk")
        try:
            pass
        except stripe.error.CardError as e:
            raise
        """, []),
    case("legacy-stripe-account-kwarg", """
        import stripe
        def f(event):
            stripe.Customer.list(stripe_account=event.account)
            stripe.Charge.list(stripe_context="ctx")
        """, [
            ("call", "python_legacy", "Customer.list", 3, "installing"),
            ("call", "python_legacy", "Charge.list", 4, "installing"),
        ]),
    case("legacy-oauth-api-key", """
        import stripe
        def f(creds):
            stripe.Customer.list(api_key=creds.access_token)
            stripe.Customer.list(api_key=settings.SECRET_KEY)
        """, [
            ("call", "python_legacy", "Customer.list", 3, "installing"),
            ("call", "python_legacy", "Customer.list", 4, "platform"),
        ]),
    case("legacy-options-via-double-star", """
        import stripe
        def f(acct):
            opts = {"stripe_account": acct}
            stripe.Customer.list(**opts)
        """, [("call", "python_legacy", "Customer.list", 4, "installing")]),
    case("legacy-computed-class", """
        import stripe
        def f(cls_name):
            getattr(stripe, cls_name).list()
            getattr(stripe, "Customer").list()
        """, [
            ("call", "python_legacy", "?.list", 3, "platform"),
            ("call", "python_legacy", "Customer.list", 4, "platform"),
        ]),
    case("legacy-raw-request", """
        import stripe
        stripe.raw_request("get", "/v1/customers", stripe_account="acct_1")
        """, [("raw", "GET", "/v1/customers", 2, "installing")]),
]

INSTANCE = [
    case("instance-from-retrieve", """
        import stripe
        cus = stripe.Customer.retrieve("cus_1")
        cus.email = "a@b.c"
        cus.save()
        cus.delete()
        print(cus.email)
        """, [
            ("call", "python_legacy", "Customer.retrieve", 2, "platform"),
            ("call", "python_instance", "Customer.save", 4, "platform"),
            ("call", "python_instance", "Customer.delete", 5, "platform"),
        ]),
    case("instance-keeps-account", """
        import stripe
        def f(acct):
            pi = stripe.PaymentIntent.create(amount=1, currency="usd", stripe_account=acct)
            pi.capture()
        """, [
            ("call", "python_legacy", "PaymentIntent.create", 3, "installing"),
            ("call", "python_instance", "PaymentIntent.capture", 4, "installing"),
        ]),
    case("instance-from-annotation", """
        import stripe
        from stripe import Subscription
        def f(cus: stripe.Customer, sub: "Subscription"):
            cus.refresh()
            sub.cancel()
            cus.to_dict()
        """, [
            ("call", "python_instance", "Customer.refresh", 4, "platform"),
            ("call", "python_instance", "Subscription.cancel", 5, "platform"),
        ]),
    case("instance-list-result-not-tracked", """
        import stripe
        customers = stripe.Customer.list()
        customers.get("data")
        """, [("call", "python_legacy", "Customer.list", 2, "platform")]),
]

CLIENT = [
    case("client-basic", """
        from stripe import StripeClient
        client = StripeClient("sk_test")
        client.customers.list()
        client.v1.customers.list()
        client.v2.core.accounts.create(params={})
        client.v1.checkout.sessions.create()
        """, [
            ("call", "python_client", "customers.list", 3, "platform"),
            ("call", "python_client", "v1.customers.list", 4, "platform"),
            ("call", "python_client", "v2.core.accounts.create", 5, "platform"),
            ("call", "python_client", "v1.checkout.sessions.create", 6, "platform"),
        ]),
    case("client-module-attribute-and-async", """
        import stripe
        client = stripe.StripeClient("sk")
        async def f():
            await client.v1.customers.retrieve_async("cus_1")
        """, [("call", "python_client", "v1.customers.retrieve", 4, "platform")]),
    case("client-alias-and-global-in-function", """
        from stripe import StripeClient
        client = StripeClient("sk")
        def f():
            c = client
            return c.v1.invoices.list()
        """, [("call", "python_client", "v1.invoices.list", 5, "platform")]),
    case("client-self-attribute", """
        from stripe import StripeClient
        class Billing:
            def __init__(self, key):
                self.client = StripeClient(key)
            def run(self):
                return self.client.v1.subscriptions.list()
        """, [("call", "python_client", "v1.subscriptions.list", 6, "unknown")]),
    case("client-class-attribute", """
        import stripe
        class Billing:
            client = stripe.StripeClient("sk")
            def run(self):
                self.client.v1.prices.list()
                Billing.client.v1.products.list()
        """, [
            ("call", "python_client", "v1.prices.list", 5, "platform"),
            ("call", "python_client", "v1.products.list", 6, "platform"),
        ]),
    case("client-factory-cached", """
        import functools
        from stripe import StripeClient
        @functools.lru_cache
        def get_client():
            return StripeClient("sk")
        def run():
            get_client().v1.refunds.create(params={"charge": "ch_1"})
        """, [("call", "python_client", "v1.refunds.create", 7, "platform")]),
    case("client-factory-annotation-only", """
        from stripe import StripeClient
        def make() -> StripeClient:
            return build_somehow()
        make().v1.payouts.list()
        """, [("call", "python_client", "v1.payouts.list", 4, "unknown")]),
    case("client-parameter-annotation", """
        import stripe
        from stripe import StripeClient
        def sync(client: StripeClient, other: "stripe.StripeClient", maybe: StripeClient | None = None):
            client.v1.customers.list()
            other.v1.charges.list()
            maybe.v1.disputes.list()
        """, [
            ("call", "python_client", "v1.customers.list", 4, "unknown"),
            ("call", "python_client", "v1.charges.list", 5, "unknown"),
            ("call", "python_client", "v1.disputes.list", 6, "unknown"),
        ]),
    case("client-lazy-global", """
        from stripe import StripeClient
        _client = None
        def get():
            global _client
            if _client is None:
                _client = StripeClient("sk")
            return _client
        get().v1.balance.retrieve()
        """, [("call", "python_client", "v1.balance.retrieve", 8, "platform")]),
    case("client-property", """
        from stripe import StripeClient
        class Svc:
            @property
            def stripe(self):
                return StripeClient("sk")
            def run(self):
                self.stripe.v1.customers.search(params={"query": "x"})
        """, [("call", "python_client", "v1.customers.search", 7, "platform")]),
    case("client-account-options", """
        from stripe import StripeClient
        from stripe import RequestOptions
        client = StripeClient("sk")
        def f(acct):
            client.v1.customers.list(options={"stripe_account": acct})
            client.v1.customers.list({"limit": 3}, {"stripe_context": acct})
            client.v1.customers.list(options=RequestOptions(stripe_account=acct))
            client.v1.customers.list(options=dict(stripe_account=acct))
        """, [
            ("call", "python_client", "v1.customers.list", 5, "installing"),
            ("call", "python_client", "v1.customers.list", 6, "installing"),
            ("call", "python_client", "v1.customers.list", 7, "installing"),
            ("call", "python_client", "v1.customers.list", 8, "installing"),
        ]),
    case("client-built-for-account", """
        from stripe import StripeClient
        def f(acct, token):
            a = StripeClient("sk", stripe_account=acct)
            a.v1.customers.list()
            b = StripeClient(token.access_token)
            b.v1.customers.list()
            c = StripeClient(settings.KEY)
            c.v1.customers.list()
        """, [
            ("call", "python_client", "v1.customers.list", 4, "installing"),
            ("call", "python_client", "v1.customers.list", 6, "installing"),
            ("call", "python_client", "v1.customers.list", 8, "platform"),
        ]),
    case("client-computed-member", """
        from stripe import StripeClient
        client = StripeClient("sk")
        def f(name):
            getattr(client.v1, name).list()
        """, [("call", "python_client", "v1.?.list", 4, "platform")]),
    case("client-helpers-are-not-calls", """
        from stripe import StripeClient
        client = StripeClient("sk")
        client.deserialize({}, api_mode="V1")
        client.close()
        """, []),
    case("client-raw-request", """
        from stripe import StripeClient
        client = StripeClient("sk")
        async def f(verb, rid):
            client.raw_request("post", "/v1/tax_rates", display_name="x")
            await client.raw_request_async(verb, f"/v1/tax_rates/{rid}", stripe_account="a")
        """, [
            ("raw", "POST", "/v1/tax_rates", 4, "platform"),
            ("raw", "?", "/v1/tax_rates/{}", 5, "installing"),
        ]),
]

EXPAND = [
    case("expand-legacy-literal", """
        import stripe
        stripe.Customer.retrieve("cus_1", expand=["default_source", "invoice_settings.default_payment_method"])
        """, [
            ("call", "python_legacy", "Customer.retrieve", 2, "platform"),
            ("expand", "default_source", 2),
            ("expand", "invoice_settings.default_payment_method", 2),
        ]),
    case("expand-client-params", """
        from stripe import StripeClient
        client = StripeClient("sk")
        client.v1.invoices.retrieve("in_1", params={"expand": ["customer"]})
        """, [("call", "python_client", "v1.invoices.retrieve", 3, "platform"), ("expand", "customer", 3)]),
    case("expand-params-variable", """
        from stripe import StripeClient
        client = StripeClient("sk")
        def f():
            params = {"limit": 3, "expand": ["data.customer"]}
            client.v1.charges.list(params=params)
        """, [("call", "python_client", "v1.charges.list", 5, "platform"), ("expand", "data.customer", 4)]),
    case("expand-module-constants", """
        from typing import Final
        import stripe
        BASE = ("customer",)
        MORE: Final = ["invoice"]
        BOTH = ["a"] + ["b"]
        stripe.Charge.retrieve("ch", expand=BASE)
        stripe.Charge.retrieve("ch", expand=MORE)
        stripe.Charge.retrieve("ch", expand=BOTH)
        stripe.Charge.retrieve("ch", expand=[*BASE, "x"])
        """, [
            ("call", "python_legacy", "Charge.retrieve", 6, "platform"), ("expand", "customer", 3),
            ("call", "python_legacy", "Charge.retrieve", 7, "platform"), ("expand", "invoice", 4),
            ("call", "python_legacy", "Charge.retrieve", 8, "platform"), ("expand", "a", 5), ("expand", "b", 5),
            ("call", "python_legacy", "Charge.retrieve", 9, "platform"), ("expand", "customer", 3), ("expand", "x", 9),
        ]),
    case("expand-imported-constant", """
        import stripe
        from .constants import EXPAND
        stripe.Charge.list(expand=EXPAND)
        """, [("call", "python_legacy", "Charge.list", 3, "platform"), ("expand_import", "EXPAND", 3)]),
    case("expand-dynamic", """
        import stripe
        def f(fields):
            stripe.Charge.list(expand=fields)
            stripe.Charge.list(expand=["customer", fields[0]])
        """, [
            ("call", "python_legacy", "Charge.list", 3, "platform"), ("expand_dynamic", 3),
            ("call", "python_legacy", "Charge.list", 4, "platform"), ("expand", "customer", 4), ("expand_dynamic", 4),
        ]),
    case("expand-unrelated-dict-is-ignored", """
        import stripe
        config = {"expand": ["customer"]}
        stripe.Customer.create(metadata={"expand": "yes"})
        render(config["expand"])
        """, [("call", "python_legacy", "Customer.create", 3, "platform")]),
]

RAW_HTTP = [
    case("http-requests", """
        import requests
        def f(cid, verb):
            requests.get("https://api.stripe.com/v1/customers?limit=3")
            requests.post(f"https://api.stripe.com/v1/customers/{cid}", headers={"Stripe-Account": "acct"})
            requests.request("DELETE", "https://api.stripe.com/v1/customers/{}".format(cid))
            requests.request(verb, "https://api.stripe.com/v1/charges")
            requests.get("https://example.com/v1/customers")
        """, [
            ("raw", "GET", "/v1/customers", 3, "platform"),
            ("raw", "POST", "/v1/customers/{}", 4, "installing"),
            ("raw", "DELETE", "/v1/customers/{}", 5, "platform"),
            ("raw", "?", "/v1/charges", 6, "platform"),
        ]),
    case("http-sessions", """
        import aiohttp
        import httpx
        import requests
        BASE = "https://api.stripe.com"
        s = requests.Session()
        s.get(BASE + "/v1/balance")
        httpx.Client().post(f"{BASE}/v1/refunds")
        async def f():
            async with aiohttp.ClientSession() as session:
                async with session.get("https://api.stripe.com/v1/payouts") as resp:
                    pass
            with httpx.Client(base_url="https://api.stripe.com") as c:
                c.get("/v1/prices")
        """, [
            ("raw", "GET", "/v1/balance", 6, "platform"),
            ("raw", "POST", "/v1/refunds", 7, "platform"),
            ("raw", "GET", "/v1/payouts", 10, "platform"),
            ("raw", "GET", "/v1/prices", 13, "platform"),
        ]),
]

EVENTS = [
    case("events-if-elif", """
        import stripe
        def hook(payload, sig):
            event = None
            try:
                event = stripe.Webhook.construct_event(payload, sig, "whsec")
            except ValueError:
                return
            if event.type == "invoice.paid":
                pass
            elif event.type != "invoice.payment_failed":
                pass
            elif event["type"] == "customer.created":
                pass
            elif event.get("type") == "customer.deleted":
                pass
        """, [
            ("event", "invoice.paid", "handled", 8),
            ("event", "invoice.payment_failed", "handled", 10),
            ("event", "customer.created", "handled", 12),
            ("event", "customer.deleted", "handled", 14),
        ]),
    case("events-in-containers", """
        from stripe import StripeClient
        client = StripeClient("sk")
        def hook(payload, sig):
            event = client.construct_event(payload, sig, "whsec")
            if event.type in ("a.created", "a.updated"):
                pass
            if event.type in ["b.created"]:
                pass
            if event.type in {"c.created"}:
                pass
        """, [
            ("event", "a.created", "handled", 5),
            ("event", "a.updated", "handled", 5),
            ("event", "b.created", "handled", 7),
            ("event", "c.created", "handled", 9),
        ]),
    case("events-match", """
        import stripe
        def hook(data):
            event = stripe.Event.construct_from(data, stripe.api_key)
            match event.type:
                case "payout.paid" | "payout.failed":
                    pass
                case "charge.refunded":
                    pass
                case _:
                    pass
        """, [
            ("event", "payout.paid", "handled", 5),
            ("event", "payout.failed", "handled", 5),
            ("event", "charge.refunded", "handled", 7),
        ]),
    case("events-type-variable-and-annotation", """
        from stripe import Event
        def handle(event: Event):
            etype = event.type
            if etype == "invoice.created":
                pass
        """, [("event", "invoice.created", "handled", 4)]),
    case("events-retrieve-is-call-and-source", """
        import stripe
        def f(eid):
            event = stripe.Event.retrieve(eid)
            if event.type == "charge.succeeded":
                pass
        """, [
            ("call", "python_legacy", "Event.retrieve", 3, "platform"),
            ("event", "charge.succeeded", "handled", 4),
        ]),
    case("events-thin", """
        from stripe import StripeClient
        client = StripeClient("sk")
        def f(raw, sig):
            notif = client.parse_event_notification(raw, sig, "whsec")
            thin = client.parse_thin_event(raw, sig, "whsec")
            if notif.type == "v1.billing.meter.error_report_triggered":
                pass
            if thin.type == "v2.core.account.updated":
                pass
        """, [
            ("event", "v1.billing.meter.error_report_triggered", "handled", 6),
            ("event", "v2.core.account.updated", "handled", 8),
        ]),
    case("events-handler-table", """
        import stripe
        HANDLERS = {"payout.paid": on_paid, "payout.failed": on_failed}
        def hook(payload, sig):
            event = stripe.Webhook.construct_event(payload, sig, "whsec")
            handler = HANDLERS.get(event.type)
            HANDLERS[event["type"]](event)
        """, [
            ("event", "payout.paid", "handled", 2),
            ("event", "payout.failed", "handled", 2),
        ]),
    case("events-handler-table-membership", """
        import stripe
        def hook(payload, sig):
            table = {"account.application.deauthorized": on_uninstall}
            event = stripe.Webhook.construct_event(payload, sig, "whsec")
            if event.type in table:
                pass
        """, [("event", "account.application.deauthorized", "handled", 3)]),
    case("events-constant-and-non-literal", """
        import stripe
        PAID = "invoice.paid"
        def hook(payload, sig, wanted):
            event = stripe.Webhook.construct_event(payload, sig, "whsec")
            if event.type == PAID:
                pass
            if event.type == wanted:
                pass
        """, [
            ("event", "invoice.paid", "handled", 2),
            ("unresolved", "event type compared with a non-literal", 7),
        ]),
    case("events-subscribed-legacy", """
        import stripe
        stripe.WebhookEndpoint.create(url="https://x", enabled_events=["charge.succeeded", "*"])
        stripe.WebhookEndpoint.modify("we_1", enabled_events=["invoice.paid"])
        """, [
            ("call", "python_legacy", "WebhookEndpoint.create", 2, "platform"),
            ("call", "python_legacy", "WebhookEndpoint.modify", 3, "platform"),
            ("event", "charge.succeeded", "subscribed", 2),
            ("event", "*", "subscribed", 2),
            ("event", "invoice.paid", "subscribed", 3),
        ]),
    case("events-subscribed-client", """
        from stripe import StripeClient
        client = StripeClient("sk")
        EVENTS = ["customer.created"]
        client.webhook_endpoints.create(params={"url": "https://x", "enabled_events": EVENTS})
        client.v1.webhook_endpoints.update("we_1", params={"enabled_events": ["customer.updated"]})
        """, [
            ("call", "python_client", "webhook_endpoints.create", 4, "platform"),
            ("call", "python_client", "v1.webhook_endpoints.update", 5, "platform"),
            ("event", "customer.created", "subscribed", 3),
            ("event", "customer.updated", "subscribed", 5),
        ]),
]

ANNOTATED_ALIASES = [
    case("annotated-alias-fastapi", """
        from typing import Annotated
        from fastapi import Depends
        from stripe import StripeClient
        from .deps import get_client
        PlatformClient = Annotated[StripeClient, Depends(get_client)]
        async def list_customers(client: PlatformClient, account_id: str):
            await client.v1.customers.list_async(options={"stripe_account": account_id})
        async def balance(client: PlatformClient):
            await client.v1.balance.retrieve_async()
        """, [
            ("call", "python_client", "v1.customers.list", 7, "installing"),
            ("call", "python_client", "v1.balance.retrieve", 9, "unknown"),
        ]),
    case("annotated-alias-forms", """
        from typing import Annotated, Optional, TypeAlias
        from fastapi import Depends
        from stripe import StripeClient
        from .deps import get_client
        Typed: TypeAlias = Annotated[StripeClient, Depends(get_client)]
        type Modern = Annotated[StripeClient, Depends(get_client)]
        Plain = Annotated[StripeClient, Depends(get_client)]
        def f(a: Optional[Typed], b: Modern | None, c: "Plain"):
            a.v1.charges.list()
            b.v1.refunds.list()
            c.v1.payouts.list()
        """, [
            ("call", "python_client", "v1.charges.list", 9, "unknown"),
            ("call", "python_client", "v1.refunds.list", 10, "unknown"),
            ("call", "python_client", "v1.payouts.list", 11, "unknown"),
        ]),
    case("annotated-depends-on-local-builder", """
        import os
        from typing import Annotated
        from fastapi import Depends
        from stripe import StripeClient
        def get_client():
            return StripeClient(os.environ["STRIPE_SECRET_KEY"])
        Client = Annotated[StripeClient, Depends(get_client)]
        def f(client: Client, inline: Annotated[StripeClient, Depends(get_client)]):
            client.v1.prices.list()
            inline.v1.products.list()
        """, [
            ("call", "python_client", "v1.prices.list", 9, "platform"),
            ("call", "python_client", "v1.products.list", 10, "platform"),
        ]),
    case("annotated-alias-near-miss", """
        from typing import Annotated
        from fastapi import Depends
        from .deps import get_key, get_other, make_client
        Key = Annotated[str, Depends(get_key)]
        Other = Annotated[OtherClient, Depends(get_other)]
        Instance = make_client()
        def f(key: Key, other: Other, inst: Instance):
            key.v1.customers.list()
            other.v1.customers.list()
            inst.v1.customers.list()
        """, []),
]

PROVENANCE = [
    case("provenance-typed-parameter-and-attribute", """
        from stripe import StripeClient
        class Billing:
            def __init__(self, client: StripeClient):
                self.client = client
            def run(self, acct):
                self.client.v1.invoices.list()
                self.client.v1.invoices.list(options={"stripe_account": acct})
                self.client.raw_request("get", "/v1/balance")
        def helper(stripe_client: "StripeClient"):
            stripe_client.v1.customers.list()
        """, [
            ("call", "python_client", "v1.invoices.list", 6, "unknown"),
            ("call", "python_client", "v1.invoices.list", 7, "installing"),
            ("call", "python_client", "v1.customers.list", 10, "unknown"),
            ("raw", "GET", "/v1/balance", 8, "unknown"),
        ]),
    case("provenance-key-parameter", """
        from stripe import StripeClient
        class Billing:
            def __init__(self, restricted_key: str, acct: str):
                self.key = restricted_key
                self.client = StripeClient(restricted_key)
                self.again = StripeClient(api_key=self.key)
                self.scoped = StripeClient(restricted_key, stripe_account=acct)
            def run(self):
                self.client.v1.customers.list()
                self.again.v1.customers.list()
                self.scoped.v1.customers.list()
        def make(key):
            return StripeClient(key)
        """, [
            ("call", "python_client", "v1.customers.list", 9, "unknown"),
            ("call", "python_client", "v1.customers.list", 10, "unknown"),
            ("call", "python_client", "v1.customers.list", 11, "installing"),
            ("client_export", "make", "python_client", "unknown", True),
        ], kinds=DEFAULT | {"client_export"}),
    case("provenance-own-key-stays-platform", """
        import os
        from django.conf import settings
        from stripe import StripeClient
        KEY = "sk_test_123"
        env = StripeClient(os.environ["STRIPE_KEY"])
        def make_env():
            return StripeClient(os.getenv("STRIPE_KEY"))
        def make_conf(config):
            return StripeClient(config.stripe_secret_key)
        def make_settings():
            key = settings.STRIPE_KEY
            return StripeClient(key)
        const = StripeClient(KEY)
        literal = StripeClient("sk_test_456")
        """, [
            ("client_export", "env", "python_client", "platform", False),
            ("client_export", "make_env", "python_client", "platform", True),
            ("client_export", "make_conf", "python_client", "platform", True),
            ("client_export", "make_settings", "python_client", "platform", True),
            ("client_export", "const", "python_client", "platform", False),
            ("client_export", "literal", "python_client", "platform", False),
        ], kinds=frozenset({"call", "client_export"})),
]

DECORATED_HANDLERS = [
    case("decorator-djstripe", """
        from djstripe import webhooks
        @webhooks.handler("customer.subscription.created", "charge.dispute.created")
        def on_change(event, **kwargs):
            pass
        """, [
            ("event", "customer.subscription.created", "handled", 2),
            ("event", "charge.dispute.created", "handled", 2),
        ]),
    case("decorator-home-grown", """
        from .registry import on, handles, webhook_handler, events
        @on("payout.paid", "payout.failed")
        def payouts(event):
            pass
        @handles("invoice.paid")
        def invoices(event):
            pass
        @webhook_handler("charge.refunded")
        def refunds(event):
            pass
        @events.listen("*", "account.updated")
        def accounts(event):
            pass
        """, [
            ("event", "payout.paid", "handled", 2),
            ("event", "payout.failed", "handled", 2),
            ("event", "invoice.paid", "handled", 5),
            ("event", "charge.refunded", "handled", 8),
            ("event", "account.updated", "handled", 11),
        ]),
    case("decorator-near-misses", """
        import pytest
        @app.route("/webhooks/stripe")
        @pytest.mark.parametrize("a.b", [1, 2])
        @retry("x.y")
        @app.on_event("startup")
        @on("payout.paid", fallback)
        @handler("*")
        @webhooks.handler(name="invoice.paid")
        @cache.memoize("invoice.paid")
        def view():
            pass
        """, []),
    case("decorator-arguments-must-be-event-names", """
        @on("1.5")
        @webhook_handler("_internal.ping")
        def view():
            pass
        """, []),
]

EVENT_PREFIXES = [
    case("prefix-families", """
        import stripe
        PREFIXES = ("payout.", "transfer.")
        def hook(payload, sig):
            event = stripe.Webhook.construct_event(payload, sig, "whsec")
            if event.type.startswith("customer.subscription."):
                pass
            elif event["type"].startswith(("invoice.", "charge.")):
                pass
            elif event.type.startswith(PREFIXES):
                pass
        """, [
            ("event", "payout.*", "handled", 2),
            ("event", "transfer.*", "handled", 2),
            ("event", "customer.subscription.*", "handled", 5),
            ("event", "invoice.*", "handled", 7),
            ("event", "charge.*", "handled", 7),
        ]),
    case("prefix-partial-and-computed", """
        import stripe
        class Hook:
            def post(self, payload, sig, wanted):
                event = stripe.Webhook.construct_event(payload, sig, "whsec")
                if event.type.startswith("cust") or event.type.startswith("invoice.payment"):
                    pass
                if event.type.startswith(wanted):
                    pass
                getattr(self, "handle_" + event.type.replace(".", "_"))(event)
                globals()[f"on_{event.type}"](event)
        """, [
            ("unresolved", "event type matched by a partial prefix", 5),
            ("unresolved", "event type matched by a partial prefix", 5),
            ("unresolved", "event type compared with a non-literal", 7),
            ("unresolved", "event type used to compute a handler name", 9),
            ("unresolved", "event type used to compute a handler name", 10),
        ]),
    case("prefix-near-misses", """
        import stripe
        class Hook:
            def post(self, order, kind, payload, sig):
                event = stripe.Webhook.construct_event(payload, sig, "whsec")
                if order.type.startswith("customer."):
                    pass
                if kind.startswith("invoice."):
                    pass
                getattr(self, "handle_" + kind)(order)
                name = event.type.replace(".", "_")
                log = {"a": 1}[kind]
        """, []),
]

CROSS_FILE = [
    case("imports-bindings", """
        import os
        import json as j
        from typing import Any
        import stripe
        from stripe import StripeClient
        from .billing import client
        from app.billing import get_client as gc
        from ..x import EXPAND
        import app.config as cfg
        """, [
            ("import", "client", ".billing", "client"),
            ("import", "gc", "app.billing", "get_client"),
            ("import", "EXPAND", "..x", "EXPAND"),
            ("import", "cfg", "app.config", "*"),
        ], frozenset({"import"})),
    case("exports-clients", """
        import stripe
        from stripe import StripeClient
        client = StripeClient("sk")
        acct_client = StripeClient("sk", stripe_account="acct_1")
        alias = client
        def get_client() -> StripeClient:
            return StripeClient("sk")
        def not_a_client():
            return 3
        """, [
            ("client_export", "stripe", "python_legacy", "platform", False),
            ("client_export", "client", "python_client", "platform", False),
            ("client_export", "acct_client", "python_client", "installing", False),
            ("client_export", "alias", "python_client", "platform", False),
            ("client_export", "get_client", "python_client", "platform", True),
        ], frozenset({"client_export"})),
    case("exports-constants", """
        from typing import Final
        EXPAND = ["customer", "invoice"]
        EVENTS: Final = ("a.b",)
        BOTH = EXPAND + ["x"]
        NUMBERS = [1, 2]
        MIXED = ["a", name]
        """, [
            ("constant_export", "EXPAND", ("customer", "invoice")),
            ("constant_export", "EVENTS", ("a.b",)),
            ("constant_export", "BOTH", ("customer", "invoice", "x")),
        ], frozenset({"constant_export"})),
    case("pending-calls", """
        from .billing import client
        from app.factory import get_client
        from app.config import stripe
        import app.billing as billing
        def f(acct):
            client.customers.list(options={"stripe_account": acct})
            get_client().v1.customers.list()
            stripe.Customer.list(expand=["x"])
            billing.client.v1.prices.list()
            stripe.Webhook.construct_event("p", "s", "w")
            helper(3)
        """, [
            # `stripe` from an app module: also inferred (§11); the linker drops the copy when
            # it resolves the import exactly
            ("call", "python_legacy", "Customer.list", 8, "unknown"), ("expand", "x", 8),
            ("pending", "client", "customers.list", 6, False, "installing"),
            ("pending", "get_client", "v1.customers.list", 7, True, None),
            ("pending", "stripe", "Customer.list", 8, False, None),
            ("expand", "x", 8),
            ("pending", "billing", "client.v1.prices.list", 9, False, None),
        ]),
    case("pending-factory-variable-and-async", """
        from app.factory import get_client
        async def f():
            c = get_client()
            await c.v1.customers.retrieve_async("cus_1")
        """, [("pending", "get_client", "v1.customers.retrieve", 4, True, None)]),
    case("pending-event-source-from-imported-stripe", """
        from app.config import stripe
        def hook(p, s):
            event = stripe.Webhook.construct_event(p, s, "whsec")
            if event.type == "invoice.paid":
                pass
        """, [("event", "invoice.paid", "handled", 4)]),
]

FLOW = [
    case("param-inferred-from-caller", """
        import stripe
        from stripe import StripeClient
        client = StripeClient("sk")
        def handle(event, c):
            if "invoice.paid" == event.type:
                c.v1.invoices.list()
        def hook(payload, sig):
            event = stripe.Webhook.construct_event(payload, sig, "whsec")
            handle(event, c=client)
        """, [
            ("call", "python_client", "v1.invoices.list", 6, "platform"),
            ("event", "invoice.paid", "handled", 5),
        ]),
    case("method-param-inferred-through-self", """
        from stripe import StripeClient
        class Hooks:
            def __init__(self):
                self.client = StripeClient("sk")
            def receive(self, payload, sig):
                self.route(self.client.construct_event(payload, sig, "w"))
            def route(self, event):
                if event.type == "payout.paid":
                    pass
        """, [("event", "payout.paid", "handled", 8)]),
    case("iterate-legacy-list", """
        import stripe
        def f(acct):
            for sub in stripe.Subscription.list(stripe_account=acct).auto_paging_iter():
                sub.cancel()
            subs = stripe.Subscription.list()
            subs.data[0].delete()
        """, [
            ("call", "python_legacy", "Subscription.list", 3, "installing"),
            ("call", "python_instance", "Subscription.cancel", 4, "installing"),
            ("call", "python_legacy", "Subscription.list", 5, "platform"),
            ("call", "python_instance", "Subscription.delete", 6, "platform"),
        ]),
    case("chained-instance-call", """
        import stripe
        stripe.Customer.retrieve("cus_1").delete()
        """, [
            ("call", "python_instance", "Customer.delete", 2, "platform"),
            ("call", "python_legacy", "Customer.retrieve", 2, "platform"),
        ]),
    case("dataclass-field-client", """
        from dataclasses import dataclass
        from stripe import StripeClient
        @dataclass
        class Deps:
            client: StripeClient
            def run(self):
                self.client.v1.balance_transactions.list()
        """, [("call", "python_client", "v1.balance_transactions.list", 7, "unknown")]),
    case("inherited-client-attribute", """
        from stripe import StripeClient
        class Base:
            def __init__(self):
                self.client = StripeClient("sk", stripe_account="acct")
        class Child(Base):
            def run(self):
                self.client.v1.customers.list()
        """, [("call", "python_client", "v1.customers.list", 7, "installing")]),
    case("subscription-not-readable", """
        import stripe
        def f(events):
            stripe.WebhookEndpoint.create(url="https://x", enabled_events=events)
        """, [
            ("call", "python_legacy", "WebhookEndpoint.create", 3, "platform"),
            ("unresolved", "enabled_events is not a list of literals", 3),
        ]),
    case("event-enum-constant", """
        import enum
        import stripe
        class Kind(str, enum.Enum):
            PAID = "invoice.paid"
        def hook(p, s):
            event = stripe.Webhook.construct_event(p, s, "w")
            if event.type == Kind.PAID.value:
                pass
            match event.type:
                case Kind.PAID:
                    pass
        """, [("event", "invoice.paid", "handled", 4)]),
]

NEAR_MISSES = [
    case("own-rest-client", """
        from mylib import ApiClient
        api = ApiClient()
        api.customers.list()
        """, []),
    case("orm-like", """
        from django.db import models
        class Customer(models.Model):
            pass
        Customer.objects.filter(email="x")
        db.customer.find_many()
        """, []),
    case("own-class-named-like-stripe", """
        class Customer:
            @classmethod
            def retrieve(cls, cid):
                return cls()
            def save(self):
                pass
        c = Customer.retrieve("x")
        c.save()
        """, []),
    case("camel-case-import-is-not-a-client", """
        from .models import Customer
        Customer.objects.filter(email="x")
        """, []),
    case("strings-comments-docstrings", '''
        """Calls stripe.Payout.create() somewhere."""
        # stripe.Payout.create()
        text = "stripe.Payout.create()"
        def f():
            """if event.type == "invoice.paid": stripe.Customer.list()"""
        ''', []),
    case("own-status-enum", """
        import stripe
        def f(order, thing):
            if order.status == "paid":
                pass
            if thing.type == "invoice.paid":
                pass
            if "invoice.paid" == order["type"]:
                pass
        """, []),
    case("non-stripe-http", """
        import requests
        requests.get("https://api.example.com/v1/customers")
        requests.post(url)
        """, []),
    case("shadowed-client-name", """
        from stripe import StripeClient
        client = StripeClient("sk")
        def f():
            client = make_other()
            client.customers.list()
        """, []),
]

FILES = [
    case("syntax-error", """
        import stripe
        def f(:
            stripe.Customer.list()
        """, [("problem", 2)]),
    case("bom", "\ufeffimport stripe\nstripe.Customer.list()\n", [("call", "python_legacy", "Customer.list", 2, "platform")]),
    case("crlf", "import stripe\r\n\r\nstripe.Customer.list()\r\nstripe.Charge.list()\r\n", [
        ("call", "python_legacy", "Customer.list", 3, "platform"),
        ("call", "python_legacy", "Charge.list", 4, "platform"),
    ]),
    case("empty", "", []),
]


PER_REQUEST_KEYS = [  # docs/semantics.md §12
    case("key-set-from-parameter-before-calls", """
        import stripe
        def report(api_key):
            stripe.Balance.retrieve()
            stripe.api_key = api_key
            stripe.Payout.list(limit=10)
            [p for p in stripe.Payout.list()["data"]]
        def later():
            stripe.Payout.list()
        """, [
            ("call", "python_legacy", "Balance.retrieve", 3, "platform"),
            ("call", "python_legacy", "Payout.list", 5, "installing"),
            ("call", "python_legacy", "Payout.list", 6, "installing"),
            ("call", "python_legacy", "Payout.list", 8, "platform"),
        ]),
    case("key-from-lookup-loop-or-attribute", """
        import stripe as s
        def a(account_id):
            s.api_key = token_for(account_id)
            s.Customer.list()
        def b():
            for merchant in merchants():
                s.api_key = merchant.secret_key
                s.Customer.list()
        class Connector:
            def __init__(self, key):
                self.key = key
            def run(self):
                s.api_key = self.key
                s.Customer.list()
        """, [
            ("call", "python_legacy", "Customer.list", 4, "installing"),
            ("call", "python_legacy", "Customer.list", 8, "installing"),
            ("call", "python_legacy", "Customer.list", 14, "installing"),
        ]),
    case("platform-keys-stay-platform", """
        import os, stripe
        from app import settings
        stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
        KEY = os.getenv("STRIPE_SECRET_KEY")
        def a():
            stripe.api_key = os.getenv("STRIPE_SECRET_KEY")
            stripe.Customer.list()
        def b():
            stripe.api_key = settings.STRIPE_SECRET_KEY
            stripe.Customer.list()
        def c():
            stripe.api_key = KEY
            stripe.Customer.list(api_key=KEY)
        class Job:
            def __init__(self):
                self.key = os.environ["K"]
            def run(self):
                stripe.api_key = self.key
                stripe.Customer.list()
        def d(client):
            client.api_key = client_key
            stripe.Customer.list()
        """, [
            ("call", "python_legacy", "Customer.list", 7, "platform"),
            ("call", "python_legacy", "Customer.list", 10, "platform"),
            ("call", "python_legacy", "Customer.list", 13, "platform"),
            ("call", "python_legacy", "Customer.list", 19, "platform"),
            ("call", "python_legacy", "Customer.list", 22, "platform"),
        ]),
    case("parameter-fed-only-the-platform-key-by-its-callers", """
        import argparse, os, stripe
        def create(api_key):
            stripe.api_key = api_key
            stripe.Product.create(name="x")
        def main():
            parser = argparse.ArgumentParser(description="setup")
            parser.add_argument("--key", default=os.getenv("STRIPE_SECRET_KEY"))
            create(parser.parse_args().key)
        """, [("call", "python_legacy", "Product.create", 4, "platform")]),
    case("api-key-keyword-from-parameter", """
        import stripe
        def f(api_key, email):
            stripe.Customer.create(email=email, api_key=api_key)
            stripe.raw_request("get", "/v1/account", api_key=api_key)
        """, [
            ("call", "python_legacy", "Customer.create", 3, "installing"),
            ("raw", "GET", "/v1/account", 4, "installing"),
        ]),
    case("key-set-makes-instance-calls-installing", """
        import stripe
        def f(key, cus_id):
            stripe.api_key = key
            cus = stripe.Customer.retrieve(cus_id)
            cus.save()
        """, [
            ("call", "python_legacy", "Customer.retrieve", 4, "installing"),
            ("call", "python_instance", "Customer.save", 5, "installing"),
        ]),
]


UNVERIFIED_PAYLOADS = [  # a body parsed as JSON is a Stripe event when its compared types say so
    case("json-loads-compared-with-stripe-events", """
        import json
        def hook(body):
            event = json.loads(body)
            kind = event.get("type")
            if kind == "invoice.paid" or event["type"] in ("invoice.voided", VARIABLE):
                pass
        """, [
            ("event", "invoice.paid", "handled", 5),
            ("event", "invoice.voided", "handled", 5),
        ]),
    case("request-json-match-and-prefix", """
        def hook(request):
            event = request.json
            if event["type"].startswith("customer.subscription."):
                pass
            match event["type"]:
                case "payout.paid":
                    pass
        """, [
            ("event", "customer.subscription.*", "handled", 3),
            ("event", "payout.paid", "handled", 6),
        ]),
    case("awaited-request-json-dispatch-table", """
        HANDLERS = {"charge.refunded": on_refund, "ready": on_ready}
        async def hook(request):
            payload = await request.json()
            HANDLERS[payload["type"]](payload)
        """, [("event", "charge.refunded", "handled", 1)]),
    case("payload-of-another-service-near-miss", """
        import json
        def github(body):
            payload = json.loads(body)
            if payload["type"] == "push.created":
                pass
        def chat(request):
            message = request.get_json()
            if message["type"] == "message" or message["type"] == "invoice.paid":
                pass
            if message["type"] == other:
                pass
        """, []),
    case("json-rebound-is-not-the-json-module", """
        def hook(json, body):
            event = json.loads(body)
            if event["type"] == "invoice.paid":
                pass
        """, []),
]


SDK_METHODS_AS_VALUES = [  # a method handed on uncalled is a use: the code will call it
    case("client-and-legacy-method-references", """
        import functools, stripe
        from stripe import StripeClient
        def build(acct):
            client = StripeClient("sk", stripe_account=acct)
            table = {"customer": Resource(method=client.customers.list)}
            pagers = [client.v1.invoices.list_async, stripe.Charge.list]
            return functools.partial(stripe.Refund.create, stripe_account=acct)
        """, [
            ("call", "python_client", "customers.list", 5, "installing"),
            ("call", "python_client", "v1.invoices.list", 6, "installing"),
            ("call", "python_legacy", "Charge.list", 6, "platform"),
            ("call", "python_legacy", "Refund.create", 7, "installing"),
        ]),
    case("references-that-are-not-sdk-methods", """
        import stripe
        from stripe import StripeClient
        client = StripeClient("sk")
        register(client.customers, client.v1, stripe.checkout.Session, stripe.api_key)
        register(stripe.Webhook.construct_event, stripe.error.CardError)
        handler = client.customers.list
        handler(limit=3)
        """, [("call", "python_client", "customers.list", 7, "platform")]),
]


COMPUTED_NAMES = [  # issue 9: getattr over names that can only be a few literals, one call per name
    case("loops-over-literal-containers", """
        import stripe
        from stripe import StripeClient
        client = StripeClient("sk")
        TABLE = {"customers": "Customer", "invoices": "Invoice"}
        class Config:
            SERVICES = ("prices",)
        def f():
            for r in ("products", "coupons"):
                getattr(client, r).list()
            for key in TABLE:
                getattr(client.v1, key).search(query="x")
            for key, cls in TABLE.items():
                getattr(stripe, cls).list()
            for cls in TABLE.values():
                getattr(stripe, cls).retrieve("x")
            for i, name in enumerate(sorted(Config.SERVICES)):
                svc = getattr(client, name)
                svc.create()
        """, [
            ("call", "python_client", "coupons.list", 9, "platform"),
            ("call", "python_client", "products.list", 9, "platform"),
            ("call", "python_client", "v1.customers.search", 11, "platform"),
            ("call", "python_client", "v1.invoices.search", 11, "platform"),
            ("call", "python_legacy", "Customer.list", 13, "platform"),
            ("call", "python_legacy", "Invoice.list", 13, "platform"),
            ("call", "python_legacy", "Customer.retrieve", 15, "platform"),
            ("call", "python_legacy", "Invoice.retrieve", 15, "platform"),
            ("call", "python_client", "prices.create", 18, "platform"),
        ]),
    case("comprehensions-items-and-parameters", """
        from stripe import StripeClient
        NAMES = ["payouts", "refunds"]
        KINDS = {"a": "customers", "b": "invoices"}
        def f(client: StripeClient, kind, acct):
            counts = {n: getattr(client, n).list().data for n in NAMES}
            total = sum(len(getattr(client, m).list()) for m in ("disputes",))
            getattr(client, KINDS[kind]).list(options={"stripe_account": acct})
            getattr(client, KINDS.get(kind, "products")).create()
        def page(client: StripeClient, service="prices"):
            return getattr(client, service).list()
        class Sync:
            def run(self, client: StripeClient):
                page(client, "plans")
                self.one(client, "coupons")
            def one(self, client: StripeClient, service):
                getattr(getattr(client, service), "list")()
        """, [
            ("call", "python_client", "payouts.list", 5, "unknown"),
            ("call", "python_client", "refunds.list", 5, "unknown"),
            ("call", "python_client", "disputes.list", 6, "unknown"),
            ("call", "python_client", "customers.list", 7, "installing"),
            ("call", "python_client", "invoices.list", 7, "installing"),
            ("call", "python_client", "customers.create", 8, "unknown"),
            ("call", "python_client", "invoices.create", 8, "unknown"),
            ("call", "python_client", "products.create", 8, "unknown"),
            ("call", "python_client", "plans.list", 10, "unknown"),
            ("call", "python_client", "prices.list", 10, "unknown"),
            ("call", "python_client", "coupons.list", 16, "unknown"),
        ]),
    case("getattr-results-handed-on-uncalled-are-uses", """
        import functools
        from stripe import StripeClient
        NAMES = ("customers", "invoices")
        def build(acct):
            client = StripeClient("sk", stripe_account=acct)
            pagers = [getattr(client, r).list for r in NAMES]
            table = {r: getattr(client.v1, r).search for r in ("charges",)}
            one = Resource(method=getattr(client.products, "list"))
            many = [getattr(client.prices, m) for m in ("list", "create")]
            fine = {"x": getattr(client.payouts, "list")}
            getattr(client.refunds, "list")(limit=3)
            return functools.partial(getattr(client.coupons, "create"), stripe_account=acct)
        """, [
            ("call", "python_client", "customers.list", 6, "installing"),
            ("call", "python_client", "invoices.list", 6, "installing"),
            ("call", "python_client", "v1.charges.search", 7, "installing"),
            ("call", "python_client", "products.list", 8, "installing"),
            ("call", "python_client", "prices.create", 9, "installing"),
            ("call", "python_client", "prices.list", 9, "installing"),
            ("call", "python_client", "payouts.list", 10, "installing"),
            ("call", "python_client", "refunds.list", 11, "installing"),
            ("call", "python_client", "coupons.create", 12, "installing"),
        ]),
    case("computed-names-that-stay-unknown", """
        import stripe
        from stripe import StripeClient
        from .settings import EXPORTED
        client = StripeClient("sk")
        def f(resource, other):
            for r in ("customers", other):
                getattr(client, r).list()
            for r in EXPORTED:
                getattr(client, r).list()
            name = "customers"
            name = resource.lower()
            getattr(client, name).list()
            for r in [f"r{i}" for i in range(3)]:
                getattr(stripe, r).list()
            resource = "invoices"
            [getattr(client, resource).list() for resource in (other,)]
        """, [
            ("call", "python_client", "?.list", 7, "platform"),
            ("call", "python_client", "?.list", 9, "platform"),
            ("call", "python_client", "?.list", 12, "platform"),
            ("call", "python_legacy", "?.list", 14, "platform"),
            ("call", "python_client", "?.list", 16, "platform"),
        ]),
    case("too-many-candidates-is-unknown", """
        from stripe import StripeClient
        client = StripeClient("sk")
        NAMES = [%s]
        def f():
            for r in NAMES:
                getattr(client, r).list()
        """ % ", ".join(f'"customers{i}"' for i in range(65)), [("call", "python_client", "?.list", 6, "platform")]),
    case("names-the-sdk-does-not-have-make-no-call", """
        import stripe
        from stripe import StripeClient
        client = StripeClient("sk")
        def f():
            getattr(client, "api_key").list()
            for attr in ("customers", "_requestor", "close"):
                getattr(client, attr).list()
            for cls in ("Customer", "Webhook", "error"):
                getattr(stripe, cls).list()
            event = getattr(stripe, "Webhook").construct_event(payload, sig, secret)
            if event.type == "invoice.paid":
                pass
        """, [
            ("call", "python_client", "customers.list", 7, "platform"),
            ("call", "python_legacy", "Customer.list", 9, "platform"),
            ("event", "invoice.paid", "handled", 11),
        ]),
]


TYPED_FIELDS = [  # a client known by the declared type of a field has an unknown account
    case("dataclass-pydantic-and-class-attribute-fields", """
        import stripe
        from dataclasses import dataclass
        from stripe import StripeClient
        @dataclass
        class Deps:
            client: StripeClient
            legacy: stripe.StripeClient | None = None
        class Svc(BaseModel):
            stripe: stripe.StripeClient
            def run(self):
                return self.stripe.invoices.retrieve("in_1")
        def f(deps: Deps):
            deps.client.customers.list()
            deps.legacy.v1.refunds.create()
        """, [
            ("call", "python_client", "invoices.retrieve", 11, "unknown"),
            ("call", "python_client", "customers.list", 13, "unknown"),
            ("call", "python_client", "v1.refunds.create", 14, "unknown"),
            ("client_export", "stripe", "python_legacy", "platform", False),
            ("client_export", "Deps.client", "python_client", "unknown", False),
            ("client_export", "Deps.legacy", "python_client", "unknown", False),
            ("client_export", "Svc.stripe", "python_client", "unknown", False),
        ], kinds={"call", "client_export"}),
]

INFERRED = [  # docs/semantics.md §11: Stripe-shaped calls on untraced receivers named for Stripe
    case("inferred-untraced-receivers", """
        from fastapi_deps import stripe_client, get_stripe
        from container import container
        class Billing:
            def __init__(self, stripe):
                self.stripe = stripe
            def go(self):
                return self.stripe.invoices.retrieve("in_1")
        def handler(deps, stripe_api, acct):
            deps.stripe.refunds.create(charge="ch_1")
            get_stripe().customers.list(stripe_account=acct)
            stripe_client.v1.prices.list_async()
            stripe_api.Customer.retrieve("cus_1")
            container.resolve("stripe").products.list()
        """, [
            ("call", "python_client", "invoices.retrieve", 7, "unknown"), ("inferred", 7),
            ("call", "python_client", "refunds.create", 9, "unknown"), ("inferred", 9),
            ("call", "python_client", "customers.list", 10, "installing"), ("inferred", 10),
            ("call", "python_client", "v1.prices.list", 11, "unknown"), ("inferred", 11),
            ("call", "python_legacy", "Customer.retrieve", 12, "unknown"), ("inferred", 12),
            ("call", "python_client", "products.list", 13, "unknown"), ("inferred", 13),
        ], kinds=frozenset({"call", "inferred"})),
    case("inferred-near-misses", """
        import stripe
        class Other:
            def __init__(self):
                self.stripe = {"key": 1}
            def go(self):
                self.stripe.customers.list()
        def f(deps, stripe_s=None):
            stripe.customers.list()
            deps.client.customers.list()
            deps.stripe.customers.list.all()
            deps.stripe.Webhook.construct_event("p", "s", "w")
            deps.stripe.webhooks.construct_event("p", "s", "w")
            stripe_key = "sk_test"
            stripe_key.customers.list()
        """, [], kinds=frozenset({"call", "inferred"})),
    case("inferred-module-stripe-is-exact", """
        import stripe
        def f():
            stripe.Customer.list()
        """, [("call", "python_legacy", "Customer.list", 3, "platform")], kinds=frozenset({"call", "inferred"})),
]


@pytest.mark.parametrize(("code", "expected", "kinds"), (
    LEGACY + INSTANCE + CLIENT + ANNOTATED_ALIASES + PROVENANCE + EXPAND + RAW_HTTP + EVENTS + DECORATED_HANDLERS
    + EVENT_PREFIXES + FLOW + CROSS_FILE + NEAR_MISSES + FILES + PER_REQUEST_KEYS
    + UNVERIFIED_PAYLOADS + SDK_METHODS_AS_VALUES + COMPUTED_NAMES + TYPED_FIELDS + INFERRED
))
def test_parse_python(code: str, expected: list[tuple], kinds: frozenset[str]) -> None:
    assert simplify(facts(code, path="app/backend/x.py"), kinds) == expected


def test_columns_are_one_based_and_positions_sorted() -> None:
    found = facts("import stripe\nx = 1; stripe.Customer.list(expand=['a'])\nstripe.Charge.list()\n", path="x.py")
    first, second = found.calls
    assert (first.position.line, first.position.column) == (2, 8)
    assert (first.expand[0].position.line, first.expand[0].position.column) == (2, 37)
    assert first.position < second.position


def test_syntax_error_yields_only_a_problem() -> None:
    found = facts("def f(:\n", path="bad.py")
    assert found.language == "python" and found.path == "bad.py"
    assert len(found.problems) == 1 and not found.calls and not found.imports
    assert found.problems[0].message.startswith("syntax error")


def test_output_is_deterministic() -> None:
    code = textwrap.dedent(CLIENT[0].values[0]) + "\nimport stripe\nstripe.Customer.list()\n"
    assert facts(code, path="a.py") == facts(code, path="a.py")


def test_no_libcst_objects_leave_the_parser() -> None:
    found = facts(LEGACY[0].values[0], path="a.py")
    for name in found.__dataclass_fields__:
        for item in getattr(found, name) if isinstance(getattr(found, name), tuple) else ():
            assert type(item).__module__ in ("stripe_perm_lint.facts", "stripe_perm_lint.facts_links")


def test_imported_client_type_alias_links_across_files():
    # deps.py exports a FastAPI type alias of the client; main.py annotates parameters with it.
    from stripe_perm_lint.linker import link_app

    deps = facts(
        "import os\nfrom typing import Annotated\nfrom fastapi import Depends\nfrom stripe import StripeClient\n"
        "def get_client() -> StripeClient:\n    return StripeClient(os.environ['STRIPE_SECRET_KEY'])\n"
        "PlatformClient = Annotated[StripeClient, Depends(get_client)]\n",
        path="app/deps.py",
    )
    main = facts(
        "from .deps import PlatformClient\nfrom .models import Customer\n"
        "def a(client: PlatformClient, acct: str):\n"
        "    return client.v1.customers.list(options={'stripe_account': acct})\n"
        "def b(client: PlatformClient):\n    return client.v1.balance.retrieve()\n"
        "def c(row: Customer):\n    return row.refresh()\n",
        path="app/main.py",
    )
    assert [(e.name, e.account) for e in deps.client_exports if e.name == "PlatformClient"] == [("PlatformClient", "platform")]
    linked = {f.path: f for f in link_app([deps, main])}["app/main.py"]
    assert [(c.accessor, c.account) for c in linked.calls] == [("v1.customers.list", "installing"), ("v1.balance.retrieve", "platform")]


def test_client_field_of_imported_class_links_across_files():
    from stripe_perm_lint.linker import link_app

    deps = facts("from dataclasses import dataclass\nfrom stripe import StripeClient\n"
                 "@dataclass\nclass Deps:\n    client: StripeClient\n    name: str\n", path="app/deps.py")
    views = facts("from app.deps import Deps\ndef h(d: Deps):\n    d.client.disputes.list()\n    d.name.thing.list()\n",
                  path="app/views.py")
    linked = {f.path: f for f in link_app([deps, views])}["app/views.py"]
    assert [(c.accessor, c.account, c.position.line) for c in linked.calls] == [("disputes.list", "unknown", 3)]


def test_imported_event_sets_and_tables_are_left_for_the_linker():
    source = textwrap.dedent('''\
        import json
        import stripe
        from .constants import HANDLED, HANDLERS
        from app import constants
        import app.registry as registry

        def hook(payload, sig, body):
            event = stripe.Webhook.construct_event(payload, sig, "whsec")
            if event["type"] in HANDLED:
                pass
            HANDLERS[event.type](event)
            HANDLERS.get(event.type)
            if event.type not in constants.EVENTS:
                pass
            registry.TABLE.get(event["type"])
            data = json.loads(body)
            if data["type"] in HANDLED:
                pass
        ''')
    found = simplify(facts(source, "app/hooks.py"), {"pending_events", "unresolved"})
    assert found == [
        ("pending_events", "HANDLED", None, 9, False),
        ("pending_events", "HANDLERS", None, 11, False),
        ("pending_events", "HANDLERS", None, 12, False),
        ("pending_events", "constants", "EVENTS", 13, False),
        ("pending_events", "registry", "TABLE", 15, False),
        ("pending_events", "HANDLED", None, 17, True),
    ]


def test_sets_and_event_tables_are_exported():
    source = textwrap.dedent('''\
        HANDLED = frozenset({"invoice.paid", "payout.paid"})
        SEEN = {"charge.refunded"}
        AS_LIST = list(("a.b",))
        HANDLERS = {"invoice.paid": print, "other": print}
        SETTINGS = {"timeout": 3}
        ''')
    found = simplify(facts(source, "app/constants.py"), {"constant_export", "table_export"})
    assert found == [
        ("constant_export", "HANDLED", ("invoice.paid", "payout.paid")),
        ("constant_export", "SEEN", ("charge.refunded",)),
        ("constant_export", "AS_LIST", ("a.b",)),
        ("table_export", "HANDLERS", ("invoice.paid", "other")),
    ]


def test_a_stripe_base_url_read_from_the_environment_with_a_default():
    source = textwrap.dedent('''\
        import os
        import requests
        API = os.getenv("STRIPE_API_BASE", "https://api.stripe.com/v1")
        HOST = os.environ.get("STRIPE_HOST") or "https://api.stripe.com"
        OTHER = os.getenv("API", "https://example.com")

        def f(access_token, id):
            requests.get(f"{API}/charges/{id}", headers={"Authorization": f"Bearer {access_token}"})
            requests.post(HOST + "/v1/refunds", auth=(os.environ["KEY"], ""))
            requests.get(f"{OTHER}/v1/charges")
        ''')
    assert simplify(facts(source, "app/raw.py"), {"raw"}) == [
        ("raw", "GET", "/v1/charges/{}", 8, "installing"),
        ("raw", "POST", "/v1/refunds", 9, "platform"),
    ]


def test_basic_auth_or_bearer_with_a_per_account_key_is_the_installing_account():
    source = textwrap.dedent('''\
        import os
        import httpx
        import requests

        def f(api_key, token):
            httpx.get("https://api.stripe.com/v1/account", auth=(api_key, ""))
            requests.get("https://api.stripe.com/v1/charges", headers={"Authorization": f"Bearer {token}"})
            httpx.get("https://api.stripe.com/v1/payouts", auth=(os.environ["STRIPE_SECRET_KEY"], ""))
        ''')
    assert simplify(facts(source, "app/raw.py"), {"raw"}) == [
        ("raw", "GET", "/v1/account", 6, "installing"),
        ("raw", "GET", "/v1/charges", 7, "installing"),
        ("raw", "GET", "/v1/payouts", 8, "platform"),
    ]


def test_request_wrappers_are_read_at_their_calls():
    found = facts(textwrap.dedent("""\
        import requests
        from app.api import call_stripe

        def stripe_request(token, path, method="GET", **kw):
            return requests.request(method, f"https://api.stripe.com{path}", headers={"Authorization": f"Bearer {token}"}, **kw)

        def run(access_token, cid):
            stripe_request(access_token, "/v1/invoices")
            stripe_request(access_token, f"/v1/customers/{cid}", method="post")
            stripe_request(access_token, some_path)
            call_stripe(access_token, "/v1/payouts")
        """), "app/jobs.py")
    raw = [(r.verb, r.path, r.position.line, r.account) for r in found.raw_requests]
    assert raw == [("GET", "/v1/invoices", 8, "installing"), ("POST", "/v1/customers/{}", 9, "installing")]
    assert [(w.name, w.path_param, w.method_param, w.default_verb) for w in found.request_wrapper_exports] == [
        ("stripe_request", 1, 2, "GET"),
    ]
    assert [(p.import_local, p.args, p.position.line) for p in found.pending_requests] == [
        ("call_stripe", (None, "/v1/payouts"), 11),
    ]


def test_methods_are_request_wrappers_and_forwarding_ones_too():
    found = facts(textwrap.dedent("""\
        import os
        import requests
        from app.api import RemoteAPI
        import app.api as api_module

        class StripeAPI:
            BASE = "https://api.stripe.com/v1"
            def __init__(self, token):
                self.token = token
            def _request(self, method, path, **kw):
                return requests.request(method, f"{self.BASE}{path}", headers={"Authorization": f"Bearer {self.token}"}, **kw)
            def get(self, path):
                return self._request("GET", path)
            def send(self, path, verb="post"):
                return self.get_or(path, verb)
            def get_or(self, path, verb):
                return self._request(verb, path)
            def customers(self):
                return self._request("GET", "/customers")

        def run(access_token, cid):
            api = StripeAPI(access_token)
            api.get("/invoices")
            api.send(f"/customers/{cid}")
            StripeAPI(os.environ["STRIPE_SECRET_KEY"]).get("/balance")
            RemoteAPI(access_token).fetch("/v1/payouts")
            api_module.Remote(access_token).fetch("/v1/refunds")
            remote = RemoteAPI(os.environ["STRIPE_SECRET_KEY"])
            remote.fetch("/v1/disputes")
        """), "app/jobs.py")
    raw = [(r.verb, r.path, r.position.line, r.account) for r in found.raw_requests]
    assert raw == [
        ("GET", "/v1/customers", 19, "installing"),
        ("GET", "/v1/invoices", 23, "installing"),
        ("POST", "/v1/customers/{}", 24, "installing"),
        # as for function wrappers, a key the wrapper's own code shows per account (`self.token`) decides
        ("GET", "/v1/balance", 25, "installing"),
    ]
    assert [(w.name, w.path_param, w.method_param, w.default_verb, w.prefix) for w in found.request_wrapper_exports] == [
        ("StripeAPI._request", 1, 0, "GET", "/v1"),
        ("StripeAPI.get", 0, None, "GET", "/v1"),
        ("StripeAPI.get_or", 0, 1, "GET", "/v1"),
        ("StripeAPI.send", 0, 1, "POST", "/v1"),
    ]
    assert [(p.import_local, p.member, p.args, p.position.line, p.account) for p in found.pending_requests] == [
        ("RemoteAPI", "fetch", ("/v1/payouts",), 26, "installing"),
        ("api_module", "Remote.fetch", ("/v1/refunds",), 27, "installing"),
        ("RemoteAPI", "fetch", ("/v1/disputes",), 29, "platform"),
    ]


def test_method_wrappers_of_an_imported_class_link_across_files():
    from stripe_perm_lint.linker import link_app

    api = facts(textwrap.dedent("""\
        import os
        import requests
        class StripeAPI:
            def __init__(self, access_token):
                self.access_token = access_token
            def request(self, method, path):
                return requests.request(method, f"https://api.stripe.com{path}", headers={"Authorization": f"Bearer {self.access_token}"})
            def delete(self, path):
                return self.request("DELETE", path)
        def helper():
            class Local:
                def fetch(self, path):
                    return requests.get(f"https://api.stripe.com{path}")
        class PlatformAPI:
            def __init__(self):
                self.key = os.environ["STRIPE_SECRET_KEY"]
            def fetch(self, path):
                return requests.get(f"https://api.stripe.com{path}", auth=(self.key, ""))
        """), path="app/api.py")
    jobs = facts(textwrap.dedent("""\
        from .api import StripeAPI
        import app.api as api
        def run(token, client: StripeAPI):
            StripeAPI(token).request("POST", "/v1/invoices")
            client.delete("/v1/customers/cus_1")
            api.StripeAPI(token).delete("/v1/products/prod_1")
            client.missing("/v1/payouts")
        """), path="app/jobs.py")
    assert [(w.name, w.account) for w in api.request_wrapper_exports] == [
        ("StripeAPI.request", "installing"), ("PlatformAPI.fetch", "platform"), ("StripeAPI.delete", "installing"),
    ]
    linked = {f.path: f for f in link_app([api, jobs])}["app/jobs.py"]
    assert [(r.verb, r.path, r.position.line, r.account) for r in linked.raw_requests] == [
        ("POST", "/v1/invoices", 4, "installing"),
        ("DELETE", "/v1/customers/cus_1", 5, "installing"),
        ("DELETE", "/v1/products/prod_1", 6, "installing"),
    ]


def test_an_argument_that_is_the_events_account_acts_for_the_installing_account():
    # As every backend parser reads it (decision 6): the event names the account it comes from.
    source = textwrap.dedent('''\
        import os
        import stripe

        stripe.api_key = os.environ["STRIPE_SECRET_KEY"]

        def on_installed(event):
            account = event.account
            stripe.Account.retrieve(account)
            stripe.Account.retrieve(event["account"])
            stripe.Customer.retrieve(event.data.object.customer)
            stripe.Account.retrieve(os.environ["PLATFORM_ACCOUNT"])
        ''')
    assert [(c.accessor, c.position.line, c.account) for c in facts(source, "backend/hooks.py").calls] == [
        ("Account.retrieve", 8, "installing"),
        ("Account.retrieve", 9, "installing"),
        ("Customer.retrieve", 10, "platform"),
        ("Account.retrieve", 11, "platform"),
    ]


def _positions_of(source: str):
    """The module, libcst's positions over the whole module, and the per-statement ones."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from stripe_perm_lint.parse.python.positions import StatementPositions

    module = cst.parse_module(source)
    return module, MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider), StatementPositions(module, source)


def _all_nodes(node) -> list:
    import libcst as cst

    class Nodes(cst.CSTVisitor):
        def __init__(self):
            self.found = []

        def on_visit(self, node):
            self.found.append(node)
            return True

    nodes = Nodes()
    node.visit(nodes)
    return nodes.found


def test_positions_resolved_per_statement_are_the_whole_modules():
    # Decorators with comments between them, a semicolon line, a header comment, CRLF and a
    # class body: every node's range equals what libcst's PositionProvider gives over the module.
    source = (
        "# header\r\n\r\nimport stripe; import os\r\n\r\n\r\n@app.route('/hook')\r\n# note\r\n@login(\r\n"
        "    required=True)\r\ndef hook(event):\r\n    if event.type == 'invoice.paid':\r\n"
        "        stripe.Invoice.retrieve(event.data.object.id)\r\n\r\nclass Sync:\r\n    '''doc'''\r\n\r\n"
        "    async def run(self):\r\n        return [c async for c in stripe.Customer.list()]\r\n"
    )
    module, whole, positions = _positions_of(source)

    checked = 0
    for top, stmt in enumerate(module.body):
        for node in _all_nodes(stmt):
            if node in whole:
                assert positions.range_of(node, top) == whole[node], (type(node).__name__, top)
                checked += 1
    assert checked > 100 and positions._whole is None  # never fell back to the whole module


def test_positions_resolved_per_method_and_definitions_from_ast_are_the_whole_modules():
    # A class generated one method at a time (a copy of the class keeping that method alone:
    # ``positions.StatementPositions._nested``; decorators, comments and blank lines between
    # methods, a class decorator, a continuation line, a nested function, an async method, a
    # semicolon line in the class body, CRLF), and each definition's span read from ``ast``.
    source = (
        "import stripe\r\n\r\n@register\r\nclass Billing(Base):\r\n    kind = 'x'; size = 2\r\n\r\n"
        "    # syncs\r\n    @staticmethod\r\n    # between\r\n    def sync(account):\r\n"
        "        return stripe.Customer.list(\r\n            stripe_account=account,\r\n"
        "    limit=3)\r\n\r\n\r\n    async def fetch(self, cid):\r\n        def inner():\r\n"
        "            return stripe.Customer.retrieve(cid)\r\n        return inner()\r\n    # trailing\r\n"
        "\r\ndef after():\r\n    pass\r\n"
    )
    module, whole, positions = _positions_of(source)

    cls = module.body[1]
    checked = 0
    for member, method in enumerate(cls.body.body):
        if type(method).__name__ != "FunctionDef":
            continue
        for node in _all_nodes(method):
            if node in whole:
                assert positions.range_of(node, 1, (method,)) == whole[node], (type(node).__name__, member)
                checked += 1
        place = whole[method]
        assert positions.definition(method, 1, cls) == (place.start.line, place.start.column, place.end.line)
    after = module.body[2]
    assert positions.definition(after, 2) == (whole[after].start.line, whole[after].start.column, whole[after].end.line)
    assert checked > 50 and positions._whole is None
    methods = [cls.body.body[1], cls.body.body[2]]
    assert sorted(positions._tables) == sorted(("nested", id(m)) for m in methods)  # never the whole class


def test_positions_from_ast_print_none_of_the_analysed_codes_warnings():
    # `"\\d"` is an invalid escape: CPython warns when it parses it (a SyntaxWarning printed on
    # stderr since 3.12). The linter's reading of the file must stay silent.
    import warnings

    source = 'import re\nclass A:\n    def f(self):\n        return re.compile("\\d+")\n'
    module, whole, positions = _positions_of(source)
    method = module.body[1].body.body[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert positions.definition(method, 1, module.body[1])[0] == whole[method].start.line
    assert caught == []


def test_positions_fall_back_to_the_whole_module_when_the_parsers_disagree():
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from stripe_perm_lint.parse.python.positions import StatementPositions

    source = "import stripe\n\nstripe.Customer.list()\n"
    module = cst.parse_module(source)
    # the text handed in is not the one parsed: the statement lines cannot be trusted
    positions = StatementPositions(module, "\n\n" + source)
    call = module.body[1]
    assert positions.range_of(call, 1) == MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)[call]
