"""Lint apps: discover, parse each file once, link across files, run every rule, sort."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from stripe_perm_lint.app import App, Options
from stripe_perm_lint.diff import permission_diff, required_permissions
from stripe_perm_lint.discover import TS_SUFFIXES, discover_sources, find_app_roots
from stripe_perm_lint.facts import FileFacts, ParseProblem, Position
from stripe_perm_lint.finding import Finding, Location
from stripe_perm_lint.linker import link_app
from stripe_perm_lint.manifest import read_manifest
from stripe_perm_lint.parse import parse_file
from stripe_perm_lint.sources import read_source
from stripe_perm_lint.tsconfig import alias_candidates, find_alias_rules


class NoAppFound(Exception):
    """No ``stripe-app.json`` / ``stripe-app.yaml`` under the given paths (a usage error)."""


@dataclass(frozen=True)
class AppReport:
    root: Path  # absolute
    manifest: str  # file name inside root
    declared: tuple[str, ...]
    required: tuple[str, ...]
    findings: tuple[Finding, ...]  # locations relative to root, sorted


def lint_paths(paths: list[Path], options: Options | None = None, debug: bool = False) -> list[AppReport]:
    from stripe_perm_lint.catalog import load_catalog

    options = options or Options()
    for path in paths:
        if not path.exists():
            raise NoAppFound(f"{path}: no such file or directory")
    roots = find_app_roots(paths)
    if not roots:
        shown = ", ".join(str(p) for p in paths)
        raise NoAppFound(f"no stripe-app.json or stripe-app.yaml found under {shown}")
    catalog = load_catalog()
    all_roots = frozenset(root for root, _ in roots)
    return [lint_app(root, name, all_roots - {root}, catalog, options, debug) for root, name in roots]


def load_app(root: Path, manifest_name: str, other_roots: frozenset[Path], options: Options, debug: bool = False) -> App:
    sources = discover_sources(root, manifest_name, other_roots, options.extra_sources)
    files = [_parse_one(root, rel, debug) for rel in sources.sources]
    manifest = read_manifest(root, manifest_name)
    rules = find_alias_rules(root, sources.sources)
    aliases = (lambda importer, module: alias_candidates(rules, importer, module)) if rules else None
    linked = [settle_accounts(f, manifest.api_access_type) for f in link_app(files, aliases)]
    return App(root=root, manifest=manifest, files=tuple(linked), options=options)


def lint_app(root: Path, manifest_name: str, other_roots: frozenset[Path], catalog, options: Options, debug: bool = False) -> AppReport:
    from stripe_perm_lint.rules import ALL_RULES

    app = load_app(root, manifest_name, other_roots, options, debug)
    findings = sorted({f for rule in ALL_RULES for f in rule.check(app, catalog)}, key=Finding.sort_key)
    declared = sorted(permission_diff(app, catalog).declared | (app.manifest.names - catalog.permission_names))
    return AppReport(
        root=root,
        manifest=manifest_name,
        declared=tuple(declared),
        required=tuple(required_permissions(app, catalog)),
        findings=tuple(findings),
    )


def _parse_one(root: Path, rel: str, debug: bool) -> FileFacts:
    source = read_source(root / rel)
    language = "python" if rel.endswith(".py") else "typescript"
    if source.text is None:
        return FileFacts(path=rel, language=language, problems=(ParseProblem(source.problem, Position(1, 1)),))
    facts = parse_file(rel, source.text, debug=debug)
    if source.problem:
        facts = dataclasses.replace(facts, problems=(ParseProblem(source.problem, Position(1, 1)), *facts.problems))
    return facts


# Where `stripe apps create` (v1) and `stripe generate app` (v2) put the UI extension. Code bundled
# from there runs in the Dashboard as the installing account, including helper modules that only
# receive a client as a typed parameter and so carry no UI signal of their own.
UI_EXTENSION_FOLDERS = ("src/", "ui/src/")


# With these access types the backend holds one key per installing account (an OAuth token, or the
# restricted key Stripe generated at install), so a client of unknown origin acts for that account.
PER_ACCOUNT_ACCESS = ("oauth", "restricted_api_key")


def settle_accounts(facts: FileFacts, api_access_type: str = "platform") -> FileFacts:
    """Decide the "unknown" accounts left after linking: installing in UI-extension code and in
    apps whose backend authenticates per account, the platform elsewhere (a backend helper handed a
    client of unknown origin). A client the parser saw built with a secret key keeps "platform"
    even under src/ (an app's own backend there)."""
    in_ui = facts.path.startswith(UI_EXTENSION_FOLDERS) and facts.path.endswith(TS_SUFFIXES)
    settled = "installing" if in_ui or api_access_type in PER_ACCOUNT_ACCESS else "platform"

    def settle(items):
        return tuple(dataclasses.replace(i, account=settled) if i.account == "unknown" else i for i in items)

    if not any(i.account == "unknown" for i in (*facts.calls, *facts.raw_requests)):
        return facts
    return dataclasses.replace(facts, calls=settle(facts.calls), raw_requests=settle(facts.raw_requests))


def display_path(report: AppReport, location: Location, cwd: Path | None = None) -> str:
    """A finding's path relative to where the command runs, with forward slashes."""
    absolute = report.root / location.path
    return Path(os.path.relpath(absolute, cwd or Path.cwd())).as_posix()
