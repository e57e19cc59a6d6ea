"""`--fix`: bring each app's manifest in line with what the lint found.

Safe fixes add every missing permission (SPL101) with a drafted purpose. Unsafe fixes also remove
unused (SPL102) and redundant (SPL108) permissions and narrow a write the code only reads (SPL106):
a backend the linter cannot see may need what they remove. The plan is made from the reported
findings, so suppressed, baselined and kept-on-purpose findings are never acted on.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from stripe_perm_lint.manifest_edit import EditError, PermissionEdit, edit_manifest

_SUBJECT = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class FixPlan:
    manifest: Path  # absolute
    edit: PermissionEdit
    drafted: tuple[tuple[str, str], ...]  # (permission, purpose) written for a reviewer to read


@dataclass(frozen=True)
class FixResult:
    plan: FixPlan
    before: str
    after: str
    error: str | None = None


def plan_fixes(reports, catalog, unsafe: bool = False, prefix: str = "") -> list[FixPlan]:
    plans = []
    for report in reports:
        uses: dict[str, list[tuple[str, str]]] = {}
        remove, narrow = set(), {}
        for finding in report.findings:
            name = finding.permission
            if not name:
                continue
            if finding.code == "SPL101":
                subject = _SUBJECT.search(finding.message)
                uses.setdefault(name, []).append((subject.group(1) if subject else name, finding.location.path))
            elif unsafe and finding.code in ("SPL102", "SPL108") and finding.location.path == report.manifest:
                remove.add(name)
            elif unsafe and finding.code == "SPL106" and finding.location.path == report.manifest:
                info = catalog.permission(name)
                if info is not None and info.counterpart:
                    narrow[name] = info.counterpart
        declared = set(report.declared)
        # A narrowed write whose read is declared too is a removal, not a second copy of the read.
        for write, read in list(narrow.items()):
            if read in declared:
                remove.add(write)
                del narrow[write]
        drafted = tuple((name, prefix + draft_purpose(name, uses[name], catalog)) for name in sorted(uses)
                        if name not in declared)
        edit = PermissionEdit(add=drafted, remove=frozenset(remove), narrow=tuple(sorted(narrow.items())))
        if edit:
            plans.append(FixPlan(report.root / report.manifest, edit, drafted))
    return plans


def draft_purpose(permission: str, uses: list[tuple[str, str]], catalog) -> str:
    """`Read invoices: stripe.invoices.list() in InvoiceListView.tsx`: what the permission is for,
    from the catalog, and where the code needs it, for a reviewer to rewrite in the app's words."""
    info = catalog.permission(permission)
    resource = info.resource.lower() if info is not None else permission.rsplit("_", 1)[0].replace("_", " ")
    if permission == getattr(catalog, "event_permission", "event_read"):
        what = "Receive webhook events"
    elif info is not None and info.access == "write":
        what = f"Create and update {resource}"
    else:
        what = f"Read {resource}"
    places = sorted({f"{subject} in {Path(path).name}" for subject, path in uses})
    shown = ", ".join(places[:2]) + (f" and {len(places) - 2} more" if len(places) > 2 else "")
    return f"{what}: {shown}" if shown else what


def apply_fixes(plans: list[FixPlan], write: bool) -> list[FixResult]:
    """Each plan's manifest edited; written (atomically, mode kept) when ``write``. A manifest that
    does not parse, or that changed on disk while it was being edited, is left alone."""
    from stripe_perm_lint.report.output import OutputError, write_atomically

    results = []
    for plan in plans:
        try:
            data = plan.manifest.read_bytes()
        except OSError as exc:
            results.append(FixResult(plan, "", "", f"cannot read it: {exc.strerror or exc}"))
            continue
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            before = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            results.append(FixResult(plan, "", "", "it is not UTF-8"))
            continue
        try:
            after = edit_manifest(plan.manifest.name, before, plan.edit)
        except EditError as exc:
            results.append(FixResult(plan, before, before, str(exc)))
            continue
        if write and after != before:
            if plan.manifest.read_bytes() != data:
                results.append(FixResult(plan, before, before, "it changed on disk while it was being fixed"))
                continue
            try:
                write_atomically(plan.manifest, ("\ufeff" if bom else "") + after)
            except OutputError as exc:
                results.append(FixResult(plan, before, before, str(exc)))
                continue
        results.append(FixResult(plan, before, after))
    return results


def unified_diff(result: FixResult, cwd: Path | None = None) -> str:
    shown = Path(os.path.relpath(result.plan.manifest, cwd or Path.cwd())).as_posix()
    return "".join(difflib.unified_diff(
        result.before.splitlines(keepends=True), result.after.splitlines(keepends=True),
        fromfile=f"a/{shown}", tofile=f"b/{shown}",
    ))

