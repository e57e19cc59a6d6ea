"""Lint apps: discover, parse each file once, link across files, run every rule, sort."""

from __future__ import annotations

import dataclasses
import os
import posixpath
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from stripe_perm_lint.app import App, Options
from stripe_perm_lint.cache import open_cache
from stripe_perm_lint.context import RuleContext
from stripe_perm_lint.diff import required_permissions
from stripe_perm_lint.discover import discover_sources, excluded, find_app_roots, language_of
from stripe_perm_lint.facts import FileFacts, ParseProblem, Position
from stripe_perm_lint.finding import Finding, Location
from stripe_perm_lint import prefilter
from stripe_perm_lint.linker import link_app
from stripe_perm_lint.modules import AppFiles, resolve_module
from stripe_perm_lint.manifest import MANIFEST_NAMES, read_manifest
from stripe_perm_lint.tsconfig import alias_candidates, find_alias_rules
from stripe_perm_lint.ui_extension import in_ui_extension, ui_extension_files
from stripe_perm_lint.untraced import UntracedSummary, summarise_untraced
from stripe_perm_lint.workers import parse_all

if TYPE_CHECKING:
    from stripe_perm_lint.progress import Progress
    from stripe_perm_lint.rule import Rule


class NoAppFound(Exception):
    """No ``stripe-app.json`` / ``stripe-app.yaml`` under the given paths (a usage error)."""


class NothingToLint(Exception):
    """Every path given is a file that no app contains (pre-commit passing unrelated files)."""


class RunLog:
    """Where lines for the user go besides the report (stderr in the CLI). ``incomplete`` is set
    when an internal error left a result out that no finding mentions: the CLI then exits 2."""

    def __init__(self, write: Callable[[str], None] | None = None, progress: Progress | None = None) -> None:
        self.write = write or (lambda line: print(f"stripe-perm-lint: {line}", file=sys.stderr))
        self.incomplete = False
        self.progress = progress  # the "parsing N/M files" line on a terminal, cleared before a note

    def note(self, line: str) -> None:
        if self.progress is not None:
            self.progress.clear()
        self.write(line)

    def internal_error(self, what: str, exc: BaseException, debug: bool) -> None:
        self.incomplete = True
        detail = "\n" + traceback.format_exc().rstrip() if debug else " (rerun with --debug for the traceback)"
        self.note(f"internal error {what}: {type(exc).__name__}: {exc}; please report it{detail}")


@dataclass(frozen=True)
class AppReport:
    root: Path  # absolute
    manifest: str  # file name inside root
    declared: tuple[str, ...]
    required: tuple[str, ...]
    findings: tuple[Finding, ...]  # locations relative to root, sorted
    # (path, language) of files in languages with no parser: only their Stripe API URLs were read.
    not_analysed: tuple[tuple[str, str], ...] = ()
    suppressed: int = 0  # findings hidden by `stripe-perm-lint: ignore[...]` comments
    baselined: int = 0  # findings hidden by the --baseline file
    stale_baseline: int = 0  # baseline entries for this app's files that matched no finding
    # Receivers used like Stripe clients whose origin was not traced (docs/semantics.md §11).
    untraced_clients: tuple[UntracedSummary, ...] = ()
    # Folders holding the Stripe SDK's own source, left out (``discover.is_stripe_sdk``).
    vendored_sdks: tuple[str, ...] = ()


def lint_paths(
    paths: list[Path],
    options: Options | None = None,
    debug: bool = False,
    log: RunLog | None = None,
    rules: Sequence[Rule] | None = None,
    configure: Callable[[Path], Options] | None = None,
) -> list[AppReport]:
    """Lint every app at, below or (for a file) around ``paths``. One app that fails inside the
    linter is reported on ``log`` and skipped; the others are still linted. ``configure`` gives
    each app's options (from its config file, ``stripe_perm_lint.settings``); it runs for every
    app before any is linted, so a config error (``ConfigError``) stops the run first."""
    from stripe_perm_lint.catalog import load_catalog

    options, log = options or Options(), log or RunLog()
    for path in paths:
        if _deleted_file(path):
            log.note(f"{path}: no such file; taken as deleted (the app that held it, if any, is linted)")
        elif not path.exists():
            raise NoAppFound(f"{path}: no such file or directory")
    roots = find_app_roots(paths)
    if not roots:
        if all(path.is_file() or _deleted_file(path) for path in paths):
            raise NothingToLint("no app contains the given files (no stripe-app.json or stripe-app.yaml above them)")
        shown = ", ".join(str(p) for p in paths)
        raise NoAppFound(f"no stripe-app.json or stripe-app.yaml found under {shown}")
    per_app = {root: configure(root) if configure else options for root, _ in roots}
    catalog = load_catalog()
    all_roots = frozenset(root for root, _ in roots)
    skipped = [root for root, _ in roots if excluded(root, per_app[root].skip_patterns)]
    if skipped:
        plural = "s" if len(skipped) > 1 else ""
        log.note(f"skipped {len(skipped)} app{plural} that `exclude` in the config matches: "
                 + ", ".join(display_path_of(root) for root in skipped))
    reports = []
    for root, name in roots:
        if root in skipped:
            continue
        try:
            reports.append(lint_app(root, name, all_roots - {root}, catalog, per_app[root], debug, log, rules))
        except Exception as exc:  # noqa: BLE001 - one app's bug must not hide the others' results
            log.internal_error(f"while linting the app at {root}", exc, debug)
    return reports


def _deleted_file(path: Path) -> bool:
    """A missing path named like a source or manifest: a file the change under review deletes
    (``git diff --name-only`` lists those). Its app is still linted, since the deletion can
    leave a permission unused; a missing folder stays a usage error (most likely a typo)."""
    return not os.path.lexists(path) and (language_of(path.name) != "unknown" or path.name in MANIFEST_NAMES)


def load_app(
    root: Path, manifest_name: str, other_roots: frozenset[Path], options: Options, debug: bool = False, log: RunLog | None = None
) -> App:
    log = log or RunLog()
    sources = discover_sources(root, manifest_name, other_roots, options.extra_sources, options.skip_patterns)
    skim = prefilter.enabled()
    cache = open_cache(options.cache_dir, log.note) if options.cache_dir is not None else None
    files = parse_all(root, sources.sources, debug=debug, report=log.note, cache=cache, progress=log.progress,
                      skim=skim)
    files += [_walk_problem(rel, message) for rel, message in sources.problems]
    manifest = read_manifest(root, manifest_name)
    config_problems: list[tuple[str, str]] = []
    rules = find_alias_rules(root, sources.sources, config_problems)
    files += [_walk_problem(rel, message) for rel, message in config_problems]
    aliases = (lambda importer, module: alias_candidates(rules, importer, module)) if rules else None
    if skim:
        files = _complete_skimmed(root, files, aliases, debug, log, cache)
    ui_files = ui_extension_files(manifest, files, aliases)
    linked = [settle_accounts(f, manifest.api_access_type, ui_files) for f in link_app(files, aliases)]
    return App(root=root, manifest=manifest, files=tuple(linked), options=options, vendored_sdks=sources.vendored_sdks)


def _complete_skimmed(root: Path, files: list[FileFacts], aliases, debug: bool, log: RunLog,
                      cache=None) -> list[FileFacts]:
    """Parse fully the skimmed files that another module makes matter, until none is left
    (``stripe_perm_lint.prefilter``); each keeps its place in ``files``."""
    by_path = AppFiles((f.path, f) for f in files)  # for resolution, which reads only the paths
    resolved: dict[tuple[str, str, str], str | None] = {}

    def resolve(importer: FileFacts, module: str) -> str | None:
        # What an import names depends on the importing folder, not the file (relative paths and
        # the tsconfig that governs it): one resolution per folder serves all its files.
        key = (posixpath.dirname(importer.path), module, importer.language)
        if key not in resolved:
            resolved[key] = resolve_module(importer.path, module, importer.language, by_path, aliases)
        return resolved[key]

    asked: set[str] = set()
    while any(f.skimmed for f in files):
        # Each file is asked for once: a parse that came back skimmed again must not loop.
        wanted = prefilter.files_to_complete(files, {f.path for f in files if f.skimmed}, resolve) - asked
        if not wanted:
            break
        asked |= wanted
        parsed = dict(zip(sorted(wanted), parse_all(root, sorted(wanted), debug=debug, report=log.note, cache=cache,
                                                    keep_others=True)))
        files = [parsed.get(f.path, f) for f in files]
    return files


def lint_app(
    root: Path,
    manifest_name: str,
    other_roots: frozenset[Path],
    catalog,
    options: Options,
    debug: bool = False,
    log: RunLog | None = None,
    rules: Sequence[Rule] | None = None,
) -> AppReport:
    """Lint one app with ``rules`` (default: the rules its options select)."""
    from stripe_perm_lint.rules import ALL_RULES

    log = log or RunLog()
    rules = [rule for rule in ALL_RULES if options.runs(rule.code)] if rules is None else rules
    ctx = RuleContext(load_app(root, manifest_name, other_roots, options, debug, log), catalog)
    findings = sorted(set(_run_rules(ctx, rules, debug, log)), key=Finding.sort_key)
    declared = sorted(ctx.diff.declared | (ctx.app.manifest.names - catalog.permission_names))
    report = AppReport(
        root=root,
        manifest=manifest_name,
        declared=tuple(declared),
        required=tuple(required_permissions(ctx.analysis)),
        findings=tuple(findings),
        not_analysed=tuple(ctx.app.not_analysed()),
        untraced_clients=summarise_untraced(ctx.app.files),
        vendored_sdks=ctx.app.vendored_sdks,
    )
    return _hide_accepted(report, ctx.app, rules, other_roots)


def _hide_accepted(report: AppReport, app: App, rules: Sequence[Rule], other_roots: frozenset[Path]) -> AppReport:
    """The one step between the rules and the report that hides findings the user accepted: inline
    suppressions first (which also judges them, SPL902), then the baseline file."""
    from stripe_perm_lint.suppressions import apply_suppressions

    suppressed = apply_suppressions(app, report.findings, rules)
    findings = sorted(suppressed.findings, key=Finding.sort_key)
    baselined = stale = 0
    if app.options.baseline is not None:
        from stripe_perm_lint.baseline import apply_baseline  # only a run with a baseline file needs it

        kept = apply_baseline(app.options.baseline, report.root, findings, other_roots)
        findings, baselined, stale = list(kept.findings), kept.hidden, kept.stale
    return dataclasses.replace(
        report, findings=tuple(findings), suppressed=suppressed.hidden, baselined=baselined, stale_baseline=stale
    )


def _run_rules(ctx: RuleContext, rules: Sequence[Rule], debug: bool, log: RunLog) -> list[Finding]:
    """Every rule's findings; a rule that fails is reported and the others still run."""
    findings: list[Finding] = []
    for rule in rules:
        try:
            findings += rule.check(ctx)
        except Exception as exc:  # noqa: BLE001
            log.internal_error(f"in rule {rule.code} ({rule.name}) on the app at {ctx.app.root}", exc, debug)
    return findings


def _walk_problem(rel: str, message: str) -> FileFacts:
    """A folder, link or config the run could not or would not read, as an SPL901 problem on it."""
    return FileFacts(path=rel, language="none", problems=(ParseProblem(message, Position(0, 0)),))


# With these access types the backend holds one key per installing account (an OAuth token, or the
# restricted key Stripe generated at install), so a client of unknown origin acts for that account.
PER_ACCOUNT_ACCESS = ("oauth", "restricted_api_key")


def settle_accounts(facts: FileFacts, api_access_type: str = "platform", ui_files: frozenset[str] | None = None) -> FileFacts:
    """Decide the "unknown" accounts left after linking (docs/semantics.md §6): installing in
    UI-extension code (``ui_files``, see ``ui_extension``), including helper modules that only
    receive a client as a typed parameter, and in apps whose backend authenticates per account;
    the platform elsewhere (a backend helper handed a client of unknown origin). A client the
    parser saw built with a secret key keeps "platform" even in UI code."""
    in_ui = in_ui_extension(facts.path, ui_files)
    settled = "installing" if in_ui or api_access_type in PER_ACCOUNT_ACCESS else "platform"

    def settle(items):
        return tuple(dataclasses.replace(i, account=settled) if i.account == "unknown" else i for i in items)

    if not any(i.account == "unknown" for i in (*facts.calls, *facts.raw_requests)):
        return facts
    return dataclasses.replace(facts, calls=settle(facts.calls), raw_requests=settle(facts.raw_requests))


def display_path_of(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to where the command runs, with forward slashes."""
    return Path(os.path.relpath(path, cwd or Path.cwd())).as_posix()


def display_path(report: AppReport, location: Location, cwd: Path | None = None) -> str:
    """A finding's path relative to where the command runs, with forward slashes."""
    return display_path_of(report.root / location.path, cwd)
