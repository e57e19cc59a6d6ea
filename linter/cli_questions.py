"""The commands that answer questions: ``catalog`` (and ``catalog lookup``), ``why PERMISSION``
and ``diff`` (the consent delta between two manifests). ``cli`` registers them."""

from __future__ import annotations

import os
from pathlib import Path

import click

from stripe_perm_lint.cli import _fail


@click.group("catalog", invoke_without_command=True)
@click.option("--coverage", is_flag=True, help="How many operations map to a permission, and which names none uses.")
@click.pass_context
def catalog_command(ctx: click.Context, coverage: bool) -> None:
    """Facts about the bundled permission catalog; `catalog lookup` asks about one name."""
    if ctx.invoked_subcommand:
        return
    from stripe_perm_lint.catalog import load_catalog

    catalog = load_catalog()
    if coverage:
        from stripe_perm_lint.catalog.coverage import coverage_report

        click.echo(coverage_report(catalog).rstrip("\n"))
        return
    versions = ", ".join(f"{k} {v}" for k, v in sorted(catalog.sdk_versions.items()))
    click.echo(f"API version {catalog.api_version}; built from {versions}")
    click.echo(f"{len(catalog.operations)} operations, {len(catalog.permission_names)} permission names")


@catalog_command.command("lookup")
@click.argument("query")
def catalog_lookup(query: str) -> None:
    """What one SDK method (`customers.list`, `Customer.list`), endpoint (`"GET /v1/customers"`),
    event (`customer.created`) or permission (`customer_read`) needs or grants."""
    from stripe_perm_lint.catalog import load_catalog
    from stripe_perm_lint.catalog_query import lookup

    lines = lookup(load_catalog(), query)
    if lines is None:
        _fail(f"the catalog knows no SDK method, endpoint, event or permission {query!r}")
    click.echo("\n".join(lines))


@click.command()
@click.argument("permission")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--extra-sources", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="A folder outside the app folder whose code is part of the app. Repeatable.")
def why(permission: str, paths, extra_sources) -> None:
    """Every call, expand path and event in the apps at PATHS (default: .) that PERMISSION meets,
    and what else would meet each."""
    import difflib

    from stripe_perm_lint.app import Options
    from stripe_perm_lint.catalog import load_catalog
    from stripe_perm_lint.context import RuleContext
    from stripe_perm_lint.discover import find_app_roots
    from stripe_perm_lint.app_loader import load_app
    from stripe_perm_lint.why import why_lines

    catalog = load_catalog()
    if permission not in catalog.permission_names:
        close = difflib.get_close_matches(permission, sorted(catalog.permission_names), n=1)
        _fail(f"unknown permission {permission!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
    roots = find_app_roots(list(paths) or [Path(".")])
    if not roots:
        _fail("no stripe-app.json or stripe-app.yaml found")
    all_roots = frozenset(root for root, _ in roots)
    options = Options(extra_sources=tuple(extra_sources))
    for root, name in roots:
        app = load_app(root, name, all_roots - {root}, options)
        click.echo("\n".join(why_lines(RuleContext(app, catalog), permission)))


@click.command("diff")
@click.argument("manifests", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", "base_ref", metavar="GIT_REF", help="Compare with the manifest as it was at this git ref.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def diff_command(manifests, base_ref, fmt) -> None:
    """The consent delta between two manifests: `diff OLD NEW`, or `diff --base REF [MANIFEST]`.
    Added and removed permissions change the scope, and installed users re-authorize the app."""
    from stripe_perm_lint.consent import ManifestUnavailable, consent_delta, manifest_at_ref, read_version, render_delta
    from stripe_perm_lint.discover import find_app_roots

    try:
        if base_ref is not None:
            if len(manifests) > 1:
                _fail("with --base, give at most one manifest or app folder")
            target = manifests[0] if manifests else Path(".")
            if target.is_dir():
                roots = find_app_roots([target])
                if len(roots) != 1:
                    _fail(f"{target}: expected one app, found {len(roots)}; name its manifest")
                target = Path(os.path.relpath(roots[0][0] / roots[0][1]))
            old, new = manifest_at_ref(target, base_ref), read_version(target)
            labels = (f"{base_ref}:{target}", str(target))
        else:
            if len(manifests) != 2:
                _fail("give two manifests (OLD NEW), or --base GIT_REF")
            old, new = read_version(manifests[0]), read_version(manifests[1])
            labels = (str(manifests[0]), str(manifests[1]))
    except ManifestUnavailable as exc:
        _fail(str(exc))
    click.echo(render_delta(consent_delta(old, new), fmt, *labels), nl=False)
