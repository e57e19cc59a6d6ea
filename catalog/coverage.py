"""`coverage_report(cat)`: how much of the SDK surface the catalog maps, for `catalog --coverage`."""

from __future__ import annotations

from collections import Counter

from stripe_perm_lint.catalog.api import Catalog


def coverage_report(cat: Catalog) -> str:
    ops = cat.operations
    mapped = [o for o in ops if o.requirement.any_of]
    unmapped = [o for o in ops if not o.requirement.any_of]
    old_only = [o for o in ops if not o.in_latest]
    lines = [
        f"Stripe API {cat.api_version}; SDKs {', '.join(f'{k} {v}' for k, v in sorted(cat.sdk_versions.items()))}",
        f"operations: {len(ops)} ({sum(o.in_latest for o in ops)} in the newest SDKs, {len(old_only)} from older SDKs only)",
        f"  mapped to a permission: {len(mapped)} ({sum(o.requirement.access == 'read' for o in mapped)} read, "
        f"{sum(o.requirement.access == 'write' for o in mapped)} write; {sum(bool(o.requirement.note) for o in mapped)} with a judgement note)",
        f"  no Stripe Apps permission: {len(unmapped)}",
    ]
    for reason, n in sorted(Counter(o.requirement.no_permission_reason for o in unmapped).items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"    {n:4d}  {reason}")
    used = {n for o in ops for n in o.requirement.any_of}
    used |= {n for t in cat.object_types for n in t.read.any_of}
    used |= {n for e in cat.events for n in e.any_of} | set(cat.ui_functions.values())
    unused_ops = sorted(cat.permission_names - {n for o in ops for n in o.requirement.any_of})
    lines.append(f"permission names: {len(cat.permission_names)}; used by no operation: {len(unused_ops)}")
    for name in unused_ops:
        perm = cat.permission(name)
        where = "events / objects / UI functions" if name in used else "nothing"
        lines.append(f"    {name}  ({perm.source}; used by {where})")
    lines.append(f"object types: {len(cat.object_types)}; events: {len(cat.events)}")
    return "\n".join(lines) + "\n"
