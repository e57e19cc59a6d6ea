"""Lint apps: discover, parse each file once, link across files, run every rule, sort."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from stripe_perm_lint import report_cache
from stripe_perm_lint.app import App, Options
from stripe_perm_lint.discover import excluded, find_app_roots, language_of
from stripe_perm_lint.finding import Finding, Location
from stripe_perm_lint.manifest import MANIFEST_NAMES
from stripe_perm_lint.untraced import UntracedSummary

# A run answered from the report cache imports none of what builds an app (``app_loader``), runs
# the rules (``context``) or reads the catalog: they are imported in ``lint_app``.
if TYPE_CHECKING:
    from stripe_perm_lint.context import RuleContext
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
        self.notes = 0  # how many lines were written
        self.progress = progress  # the "parsing N/M files" line on a terminal, cleared before a note

    def note(self, line: str) -> None:
        if self.progress is not None:
            self.progress.clear()
        self.notes += 1
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
    all_roots = frozenset(root for root, _ in roots)
    skipped = [root for root, _ in roots if excluded(root, per_app[root].skip_patterns)]
    if skipped:
        plural = "s" if len(skipped) > 1 else ""
        log.note(f"skipped {len(skipped)} app{plural} that `exclude` in the config matches: "
                 + ", ".join(display_path_of(root) for root in skipped))
    reports = []
    with _workers_shared_between_apps(len(roots) > 1):
        for root, name in roots:
            if root in skipped:
                continue
            try:
                reports.append(lint_app(root, name, all_roots - {root}, None, per_app[root], debug, log, rules))
            except Exception as exc:  # noqa: BLE001 - one app's bug must not hide the others' results
                log.internal_error(f"while linting the app at {root}", exc, debug)
    return reports


def _workers_shared_between_apps(several: bool):
    """One set of parser workers for all the apps of a run (``workers.shared_workers``); a run of
    one app does without, so that a run answered from the report cache never imports them."""
    if not several:
        return contextlib.nullcontext()
    from stripe_perm_lint.workers import shared_workers

    return shared_workers()


def _deleted_file(path: Path) -> bool:
    """A missing path named like a source or manifest: a file the change under review deletes
    (``git diff --name-only`` lists those). Its app is still linted, since the deletion can
    leave a permission unused; a missing folder stays a usage error (most likely a typo)."""
    return not os.path.lexists(path) and (language_of(path.name) != "unknown" or path.name in MANIFEST_NAMES)


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
    """Lint one app with ``rules`` (default: the rules its options select) and ``catalog``
    (default: the tool's own, loaded only when the app's report is not in the cache)."""
    log = log or RunLog()
    # A run with the rules it was given (a test, a tool of our own) is not one the cache knows.
    reports = report_cache.open_report_cache(options.cache_dir, log.note) if rules is None else None
    key = reports.key(root, manifest_name, other_roots, options, debug) if reports else ""
    if reports and (cached := reports.lookup(key)) is not None:
        return cached
    from stripe_perm_lint.app_loader import load_app
    from stripe_perm_lint.catalog import load_catalog
    from stripe_perm_lint.context import RuleContext
    from stripe_perm_lint.diff import required_permissions
    from stripe_perm_lint.rules import ALL_RULES
    from stripe_perm_lint.untraced import summarise_untraced

    started_ns, notes = time.time_ns(), log.notes
    rules = [rule for rule in ALL_RULES if options.runs(rule.code)] if rules is None else rules
    ctx = RuleContext(load_app(root, manifest_name, other_roots, options, debug, log), catalog or load_catalog())
    findings = sorted(set(_run_rules(ctx, rules, debug, log)), key=Finding.sort_key)
    declared = sorted(ctx.diff.declared | (ctx.app.manifest.names - ctx.catalog.permission_names))
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
    report = _hide_accepted(report, ctx.app, rules, other_roots)
    if reports and log.notes == notes and not log.incomplete:  # a note would not be repeated by the cached report
        reports.store(key, started_ns, ctx.app.inputs, report)
    return report


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


def display_path_of(path: Path | str, cwd: Path | None = None) -> str:
    """``path`` relative to where the command runs, with forward slashes."""
    return _relative(os.fspath(path), os.fspath(cwd) if cwd else os.getcwd())


def display_path(report: AppReport, location: Location, cwd: Path | None = None) -> str:
    """A finding's path relative to where the command runs, with forward slashes."""
    return display_path_of(os.path.join(report.root, location.path), cwd)


@functools.lru_cache(maxsize=4096)
def _relative(path: str, cwd: str) -> str:
    # A report names the same few files again and again; relpath normalises both paths each time.
    return os.path.relpath(path, cwd).replace(os.sep, "/")
