from __future__ import annotations

from stripe_perm_lint.analysis import GapKind
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


class UnresolvedCall(Rule):
    """Stripe API use whose permission cannot be worked out statically.

    ## Why it matters
    The linter never drops a call it cannot resolve: the call may need a permission that is
    missing, and while any exist, "unused" findings may be wrong.

    ## Example
    `stripe[resource].list()`, `stripe.customers.frobnicate()` (no such method), an `expand`
    list built at run time, or a raw request to a path Stripe does not have.

    ## Fix
    Write the call with literal names, or check its permission by hand and suppress the
    finding. A method that exists in a newer SDK than the catalog knows is a catalog bug:
    please report it.
    """

    code = "SPL103"
    name = "unresolved-call"
    severity = Severity.WARNING
    gap_kinds = (GapKind.UNRESOLVED,)

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.UNRESOLVED):
            yield self.finding(gap.location, f"{gap.subject} cannot be resolved: {gap.detail}")
