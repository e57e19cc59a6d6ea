from __future__ import annotations

from stripe_perm_lint.diff import closeness
from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

READ_CUSTOMER = UI_CLIENT + "\nexport const customer = (id: string) => stripe.customers.retrieve(id);\n"
UPDATE_CUSTOMER = (
    READ_CUSTOMER + "export const rename = (id: string, name: string) => stripe.customers.update(id, {name});\n"
)
LIST_PRODUCTS = UI_CLIENT + "\nexport const catalogue = () => stripe.products.list({active: true});\n"


class RedundantPermission(Rule):
    """A declared permission whose every use is already covered by another declared permission.

    ## Why it matters
    Each declared permission is shown to installers and questioned in review. When another
    declared permission already meets every need this one meets, and meets it more closely (the
    exact permission, rather than a write standing in for a read or an older-edition implication
    such as `quote_read` granting `product_read`), removing this one changes nothing the app can
    do. It is not reported as unused: it does meet a need, just not on its own.

    ## Example
    `customer_read` and `customer_write` declared, and the code only reads customers.

    ## Fix
    Remove the permission named in the message (`stripe apps revoke permission NAME`). If code
    the linter cannot see needs it, keep it and suppress this finding.
    """

    code = "SPL108"
    name = "redundant-permission"
    severity = Severity.WARNING
    valid = (
        Example(
            "The write permission is used for writes",
            {"stripe-app.json": manifest("customer_read", "customer_write"), "src/views/Customer.tsx": UPDATE_CUSTOMER},
        ),
    )
    invalid = (
        Example(
            "A write next to the read it stands for, where the code only reads",
            {"stripe-app.json": manifest("customer_read", "customer_write"), "src/views/Customer.tsx": READ_CUSTOMER},
            ("stripe-app.json:11:21: `customer_write` is redundant: every need it meets (`stripe.customers.retrieve()`) "
             "is met by `customer_read`, also declared",),
        ),
        Example(
            "A permission used only through an implication that the exact one already covers",
            {"stripe-app.json": manifest("product_read", "quote_read"), "src/views/Catalogue.tsx": LIST_PRODUCTS},
            ("stripe-app.json:11:21: `quote_read` is redundant: every need it meets (`stripe.products.list()`) "
             "is met by `product_read`, also declared",),
        ),
    )

    def check(self, ctx):
        app = ctx.app
        if app.manifest.unparsed:
            return
        diff, catalog = ctx.diff, ctx.catalog
        grants = {p: catalog.grants([p], include_older_edition=app.options.include_older_edition) for p in diff.declared}
        seen: set[str] = set()
        for entry in app.manifest.permissions:
            name = entry.name
            needs, outranked = diff.serves.get(name), diff.outranked.get(name, ())
            if not needs or name in seen or len(outranked) != len(needs):
                continue
            seen.add(name)
            # Contested mappings carry a note (Secret Store reads): removing a permission Stripe's
            # own guide asks for is not safe advice.
            if any(n.note for n in needs):
                continue
            closer = sorted(
                {p for n in needs for p in diff.declared if p != name and grants[p].intersection(n.any_of)
                 and closeness(n, p) < closeness(n, name)}
            )
            subjects = sorted({n.subject for n in needs})
            shown = ", ".join(subjects[:3]) + (f" and {len(subjects) - 3} more" if len(subjects) > 3 else "")
            by = ", ".join(f"`{p}`" for p in closer)
            yield self.finding(
                entry.location,
                f"`{name}` is redundant: every need it meets ({shown}) is met by {by}, also declared",
                permission=name,
            )

