"""Which folder of the app a Go import path names: the `module` line of each `go.mod` in the app
(``find_go_modules``, read by the app loader as it reads tsconfig aliases, and handed to the
linker as plain data), and the mapping of an import under that module path to a folder
(``package_folder``).

`import "github.com/acme/billing/internal/stripex"` in a module declared
`module github.com/acme/billing` by `backend/go.mod` names the folder `backend/internal/stripex`.
An import under no module path of the app (a third-party or vendored package) names none.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

GO_MOD = "go.mod"
MAX_GO_MOD_BYTES = 1024 * 1024  # a go.mod is a few kilobytes; a larger file is not one worth reading

# folder of a go.mod (relative to the app root, "" for the root) -> the module path it declares
GoModules = dict[str, str]


def module_path(text: str) -> str | None:
    """The module path of a go.mod's `module` line (`module github.com/acme/billing`, maybe quoted,
    maybe followed by a `//` comment); None when there is none. The rest of the file (require,
    replace, go) says nothing about where the module's own packages are."""
    for line in text.splitlines():
        words = line.split("//", 1)[0].split()
        if len(words) == 2 and words[0] == "module":
            path = words[1].strip('"`')
            return path or None
    return None


def find_go_modules(root: Path, sources, tops: tuple[str, ...] = ("",)) -> GoModules:
    """The modules of every go.mod in a folder of a Go source or above one, up to the top of the
    folder it was found in: the app root (""), or an extra source folder beside it
    (`../backend`, as ``tops`` names it), so that only folders the walk lists are read. An
    unreadable go.mod is skipped: the imports it would resolve stay untraced."""
    folders: set[str] = set()
    for rel in sources:
        if not rel.endswith(".go"):
            continue
        folder = posixpath.dirname(rel)
        while _within(folder, tops) and folder not in folders:
            folders.add(folder)
            if not folder:
                break
            folder = posixpath.dirname(folder)
    found: GoModules = {}
    for folder in sorted(folders):
        path = root / folder / GO_MOD
        try:
            if not path.is_file() or path.stat().st_size > MAX_GO_MOD_BYTES:
                continue
            module = module_path(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if module:
            found[folder] = module
    return found


def _within(folder: str, tops: tuple[str, ...]) -> bool:
    return any(folder == top or folder.startswith(top + "/") if top else not folder.startswith("..") for top in tops)


def package_folder(importer: str, import_path: str, modules: GoModules) -> str | None:
    """The app folder an import of the file ``importer`` names, by the nearest go.mod above the
    file (Go's own rule: a file belongs to the innermost module); None when the import is not
    under that module's path."""
    folder = posixpath.dirname(importer)
    while True:
        module = modules.get(folder)
        if module is not None:
            if import_path == module:
                return folder
            if import_path.startswith(module + "/"):
                return posixpath.join(folder, import_path[len(module) + 1:]) if folder else import_path[len(module) + 1:]
            return None
        if not folder:
            return None
        folder = posixpath.dirname(folder)
