from __future__ import annotations

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.rule import Rule

YAML_V2 = """id: com.example.app
version: 1.0.0
name: Example
declarations:
  stripe_api_access:
    permissions:
      - permission: charge_read
        purpose: Show the charge a refund belongs to
"""


class AmbiguousManifest(Rule):
    """An app folder holds more than one manifest, so only one of them is checked.

    ## Why it matters
    `stripe-app.json` (v1) and `stripe-app.yaml` (v2) each declare the app's permissions. With
    both in one folder it is unclear which one Stripe's CLI uploads, and the two drift apart:
    a permission granted in one is missing from the other. This linter checks the JSON file and
    ignores the YAML file.

    ## Example
    A `stripe-app.yaml` left behind after migrating, next to the `stripe-app.json` still in use.

    ## Fix
    Delete the manifest you no longer use, after carrying over any permission only it declares.
    """

    code = "SPL005"
    name = "ambiguous-manifest"
    severity = Severity.WARNING
    valid = (
        Example("Only a JSON manifest", {"stripe-app.json": manifest("charge_read")}),
        Example("Only a v2 YAML manifest", {"stripe-app.yaml": YAML_V2}),
    )
    invalid = (
        Example(
            "A YAML manifest left beside the JSON one",
            {"stripe-app.json": manifest("charge_read"), "stripe-app.yaml": YAML_V2},
            ("stripe-app.yaml:1:1: `stripe-app.yaml` is ignored: `stripe-app.json` in the same folder is the "
             "manifest checked; keep only one",),
        ),
    )

    def check(self, ctx):
        app = ctx.app
        for other in app.manifest.ignored:
            yield self.finding(
                Location(other, 1, 1),
                f"`{other}` is ignored: `{app.manifest.path}` in the same folder is the manifest checked; keep only one",
            )
