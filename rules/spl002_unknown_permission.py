from __future__ import annotations

import difflib

from stripe_perm_lint.analysis import analyse
from stripe_perm_lint.rule import Rule
from stripe_perm_lint.finding import Severity


class UnknownPermission(Rule):
    """A permission name that Stripe does not know.

    ## Why it matters
    `stripe apps upload` fails with `Permission X does not exist`, and
    `isPermissionAuthorized('x')` with an unknown name can never be true. A typo also hides the
    permission the code really needs.

    ## Example
    `customers_read` instead of `customer_read`; `"coupon_read, coupon_write"` in one entry;
    `rak_customer_read` copied from a restricted-key error message.

    ## Fix
    Use the name from Stripe's permissions reference (`stripe-perm-lint` suggests the closest
    one). Declare one permission per entry.
    """

    code = "SPL002"
    name = "unknown-permission"
    severity = Severity.ERROR

    def check(self, app, catalog):
        known = catalog.permission_names
        if not app.manifest.unparsed:
            for entry in app.manifest.permissions:
                if entry.name not in known:
                    yield self.finding(
                        entry.location,
                        f"`{entry.name}` is not a Stripe Apps permission{_hint(entry.name, known)}",
                        permission=entry.name,
                    )
        for gap in analyse(app, catalog).gaps_of("unknown-permission-reference"):
            yield self.finding(
                gap.location,
                f"{gap.subject} names `{gap.permission}`, which is not a Stripe Apps permission"
                f"{_hint(gap.permission, known)}",
                permission=gap.permission,
            )


def _hint(name: str, known: frozenset[str]) -> str:
    parts = [p.strip() for p in name.replace(";", ",").split(",") if p.strip()]
    if len(parts) > 1 and all(p in known for p in parts):
        return "; declare each name in its own entry: " + ", ".join(f"`{p}`" for p in parts)
    candidate = name.strip()
    if candidate.startswith("rak_") and candidate[4:] in known:
        return f"; restricted-key errors say `rak_<name>`: did you mean `{candidate[4:]}`?"
    if candidate in known:
        return f"; remove the surrounding spaces: `{candidate}`"
    close = difflib.get_close_matches(candidate, sorted(known), n=1, cutoff=0.75)
    return f"; did you mean `{close[0]}`?" if close else ""
