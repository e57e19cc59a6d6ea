"""Python backend files of a synthetic app: a shared ``StripeClient`` module, services that use
it (a client carried across modules), a webhook endpoint, and ordinary modules with no Stripe in
them. Each function takes a ``random.Random`` and returns source text."""

from __future__ import annotations

import random

from synth_ts import WORDS, pick_call, pick_words

# (StripeClient namespace, method, an expand path) for the calls a backend makes.
PY_CALLS = (
    ("customers", "list", "data.default_source"),
    ("customers", "retrieve", "invoice_settings.default_payment_method"),
    ("invoices", "list", "data.subscription"),
    ("subscriptions", "retrieve", "latest_invoice"),
    ("charges", "list", "data.balance_transaction"),
    ("payment_intents", "retrieve", "payment_method"),
    ("products", "list", None),
    ("payouts", "list", None),
    ("refunds", "create", None),
)
# The arguments of a call by method (a list otherwise).
PY_ARGUMENTS = {"retrieve": "object_id, params={params}", "create": 'params={{"charge": object_id}}'}
PY_EVENTS = (
    "customer.created", "invoice.paid", "invoice.payment_failed", "customer.subscription.deleted",
    "charge.refunded", "payment_intent.succeeded", "payout.failed",
)

CLIENT_MODULE = '''"""The one Stripe client of the backend; every service imports it from here."""

import os

from stripe import StripeClient

client = StripeClient(os.environ["STRIPE_SECRET_KEY"])
'''


def model_module(rng: random.Random) -> str:
    """Dataclasses and plain functions, the bulk of a backend."""
    parts = ['"""Data shapes and helpers of the app\'s backend."""\n\nfrom __future__ import annotations\n\n'
             "from dataclasses import dataclass, field\nfrom typing import Iterable\n"]
    for _ in range(rng.randint(5, 12)):
        a, b = pick_words(rng)
        cls = (a + "_" + b).title().replace("_", "")
        parts.append(f'''

@dataclass
class {cls}:
    """One {a} {b} as the dashboard shows it."""

    id: str
    label: str
    amount: int = 0
    tags: list[str] = field(default_factory=list)

    def display(self, currency: str = "usd") -> str:
        tags = ", ".join(t for t in self.tags if t)
        return f"{{self.label}}: {{self.amount / 100:.2f}} {{currency.upper()}}" + (f" [{{tags}}]" if tags else "")


def summarise_{a}_{b}(rows: Iterable[{cls}], limit: int = {rng.randint(3, 50)}) -> dict[str, int]:
    totals: dict[str, int] = {{}}
    for row in sorted(rows, key=lambda r: r.amount, reverse=True)[:limit]:
        key = row.label[:{rng.randint(1, 4)}].lower()
        totals[key] = totals.get(key, 0) + row.amount
    return totals
''')
    return "".join(parts)


def service_module(rng: random.Random, calls_stripe: bool) -> str:
    """Request handlers. One that calls Stripe acts on the connected account for most calls."""
    head = '"""Handlers of the backend\'s routes."""\n\nfrom __future__ import annotations\n\n'
    head += "from .stripe_client import client\n" if calls_stripe else "import json\n"
    parts = [head]
    for _ in range(rng.randint(3, 8)):
        a, b = pick_words(rng)
        if calls_stripe and rng.random() < 0.5:
            resource, method, expand, connected = pick_call(rng, PY_CALLS)
            account = ', options={"stripe_account": account_id}' if connected else ""
            params = f'{{"expand": ["{expand}"]}}' if expand else "{}"
            arguments = PY_ARGUMENTS.get(method, "params={params}").format(params=params)
            call = f"client.{resource}.{method}({arguments}{account})"
            body = f"    result = {call}\n    return {{\"id\": object_id, \"result\": result}}\n"
        else:
            body = (f"    {a} = len(object_id) * {rng.randint(2, 9)}\n"
                    f"    if {a} > {rng.randint(10, 99)}:\n        return {{\"error\": \"{b} too long\"}}\n"
                    f"    return {{\"id\": object_id, \"{a}\": {a}, \"{b}\": str({a}).zfill(4)}}\n")
        parts.append(f"\n\ndef {a}_{b}(account_id: str, object_id: str) -> dict:\n{body}")
    return "".join(parts)


def webhook_module(rng: random.Random) -> str:
    events = rng.sample(PY_EVENTS, rng.randint(2, 4))
    branches = "".join(
        f'    {"if" if i == 0 else "elif"} event.type == "{e}":\n        handled.append(("{e}", event.id))\n'
        for i, e in enumerate(events)
    )
    return f'''"""The webhook endpoint: verify the payload, then act on the events the app cares about."""

import os

import stripe

handled: list[tuple[str, str]] = []


def webhook(payload: bytes, signature: str) -> int:
    event = stripe.Webhook.construct_event(payload, signature, os.environ["STRIPE_WEBHOOK_SECRET"])
    if not event.account:
        return 400
{branches}    return 200
'''


def package_words(rng: random.Random) -> str:
    return "_".join(rng.sample(WORDS, 2))
