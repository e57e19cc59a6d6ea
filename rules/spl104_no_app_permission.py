from __future__ import annotations

from stripe_perm_lint.analysis import GapKind
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


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

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.NO_PERMISSION):
            yield self.finding(
                gap.location,
                f"{gap.subject} has no Stripe Apps permission, so it fails on the installing account: {gap.detail}",
            )
