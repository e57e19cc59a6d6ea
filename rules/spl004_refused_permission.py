from __future__ import annotations

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


class RefusedPermission(Rule):
    """A permission that exists but that Stripe refuses to grant to apps at upload.

    ## Why it matters
    `stripe apps upload` rejects the whole app version, so nothing ships until the entry is
    gone, and code that relies on it cannot work from an app.

    ## Example
    `webhook_write` in `stripe-app.json`: upload answers "requesting webhook_write permission
    is disallowed".

    ## Fix
    Remove the entry and do the work another way: for webhooks, create one Connect endpoint on
    your own platform account (`connect: true`), which receives the events of every account
    that installs the app.
    """

    code = "SPL004"
    name = "refused-permission"
    severity = Severity.ERROR
    valid = (
        Example("Permissions apps may request", {"stripe-app.json": manifest("event_read", "invoice_read")}),
    )
    invalid = (
        Example(
            "Asking to manage webhook endpoints",
            {"stripe-app.json": manifest("event_read", "invoice_read", "webhook_write")},
            ('stripe-app.json:15:21: `webhook_write` cannot be requested by an app: `stripe apps upload` answers '
             '"requesting webhook_write permission is disallowed"',),
        ),
    )

    def check(self, ctx):
        app, catalog = ctx.app, ctx.catalog
        for entry in app.manifest.permissions:
            info = catalog.permission(entry.name)
            if info is not None and info.upload_refused:
                yield self.finding(
                    entry.location,
                    f"`{entry.name}` cannot be requested by an app: {info.upload_refused}",
                    permission=entry.name,
                )
