from __future__ import annotations

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

DEV_OVERLAY = """{
  "extends": "stripe-app.json",
  "permissions": [
    {"permission": "customer_read", "purpose": "Show the customer's name"},
    {"permission": "invoice_read", "purpose": "List the customer's invoices"}
  ],
  "constants": {"API_BASE": "http://localhost:8000/api/"}
}
"""

CSP_OVERLAY = """{
  "extends": "stripe-app.json",
  "ui_extension": {"content_security_policy": {"connect-src": ["http://localhost:8000/api/"]}}
}
"""


class OverlayOnlyPermission(Rule):
    """A permission declared only in a local overlay (`stripe-app.*.json`), not in the manifest.

    ## Why it matters
    An overlay such as `stripe-app.dev.json` (`"extends": "stripe-app.json"`) is what
    `stripe apps start --manifest stripe-app.dev.json` runs with, so the app works while you
    develop it; but `stripe apps upload` sends the base manifest. A permission that only the
    overlay declares is missing from the published app, whose calls then fail with
    `403 more_permissions_required_for_application` for every installer.

    Overlays are read with the same bounded reader as the manifest (at most 20 of them beside
    it); one that cannot be read is reported by SPL006. Nothing is reported while the manifest
    itself cannot be read (SPL001).

    ## Example
    `stripe-app.dev.json` declares `invoice_read`; `stripe-app.json` does not.

    ## Fix
    Add the permission to the base manifest (`stripe apps grant permission invoice_read
    "PURPOSE"`), or remove it from the overlay if the app does not need it.
    """

    code = "SPL008"
    name = "overlay-only-permission"
    severity = Severity.WARNING
    valid = (
        Example(
            "An overlay that only points the UI at a local backend",
            {"stripe-app.json": manifest("customer_read", icon=""), "stripe-app.dev.json": CSP_OVERLAY},
        ),
    )
    invalid = (
        Example(
            "A permission granted while developing and never added to the manifest",
            {"stripe-app.json": manifest("customer_read", icon=""), "stripe-app.dev.json": DEV_OVERLAY},
            ("stripe-app.dev.json:5:20: `invoice_read` is declared only in stripe-app.dev.json; stripe-app.json, "
             "which is what gets uploaded, lacks it",),
        ),
    )

    def check(self, ctx):
        manifest = ctx.app.manifest
        if manifest.unparsed:
            return
        for overlay in manifest.overlays:
            reported: set[str] = set()
            for entry in overlay.permissions:
                if entry.name in manifest.names or entry.name in reported:
                    continue
                reported.add(entry.name)
                yield self.finding(
                    entry.location,
                    f"`{entry.name}` is declared only in {overlay.path}; {manifest.path}, which is what gets "
                    "uploaded, lacks it",
                    permission=entry.name,
                )
