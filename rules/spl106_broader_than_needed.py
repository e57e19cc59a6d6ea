from __future__ import annotations

from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

READ_CUSTOMER = UI_CLIENT + "\nexport const customer = (id: string) => stripe.customers.retrieve(id);\n"
DRAFT_INVOICES = (
    UI_CLIENT + "\n"
    "export const drafts = (customer: string) => stripe.invoices.list({customer, status: 'draft'});\n"
    "export const newDraft = (customer: string) => stripe.invoices.create({customer, auto_advance: false});\n"
)
# Only reads a secret, but Stripe's Secret Store guide has apps declare `secret_write` for that.
READ_SECRET = (
    UI_CLIENT + "\n"
    "export const template = () =>\n"
    "  stripe.apps.secrets.find({scope: {type: 'account'}, name: 'invoice_template', expand: ['payload']});\n"
)


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
    valid = (
        Example(
            "The read permission for code that reads",
            {"stripe-app.json": manifest("customer_read"), "src/views/Customer.tsx": READ_CUSTOMER},
        ),
        Example(
            "The write permission for code that also writes",
            {"stripe-app.json": manifest("invoice_write"), "src/views/Invoices.tsx": DRAFT_INVOICES},
        ),
        Example(
            "`secret_write` for reading a secret, as Stripe's Secret Store guide asks",
            {"stripe-app.json": manifest("secret_write"), "src/views/Settings.tsx": READ_SECRET},
        ),
    )
    invalid = (
        Example(
            "The write permission for code that only reads",
            {"stripe-app.json": manifest("customer_write"), "src/views/Customer.tsx": READ_CUSTOMER},
            ("stripe-app.json:7:21: `customer_write` is declared but the code only reads; `customer_read` is enough",),
        ),
    )

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
            if info.counterpart in diff.declared:  # both declared: SPL108 says the write is redundant
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
