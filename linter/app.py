"""The ``App``: everything rules see about one Stripe App (its manifest and its files' facts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, TypeVar

from stripe_perm_lint.facts import FileFacts
from stripe_perm_lint.manifest import Manifest

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    # "info": backend calls on the platform's own account need no manifest permission and are
    # reported at info level (decisions.md 6); "count": treat them like installing-account calls.
    platform_calls: str = "info"
    include_older_edition: bool = True  # implied permissions from older editions of Stripe's page
    extra_sources: tuple[Path, ...] = ()  # folders outside the app that are part of it (a backend)


# eq=False: apps hash by identity, so the analysis cache never hashes every fact of an app.
@dataclass(frozen=True, eq=False)
class App:
    root: Path  # absolute
    manifest: Manifest
    files: tuple[FileFacts, ...]
    options: Options = field(default_factory=Options)

    def each(self, attribute: str) -> Iterator[tuple[str, object]]:
        """``(path, fact)`` for every fact of one kind (``"calls"``, ``"events"``, ...) in path order."""
        for facts in self.files:
            for fact in getattr(facts, attribute):
                yield facts.path, fact
