from __future__ import annotations

import difflib

from stripe_perm_lint.analysis import GapKind
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


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

    def check(self, ctx):
        catalog = ctx.catalog
        known = sorted(e.name for e in catalog.events)
        for gap in ctx.gaps(GapKind.UNKNOWN_EVENT):
            close = difflib.get_close_matches(gap.detail, known, n=1, cutoff=0.8)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            yield self.finding(gap.location, f"{gap.subject} is not a known Stripe event type{hint}")
