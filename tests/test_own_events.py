"""Whose events (docs/semantics.md §10): the evidence the parsers attach to handled events, and the
decision ``analysis`` makes across the endpoints of the whole app, on hand-built facts."""

from __future__ import annotations

from pathlib import Path

from stripe_perm_lint.analysis import own_account_endpoints
from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.app import App, Options
from stripe_perm_lint.context import RuleContext
from stripe_perm_lint.facts import (
    EVIDENCE_BILLING_PLUGIN,
    EVIDENCE_READS_ACCOUNT,
    EVIDENCE_RECEIVES,
    EventUse,
    FileFacts,
    Position,
    WebhookEndpoint,
)
from stripe_perm_lint.finding import Location
from stripe_perm_lint.manifest import DeclaredPermission, Manifest
from stripe_perm_lint.parse.python.parser import parse_python
from stripe_perm_lint.parse.typescript.parser import parse_typescript

P = Position(1, 1)
APP = "a.ts:appHook"
BILLING = "b.ts:billingHook"


def secret(name):
    return f"verified with `{name}`"


def event(name, endpoint, *evidence):
    return EventUse(name, "handled", P, endpoint, tuple(evidence))


def app_with(events, endpoints=(), declared=("event_read",), options=Options()):
    manifest = Manifest(
        path="stripe-app.json",
        permissions=tuple(DeclaredPermission(n, Location("stripe-app.json", i + 1, 1)) for i, n in enumerate(declared)),
    )
    facts = FileFacts("src/a.ts", "typescript", events=tuple(events), webhook_endpoints=tuple(endpoints))
    return App(root=Path("/app"), manifest=manifest, files=(facts,), options=options)


# --- the decision ---------------------------------------------------------------------------------


def test_no_evidence_either_way_counts():
    app = app_with([event("checkout.session.completed", BILLING, EVIDENCE_RECEIVES)])
    assert own_account_endpoints(app) == {}


def test_never_reading_the_account_while_another_endpoint_does_is_own():
    app = app_with([event("invoice.paid", APP, EVIDENCE_READS_ACCOUNT, EVIDENCE_RECEIVES),
                    event("checkout.session.completed", BILLING, EVIDENCE_RECEIVES)])
    assert list(own_account_endpoints(app)) == [BILLING]


def test_a_helper_that_never_receives_the_event_is_not_moved_by_absence_alone():
    app = app_with([event("invoice.paid", APP, EVIDENCE_READS_ACCOUNT, EVIDENCE_RECEIVES),
                    event("invoice.payment_failed", "c.ts:processEvent")])
    assert own_account_endpoints(app) == {}


def test_a_billing_secret_needs_another_endpoint_with_another_secret():
    alone = app_with([event("checkout.session.completed", BILLING, secret("STRIPE_BILLING_WEBHOOK_SECRET"))])
    assert own_account_endpoints(alone) == {}
    both = app_with([event("invoice.paid", APP, secret("STRIPE_WEBHOOK_SECRET")),
                     event("checkout.session.completed", BILLING, secret("STRIPE_BILLING_WEBHOOK_SECRET"))])
    assert "STRIPE_BILLING_WEBHOOK_SECRET" in own_account_endpoints(both)[BILLING]


def test_reading_the_account_always_wins():
    app = app_with([event("invoice.paid", APP, secret("STRIPE_WEBHOOK_SECRET")),
                    event("checkout.session.completed", BILLING, EVIDENCE_BILLING_PLUGIN, EVIDENCE_READS_ACCOUNT)])
    assert own_account_endpoints(app) == {}


def test_sharing_the_secret_of_an_account_reader_serves_the_app():
    app = app_with([event("invoice.paid", APP, EVIDENCE_READS_ACCOUNT, secret("WEBHOOK_SECRET")),
                    event("payout.paid", BILLING, EVIDENCE_RECEIVES, secret("STRIPE_WEBHOOK_SECRET"))])
    assert own_account_endpoints(app) == {}


def test_handed_events_share_the_endpoints_evidence_both_ways():
    route = WebhookEndpoint("r.ts:POST", P, (EVIDENCE_RECEIVES, secret("STRIPE_BILLING_WEBHOOK_SECRET")),
                            ("billingHook",))
    other = WebhookEndpoint("s.ts:POST", P, (EVIDENCE_READS_ACCOUNT, secret("STRIPE_WEBHOOK_SECRET")))
    app = app_with([event("checkout.session.completed", BILLING)], [route, other])
    assert "the endpoint that hands it the event, `r.ts:POST`," in own_account_endpoints(app)[BILLING]
    # a helper it calls reads event.account: the route's events are the app's after all
    reader = WebhookEndpoint("h.ts:accountOf", P, (EVIDENCE_READS_ACCOUNT,))
    route_reads = WebhookEndpoint("r.ts:POST", P, route.evidence, ("billingHook", "accountOf"))
    assert own_account_endpoints(app_with([event("checkout.session.completed", BILLING)],
                                          [route_reads, other, reader])) == {}


def test_own_events_are_shown_not_counted(catalog):
    app = app_with([event("invoice.paid", APP, EVIDENCE_READS_ACCOUNT, EVIDENCE_RECEIVES),
                    event("checkout.session.completed", BILLING, EVIDENCE_RECEIVES)], declared=("event_read",))
    ctx = RuleContext(app, catalog)
    assert ctx.diff.missing and {m.canonical for m in ctx.diff.missing} == {"invoice_read"}
    [gap] = ctx.analysis.gaps_of(GapKind.OWN_ACCOUNT_EVENT)
    assert gap.permission == "checkout_session_read" and "never reads `event.account`" in gap.detail


def test_platform_calls_count_makes_own_events_count(catalog):
    app = app_with([event("invoice.paid", APP, EVIDENCE_READS_ACCOUNT, EVIDENCE_RECEIVES),
                    event("checkout.session.completed", BILLING, EVIDENCE_RECEIVES)],
                   options=Options(platform_calls="count"))
    ctx = RuleContext(app, catalog)
    assert not ctx.analysis.gaps_of(GapKind.OWN_ACCOUNT_EVENT)
    assert "checkout_session_read" in {m.canonical for m in ctx.diff.missing}


# --- what the parsers attach ----------------------------------------------------------------------

TS = """import Stripe from 'stripe';
import { stripe as stripePlugin } from '@better-auth/stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(request: Request) {
  const event = stripe.webhooks.constructEvent(await request.text(), '', process.env.STRIPE_BILLING_WEBHOOK_SECRET!);
  if (event.type === 'checkout.session.completed') {}
  await handleBilling(event);
}

export const app = async (req: Request) => {
  const event = stripe.webhooks.constructEvent(await req.text(), '', process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === 'invoice.paid') { console.log(event?.account); }
};

export const plugin = stripePlugin({ onEvent: async (event: Stripe.Event) => {
  if (event.type === 'invoice.created') {}
} });
"""


def test_typescript_events_carry_their_endpoint_and_evidence():
    facts = parse_typescript("s.ts", TS)
    by_name = {e.name: e for e in facts.events}
    billing, app, plugin = by_name["checkout.session.completed"], by_name["invoice.paid"], by_name["invoice.created"]
    assert billing.endpoint == "s.ts:POST"
    assert billing.evidence == (EVIDENCE_RECEIVES, secret("STRIPE_BILLING_WEBHOOK_SECRET"))
    assert app.endpoint == "s.ts:app" and EVIDENCE_READS_ACCOUNT in app.evidence
    assert plugin.endpoint == "s.ts:onEvent" and plugin.evidence == (EVIDENCE_BILLING_PLUGIN,)
    [route] = [w for w in facts.webhook_endpoints if w.endpoint == "s.ts:POST"]
    assert route.hands_to == ("handleBilling",)


PY = """import os
import stripe


def webhook(request):
    event = stripe.Webhook.construct_event(request.body, "", os.environ["STRIPE_WEBHOOK_SECRET"])
    if event["type"] == "invoice.paid":
        stripe.Invoice.retrieve(event.data.object.id, stripe_account=event.get("account"))


class BillingView:
    def post(self, request):
        event = stripe.Webhook.construct_event(request.body, "", os.getenv("BILLING_WEBHOOK_SECRET"))
        if event.type == "checkout.session.completed":
            pass
"""


def test_python_events_carry_their_endpoint_and_evidence():
    facts = parse_python("views.py", PY)
    by_name = {e.name: e for e in facts.events}
    app, billing = by_name["invoice.paid"], by_name["checkout.session.completed"]
    assert app.endpoint == "views.py:webhook" and EVIDENCE_READS_ACCOUNT in app.evidence
    assert billing.endpoint == "views.py:BillingView.post"
    assert billing.evidence == (EVIDENCE_RECEIVES, secret("BILLING_WEBHOOK_SECRET"))


def test_subscriptions_and_unparsed_events_have_no_endpoint():
    assert EventUse("invoice.paid", "subscribed", P).endpoint is None
