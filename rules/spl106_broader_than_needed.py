from __future__ import annotations

from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


class BroaderThanNeeded(Rule):
    """A write permission is declared where the code only reads that resource.

    ## Why it matters
    Installers see "write access" and reviewers ask why; least privilege is part of Stripe's
    app review. Write also covers reads, so the code works, which is why this goes unnoticed.

    ## Example
    `customer_write` declared, and the code only calls `stripe.customers.retrieve()`.

    ## Fix
    Declare the narrower read permission named in the message instead.
    """

    code = "SPL106"
    name = "broader-than-needed"
    severity = Severity.WARNING

    def check(self, ctx):
        app, catalog = ctx.app, ctx.catalog
        if app.manifest.unparsed:
            return
        diff = ctx.diff
        for entry in app.manifest.permissions:
            needs = diff.serves.get(entry.name)
            info = catalog.permission(entry.name)
            if not needs or info is None or info.access != "write" or not info.counterpart:
                continue
            # Contested mappings carry a note (e.g. Secret Store reads, where Stripe's guide
            # documents only secret_write): there the narrower name is not a safe suggestion.
            if any(n.access != "read" or n.note or info.counterpart not in n.any_of for n in needs):
                continue
            yield self.finding(
                entry.location,
                f"`{entry.name}` is declared but the code only reads; `{info.counterpart}` is enough",
                permission=entry.name,
            )
