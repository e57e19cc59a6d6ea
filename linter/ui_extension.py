"""Which files are the UI extension: the view components the manifest names and every app file
they import, however deep. That code is bundled into the Dashboard and runs as the installing
account (docs/semantics.md §6); a server in the same `src/` folder (a Next.js app with the
manifest at its root) is not.
"""

from __future__ import annotations

from collections import deque

from stripe_perm_lint.discover import TS_SUFFIXES
from stripe_perm_lint.facts import FileFacts
from stripe_perm_lint.modules import AppFiles, Aliases, resolve_module
from stripe_perm_lint.manifest import Manifest

# `stripe apps add view` puts a view's component in `src/views/<Component>.tsx`.
VIEWS_FOLDER = "src/views/"
# Where the UI extension lives when the manifest names no view that resolves to a file: the
# folders `stripe apps create` (v1) and `stripe generate app` (v2) scaffold.
UI_EXTENSION_FOLDERS = ("src/", "ui/src/")


def ui_extension_files(manifest: Manifest, files: list[FileFacts], aliases: Aliases | None = None) -> frozenset[str] | None:
    """The paths of the UI extension's files, or None when the manifest's views name no file
    here (then the folder convention decides, see ``in_ui_extension``)."""
    by_path = AppFiles((f.path, f) for f in files)
    entries = [p for c in manifest.view_components if (p := _component_file(c, by_path))]
    if not entries:
        return None
    seen, queue = set(entries), deque(entries)
    while queue:
        facts = by_path[queue.popleft()]
        for binding in facts.imports:
            target = resolve_module(facts.path, binding.module, facts.language, by_path, aliases)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
    return frozenset(seen)


def in_ui_extension(path: str, ui_files: frozenset[str] | None) -> bool:
    if ui_files is not None:
        return path in ui_files
    return path.startswith(UI_EXTENSION_FOLDERS) and path.endswith(TS_SUFFIXES)


def _component_file(component: str, by_path: dict[str, FileFacts]) -> str | None:
    base = VIEWS_FOLDER + component.strip()
    candidates = [base + suffix for suffix in TS_SUFFIXES] + [f"{base}/index{suffix}" for suffix in TS_SUFFIXES]
    return next((c for c in candidates if c in by_path), None)
