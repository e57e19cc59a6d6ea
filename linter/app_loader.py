"""Build the ``App`` rules see: discover an app's files, parse each once (through the facts cache
and the prefilter), read the manifest and path aliases, link facts across files and settle whose
account each call acts on. Imported only when a report is not in the report cache."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path

from stripe_perm_lint import prefilter
from stripe_perm_lint.app import App, Options
from stripe_perm_lint.cache import open_cache
from stripe_perm_lint.discover import discover_sources
from stripe_perm_lint.engine import RunLog
from stripe_perm_lint.facts import FileFacts, ParseProblem, Position
from stripe_perm_lint.linker import link_app
from stripe_perm_lint.manifest import read_manifest
from stripe_perm_lint.modules import AppFiles, resolve_module
from stripe_perm_lint.parse.go.gomod import find_go_modules
from stripe_perm_lint.report_cache import Inputs
from stripe_perm_lint.tsconfig import alias_candidates, find_alias_rules
from stripe_perm_lint.ui_extension import in_ui_extension, ui_extension_files
from stripe_perm_lint.workers import parse_all


def load_app(
    root: Path, manifest_name: str, other_roots: frozenset[Path], options: Options, debug: bool = False, log: RunLog | None = None
) -> App:
    log = log or RunLog()
    sources = discover_sources(root, manifest_name, other_roots, options.extra_sources, options.skip_patterns)
    skim = prefilter.enabled()
    cache = open_cache(options.cache_dir, log.note) if options.cache_dir is not None else None
    with cache.holding(root) if cache is not None else contextlib.nullcontext():  # its index: read once, written once
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
    tops = ("", *(Path(os.path.relpath(e.resolve(), root)).as_posix() for e in options.extra_sources))
    go_modules = find_go_modules(root, sources.sources, tops)  # where the app's Go imports lead
    linked = [settle_accounts(f, manifest.api_access_type, ui_files) for f in link_app(files, aliases, go_modules)]
    inputs = sources.inputs + Inputs(read=tuple(os.path.normpath(os.path.join(root, rel)) for rel in sources.sources))
    return App(root=root, manifest=manifest, files=tuple(linked), options=options, vendored_sdks=sources.vendored_sdks,
               inputs=inputs)


def _complete_skimmed(root: Path, files: list[FileFacts], aliases, debug: bool, log: RunLog,
                      cache=None) -> list[FileFacts]:
    """Parse fully the skimmed files that another module makes matter, until none is left
    (``stripe_perm_lint.prefilter``); each keeps its place in ``files``."""
    by_path = AppFiles((f.path, f) for f in files)  # for resolution, which reads only the paths
    resolved: dict[tuple[str, str, str], str | None] = {}

    def resolve(importer: FileFacts, module: str) -> str | None:
        # What an import names depends on the importing folder, not the file (relative paths and
        # the tsconfig that governs it): one resolution per folder serves all its files.
        key = (importer.path.rpartition("/")[0], module, importer.language)
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
