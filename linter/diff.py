"""Declared against required: pure set logic over an app's needs (docs/semantics.md §1, §2, §8).

Every declared permission that meets a counted need is used by it (any-of and implications
alike), as the team's labelling guide defines "unused"; a permission whose every need another
declared one meets more closely is *redundant* (SPL108), which is a different finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stripe_perm_lint.analysis import Analysis, Need
    from stripe_perm_lint.app import App


@dataclass(frozen=True)
class PermissionDiff:
    declared: frozenset[str]  # valid declared names
    granted: frozenset[str]  # declared plus everything they imply
    missing: tuple[Need, ...]  # counted needs that nothing declared meets
    serves: dict  # declared name -> tuple of the counted needs it meets (empty: unused)
    platform_serves: dict  # declared name -> platform-account needs it would meet
    # declared name -> the needs it meets that another declared permission meets more closely
    # (the exact name, or one of the need's own set where this one only implies it)
    outranked: dict


def permission_diff(app: App, catalog, analysis: Analysis) -> PermissionDiff:
    """What the manifest declares against what ``analysis`` found the code needs."""
    declared = frozenset(n for n in app.manifest.names if n in catalog.permission_names)
    include_older = app.options.include_older_edition
    granted = catalog.grants(declared, include_older_edition=include_older)
    single = {p: catalog.grants([p], include_older_edition=include_older) for p in declared}
    missing: list[Need] = []
    serves: dict[str, list[Need]] = {p: [] for p in declared}
    platform_serves: dict[str, list[Need]] = {p: [] for p in declared}
    outranked: dict[str, list[Need]] = {p: [] for p in declared}
    for need in analysis.needs:
        meeting = sorted(p for p in declared if single[p].intersection(need.any_of))
        if not need.counts:
            for p in meeting:
                platform_serves[p].append(need)
            continue
        if not meeting:
            missing.append(need)
            continue
        closest = min(closeness(need, p) for p in meeting)
        for p in meeting:
            serves[p].append(need)
            if closeness(need, p) > closest:
                outranked[p].append(need)
    return PermissionDiff(
        declared=declared,
        granted=granted,
        missing=tuple(missing),
        serves={p: tuple(v) for p, v in serves.items()},
        platform_serves={p: tuple(v) for p, v in platform_serves.items()},
        outranked={p: tuple(v) for p, v in outranked.items()},
    )


def closeness(need: Need, permission: str) -> int:
    """0 for the need's exact permission, 1 for another of its own set (a write meeting a read),
    2 for one that only implies a permission of the set."""
    if permission == need.canonical:
        return 0
    return 1 if permission in need.any_of else 2


def required_permissions(analysis: Analysis) -> list[str]:
    """The canonical set the code needs (the JSON report's ``required``), sorted."""
    return sorted({n.canonical for n in analysis.counted_needs if n.canonical})
