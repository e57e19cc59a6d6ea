from __future__ import annotations

from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

VIEW = UI_CLIENT + "\nexport const openInvoices = () => stripe.invoices.list({status: 'open'});\n"


class MissingPermission(Rule):
    """Code needs a permission the manifest does not declare.

    ## Why it matters
    Stripe refuses the call at run time for every account that installed the app, with
    `403 more_permissions_required_for_application`. Nothing fails while you develop with
    your own keys, so this is usually found by users.

    ## Example
    `stripe.invoices.list()` in a view, an `expand: ['customer']`, or a webhook handler for
    `invoice.paid`, with no `invoice_read` (and, for events, no `event_read`) in
    `stripe-app.json`.

    ## Fix
    Run the `stripe apps grant permission NAME "PURPOSE"` line from the message, or add
    `{"permission": NAME, "purpose": ...}` to `permissions`. Any permission of the set meets
    the need: a declared `X_write` also allows reading X.
    """

    code = "SPL101"
    name = "missing-permission"
    severity = Severity.ERROR
    valid = (
        Example("The permission is declared", {"stripe-app.json": manifest("invoice_read"), "src/views/Invoices.tsx": VIEW}),
        Example("A write permission also allows reading", {"stripe-app.json": manifest("invoice_write"), "src/views/Invoices.tsx": VIEW}),
    )
    invalid = (
        Example(
            "A UI-extension call whose permission is not declared",
            {"stripe-app.json": manifest("customer_read"), "src/views/Invoices.tsx": VIEW},
            ("src/views/Invoices.tsx:6:35: `stripe.invoices.list()` needs `invoice_read` (or `invoice_write`), which "
             'stripe-app.json does not declare; fix: stripe apps grant permission invoice_read "PURPOSE"',),
        ),
    )

    def check(self, ctx):
        app, catalog = ctx.app, ctx.catalog
        if app.manifest.unparsed:
            return
        manifest = app.manifest.path
        missing = ctx.diff.missing
        # One manifest entry fixes `event_read` for every event: say it once, at the first one.
        event_needs = [n for n in missing if n.canonical == catalog.event_permission]
        for need in [n for n in missing if n.canonical != catalog.event_permission] + event_needs[:1]:
            wanted = need.canonical or sorted(need.any_of)[0]
            others = _alternatives(catalog, need.any_of, wanted)
            alternatives = f" (or {', '.join(f'`{p}`' for p in others)})" if others else ""
            subject = need.subject
            if need in event_needs and len(event_needs) > 1:
                subject += f" (and {len(event_needs) - 1} more event{'s' if len(event_needs) > 2 else ''})"
            refused = getattr(catalog.permission(wanted), "upload_refused", None)
            fix = (
                f"and apps cannot declare it ({refused}): make this call on your platform account instead"
                if refused
                else f'fix: stripe apps grant permission {wanted} "PURPOSE"'
            )
            inferred = (
                " (inferred: the client's origin could not be traced; the call was recognised by its SDK shape)"
                if need.inferred
                else ""
            )
            yield self.finding(
                need.location,
                f"{subject} needs `{wanted}`{alternatives}, which {manifest} does not declare; {fix}{inferred}",
                permission=wanted,
                confidence="inferred" if need.inferred else "exact",
            )


def _alternatives(catalog, any_of: tuple[str, ...], wanted: str) -> list[str]:
    """The other names that would do, without repeating `X_write` beside `X_read` for every
    resource of an event row; the wanted name's own write twin is still named."""
    counterpart = getattr(catalog.permission(wanted), "counterpart", None)
    shown = []
    for name in sorted(set(any_of) - {wanted}):
        info = catalog.permission(name)
        twin_listed = info is not None and info.access == "write" and info.counterpart in any_of
        if name == counterpart or not twin_listed:
            shown.append(name)
    return shown
