from __future__ import annotations

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

VIEWPORT_TYPO = """{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example",
  "icon": "./icon.png",
  "permissions": [
    {"permission": "customer_read", "purpose": "Show the customer's open invoices"}
  ],
  "ui_extension": {
    "views": [
      {"viewport": "stripe.dashboard.custmer.detail", "component": "CustomerView"}
    ]
  },
  "distribution_type": "publik"
}
"""

LOCALISED_PURPOSE = """{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example",
  "icon": "./icon.png",
  "permissions": [
    {
      "permission": "customer_read",
      "purpose": {"en-US": "Show the customer's open invoices", "fr-FR": "Afficher les factures ouvertes"}
    }
  ]
}
"""

UNKNOWN_KEY_YAML = """id: com.example.app
version: 1.0.0
name: Example
declarations:
  stripe_api_access:
    permissions:
      - permission: customer_read
        purpose: Show the customer's open invoices
        reason: The sidebar lists them
extensions: []
"""

OVERLAY = """{
  "extends": "stripe-app.json",
  "ui_extension": {"content_security_policy": {"connect-src": "http://localhost:8000/api/"}}
}
"""


class ManifestSchema(Rule):
    """The manifest breaks the structure of Stripe's manifest schema.

    ## Why it matters
    Stripe's manifest schema is its published description of what a manifest may hold (editors
    use it for `stripe-app.json`). A key it does not know does nothing at best (a misspelt
    `constants` never reaches the views), a value outside a fixed set (a viewport,
    `distribution_type`, `stripe_api_access_type`) is refused or ignored (a misspelt viewport
    makes the view never appear), and whether `stripe apps upload` rejects the file first is not
    documented. The check uses Stripe's own schemas (vendored with this tool) and reports each
    error at its key. Local overlays (`stripe-app.*.json`) are checked against Stripe's local
    schema, and one that cannot be read is reported here, as warnings: an overlay is never
    uploaded. A manifest that SPL001 reports is not
    checked until it reads cleanly.

    The published schemas lag what Stripe accepts, so they are relaxed where Stripe's own
    tooling and examples disagree with them: permission names are not checked here (SPL002 does,
    from the permissions page; the schema's list is stale and misspelt), nor purpose text
    (SPL007); a purpose may be a locale map and an entry may hold a `name`; `permissions` and
    `ui_extension` may be left out; `app_backend`, `connect_permissions` and `extensions`, which
    Stripe's CLI and examples write, are accepted; the icon may be any relative `.png` path.
    Newer than the schema and accepted: the `stripe.dashboard.fullpage` viewport, a `modal`
    post-install action and the `"url": ""` Stripe's CLI writes beside a `settings` action.
    For `stripe-app.yaml` only the published keys (`id`, `name`, `version`, `extensions`) and
    the ones it shares with v1 (`icon`, `ui_extension`, `declarations.stripe_api_access`,
    `declarations.distribution_type`) are checked, and other top-level keys are tolerated,
    because the rest of the v2 format is not documented.

    ## Example
    `"viewport": "stripe.dashboard.custmer.detail"`, `"distribution_type": "publik"`, or a
    `reason` key beside `purpose` in a permission entry.

    ## Fix
    Use the key or value the message names (it suggests the closest one); see
    https://docs.stripe.com/stripe-apps/reference/app-manifest.
    """

    code = "SPL006"
    name = "manifest-schema"
    severity = Severity.ERROR
    valid = (
        Example("A manifest with Stripe's keys", {"stripe-app.json": manifest("customer_read", icon="./icon.png")}),
        Example("Keys Stripe's CLI writes", {"stripe-app.json": manifest("customer_read", icon="",
                                                                     app_backend={"webhooks": None})}),
        Example("A purpose per locale", {"stripe-app.json": LOCALISED_PURPOSE}),
    )
    invalid = (
        Example(
            "A misspelt viewport and distribution type",
            {"stripe-app.json": VIEWPORT_TYPO},
            (
                "stripe-app.json:11:8: `ui_extension.views[0].viewport`: `stripe.dashboard.custmer.detail` is not "
                "a known viewport; did you mean `stripe.dashboard.customer.detail`?",
                "stripe-app.json:14:3: `distribution_type`: `publik` is not one of `public`, `private`; did you "
                "mean `public`?",
            ),
        ),
        Example(
            "An unknown key in a permission entry of stripe-app.yaml",
            {"stripe-app.yaml": UNKNOWN_KEY_YAML},
            ("stripe-app.yaml:9:9: `declarations.stripe_api_access.permissions[0].reason` is not a key "
             "`declarations.stripe_api_access.permissions[0]` can have",),
        ),
        Example(
            "A local overlay whose connect-src is not a list",
            {"stripe-app.json": manifest("customer_read", icon=""), "stripe-app.dev.json": OVERLAY},
            ("stripe-app.dev.json:3:48: `ui_extension.content_security_policy.connect-src` must be a list or "
             "null, not the string `http://localhost:8000/api/`",),
        ),
    )

    def check(self, ctx):
        manifest = ctx.app.manifest
        # A manifest SPL001 reports (unreadable, a repeated key, a permission list of the wrong
        # shape) gets only that: its structure is checked once it reads cleanly.
        if not manifest.problems:
            for problem in manifest.structure:
                yield self.finding(problem.location, problem.message)
        for overlay in manifest.overlays:
            # An overlay is never uploaded, so its errors warn rather than fail a CI run; its read
            # errors are reported here because SPL001 is about the uploaded file.
            for problem in overlay.problems:
                yield self.finding(problem.location, f"{overlay.path}: {problem.message}", severity=Severity.WARNING)
            if not overlay.problems:
                for problem in overlay.structure:
                    yield self.finding(problem.location, problem.message, severity=Severity.WARNING)
