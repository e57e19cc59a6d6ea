from __future__ import annotations

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

# A Connect endpoint created on the platform; `%s` is its list of event types.
SUBSCRIBE = """import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {apiVersion: '2024-06-20'});

export const createEndpoint = () =>
  stripe.webhookEndpoints.create({url: 'https://hooks.example.com/stripe', connect: true, enabled_events: [%s]});
"""
INVOICE_EVENTS = "'invoice.paid', 'invoice.payment_failed'"


class WildcardEventSubscription(Rule):
    """A webhook endpoint subscribes to every event type (`'*'`).

    ## Why it matters
    Each event type needs one of its own permissions, so `'*'` cannot be checked: the app
    receives only the events its permissions allow, and the linter cannot tell which it
    expects.

    ## Example
    `stripe.webhookEndpoints.create({url, enabled_events: ['*']})`.

    ## Fix
    List the event types the app handles; each is then checked against the manifest.
    """

    code = "SPL202"
    name = "wildcard-event-subscription"
    severity = Severity.WARNING
    gap_kinds = (GapKind.WILDCARD_EVENT,)
    valid = (
        Example(
            "The event types the app handles, listed",
            {"stripe-app.json": manifest("event_read", "invoice_read"), "server/setup.ts": SUBSCRIBE % INVOICE_EVENTS},
        ),
    )
    invalid = (
        Example(
            "Every event type",
            {"stripe-app.json": manifest("event_read", "invoice_read"), "server/setup.ts": SUBSCRIBE % "'*'"},
            ("server/setup.ts:6:108: `enabled_events: ['*']` subscribes to every event type, whose permissions "
             "cannot be checked; list the events instead",),
        ),
    )

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.WILDCARD_EVENT):
            yield self.finding(
                gap.location,
                f"{gap.subject} subscribes to every event type, whose permissions cannot be checked; list the events instead",
            )
