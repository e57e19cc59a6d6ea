"""The ``App``: everything rules see about one Stripe App (its manifest and its files' facts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

from stripe_perm_lint.discover import OTHER_LANGUAGES
from stripe_perm_lint.manifest import Manifest
from stripe_perm_lint.report_cache import Inputs

if TYPE_CHECKING:
    from stripe_perm_lint.baseline import Baseline
    from stripe_perm_lint.facts import (
        ApiCall,
        EventUse,
        FileFacts,
        ParseProblem,
        PermissionReference,
        RawRequest,
        RemovedApiUse,
        SdkFunctionUse,
        Unresolved,
        WebhookEndpoint,
    )

UNPARSED_LANGUAGES = frozenset(OTHER_LANGUAGES.values())

T = TypeVar("T")


@dataclass(frozen=True)
class KeptPermission:
    """A permission the config keeps on purpose (code the linter cannot see needs it), with why."""

    permission: str
    reason: str
    line: int = 0  # where the config file names it (0: not found), for the finding on a stale one


@dataclass(frozen=True)
class Options:
    """How one app is linted: the defaults, a config file's values, then command-line flags
    (``stripe_perm_lint.config``)."""

    # "info": backend calls on the platform's own account need no manifest permission and are
    # reported at info level (docs/semantics.md §6); "count": treat them like installing-account
    # calls.
    platform_calls: str = "info"
    include_older_edition: bool = True  # implied permissions from older editions of Stripe's page
    extra_sources: tuple[Path, ...] = ()  # folders outside the app that are part of it (a backend)
    baseline: Baseline | None = None  # findings recorded earlier, hidden from the report (--baseline)
    selected: frozenset[str] | None = None  # codes of the rules that run; None: every rule
    # Files and folders that are not the app's sources (``exclude`` and ``test-paths``):
    # gitignore-style patterns, each group with the folder its patterns are relative to.
    skip_patterns: tuple[tuple[Path, tuple[str, ...]], ...] = ()
    # Webhook endpoints whose events serve the developer's own account (docs/semantics.md §10):
    # app-relative source paths, `path:function` endpoint ids, handler names or route paths.
    own_account_webhooks: tuple[str, ...] = ()
    keep: tuple[KeptPermission, ...] = ()  # permissions SPL102 never reports
    config_file: Path | None = None  # the config file these came from, named in findings
    cache_dir: Path | None = None  # where parsed facts are cached (README "Cache"); None: no cache

    def runs(self, code: str) -> bool:
        return self.selected is None or code in self.selected


@dataclass(frozen=True)
class App:
    root: Path  # absolute
    manifest: Manifest
    files: tuple[FileFacts, ...]
    options: Options = field(default_factory=Options)
    vendored_sdks: tuple[str, ...] = ()  # folders of the Stripe SDK's own source, not read
    inputs: Inputs = Inputs()  # every file and folder the app was built from (``report_cache``)

    # ``(path, fact)`` for every fact of one kind, in path order.
    def calls(self) -> Iterator[tuple[str, ApiCall]]:
        return self._each(lambda f: f.calls)

    def raw_requests(self) -> Iterator[tuple[str, RawRequest]]:
        return self._each(lambda f: f.raw_requests)

    def events(self) -> Iterator[tuple[str, EventUse]]:
        return self._each(lambda f: f.events)

    def sdk_functions(self) -> Iterator[tuple[str, SdkFunctionUse]]:
        return self._each(lambda f: f.sdk_functions)

    def permission_references(self) -> Iterator[tuple[str, PermissionReference]]:
        return self._each(lambda f: f.permission_references)

    def removed_apis(self) -> Iterator[tuple[str, RemovedApiUse]]:
        return self._each(lambda f: f.removed_apis)

    def unresolved(self) -> Iterator[tuple[str, Unresolved]]:
        return self._each(lambda f: f.unresolved)

    def webhook_endpoints(self) -> Iterator[tuple[str, WebhookEndpoint]]:
        return self._each(lambda f: f.webhook_endpoints)

    def problems(self) -> Iterator[tuple[str, ParseProblem]]:
        return self._each(lambda f: f.problems)

    def not_analysed(self) -> list[tuple[str, str]]:
        """(path, language) of the files in a language with no parser, read for Stripe API URLs only."""
        return [(f.path, f.language) for f in self.files if f.language in UNPARSED_LANGUAGES]

    def _each(self, kind: Callable[[FileFacts], tuple[T, ...]]) -> Iterator[tuple[str, T]]:
        for facts in self.files:
            for fact in kind(facts):
                yield facts.path, fact
