from __future__ import annotations

from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


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

    def check(self, ctx):
        app = ctx.app
        for problem in app.manifest.problems:
            yield self.finding(problem.location, f"{app.manifest.path}: {problem.message}")
