from __future__ import annotations

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.rule import Rule

REPLACEMENTS = {
    "userContext.email": "`getDashboardUserEmail()` from `@stripe/ui-extension-sdk/utils`, with the `user_email_read` permission",
}

REMOVED_EMAIL = """import type {ExtensionContextValue} from '@stripe/ui-extension-sdk/context';

export const notifyAddress = ({userContext}: ExtensionContextValue) => userContext.email;
"""
CURRENT_EMAIL = """import {getDashboardUserEmail} from '@stripe/ui-extension-sdk/utils';

export const notifyAddress = async () => (await getDashboardUserEmail()).email;
"""


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
    valid = (
        Example(
            "The user's email from `getDashboardUserEmail()`",
            {"stripe-app.json": manifest("user_email_read"), "src/views/Settings.tsx": CURRENT_EMAIL},
        ),
    )
    invalid = (
        Example(
            "The user's email from the view props",
            {"stripe-app.json": manifest(), "src/views/Settings.tsx": REMOVED_EMAIL},
            ("src/views/Settings.tsx:3:72: `userContext.email` was removed from the Stripe Apps SDK; use "
             "`getDashboardUserEmail()` from `@stripe/ui-extension-sdk/utils`, with the `user_email_read` "
             "permission",),
        ),
    )

    def check(self, ctx):
        app = ctx.app
        for path, use in app.removed_apis():
            replacement = REPLACEMENTS.get(use.name, "its documented replacement")
            yield self.finding(
                Location(path, use.position.line, use.position.column),
                f"`{use.name}` was removed from the Stripe Apps SDK; use {replacement}",
            )
