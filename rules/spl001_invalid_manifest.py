from __future__ import annotations

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

JSON_WITH_COMMENT = """{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example",
  "permissions": [
    // shown on the customer page
    {"permission": "customer_read", "purpose": "Show the customer's name"}
  ]
}
"""

JSON_WITH_TRAILING_COMMA = """{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example",
  "permissions": [
    {"permission": "customer_read", "purpose": "Show the customer's name"},
  ]
}
"""

YAML_V2 = """id: com.example.app
version: 1.0.0
name: Example
declarations:
  stripe_api_access:
    permissions:
      - permission: customer_read
        purpose: Show the customer's name
"""

# Its last line indented by a tab (`\t`), which YAML does not allow.
YAML_WITH_TAB = """id: com.example.app
version: 1.0.0
name: Example
declarations:
  stripe_api_access:
    permissions:
      - permission: customer_read
\tpurpose: Show the customer's name
"""


class InvalidManifest(Rule):
    """The app manifest cannot be read or parsed.

    ## Why it matters
    `stripe apps upload` rejects a manifest that is not valid JSON or YAML, and while it is
    broken nothing is known about what the app declares, so no other permission check runs.

    ## Example
    A `// comment` or a trailing comma in `stripe-app.json`, or a tab-indented
    `stripe-app.yaml`.

    ## Fix
    Correct the syntax at the position shown. JSON allows no comments and no trailing commas.
    """

    code = "SPL001"
    name = "invalid-manifest"
    severity = Severity.ERROR
    valid = (
        Example("A JSON manifest", {"stripe-app.json": manifest("customer_read")}),
        Example("A v2 YAML manifest indented with spaces", {"stripe-app.yaml": YAML_V2}),
    )
    invalid = (
        Example(
            "A comment in the JSON manifest",
            {"stripe-app.json": JSON_WITH_COMMENT},
            ("stripe-app.json:6:5: stripe-app.json: invalid JSON: comments are not allowed in JSON",),
        ),
        Example(
            "A trailing comma after the last permission",
            {"stripe-app.json": JSON_WITH_TRAILING_COMMA},
            ("stripe-app.json:7:3: stripe-app.json: invalid JSON: trailing comma before `]`",),
        ),
        Example(
            "A tab in the YAML manifest's indentation",
            {"stripe-app.yaml": YAML_WITH_TAB},
            ("stripe-app.yaml:8:1: stripe-app.yaml: invalid YAML: found character '\\t' that cannot start any token",),
        ),
    )

    def check(self, ctx):
        app = ctx.app
        for problem in app.manifest.problems:
            yield self.finding(problem.location, f"{app.manifest.path}: {problem.message}")
