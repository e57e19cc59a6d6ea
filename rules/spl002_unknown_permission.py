from __future__ import annotations

import difflib

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.rule import Rule
from stripe_perm_lint.finding import Severity

COMMA_JOINED = """{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Example",
  "permissions": [
    {"permission": "coupon_read, coupon_write", "purpose": "Apply discounts"}
  ]
}
"""

SDK_IMPORT = "import {isPermissionAuthorized} from '@stripe/ui-extension-sdk/utils';\n\n"
CAN_EDIT = SDK_IMPORT + "export const canEditCustomer = () => isPermissionAuthorized('customer_write');\n"
CAN_EDIT_TYPO = SDK_IMPORT + "export const canEditCustomer = () => isPermissionAuthorized('customers_write');\n"


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
    gap_kinds = (GapKind.UNKNOWN_PERMISSION_REFERENCE,)
    valid = (
        Example(
            "Permission names from Stripe's reference",
            {"stripe-app.json": manifest("customer_read", "coupon_read")},
        ),
        Example(
            "A known name checked in code",
            {"stripe-app.json": manifest("customer_write"), "src/permissions.ts": CAN_EDIT},
        ),
    )
    invalid = (
        Example(
            "A misspelt permission, with the closest name",
            {"stripe-app.json": manifest("customers_read")},
            ("stripe-app.json:7:21: `customers_read` is not a Stripe Apps permission; did you mean `customer_read`?",),
        ),
        Example(
            "Two names in one entry",
            {"stripe-app.json": COMMA_JOINED},
            ("stripe-app.json:6:20: `coupon_read, coupon_write` is not a Stripe Apps permission; declare each name "
             "in its own entry: `coupon_read`, `coupon_write`",),
        ),
        Example(
            "An unknown name checked in code",
            {"stripe-app.json": manifest("customer_write"), "src/permissions.ts": CAN_EDIT_TYPO},
            ("src/permissions.ts:3:61: a permission check in the code names `customers_write`, which "
             "is not a Stripe Apps permission; did you mean `customer_write`?",),
        ),
    )

    def check(self, ctx):
        app, catalog = ctx.app, ctx.catalog
        known = catalog.permission_names
        if not app.manifest.unparsed:
            for entry in app.manifest.permissions:
                if entry.name not in known:
                    yield self.finding(
                        entry.location,
                        f"`{entry.name}` is not a Stripe Apps permission{_hint(entry.name, known)}",
                        permission=entry.name,
                    )
        for gap in ctx.gaps(GapKind.UNKNOWN_PERMISSION_REFERENCE):
            yield self.finding(
                gap.location,
                f"a permission check in the code names `{gap.permission}`, which is not a Stripe Apps permission"
                f"{_hint(gap.permission, known)}",
                permission=gap.permission,
            )


def _hint(name: str, known: frozenset[str]) -> str:
    parts = [p.strip() for p in name.replace(";", ",").split(",") if p.strip()]
    if len(parts) > 1 and all(p in known for p in parts):
        return "; declare each name in its own entry: " + ", ".join(f"`{p}`" for p in parts)
    candidate = name.strip()
    if "." in candidate and catalog_event_like(candidate):
        return "; it looks like an event type: declare `event_read` plus one permission of the event's row instead"
    if candidate.startswith("rak_") and candidate[4:] in known:
        return f"; restricted-key errors say `rak_<name>`: did you mean `{candidate[4:]}`?"
    if candidate in known:
        return f"; remove the surrounding spaces: `{candidate}`"
    close = _closest(candidate, known)
    return f"; did you mean `{close}`?" if close else ""


def _closest(name: str, known: frozenset[str]) -> str | None:
    """The known name with the same access and a near resource: a typo (`customers_read`) or a
    longer spelling of it (`webhook_endpoint_write`), never a different resource that merely
    shares the suffix (`datastore_write` is not `source_write`)."""
    resource, _, access = name.rpartition("_")
    best, best_score = None, 0.8
    for other in sorted(known):
        other_resource, _, other_access = other.rpartition("_")
        if other_access != access:
            continue
        if resource.startswith(other_resource + "_"):
            score = 0.9
        else:
            score = difflib.SequenceMatcher(None, resource, other_resource).ratio()
        if score > best_score:
            best, best_score = other, score
    if best is None:  # `X_write` where only `X_read` exists, or a typo in the suffix (`invoice_reed`)
        same_resource = [k for k in sorted(known) if k.rpartition("_")[0] == resource]
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.85)
        best = same_resource[0] if same_resource else (close[0] if close else None)
    return best


def catalog_event_like(name: str) -> bool:
    """`account.application.authorized` in `permissions`: dotted lower-case words, as events are."""
    parts = name.split(".")
    return len(parts) >= 2 and all(p and p.replace("_", "").isalpha() and p.islower() for p in parts)
