from __future__ import annotations

from stripe_perm_lint.analysis import GapKind
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


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

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.WILDCARD_EVENT):
            yield self.finding(
                gap.location,
                f"{gap.subject} subscribes to every event type, whose permissions cannot be checked; list the events instead",
            )
