"""The command-line side of fixes: ``check --fix / --unsafe-fixes / --diff`` and ``init``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from stripe_perm_lint.cli import _fail


def run_fixes(reports, unsafe: bool, prefix: str, write: bool) -> bool:
    """Plan and apply (or, without ``write``, print as a diff) the fixes; True when any manifest
    changes. Each written manifest and each drafted purpose gets a line on stderr."""
    from stripe_perm_lint.catalog import load_catalog
    from stripe_perm_lint.fixes import apply_fixes, plan_fixes, unified_diff

    results = apply_fixes(plan_fixes(reports, load_catalog(), unsafe, prefix), write)
    changed = False
    for result in results:
        shown = Path(os.path.relpath(result.plan.manifest)).as_posix()
        if result.error:
            click.echo(f"stripe-perm-lint: {shown}: not fixed: {result.error}", err=True)
            continue
        if result.after == result.before:
            continue
        changed = True
        if not write:
            click.echo(unified_diff(result), nl=False)
            continue
        edit = result.plan.edit
        parts = [f"added {len(edit.add)}"] * bool(edit.add) + [f"removed {len(edit.remove)}"] * bool(edit.remove) \
            + [f"narrowed {len(edit.narrow)}"] * bool(edit.narrow)
        click.echo(f"stripe-perm-lint: fixed {shown}: {', '.join(parts)}", err=True)
        for name, purpose in result.plan.drafted:
            click.echo(f"stripe-perm-lint: {shown}: `{name}`: drafted purpose, review it: {json.dumps(purpose)}", err=True)
    return changed


@click.command()
@click.argument("path", default=".", type=click.Path(exists=True, path_type=Path))
@click.option("--print", "print_only", is_flag=True, help="Print the permission list instead of writing it.")
@click.option("--purpose-prefix", default="", metavar="TEXT", help="Start every drafted purpose with TEXT.")
def init(path: Path, print_only: bool, purpose_prefix: str) -> None:
    """Write the permission list of an app whose manifest declares none yet, each with a drafted
    purpose (or print it with --print)."""
    from stripe_perm_lint.catalog import load_catalog
    from stripe_perm_lint.engine import NoAppFound, lint_paths
    from stripe_perm_lint.fixes import apply_fixes, plan_fixes

    try:
        reports = lint_paths([path], rules=_missing_rule())
    except NoAppFound as exc:
        _fail(str(exc))
    for report in reports:
        shown = Path(os.path.relpath(report.root / report.manifest)).as_posix()
        if report.declared:
            _fail(f"{shown} already declares {len(report.declared)} permissions; run `stripe-perm-lint --fix` instead")
        plans = plan_fixes([report], load_catalog(), prefix=purpose_prefix)
        entries = [{"permission": n, "purpose": p} for plan in plans for n, p in plan.edit.add]
        if print_only:
            click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
            continue
        if not entries:
            click.echo(f"stripe-perm-lint: {shown}: the code needs no permission; nothing to write", err=True)
            continue
        [result] = apply_fixes(plans, write=True)
        if result.error:
            _fail(f"{shown}: not written: {result.error}")
        click.echo(f"stripe-perm-lint: {shown}: wrote {len(entries)} permissions with drafted purposes; review them", err=True)
    sys.exit(0)


def _missing_rule():
    from stripe_perm_lint.rules import rule_by_code_or_name

    return [rule_by_code_or_name("SPL101")]
