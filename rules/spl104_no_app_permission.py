from __future__ import annotations

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

READ_ACCOUNT = UI_CLIENT + "\nexport const account = (id: string) => stripe.accounts.retrieve(id);\n"
UPDATE_ACCOUNT = (
    UI_CLIENT + "\n"
    "export const setSupportUrl = (id: string, url: string) =>\n"
    "  stripe.accounts.update(id, {business_profile: {support_url: url}});\n"
)
# On the platform's own account (no `stripeAccount`), the call needs no app permission.
PLATFORM_BACKEND = """import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {apiVersion: '2024-06-20'});

export const onboard = (email: string) => stripe.accounts.create({type: 'express', email});
"""
INSTALLING_BACKEND = """import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {apiVersion: '2024-06-20'});

export const offset = (accountId: string) =>
  stripe.climate.orders.create({product: 'climsku_frontier', metric_tons: 1}, {stripeAccount: accountId});
"""


class NoAppPermission(Rule):
    """The endpoint exists, but no Stripe Apps permission allows it.

    ## Why it matters
    No manifest entry can make this call work on the installing account: Stripe answers
    `403` however the app is configured.

    ## Example
    `stripe.accounts.update(...)` or `stripe.identity.verificationSessions.create(...)` from a
    UI extension, or from a backend with `stripeAccount` set.

    ## Fix
    Make the call from your backend on your own (platform) account if that is what you mean,
    or find another endpoint. The message says why no permission exists.
    """

    code = "SPL104"
    name = "no-app-permission"
    severity = Severity.ERROR
    gap_kinds = (GapKind.NO_PERMISSION,)
    valid = (
        Example(
            "Reading the installing account, which `connected_account_read` allows",
            {"stripe-app.json": manifest("connected_account_read"), "src/views/Account.tsx": READ_ACCOUNT},
        ),
        Example(
            "A backend call on the platform's own account",
            {"stripe-app.json": manifest(), "server/onboard.ts": PLATFORM_BACKEND},
        ),
    )
    invalid = (
        Example(
            "Updating the installing account from a view",
            {"stripe-app.json": manifest("connected_account_read"), "src/views/Settings.tsx": UPDATE_ACCOUNT},
            ("src/views/Settings.tsx:7:3: `stripe.accounts.update()` has no Stripe Apps permission, so it fails on "
             "the installing account: no connected_account_write exists; only connected_account_read "
             "(stripe/stripe-apps#1027)",),
        ),
        Example(
            "A backend call on the installing account",
            {"stripe-app.json": manifest(), "server/offset.ts": INSTALLING_BACKEND},
            ("server/offset.ts:6:3: `stripe.climate.orders.create()` has no Stripe Apps permission, so it fails on "
             "the installing account: the Stripe Apps permissions reference lists no permission for this API",),
        ),
    )

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.NO_PERMISSION):
            yield self.finding(
                gap.location,
                f"{gap.subject} has no Stripe Apps permission, so it fails on the installing account: {gap.detail}",
            )
