from __future__ import annotations

from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.rule import Rule

REPLACEMENTS = {
    "userContext.email": "`getDashboardUserEmail()` from `@stripe/ui-extension-sdk/utils`, with the `user_email_read` permission",
}


class RemovedSdkApi(Rule):
    """Use of a UI-extension SDK member that Stripe removed.

    ## Why it matters
    The value is `undefined` at run time, so the feature built on it silently does nothing.

    ## Example
    `userContext.email`, removed from the view props in April 2022.

    ## Fix
    Use the replacement named in the message, and declare the permission it needs.
    """

    code = "SPL301"
    name = "removed-sdk-api"
    severity = Severity.WARNING

    def check(self, ctx):
        app = ctx.app
        for path, use in app.removed_apis():
            replacement = REPLACEMENTS.get(use.name, "its documented replacement")
            yield self.finding(
                Location(path, use.position.line, use.position.column),
                f"`{use.name}` was removed from the Stripe Apps SDK; use {replacement}",
            )
