"""``stripe-perm-lint why PERMISSION [PATH]``: every call, expand path and event in an app that
the permission meets, and what else would meet each of them."""

from __future__ import annotations

import os
from pathlib import Path

from stripe_perm_lint.context import RuleContext


def why_lines(ctx: RuleContext, permission: str, cwd: Path | None = None) -> list[str]:
    """The answer for one app, as lines of text (paths relative to ``cwd``)."""
    app, catalog, diff = ctx.app, ctx.catalog, ctx.diff
    root = Path(os.path.relpath(app.root, cwd or Path.cwd())).as_posix()
    grants = catalog.grants([permission], include_older_edition=app.options.include_older_edition)
    needs = [n for n in ctx.analysis.needs if grants.intersection(n.any_of)]
    declared = permission in diff.declared
    state = f"declared in {app.manifest.path}" if declared else f"not declared in {app.manifest.path}"
    lines = [f"{root}: `{permission}` is {state}"]
    if not needs:
        lines.append(f"  nothing in this app needs it{'; SPL102 reports it as unused' if declared else ''}")
        return lines
    counted = [n for n in needs if n.counts]
    lines.append(f"  it meets {len(needs)} need{'s' if len(needs) != 1 else ''}"
                 f" ({len(counted)} counted, {len(needs) - len(counted)} on the platform's own account):")
    for need in sorted(needs, key=lambda n: (n.location, n.subject)):
        where = f"{root}/{need.location.path}" if root != "." else need.location.path
        how = "directly" if permission in need.any_of else f"through what it implies ({_implied(grants, need)})"
        lines.append(f"    {where}:{need.location.line}:{need.location.column}: {need.subject} needs {need.access}, "
                     f"met {how}" + ("" if need.counts else "; acts on the platform's own account, needs no app permission"))
        others = [p for p in need.any_of if p != permission]
        if others:
            marked = ", ".join(f"`{p}`" + (" (declared)" if p in diff.declared else "") for p in others)
            lines.append(f"      also met by: {marked}")
    return lines


def _implied(grants, need) -> str:
    return ", ".join(f"`{p}`" for p in need.any_of if p in grants)
