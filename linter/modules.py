"""Module resolution: which app file an import names, in each language.

TypeScript: relative specifiers, tsconfig `paths` (``Aliases``), the common `@/` / `~/` alias of a
project root, the usual suffixes and index files (``AppFiles.stems``, built once per app).
Python: relative and absolute module names rooted at any folder above the importer. Ruby:
already the exporting file (``ruby_links.ruby_bindings`` settles Rails' constant paths). Go: no
one file (a package is a folder; ``parse.go.gomod`` and ``go_links`` find it).
Used by the linker, the prefilter's cross-file step and the UI-extension reachability.
"""

from __future__ import annotations

import functools
import posixpath
from typing import Callable

from stripe_perm_lint.discover import TS_SUFFIXES
from stripe_perm_lint.facts import FileFacts

# Where a bare specifier may point (tsconfig `paths` / `baseUrl`): (importer, module) -> bases.
Aliases = Callable[[str, str], list[str]]


def resolve_module(
    importer: str, module: str, language: str, by_path: dict[str, FileFacts], aliases: Aliases | None = None
) -> str | None:
    """The app file an import names, or None (a package, or a file outside the app)."""
    if language == "python":
        return _resolve_python(importer, module, by_path)
    if language in ("ruby", "php", "java"):  # already the app file (``ruby_links``, ``php_links``, ``java_links``)
        return module if module in by_path else None
    if language == "go":  # a package is a folder of files, which the linker reads (``go_links``)
        return None
    if module.startswith("."):
        bases = [posixpath.normpath(posixpath.join(posixpath.dirname(importer), module))]
    else:
        bases = list(aliases(importer, module)) if aliases else []
    for base in bases:
        found = _resolve_ts_base(base, by_path)
        if found is not None:
            return found
    if module.startswith(("@/", "~/")):  # the common `@/*` alias, when no config says more
        rest = module[2:]
        if isinstance(by_path, AppFiles) and _plain(rest):
            return by_path.stems.under_a_root(importer, rest)
        return next(filter(None, (_resolve_ts_base(b, by_path) for b in _project_root_bases(importer, rest))), None)
    return None


def _plain(rest: str) -> bool:
    """A relative module path with nothing to normalise and no extension (`lib/stripe`)."""
    segments = rest.split("/")
    return all(s not in ("", ".", "..") for s in segments) and "." not in segments[-1]


def _project_root_bases(importer: str, rest: str) -> list[str]:
    """Where `@/rest` may live when no tsconfig maps `@/*`: under `src/` or at the top of the
    project root, which is the app folder or, in a monorepo whose tsconfig is not in the app
    (`apps/web/...` passed as a backend), one of the importer's folders. Shallowest first: the
    alias points at a project root, never at a folder beside the importer."""
    return [posixpath.join(f, sub, rest) for f in _root_folders(importer) for sub in ("src", "")]


def _root_folders(importer: str) -> list[str]:
    """The folders a project root may be for ``importer``: the app folder (""), then the
    importer's own folders, shallowest first."""
    return list(_folder_ranks(posixpath.dirname(importer)))


@functools.lru_cache(maxsize=4096)
def _folder_ranks(folder: str) -> dict[str, int]:
    """``_root_folders`` of a file in ``folder``, each with its place (every file of a folder
    shares them, and a large app asks for them thousands of times)."""
    folders = [""]
    while folder:
        folders.insert(1, folder)
        folder = posixpath.dirname(folder)
    return {f: i for i, f in enumerate(folders)}


def _resolve_ts_base(base: str, by_path: dict[str, FileFacts]) -> str | None:
    """The file a TypeScript import base names: itself, `base.ts` (and the other suffixes, in
    ``TS_SUFFIXES`` order; `x.js` may mean `x.ts`), or `base/index.ts`."""
    base = posixpath.normpath(base)
    stem, ext = posixpath.splitext(base)
    esm = ext in (".js", ".jsx", ".mjs", ".cjs")  # TS ESM style: `import './x.js'` means x.ts
    if not isinstance(by_path, AppFiles):  # a plain mapping: try each candidate
        candidates = [base, *(stem + e for e in TS_SUFFIXES if esm), *(base + e for e in TS_SUFFIXES),
                      *(f"{base}/index{e}" for e in TS_SUFFIXES)]
        return next((c for c in candidates if c in by_path), None)
    if base in by_path:
        return base
    found = by_path.stems.suffixed.get(stem) if esm else None
    return found or by_path.stems.suffixed.get(base) or by_path.stems.indexed.get(base)


class _Stems:
    """For each module base, the file it resolves to: `base` + the first of ``TS_SUFFIXES``
    present, and `base/index` + the first present."""

    def __init__(self, paths) -> None:
        self.suffixed: dict[str, str] = {}
        self.indexed: dict[str, str] = {}
        rank = {suffix: i for i, suffix in enumerate(TS_SUFFIXES)}
        for path in sorted(paths, key=lambda p: rank.get(posixpath.splitext(p)[1], len(rank))):
            stem, suffix = posixpath.splitext(path)
            if suffix not in rank:
                continue
            self.suffixed.setdefault(stem, path)
            folder, name = posixpath.split(stem)
            if name == "index":
                self.indexed.setdefault(folder, path)
        # Every base either table resolves, by its last segment (`@/lib/stripe` -> `stripe`).
        self.by_last: dict[str, list[str]] = {}
        for base in sorted(set(self.suffixed) | set(self.indexed)):
            self.by_last.setdefault(base.rsplit("/", 1)[-1], []).append(base)

    def under_a_root(self, importer: str, rest: str) -> str | None:
        """What `_project_root_bases` finds first for a plain `rest`, without trying each base:
        the bases that end with `rest`, ranked by how shallow their root folder is (`src/` before
        the folder itself), among the root and the importer's folders."""
        rank = _folder_ranks(posixpath.dirname(importer))
        best: tuple[tuple[int, int], str] | None = None
        for base in self.by_last.get(rest.rsplit("/", 1)[-1], ()):
            if base != rest and not base.endswith("/" + rest):
                continue
            root = base[: -len(rest)].rstrip("/")  # `apps/web/src` for `apps/web/src/lib/stripe`
            readings = [(root, 1)]  # (the root folder, 0 when the base is under its `src/`)
            if root == "src" or root.endswith("/src"):
                readings.append((root[:-3].rstrip("/"), 0))
            for folder, sub in readings:
                if folder in rank and (best is None or (rank[folder], sub) < best[0]):
                    best = ((rank[folder], sub), base)
        if best is None:
            return None
        return self.suffixed.get(best[1]) or self.indexed.get(best[1])


class AppFiles(dict):
    """An app's facts by path, with the suffix index module resolution reads (built once: a
    large app resolves thousands of imports, each trying every suffix and index file)."""

    @functools.cached_property
    def stems(self) -> _Stems:
        return _Stems(self)


def _resolve_python(importer: str, module: str, by_path: dict[str, FileFacts]) -> str | None:
    if module.startswith("."):
        dots = len(module) - len(module.lstrip("."))
        folder = posixpath.dirname(importer)
        for _ in range(dots - 1):
            folder = posixpath.dirname(folder)
        rest = module[dots:].replace(".", "/")
        bases = [posixpath.join(folder, rest) if rest else folder]
    else:
        # An absolute import may be rooted at any folder above the importer (a backend folder
        # with its own package root is common): try the nearest first.
        rest = module.replace(".", "/")
        folder = posixpath.dirname(importer)
        bases = []
        while True:
            bases.append(posixpath.join(folder, rest) if folder else rest)
            if not folder:
                break
            folder = posixpath.dirname(folder)
    for base in bases:
        base = posixpath.normpath(base)
        for candidate in (base + ".py", base + "/__init__.py"):
            if candidate in by_path:
                return candidate
    return None
