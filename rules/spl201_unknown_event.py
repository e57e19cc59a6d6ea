from __future__ import annotations

import difflib

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

# A Python webhook handler; `%s` is the event type it checks for.
HANDLER = """import os

import stripe


def webhook(payload, signature):
    event = stripe.Webhook.construct_event(payload, signature, os.environ["STRIPE_WEBHOOK_SECRET"])
    if event.type == "%s":
        print("paid", event.data.object.id)
"""
# A Connect endpoint created on the platform, subscribing to an event type that does not exist.
SUBSCRIBE = """import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {apiVersion: '2024-06-20'});

export const createEndpoint = () =>
  stripe.webhookEndpoints.create({
    url: 'https://hooks.example.com/stripe',
    connect: true,
    enabled_events: ['customer.subscription.update'],
  });
"""


class UnknownEvent(Rule):
    """An event type that is not in Stripe's event permission table.

    ## Why it matters
    A misspelt event never arrives, so the handler is dead code; a real but new event type has
    no known permission, so the linter cannot check it.

    ## Example
    `case 'invoice.payed':` or `enabled_events: ['customer.subscription.update']`.

    ## Fix
    Correct the name (the message suggests the closest known one). For a new event type,
    check its permission in Stripe's docs and suppress the finding.
    """

    code = "SPL201"
    name = "unknown-event"
    severity = Severity.WARNING
    gap_kinds = (GapKind.UNKNOWN_EVENT,)
    valid = (
        Example(
            "A handler for a known event type",
            {"stripe-app.json": manifest("event_read", "invoice_read"), "backend/app.py": HANDLER % "invoice.paid"},
        ),
    )
    invalid = (
        Example(
            "A misspelt event type in a handler",
            {"stripe-app.json": manifest("event_read", "invoice_read"), "backend/app.py": HANDLER % "invoice.payed"},
            ("backend/app.py:8:22: event `invoice.payed` is not a known Stripe event type; did you mean "
             "`invoice.paid`?",),
        ),
        Example(
            "A misspelt event type in a webhook subscription",
            {"stripe-app.json": manifest("event_read", "subscription_read"), "server/setup.ts": SUBSCRIBE},
            ("server/setup.ts:9:22: event `customer.subscription.update` is not a known Stripe event type; did you "
             "mean `customer.subscription.updated`?",),
        ),
    )

    def check(self, ctx):
        catalog = ctx.catalog
        known = sorted(e.name for e in catalog.events)
        for gap in ctx.gaps(GapKind.UNKNOWN_EVENT):
            close = difflib.get_close_matches(gap.detail, known, n=1, cutoff=0.8)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            yield self.finding(gap.location, f"{gap.subject} is not a known Stripe event type{hint}")
