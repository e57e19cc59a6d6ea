"""One app's ``Options`` from the defaults, its config file's ``Settings`` and the command line's.

The command line wins where it sets a value (``--platform-calls``, ``--extra-sources``...);
rule selection goes through both layers in order (``stripe_perm_lint.selection``). Paths from a
config file are relative to its folder and become relative to the app here, so the rest of the
linter never needs to know where a value came from.
"""

from __future__ import annotations

import os
from pathlib import Path

from stripe_perm_lint.app import Options
from stripe_perm_lint.config import ConfigError, Settings, shown
from stripe_perm_lint.discover import language_of
from stripe_perm_lint.selection import selected_codes


def options_for(root: Path, file: Settings | None, cli: Settings) -> Options:
    """The options of the app at ``root`` (absolute)."""
    layers = [s for s in (file, cli) if s is not None]

    def last(name: str):
        return next((getattr(s, name) for s in reversed(layers) if getattr(s, name) is not None), None)

    platform_calls, older = last("platform_calls"), last("older_implications")
    skip = ()
    if file is not None and (file.exclude or file.test_paths):
        skip = ((file.base, (*(file.exclude or ()), *(file.test_paths or ()))),)
    return Options(
        platform_calls=platform_calls or "info",
        include_older_edition=True if older is None else older,
        extra_sources=_extra_sources(root, next((s for s in reversed(layers) if s.extra_sources is not None), None)),
        selected=selected_codes(s.selection for s in layers),
        skip_patterns=skip,
        own_account_webhooks=tuple(_app_relative(root, file.base, e) for e in (file.own_account_webhooks or ()))
        if file is not None else (),
        keep=(file.keep or ()) if file is not None else (),
        config_file=file.origin if file is not None else None,
    )


def _extra_sources(root: Path, settings: Settings | None) -> tuple[Path, ...]:
    """The extra source folders of the app at ``root``: the list for every app, or its own entry
    of the table keyed by app folder. Each must exist."""
    if settings is None:
        return ()
    entries = settings.extra_sources
    if isinstance(entries, dict):
        for app in entries:
            _must_exist(settings, settings.base / app, f"{app!r}")
        mine = [paths for app, paths in entries.items() if (settings.base / app).resolve() == root]
        entries = mine[0] if mine else ()
    out = []
    for entry in entries or ():
        path = settings.base / entry
        _must_exist(settings, path, entry)
        out.append(path)
    return tuple(out)


def _must_exist(settings: Settings, path: Path, named: str) -> None:
    if not path.exists():
        where = shown(settings.origin) if settings.origin else "--extra-sources"
        raise ConfigError(f"{where}: extra-sources: {named}: no such file or directory")


def _app_relative(root: Path, base: Path, entry: str) -> str:
    """An ``own-account-webhooks`` entry with its file part made relative to the app: a source
    file or folder (``backend/billing.py``), or an endpoint id (``backend/app.py:billing_webhook``).
    Route paths (``/api/webhooks/billing``) and handler names stay as written."""
    if entry.startswith("/"):
        return entry
    file, colon, function = entry.partition(":")
    if not colon and "/" not in file and language_of(file) == "unknown":
        return entry  # a handler name
    relative = Path(os.path.relpath(base / file, root)).as_posix() + ("/" if file.endswith("/") else "")
    return f"{relative}{colon}{function}"
