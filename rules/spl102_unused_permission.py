from __future__ import annotations

import os
from pathlib import Path

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.rule import Rule
from stripe_perm_lint.untraced import ORIGIN_WORDS, could_need, summarise_untraced

VIEW = UI_CLIENT + "\nexport const openInvoices = () => stripe.invoices.list({status: 'open'});\n"
# The resource is only known at run time, so the linter cannot tell what this call needs.
EXPLORER = UI_CLIENT + "\nexport const listAny = (resource: 'customers' | 'invoices') => stripe[resource].list();\n"
# A client from a package the linter cannot follow, with a wrapper method it does not know.
PACKAGE_CLIENT = """import { stripe } from '@acme/billing';

export const syncPayouts = () => stripe.payouts.syncAll();
"""
# A backend call without `stripe_account` acts on the platform's own account.
PLATFORM_BACKEND = """import os

import stripe

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]


def our_customers():
    return stripe.Customer.list(limit=10)
"""

# Kept on purpose: code the linter cannot see (here, in another repository) needs it.
KEEP_CONFIG = """[keep]
customer_read = "the sync worker in acme/stripe-sync reads customers"
"""


_NAMED = 3  # untraced clients named in a message; the report's summary lists them all


def _client_name(client) -> str:
    """`client` from `@acme/payments`, or parameter `deps.stripe`."""
    if client.origin == "import":
        return f"`{client.name}` from `{client.source}`"
    return f"{ORIGIN_WORDS[client.origin][0]} `{client.name}`"


class UnusedPermission(Rule):
    """A declared permission that no code in the app needs.

    ## Why it matters
    Every permission is shown to the installer, and broad or unexplained ones scare users and
    fail Stripe's app review. Apps keep permissions after the code that needed them is gone.

    ## Example
    `payout_read` declared, and no call, expand, event or SDK function needs payouts.

    ## Fix
    Remove the entry (`stripe apps revoke permission NAME`). If code the linter cannot see
    needs it (an unresolved call is reported next to this finding, a client whose origin it
    could not trace is listed under "untraced clients", or the code lives outside the app folder,
    such as a backend in another repository), keep it on purpose in the config, with the reason:
    `keep = {customer_read = "the billing worker in repo X reads customers"}`.
    A permission kept there is never reported as unused; one the manifest does not declare is
    reported at the config file, so the list cannot go stale.
    """

    code = "SPL102"
    name = "unused-permission"
    severity = Severity.WARNING
    valid = (
        Example(
            "Every permission is used",
            {"stripe-app.json": manifest("invoice_read"), "src/views/Invoices.tsx": VIEW},
        ),
        Example(
            "A permission kept on purpose: a backend in another repository uses it",
            {"stripe-app.json": manifest("invoice_read", "customer_read"), "src/views/Invoices.tsx": VIEW,
             "stripe-perm-lint.toml": KEEP_CONFIG},
        ),
    )
    invalid = (
        Example(
            "A permission nothing uses",
            {"stripe-app.json": manifest("invoice_read", "payout_read"), "src/views/Invoices.tsx": VIEW},
            ("stripe-app.json:11:21: `payout_read` is declared but no code in this app needs it",),
        ),
        Example(
            "An unresolved call may need it",
            {"stripe-app.json": manifest("customer_read"), "src/views/Explorer.tsx": EXPLORER},
            ("stripe-app.json:7:21: `customer_read` is declared but no code in this app needs it; 1 unresolved "
             "call may need it",),
        ),
        Example(
            "A permission kept on purpose that the manifest does not declare",
            {"stripe-app.json": manifest("invoice_read"), "src/views/Invoices.tsx": VIEW,
             "stripe-perm-lint.toml": KEEP_CONFIG},
            ("stripe-perm-lint.toml:2:1: `customer_read` is kept on purpose in stripe-perm-lint.toml, but "
             "stripe-app.json does not declare it; remove it from `keep`",),
        ),
        Example(
            "A client whose origin is not traced may need it",
            {"stripe-app.json": manifest("payout_read"), "src/views/Payouts.tsx": PACKAGE_CLIENT},
            ("stripe-app.json:7:21: `payout_read` is declared but no code in this app needs it; 1 untraced "
             "client may need it: `stripe` from `@acme/billing`",),
        ),
        Example(
            "Only a backend call on the platform account uses it",
            {"stripe-app.json": manifest("customer_read"), "backend/app.py": PLATFORM_BACKEND},
            ("stripe-app.json:7:21: `customer_read` is declared but no code in this app needs it; only calls on "
             "the platform's own account use it, and those need no app permission",),
        ),
    )

    def check(self, ctx):
        app = ctx.app
        if app.manifest.unparsed:
            return
        diff = ctx.diff
        unresolved = len(ctx.gaps(GapKind.UNRESOLVED))
        unparsed = app.not_analysed()
        kept = {k.permission for k in app.options.keep}
        untraced = summarise_untraced(app.files)
        seen: set[str] = set()
        for entry in app.manifest.permissions:
            name = entry.name
            if name not in diff.declared or name in seen or diff.serves.get(name) or name in kept:
                continue
            seen.add(name)
            message = f"`{name}` is declared but no code in this app needs it"
            if diff.platform_serves.get(name):
                message += "; only calls on the platform's own account use it, and those need no app permission"
            if unresolved:
                plural = "s" if unresolved > 1 else ""
                message += f"; {unresolved} unresolved call{plural} may need it"
            # Only a client whose calls name this permission's resource (or a method needing it)
            # could explain it; the others would be noise.
            explaining = [c for c in untraced if could_need(c, name, ctx.catalog, app.options.include_older_edition)]
            if explaining:
                plural = "s" if len(explaining) > 1 else ""
                named = ", ".join(_client_name(c) for c in explaining[:_NAMED])
                more = ", ..." if len(explaining) > _NAMED else ""
                message += f"; {len(explaining)} untraced client{plural} may need it: {named}{more}"
            if unparsed:
                languages = ", ".join(sorted({language for _, language in unparsed}))
                plural = "s" if len(unparsed) > 1 else ""
                message += f"; {len(unparsed)} file{plural} in {languages}, which the linter cannot parse, may need it"
            yield self.finding(entry.location, message, permission=name)
        yield from self.stale_keeps(app)

    def stale_keeps(self, app):
        """A kept permission the manifest does not declare: the keep list has gone stale."""
        config = app.options.config_file
        if config is None:
            return
        where = Path(os.path.relpath(config, app.root)).as_posix()
        for kept in app.options.keep:
            if kept.permission not in app.manifest.names:
                yield self.finding(
                    Location(where, kept.line, 1 if kept.line else 0),
                    f"`{kept.permission}` is kept on purpose in {config.name}, but {app.manifest.path} does not "
                    "declare it; remove it from `keep`",
                    permission=kept.permission,
                )
