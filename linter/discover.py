"""Find the apps under the given paths and the source files that belong to each.

An app is a folder holding ``stripe-app.json`` or ``stripe-app.yaml`` (the ``stripe-app.*.json``
overlays are local overrides, not apps). Its sources are the files below it, minus what never
ships: dependencies, build output, vendored code, what ``.gitignore`` ignores, and test code
(decisions.md 7). A folder that is itself an app belongs to that app, not to its parent.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pathspec

from stripe_perm_lint.manifest import MANIFEST_NAMES

PYTHON_SUFFIXES = (".py",)
TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
SKIP_DIRS = frozenset(
    {
        "node_modules", ".build", "dist", "build", "out", ".next", ".turbo", "coverage",
        "vendor", "vendors", "third_party", "site-packages", ".git", ".hg", ".svn",
        ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".pytest_cache",
        # test code never runs inside an installed app
        "__tests__", "__mocks__", "tests", "test", "e2e", "cypress",
    }
)
# *.test.ts, *.spec.tsx, *.stories.tsx (Storybook never ships), test_*.py, *_test.py, conftest.py,
# and type declarations (no calls in them).
TEST_FILE = re.compile(
    r"(\.(test|spec|stories)\.[cm]?[jt]sx?$)|(^test_.*\.py$)|(_test\.py$)|(^conftest\.py$)|(\.d\.[cm]?ts$)"
)


@dataclass(frozen=True)
class AppSources:
    root: Path  # absolute
    manifest_name: str
    sources: tuple[str, ...]  # relative POSIX paths, sorted


def is_source(name: str) -> bool:
    return name.endswith(PYTHON_SUFFIXES + TS_SUFFIXES) and not TEST_FILE.search(name)


def find_app_roots(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every app folder at or below ``paths``, with its manifest file name, sorted, unique."""
    found: dict[Path, str] = {}
    for start in paths:
        start = start.resolve()
        if start.is_file():
            start = start.parent
        for folder, dirs, files in _walk(start):
            manifest = next((m for m in MANIFEST_NAMES if m in files), None)
            if manifest:
                found.setdefault(folder, manifest)
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
    return sorted(found.items())


def discover_sources(
    root: Path, manifest_name: str, other_roots: frozenset[Path], extra: tuple[Path, ...] = ()
) -> AppSources:
    """The source files of the app at ``root``; folders in ``other_roots`` are other apps.
    ``extra`` folders (a backend kept beside the app, ``--extra-sources``) count as part of it;
    their files get paths relative to ``root`` (``../worker/index.ts``)."""
    sources: list[str] = []
    for start in (root, *(e.resolve() for e in extra)):
        sources += _sources_below(root, start, other_roots if start == root else frozenset())
    return AppSources(root=root, manifest_name=manifest_name, sources=tuple(sorted(set(sources))))


def _sources_below(root: Path, start: Path, other_roots: frozenset[Path]) -> list[str]:
    ignore = _GitIgnore(start)
    sources: list[str] = []
    if start.is_file():
        return [Path(os.path.relpath(start, root)).as_posix()] if is_source(start.name) else []
    for folder, dirs, files in _walk(start):
        rel_folder = folder.relative_to(start)
        if ".gitignore" in files and folder != start:
            ignore.load(folder)
        kept = []
        for d in dirs:
            child = folder / d
            if d in SKIP_DIRS or d.startswith(".") or child in other_roots:
                continue
            if ignore.ignored(rel_folder / d, is_dir=True):
                continue
            kept.append(d)
        dirs[:] = kept
        for name in files:
            rel = rel_folder / name
            if is_source(name) and not ignore.ignored(rel, is_dir=False):
                sources.append(Path(os.path.relpath(start / rel, root)).as_posix())
    return sources


def _walk(start: Path):
    """``os.walk`` that never follows directory symlinks, so a link loop cannot trap it, and
    walks in sorted order so every run sees the same files."""
    for folder, dirs, files in os.walk(start, followlinks=False):
        dirs.sort()
        yield Path(folder), dirs, sorted(files)


class _GitIgnore:
    """``.gitignore`` files from the app root up to the repository root; nested ones are added
    by the walk as it meets them (a parent folder is always walked before its children)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.specs: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
        for folder in [root, *root.parents]:
            self.load(folder)
            if (folder / ".git").exists():
                break

    def load(self, folder: Path) -> None:
        try:
            lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        self.specs.append((folder, pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, rel: Path, is_dir: bool) -> bool:
        absolute = self.root / rel
        for base, spec in self.specs:
            try:
                inner = absolute.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(inner + ("/" if is_dir else "")):
                return True
        return False
