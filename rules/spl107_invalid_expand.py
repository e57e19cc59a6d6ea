from __future__ import annotations

from stripe_perm_lint.analysis import GapKind
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


class InvalidExpand(Rule):
    """An `expand` path that does not exist on the object the call returns.

    ## Why it matters
    Stripe rejects the whole request with `invalid_request_error` ("This property cannot be
    expanded"), so the call fails every time, not only for some accounts.

    ## Example
    `stripe.paymentIntents.retrieve(id, {expand: ['custmer']})`, or `expand: ['customer']` on
    a list call, which needs `data.customer`.

    ## Fix
    Use a field the object has (the message names the object and the field); on list calls,
    prefix the path with `data.`.
    """

    code = "SPL107"
    name = "invalid-expand"
    severity = Severity.ERROR
    gap_kinds = (GapKind.INVALID_EXPAND,)

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.INVALID_EXPAND):
            yield self.finding(gap.location, f"{gap.subject} is not a valid expand path: {gap.detail}")
