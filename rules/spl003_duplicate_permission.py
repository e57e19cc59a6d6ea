from __future__ import annotations

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


class DuplicatePermission(Rule):
    """A permission is declared more than once.

    ## Why it matters
    The second entry adds nothing, and its purpose text competes with the first one on the
    install screen; `stripe apps revoke permission` removes only one of them.

    ## Example
    Two `{"permission": "customer_read", ...}` entries in `stripe-app.json`.

    ## Fix
    Keep one entry, with the clearer purpose.
    """

    code = "SPL003"
    name = "duplicate-permission"
    severity = Severity.WARNING
    valid = (Example("Each permission declared once", {"stripe-app.json": manifest("customer_read", "invoice_read")}),)
    invalid = (
        Example(
            "The same permission declared twice",
            {"stripe-app.json": manifest("customer_read", "invoice_read", "customer_read")},
            ("stripe-app.json:15:21: `customer_read` is already declared at line 7",),
        ),
    )

    def check(self, ctx):
        app = ctx.app
        first: dict[str, object] = {}
        for entry in app.manifest.permissions:
            if entry.name in first:
                yield self.finding(
                    entry.location,
                    f"`{entry.name}` is already declared at line {first[entry.name].line}",
                    permission=entry.name,
                    related=((first[entry.name], "first declared here"),),
                )
            else:
                first[entry.name] = entry.location
