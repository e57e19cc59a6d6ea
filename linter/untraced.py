"""The run summary of untraced clients: the ``UntracedClient`` facts of one app, once per client.

An import is one client per (module, exported name) across the app, placed at its first import;
any other receiver is one client per (origin, receiver as written, file), placed at its first
declaration, or its first call when there is none (`this.stripe`, `c.get('stripe')`). ``uses``
counts its calls.

``could_need`` says whether such a client's uncounted calls could explain an unused permission
(SPL102): a call of an exact SDK method could need what that method needs, a call on a resource
(`customers.syncProfile`) what any method of that resource needs. Its calls counted as inferred
are already in the analysis and explain nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # a run answered from the report cache never loads the fact classes
    from stripe_perm_lint.facts import FileFacts, Position

# How the text summary names each origin (``facts.UNTRACED_ORIGINS``), singular and plural.
ORIGIN_WORDS = {
    "import": ("import", "imports"),
    "parameter": ("parameter", "parameters"),
    "member": ("class member", "class members"),
    "container": ("container lookup", "container lookups"),
    "unknown": ("other value", "other values"),
}
# The SDK accessors of each parser's language, by catalog ``Operation`` attribute and call style.
_ACCESSORS = {"typescript": (("node", "node"),), "python": (("python", "python_client"), ("legacy", "python_legacy"))}


@dataclass(frozen=True, order=True)
class UntracedSummary:
    path: str
    line: int
    column: int
    origin: str
    name: str
    source: str
    uses: int
    language: str = ""
    chains: tuple[str, ...] = ()  # what its calls not counted as inferred name after it: `invoices.list`


def summarise_untraced(files: Iterable[FileFacts]) -> tuple[UntracedSummary, ...]:
    """One entry per untraced client of the app, sorted by place."""
    places: dict[tuple, tuple[str, Position]] = {}
    uses: dict[tuple, int] = {}
    chains: dict[tuple, set[str]] = {}
    for facts in files:
        inferred = {c.position for c in facts.calls if c.inferred}
        for u in facts.untraced_clients:
            if u.origin == "import":
                key: tuple = (u.origin, u.name, u.source, facts.language)
            else:  # the same receiver in one file: one client (`(ctx) => ctx.stripe...` in each callback)
                key = (u.origin, u.name, u.source, facts.language, facts.path)
            place = (facts.path, u.declared or u.position)
            places[key] = min(places.get(key, place), place)
            uses[key] = uses.get(key, 0) + 1
            # A call counted as inferred is already in the analysis: it explains no gap.
            chains.setdefault(key, set()).update(() if u.position in inferred else (u.chain,))
    return tuple(sorted(
        UntracedSummary(path, where.line, where.column, key[0], key[1], key[2], uses[key], key[3],
                        tuple(sorted(chains[key])))
        for key, (path, where) in places.items()
    ))


def could_need(client: UntracedSummary, permission: str, catalog, include_older_edition: bool = True) -> bool:
    """Whether a call on ``client`` could need ``permission``: the permission meets (or implies
    one that meets) the need of a method its calls name exactly, or of any method of the
    resource they start with."""
    granted = catalog.grants([permission], include_older_edition)
    pairs = _ACCESSORS.get(client.language, ())
    for chain in client.chains:
        exact = [op for _, style in pairs if (op := catalog.operation_for_call(style, chain)) is not None]
        resource = chain.split(".", 1)[0] + "."
        ops = exact or [op for op in catalog.operations
                        if any(a.startswith(resource) for attr, _ in pairs for a in getattr(op, attr))]
        if any(granted & set(op.requirement.any_of) for op in ops):
            return True
    return False
