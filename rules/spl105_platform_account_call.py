from __future__ import annotations

from stripe_perm_lint.discover import language_of
from stripe_perm_lint.gaps import RAW_REQUEST, GapKind
from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

NODE_CLIENT = (
    "import Stripe from 'stripe';\n"
    "\n"
    "const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {apiVersion: '2024-06-20'});\n"
)
NODE_INSTALLING = (
    NODE_CLIENT + "\n"
    "export const customers = (account: string) =>\n"
    "  stripe.customers.list({limit: 10}, {stripeAccount: account});\n"
)
NODE_PLATFORM = NODE_CLIENT + "\nexport const plans = () => stripe.products.list({active: true});\n"

PYTHON_INSTALLING = """import os

import stripe

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]


def customers(account_id):
    return stripe.Customer.list(limit=10, stripe_account=account_id)
"""
PYTHON_PLATFORM = PYTHON_INSTALLING.replace(", stripe_account=account_id", "")

WEBHOOKS = """import os

import stripe
from flask import Flask, request

app = Flask(__name__)


@app.post("/webhooks/stripe")
def app_webhook():
    event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"],
                                           os.environ["STRIPE_WEBHOOK_SECRET"])
    if event.type == "invoice.paid":
        print("paid on", event.account)
    return ""


@app.post("/webhooks/stripe-billing")
def billing_webhook():
    event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"],
                                           os.environ["STRIPE_SECRET"])
    if event.type == "checkout.session.completed":
        print("plan bought", event.data.object.id)
    return ""
"""


class PlatformAccountCall(Rule):
    """A backend call or webhook event on the developer's own account, which needs no manifest permission.

    ## Why it matters
    Calls without `stripeAccount` / `stripe_account` (and without an OAuth token as the key)
    act on the platform account, so the manifest does not govern them. If the call was meant
    for the installing account, it silently reads or changes the wrong account's data.

    ## Example
    `new Stripe(process.env.STRIPE_SECRET_KEY).customers.list()` in a backend route.

    ## Fix
    Nothing, if the platform account is meant. Otherwise pass `{stripeAccount: accountId}`
    (`stripe_account=` in Python); the call then needs the permission named in the message.
    `--platform-calls count` treats every backend call as acting on the installing account.

    ## Events of your own billing
    An app that also bills its own customers receives their events (`checkout.session.completed`,
    `customer.subscription.*`) on a second endpoint. Its events are reported here, with the
    evidence, and need no app permission when that endpoint (or the endpoint that hands it the
    event) never reads `event.account` while another endpoint does, is verified with a secret
    named for billing (`STRIPE_BILLING_WEBHOOK_SECRET`) while another endpoint uses another one,
    or is the `onEvent` of better-auth's Stripe plugin. Without such evidence events count
    (docs/semantics.md §10); `--platform-calls count` makes them count too. When the code cannot
    show it (one endpoint, the same secret), name the endpoint in the config:
    `own-account-webhooks = ["/api/webhooks/billing"]` (a route, a file, `path:function` or a
    handler name); its events are then reported here as "marked in config".
    """

    code = "SPL105"
    name = "platform-account-call"
    severity = Severity.INFO
    gap_kinds = (GapKind.PLATFORM_CALL, GapKind.OWN_ACCOUNT_EVENT)
    valid = (
        Example(
            "A Node backend call with `stripeAccount`",
            {"stripe-app.json": manifest("customer_read"), "server/customers.ts": NODE_INSTALLING},
        ),
        Example(
            "A Python backend call with `stripe_account`",
            {"stripe-app.json": manifest("customer_read"), "backend/app.py": PYTHON_INSTALLING},
        ),
        Example(
            "Two webhook endpoints that both serve installing accounts (same secret, no evidence)",
            {"stripe-app.json": manifest("event_read", "invoice_read", "checkout_session_read"),
             "backend/app.py": WEBHOOKS.replace("STRIPE_SECRET", "STRIPE_WEBHOOK_SECRET")},
        ),
    )
    invalid = (
        Example(
            "A Node backend call without `stripeAccount`",
            {"stripe-app.json": manifest(), "server/plans.ts": NODE_PLATFORM},
            ("server/plans.ts:5:28: `stripe.products.list()` acts on the platform's own account (no "
             "`stripeAccount` / `stripe_account`), so the manifest need not declare `product_read`",),
        ),
        Example(
            "A Python backend call without `stripe_account`",
            {"stripe-app.json": manifest("customer_read"), "backend/app.py": PYTHON_PLATFORM},
            ("backend/app.py:9:12: `stripe.Customer.list()` acts on the platform's own account (no `stripeAccount` "
             "/ `stripe_account`), so the manifest need not declare `customer_read`",),
        ),
        Example(
            "A billing webhook verified with its own secret beside the app's, which reads `event.account`",
            {"stripe-app.json": manifest("event_read", "invoice_read"),
             "backend/app.py": WEBHOOKS.replace("STRIPE_SECRET", "STRIPE_BILLING_WEBHOOK_SECRET")},
            ("backend/app.py:22:22: event `checkout.session.completed` arrives on the developer's own account (its handler "
             "`backend/app.py:billing_webhook` is verified with `STRIPE_BILLING_WEBHOOK_SECRET`, not the "
             "`STRIPE_WEBHOOK_SECRET` of `backend/app.py:app_webhook`, and never reads `event.account`, which "
             "`backend/app.py:app_webhook` does), so the manifest need not declare `checkout_session_read`",),
        ),
    )

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.OWN_ACCOUNT_EVENT):
            yield self.finding(
                gap.location,
                f"{gap.subject} arrives on the developer's own account ({gap.detail}), "
                f"so the manifest need not declare `{gap.permission}`",
                permission=gap.permission,
            )
        for gap in ctx.gaps(GapKind.PLATFORM_CALL):
            consequence = (
                f"so the manifest need not declare `{gap.permission}`"
                if gap.permission
                else "where no app permission is involved"
            )
            language = language_of(gap.location.path)
            raw = gap.detail == RAW_REQUEST and language in _ACCOUNT_OPTION
            option = "`Stripe-Account` header" if raw else _ACCOUNT_OPTION.get(language, _ACCOUNT_OPTION[""])
            yield self.finding(
                gap.location,
                f"{gap.subject} acts on the platform's own account (no {option}), {consequence}",
                permission=gap.permission,
            )


# What names the installing account in each backend language's SDK (the finding says which is
# missing); Python and TypeScript, and files read for their URLs only, keep the first wording.
_ACCOUNT_OPTION = {
    "": "`stripeAccount` / `stripe_account`",
    "ruby": "`stripe_account:` option",
    "go": "`SetStripeAccount` / `StripeAccount` param",
    "php": "`'stripe_account'` option",
    "csharp": "`RequestOptions.StripeAccount`",
    "java": "`RequestOptions.setStripeAccount`",
}
