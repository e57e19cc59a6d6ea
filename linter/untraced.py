"""The run summary of untraced clients: the ``UntracedClient`` facts of one app, once per client.

An import is one client per (module, exported name) across the app, placed at its first import;
any other receiver is one client per (origin, receiver as written, file), placed at its first
declaration, or its first call when there is none (`this.stripe`, `c.get('stripe')`). ``uses``
counts its calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from stripe_perm_lint.facts import FileFacts, Position

# How the text summary names each origin (``facts.UNTRACED_ORIGINS``), singular and plural.
ORIGIN_WORDS = {
    "import": ("import", "imports"),
    "parameter": ("parameter", "parameters"),
    "member": ("class member", "class members"),
    "container": ("container lookup", "container lookups"),
    "unknown": ("other value", "other values"),
}


@dataclass(frozen=True, order=True)
class UntracedSummary:
    path: str
    line: int
    column: int
    origin: str
    name: str
    source: str
    uses: int


def summarise_untraced(files: Iterable[FileFacts]) -> tuple[UntracedSummary, ...]:
    """One entry per untraced client of the app, sorted by place."""
    places: dict[tuple, tuple[str, Position]] = {}
    uses: dict[tuple, int] = {}
    for facts in files:
        for u in facts.untraced_clients:
            if u.origin == "import":
                key: tuple = (u.origin, u.name, u.source)
            else:  # the same receiver in one file: one client (`(ctx) => ctx.stripe...` in each callback)
                key = (u.origin, u.name, u.source, facts.path)
            place = (facts.path, u.declared or u.position)
            places[key] = min(places.get(key, place), place)
            uses[key] = uses.get(key, 0) + 1
    return tuple(sorted(
        UntracedSummary(path, where.line, where.column, key[0], key[1], key[2], uses[key])
        for key, (path, where) in places.items()
    ))
