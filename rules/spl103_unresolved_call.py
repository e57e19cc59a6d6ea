from __future__ import annotations

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

LITERAL = UI_CLIENT + "\nexport const listCustomers = () => stripe.customers.list({limit: 10});\n"
COMPUTED = (
    UI_CLIENT + "\n"
    "export const run = (action: 'del' | 'retrieve', id: string) => stripe.customers[action](id);\n"
)
NO_SUCH_METHOD = UI_CLIENT + "\nexport const tidyUp = (id: string) => stripe.customers.frobnicate(id);\n"
RUNTIME_EXPAND = (
    UI_CLIENT + "\n"
    "export const invoice = (id: string, fields: string[]) =>\n"
    "  stripe.invoices.retrieve(id, {expand: fields.map((f) => `lines.data.${f}`)});\n"
)


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
    valid = (
        Example(
            "A call with literal names",
            {"stripe-app.json": manifest("customer_read"), "src/views/Customers.tsx": LITERAL},
        ),
    )
    invalid = (
        Example(
            "A method name computed at run time",
            {"stripe-app.json": manifest("customer_write"), "src/views/Customer.tsx": COMPUTED},
            ("src/views/Customer.tsx:6:64: `stripe.customers.?()` cannot be resolved: its method name is computed "
             "at run time",),
        ),
        Example(
            "A method Stripe's API does not have",
            {"stripe-app.json": manifest("customer_write"), "src/views/Customers.tsx": NO_SUCH_METHOD},
            ("src/views/Customers.tsx:6:39: `stripe.customers.frobnicate()` cannot be resolved: the catalog knows "
             "no Stripe API method by that name",),
        ),
        Example(
            "An expand list built at run time",
            {"stripe-app.json": manifest("invoice_read"), "src/views/Invoice.tsx": RUNTIME_EXPAND},
            ("src/views/Invoice.tsx:7:3: an `expand` list cannot be resolved: it is built at run time",),
        ),
    )

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.UNRESOLVED):
            yield self.finding(gap.location, f"{gap.subject} cannot be resolved: {gap.detail}")
