from __future__ import annotations

from stripe_perm_lint.analysis import GapKind
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


class PlatformAccountCall(Rule):
    """A backend call on the developer's own account, which needs no manifest permission.

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
    """

    code = "SPL105"
    name = "platform-account-call"
    severity = Severity.INFO
    gap_kinds = (GapKind.PLATFORM_CALL,)

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.PLATFORM_CALL):
            consequence = (
                f"so the manifest need not declare `{gap.permission}`"
                if gap.permission
                else "where no app permission is involved"
            )
            yield self.finding(
                gap.location,
                f"{gap.subject} acts on the platform's own account (no `stripeAccount` / `stripe_account`), {consequence}",
                permission=gap.permission,
            )
