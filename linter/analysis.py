"""Turn an app's facts into permission needs and the problems met on the way.

This is the one place that asks the catalog what a fact requires. Rules then read the result:
``missing-permission`` compares needs with the manifest, ``unresolved-call`` lists what could not
be resolved, and so on. It is computed once per app and cached on the app object's identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stripe_perm_lint.app import App
from stripe_perm_lint.finding import Location

# Kinds of gap, each reported by one rule.
UNRESOLVED = "unresolved"
NO_PERMISSION = "no-permission"
INVALID_EXPAND = "invalid-expand"
UNKNOWN_EVENT = "unknown-event"
WILDCARD_EVENT = "wildcard-event"
PLATFORM_CALL = "platform-call"


@dataclass(frozen=True)
class Need:
    """Something in the code that needs one permission of ``any_of``."""

    location: Location
    subject: str  # "`stripe.customers.list()`", "event `invoice.paid`", "expand `customer`"
    any_of: tuple[str, ...]
    canonical: str | None  # what the JSON report's `required` lists for this need
    access: str  # "read" | "write"
    counts: bool = True  # False for platform-account calls: shown, but the manifest need not cover them
    note: str | None = None  # e.g. "secret_write also covers it"


@dataclass(frozen=True)
class Gap:
    kind: str
    location: Location
    subject: str
    detail: str = ""
    permission: str | None = None


@dataclass(frozen=True)
class Analysis:
    needs: tuple[Need, ...]
    gaps: tuple[Gap, ...]

    def gaps_of(self, kind: str) -> list[Gap]:
        return [g for g in self.gaps if g.kind == kind]

    @property
    def counted_needs(self) -> list[Need]:
        return [n for n in self.needs if n.counts]


@lru_cache(maxsize=64)
def analyse(app: App, catalog) -> Analysis:
    from stripe_perm_lint.needs import collect

    needs, gaps = collect(app, catalog)
    key = lambda item: (item.location, item.subject)  # noqa: E731
    return Analysis(tuple(sorted(set(needs), key=key)), tuple(sorted(set(gaps), key=key)))
