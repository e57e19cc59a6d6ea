"""Config files: ``[tool.stripe-perm-lint]`` in ``pyproject.toml``, or ``stripe-perm-lint.toml`` /
``.stripe-perm-lint.toml`` with the same keys at top level.

Each app uses the nearest config file found walking up from its folder, stopping at the
repository root (the folder holding ``.git``); ``--config FILE`` forces one file for every app.
A ``pyproject.toml`` without the table is passed over, as ruff does. Paths and patterns in a file
are relative to the folder holding it. Every value is checked here, so a wrong type, an unknown
key or an unknown rule stops the run with ``path: key: what is wrong`` (exit 2) before any app
is linted (the checks are in ``stripe_perm_lint.config_keys``). How a file's values and the command line's flags combine into an app's ``Options`` is
``stripe_perm_lint.settings``.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stripe_perm_lint.app import KeptPermission
from stripe_perm_lint.config_keys import KEYS, kind_of
from stripe_perm_lint.selection import Selection

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Searched in this order in each folder, as ruff searches `.ruff.toml`, `ruff.toml`, `pyproject.toml`.
CONFIG_NAMES = (".stripe-perm-lint.toml", "stripe-perm-lint.toml", "pyproject.toml")
TOOL_TABLE = "stripe-perm-lint"
MAX_CONFIG_BYTES = 1024 * 1024


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line, `path: key: what is wrong`."""


@dataclass(frozen=True)
class Settings:
    """What one config file (or the command line) sets; ``None`` where it sets nothing."""

    origin: Path | None  # the config file; None for the command line
    base: Path  # the folder relative paths start from (absolute)
    selection: Selection = Selection()
    exclude: tuple[str, ...] | None = None
    # One list for every app, or a table from an app folder to its list.
    extra_sources: tuple[str, ...] | dict[str, tuple[str, ...]] | None = None
    test_paths: tuple[str, ...] | None = None
    platform_calls: str | None = None
    older_implications: bool | None = None
    own_account_webhooks: tuple[str, ...] | None = None
    keep: tuple[KeptPermission, ...] | None = None


def shown(path: Path) -> str:
    """A path as messages name it: relative to the current folder when it is below it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def find_config(app_root: Path) -> Path | None:
    """The nearest config file at or above ``app_root``, up to the repository root."""
    for folder in (app_root, *app_root.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _tool_table(candidate) is not None):
                return candidate
        if (folder / ".git").exists():
            return None
    return None


class ConfigLoader:
    """Reads each config file once, however many apps share it."""

    def __init__(self, forced: Path | None = None) -> None:
        self.forced = forced.resolve() if forced else None
        self.cache: dict[Path, Settings] = {}

    def for_app(self, app_root: Path) -> Settings | None:
        path = self.forced or find_config(app_root)
        if path is None:
            return None
        if path not in self.cache:
            self.cache[path] = load_settings(path)
        return self.cache[path]


def load_settings(path: Path) -> Settings:
    table = _read_toml(path) if path.name != "pyproject.toml" else _tool_table(path)
    if table is None:
        raise ConfigError(f"{shown(path)}: no [tool.{TOOL_TABLE}] table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{shown(path)}: {key}: unknown key (known keys: {known})")
        field, check = KEYS[key]
        try:
            values[field] = check(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{shown(path)}: {key}: {exc}") from None
    selection = Selection(values.pop("select", None), values.pop("extend_select", None), values.pop("ignore", None))
    if values.get("keep"):
        values["keep"] = _with_lines(path, values["keep"])
    return Settings(origin=path, base=path.parent, selection=selection, **values)


def _with_lines(path: Path, kept: tuple[KeptPermission, ...]) -> tuple[KeptPermission, ...]:
    """Each kept permission with the first line naming it (TOML readers give no positions; the
    file was just parsed, so its text is known to be valid UTF-8 TOML)."""
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(name: str) -> int:
        return next((n for n, text in enumerate(lines, 1) if _names(text, name)), 0)

    return tuple(dataclasses.replace(k, line=line_of(k.permission)) for k in kept)


def _names(line: str, name: str) -> bool:
    """Whether ``line`` holds ``name`` as a whole word (`customer_read`, not `customer_read_x`)."""
    start = line.find(name)
    while start != -1:
        before, after = line[start - 1:start], line[start + len(name):start + len(name) + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = line.find(name, start + 1)
    return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{shown(path)}: larger than 1 MiB, not read")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown(path)}: not valid UTF-8 (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown(path)}: invalid TOML: {exc}") from None


def _tool_table(path: Path) -> dict[str, Any] | None:
    tool = _read_toml(path).get("tool")
    table = tool.get(TOOL_TABLE) if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{shown(path)}: tool.{TOOL_TABLE}: expected a table, got {kind_of(table)}")
    return table
