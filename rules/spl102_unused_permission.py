from __future__ import annotations

from stripe_perm_lint.analysis import GapKind
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule


class UnusedPermission(Rule):
    """A declared permission that no code in the app needs.

    ## Why it matters
    Every permission is shown to the installer, and broad or unexplained ones scare users and
    fail Stripe's app review. Apps keep permissions after the code that needed them is gone.

    ## Example
    `payout_read` declared, and no call, expand, event or SDK function needs payouts.

    ## Fix
    Remove the entry (`stripe apps revoke permission NAME`). If code the linter cannot see
    needs it (an unresolved call is reported next to this finding, or the code lives outside
    the app folder), keep it and suppress this finding.
    """

    code = "SPL102"
    name = "unused-permission"
    severity = Severity.WARNING

    def check(self, ctx):
        app = ctx.app
        if app.manifest.unparsed:
            return
        diff = ctx.diff
        unresolved = len(ctx.gaps(GapKind.UNRESOLVED))
        seen: set[str] = set()
        for entry in app.manifest.permissions:
            name = entry.name
            if name not in diff.declared or name in seen or diff.serves.get(name):
                continue
            seen.add(name)
            message = f"`{name}` is declared but no code in this app needs it"
            if diff.platform_serves.get(name):
                message += "; only calls on the platform's own account use it, and those need no app permission"
            if unresolved:
                plural = "s" if unresolved > 1 else ""
                message += f"; {unresolved} unresolved call{plural} may need it"
            yield self.finding(entry.location, message, permission=name)
