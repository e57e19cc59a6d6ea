"""Find the apps under the given paths and the source files that belong to each.

An app is a folder holding ``stripe-app.json`` or ``stripe-app.yaml`` (the ``stripe-app.*.json``
overlays are local overrides, not apps). Its sources are the files below it, minus what never
ships: dependencies, build output, vendored code, what ``.gitignore`` ignores, and test code
(docs/semantics.md §7). A folder that is itself an app belongs to that app, not to its parent.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stripe_perm_lint.manifest import MANIFEST_NAMES
from stripe_perm_lint.backends import SUFFIXES as BACKEND_SUFFIXES
from stripe_perm_lint.backends import backend_for
from stripe_perm_lint.report_cache import InputLog, Inputs

if TYPE_CHECKING:  # imported where a walk or a skip pattern needs it: a run the report cache answers does not
    import pathspec

PYTHON_SUFFIXES = (".py",)
TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
# Backends in languages with no parser: scanned for Stripe API URLs only (``parse.stripe_urls``)
# and named in the report's "not analysed" summary. Those with a parser (``stripe_perm_lint.backends``) are not.
OTHER_LANGUAGES = {
    suffix: name
    for suffix, name in {
        ".php": "PHP", ".rb": "Ruby", ".go": "Go", ".java": "Java", ".cs": "C#", ".kt": "Kotlin",
        ".scala": "Scala", ".rs": "Rust", ".ex": "Elixir", ".exs": "Elixir", ".swift": "Swift",
    }.items()
    if suffix not in BACKEND_SUFFIXES
}
SKIP_DIRS = frozenset(
    {
        "node_modules", ".build", "dist", "build", "out", ".next", ".turbo", "coverage",
        "vendor", "vendors", "third_party", "site-packages", ".git", ".hg", ".svn",
        ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".pytest_cache",
        "target", ".gradle",  # Maven's build output (compiled and generated sources), Gradle's cache
        # test code never runs inside an installed app
        "__tests__", "__mocks__", "tests", "test", "e2e", "cypress", "spec",
        "testdata",  # Go: fixtures of a package's tests, never built into it
    }
)
# *.test.ts, *.spec.tsx, *.stories.tsx (Storybook never ships), test_*.py, *_test.py, conftest.py,
# and type declarations (no calls in them).
TEST_FILE = re.compile(
    r"(\.(test|spec|stories)\.[cm]?[jt]sx?$)|(^test_.*\.py$)|(_test\.py$)|(^conftest\.py$)|(\.d\.[cm]?ts$)"
    # Go, Ruby, JVM, .NET and PHPUnit conventions
    r"|(_test\.go$)|(_(spec|test)\.rb$)|(Tests?\.(java|kt|cs|php)$)|([a-z0-9]IT\.java$)"
)


# .NET test projects sit next to the project they test, named after it: `BillingDesk.Api.Tests/`,
# `Webhooks.UnitTests/`, `App.IntegrationTests/`, `App.Specs/` (xUnit, NUnit, MSTest, SpecFlow).
TEST_PROJECT_DIR = re.compile(r"\.(?:Unit|Integration|Functional|Acceptance|E2E)?(?:Tests?|Specs?)$")


def skipped_dir(name: str) -> bool:
    """A folder discovery never enters: dependencies, build output, test code, hidden folders."""
    return name in SKIP_DIRS or name.startswith(".") or bool(TEST_PROJECT_DIR.search(name))


# Files besides the sources that a run reads in the folders it walks: ignore files, path-alias
# configs (``stripe_perm_lint.tsconfig``), Go module files (``parse.go.gomod``), and the manifest and
# its overlays (``MANIFEST_PREFIX``).
READ_BESIDE_SOURCES = frozenset({".gitignore", "tsconfig.json", "jsconfig.json", "go.mod"})
MANIFEST_PREFIX = "stripe-app"

_SOURCE_SUFFIXES = PYTHON_SUFFIXES + TS_SUFFIXES + tuple(BACKEND_SUFFIXES) + tuple(OTHER_LANGUAGES)


@dataclass(frozen=True)
class AppSources:
    root: Path  # absolute
    manifest_name: str
    sources: tuple[str, ...]  # relative POSIX paths, sorted
    # (relative path, why) for what the walk could not or would not enter: unreadable folders,
    # symbolic links that lead outside the app. Sorted.
    problems: tuple[tuple[str, str], ...] = ()
    # Folders holding the Stripe SDK's own source (``is_stripe_sdk``), left out. Sorted.
    vendored_sdks: tuple[str, ...] = ()
    # What the walk listed, read and looked for (``report_cache.Inputs``): with the sources, every
    # input of the app's report.
    inputs: Inputs = Inputs()


def language_of(path: str) -> str:
    """"python", "typescript" (TS, TSX and JavaScript), a backend language with a parser
    (``stripe_perm_lint.backends``: "ruby", "go"...), a language of ``OTHER_LANGUAGES`` ("Kotlin"...), or
    "unknown"."""
    if path.endswith(PYTHON_SUFFIXES):
        return "python"
    if path.endswith(TS_SUFFIXES):
        return "typescript"
    backend = backend_for(path)
    if backend is not None:
        return backend.language
    return next((name for suffix, name in OTHER_LANGUAGES.items() if path.endswith(suffix)), "unknown")


def is_source(name: str) -> bool:
    return name.endswith(_SOURCE_SUFFIXES) and not TEST_FILE.search(name)


def find_app_roots(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every app folder at or below ``paths``, with its manifest file name, sorted, unique. A
    file (as pre-commit passes them), or a folder with no app below it, stands for the app that
    contains it: the nearest folder above with a manifest, up to the repository's root."""
    found: dict[Path, str] = {}
    for start in paths:
        start = start.resolve()
        below: dict[Path, str] = {}
        if start.is_dir():
            for folder, dirs, files in _walk(start):
                manifest = _manifest_in(files)
                if manifest:
                    below.setdefault(Path(folder), manifest)
                dirs[:] = [d for d in dirs if not skipped_dir(d)]
        containing = None if below else _containing_app(start)
        if containing:
            below = dict([containing])
        for folder, manifest in below.items():
            found.setdefault(folder, manifest)
    return sorted(found.items())


def _manifest_in(files: list[str]) -> str | None:
    return next((m for m in MANIFEST_NAMES if m in files), None)


def _containing_app(path: Path) -> tuple[Path, str] | None:
    for folder in (path, *path.parents) if path.is_dir() else path.parents:
        try:
            manifest = _manifest_in(os.listdir(folder))
        except OSError:
            manifest = None
        if manifest:
            return folder, manifest
        if (folder / ".git").exists():
            return None
    return None


# Gitignore-style patterns from a config file's `exclude` and `test-paths`, each group with the
# folder its patterns are relative to (the config file's folder).
SkipPatterns = tuple[tuple[Path, tuple[str, ...]], ...]


def discover_sources(
    root: Path, manifest_name: str, other_roots: frozenset[Path], extra: tuple[Path, ...] = (), skip: SkipPatterns = ()
) -> AppSources:
    """The source files of the app at ``root``; folders in ``other_roots`` are other apps.
    ``extra`` folders (a backend kept beside the app, ``--extra-sources``) count as part of it;
    their files get paths relative to ``root`` (``../worker/index.ts``). Files and folders that
    ``skip`` matches are left out like ignored ones."""
    starts = (root, *(e.resolve() for e in extra))
    walk = _SourceWalk(root, starts, skip)
    for start in starts:
        walk.below(start, other_roots if start == root else frozenset())
    return AppSources(
        root=root,
        manifest_name=manifest_name,
        sources=tuple(sorted(set(walk.sources))),
        problems=tuple(sorted(set(walk.problems))),
        vendored_sdks=tuple(sorted(set(walk.vendored))),
        inputs=walk.inputs.frozen(),
    )


# Modules only the stripe-python package has, whatever its version (`api_requestor.py` up to 7,
# `_api_requestor.py` since 8): a folder `stripe/` with its `__init__.py` and one of them is the
# SDK, copied into the app (a serverless bundle, `pip install -t .`) or the SDK's own repository.
_PYTHON_SDK_MODULES = ("_api_requestor.py", "api_requestor.py")


def is_stripe_sdk(folder: Path) -> bool:
    """Whether ``folder`` is the stripe-python package itself. Its source is not app code: it
    calls the API through its own internals (`_request("get", "/v1/customers")`), which would
    read as raw requests of the app, and it is the largest thing a repository can vendor. (Other
    languages' dependencies live in folders already skipped: `node_modules`, `vendor`.)"""
    return folder.name == "stripe" and (folder / "__init__.py").is_file() and any(
        (folder / name).is_file() for name in _PYTHON_SDK_MODULES)


class _SourceWalk:
    """Collects the sources below each start folder. Symbolic links are never followed: one
    that points inside the app names a file linted at its real place anyway, and one that points
    outside it is reported, not read (a link must not pull in files the app does not hold)."""

    def __init__(self, root: Path, starts: tuple[Path, ...], skip: SkipPatterns = ()) -> None:
        self.root, self.starts, self.skip = root, starts, skip
        self.sources: list[str] = []
        self.problems: list[tuple[str, str]] = []
        self.vendored: list[str] = []
        self.inputs = InputLog()

    def rel(self, path: Path | str) -> str:
        # A plain prefix cut for the files below the root (almost all of them): relpath normalises
        # both paths on every call, which a walk of thousands of files feels.
        text, prefix = os.fspath(path), os.path.join(os.fspath(self.root), "")
        if text.startswith(prefix) and ".." not in text[len(prefix):].split(os.sep):
            return text[len(prefix):].replace(os.sep, "/")
        return Path(os.path.relpath(path, self.root)).as_posix()

    def below(self, start: Path, other_roots: frozenset[Path]) -> None:
        if start.is_file():
            if is_source(start.name) and not excluded(start, self.skip):
                self.sources.append(self.rel(start))
                self._listed(start.parent, os.listdir(start.parent))  # its path-alias config is read too
            return
        ignore = _GitIgnore(start, self.inputs)
        for base, patterns in self.skip:
            ignore.add(base, patterns)
        # Strings, not Paths, below here: a large repository has tens of thousands of entries.
        top, others = os.fspath(start), {os.fspath(r) for r in other_roots}
        # The path of every file below ``start`` relative to the root, by plain concatenation:
        # relpath for each of them, as an extra source outside the root needs, is the walk's
        # costliest step.
        top_rel = "" if start == self.root else self.rel(start) + "/"
        for folder, dirs, files in _walk(start, self.problems, self.rel, self.inputs):
            self._listed(folder, files)
            rel_folder = "" if folder == top else folder[len(top) + 1:].replace(os.sep, "/") + "/"
            if ".gitignore" in files and folder != top:
                ignore.load(Path(folder))
            kept = []
            for d in dirs:
                child = os.path.join(folder, d)
                if skipped_dir(d) or child in others:
                    continue
                if ignore.ignored(rel_folder + d, is_dir=True) or self._link_skipped(child, "folder"):
                    continue
                if is_stripe_sdk(Path(child)):
                    self.vendored.append(self.rel(child))
                    self.inputs.listed.append(child)  # its listing made it the SDK
                    continue
                kept.append(d)
            dirs[:] = kept
            for name in files:
                if is_source(name) and not ignore.ignored(rel_folder + name, is_dir=False):
                    if not self._link_skipped(os.path.join(folder, name), "file"):
                        self.sources.append(top_rel + rel_folder + name)

    def _listed(self, folder: Path | str, files: list[str]) -> None:
        self.inputs.listed.append(os.fspath(folder))
        self.inputs.read += [os.path.join(folder, n) for n in files if n in READ_BESIDE_SOURCES or n.startswith(MANIFEST_PREFIX)]

    def _link_skipped(self, path: str, kind: str) -> bool:
        if not os.path.islink(path):
            return False
        target = Path(os.path.realpath(path))
        self.inputs.read.append(os.fspath(path))
        self.inputs.probed.append(os.fspath(target))
        if not os.path.exists(target):
            self.problems.append((self.rel(path), "skipped: broken symbolic link"))
        elif not any(target == s or s in target.parents for s in self.starts):
            self.problems.append(
                (self.rel(path), f"skipped: symbolic link to a {kind} outside the app, not followed "
                 "(pass its target with --extra-sources if it is part of the app)")
            )
        return True


def _walk(start: Path, problems: list | None = None, rel=None, inputs: InputLog | None = None):
    """``os.walk`` that never follows directory symlinks, so a link loop cannot trap it, and
    walks in sorted order so every run sees the same files. A folder it cannot read is added to
    ``problems`` (and ``inputs``) instead of being skipped in silence."""

    def unreadable(error: OSError) -> None:
        if problems is not None and error.filename:
            problems.append((rel(Path(error.filename)), f"cannot read folder: {error.strerror or error}"))
            if inputs is not None:
                inputs.read.append(os.fspath(error.filename))

    for folder, dirs, files in os.walk(start, onerror=unreadable, followlinks=False):
        dirs.sort()
        yield folder, dirs, sorted(files)


def excluded(path: Path, skip: SkipPatterns) -> bool:
    """Whether ``skip`` matches ``path`` (absolute) or a folder above it."""
    if not skip:
        return False
    import pathspec

    for base, patterns in skip:
        try:
            inner = path.relative_to(base)
        except ValueError:
            continue
        spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        parts = inner.parts
        if any(spec.match_file("/".join(parts[:i]) + "/") for i in range(1, len(parts))):
            return True
        if parts and spec.match_file(inner.as_posix() + ("/" if path.is_dir() else "")):
            return True
    return False


class _GitIgnore:
    """``.gitignore`` files from the app root up to the repository root; nested ones are added
    by the walk as it meets them (a parent folder is always walked before its children)."""

    def __init__(self, root: Path, inputs: InputLog | None = None) -> None:
        self.top = os.fspath(root)
        self.specs: list[tuple[str, str, pathspec.GitIgnoreSpec]] = []  # folder, folder + separator, patterns
        for folder in [root, *root.parents]:
            self.load(folder)
            if inputs is not None:
                inputs.read.append(os.fspath(folder / ".gitignore"))
                inputs.probed.append(os.fspath(folder / ".git"))
            if (folder / ".git").exists():
                break

    def load(self, folder: Path) -> None:
        try:
            lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        self.add(folder, lines)

    def add(self, base: Path, lines) -> None:
        import pathspec

        folder = os.fspath(base)
        self.specs.append((folder, os.path.join(folder, ""), pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Whether ``rel`` (relative to the walk's start, with forward slashes) is ignored."""
        absolute = os.path.join(self.top, rel.replace("/", os.sep))
        for base, prefix, spec in self.specs:
            if absolute.startswith(prefix):
                inner = absolute[len(prefix):].replace(os.sep, "/")
            elif absolute == base:
                inner = "."
            else:
                continue
            if spec.match_file(inner + ("/" if is_dir else "")):
                return True
        return False
