"""Declared against required: pure set logic over an app's needs (docs/semantics.md §1, §2, §8)."""

from __future__ import annotations

from dataclasses import dataclass

from stripe_perm_lint.analysis import Analysis, Need
from stripe_perm_lint.app import App


@dataclass(frozen=True)
class PermissionDiff:
    declared: frozenset[str]  # valid declared names
    granted: frozenset[str]  # declared plus everything they imply
    missing: tuple[Need, ...]  # counted needs that nothing declared meets
    serves: dict  # declared name -> tuple of the needs it is the reason for (empty: unused)
    platform_serves: dict  # declared name -> platform-account needs it would meet


def permission_diff(app: App, catalog, analysis: Analysis) -> PermissionDiff:
    """What the manifest declares against what ``analysis`` found the code needs."""
    declared = frozenset(n for n in app.manifest.names if n in catalog.permission_names)
    include_older = app.options.include_older_edition
    granted = catalog.grants(declared, include_older_edition=include_older)
    single = {p: catalog.grants([p], include_older_edition=include_older) for p in declared}
    missing: list[Need] = []
    serves: dict[str, list[Need]] = {p: [] for p in declared}
    platform_serves: dict[str, list[Need]] = {p: [] for p in declared}
    for need in analysis.needs:
        meeting = sorted(p for p in declared if single[p].intersection(need.any_of))
        if not need.counts:
            for p in meeting:
                platform_serves[p].append(need)
            continue
        if not meeting:
            missing.append(need)
            continue
        for p in _reasons(need, meeting):
            serves[p].append(need)
    return PermissionDiff(
        declared=declared,
        granted=granted,
        missing=tuple(missing),
        serves={p: tuple(v) for p, v in serves.items()},
        platform_serves={p: tuple(v) for p, v in platform_serves.items()},
    )


def _reasons(need: Need, meeting: list[str]) -> list[str]:
    """Which declared permissions a met need is credited to. The exact one wins, then any that
    is in the need's own set, then those that only imply it: so a `customer_write` declared
    next to `customer_read` is not credited for a read, and shows up as unused."""
    if need.canonical in meeting:
        return [need.canonical]
    direct = [p for p in meeting if p in need.any_of]
    return direct or meeting


def required_permissions(analysis: Analysis) -> list[str]:
    """The canonical set the code needs (the JSON report's ``required``), sorted."""
    return sorted({n.canonical for n in analysis.counted_needs if n.canonical})
