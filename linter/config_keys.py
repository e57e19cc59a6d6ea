"""The keys a config file may hold, each with the check that turns its TOML value into what
``stripe_perm_lint.config.Settings`` stores. A check raises ``TypeError`` / ``ValueError`` with the
part of the message after `path: key: `."""

from __future__ import annotations

from typing import Any, Callable

from stripe_perm_lint.app import KeptPermission
from stripe_perm_lint.selection import UnknownSelector, check_selectors


def kind_of(value: Any) -> str:
    """How an error names a TOML value's type: "a string", "an array"..."""
    names = {bool: "a boolean", str: "a string", int: "an integer", float: "a float", list: "an array", dict: "a table"}
    return names.get(type(value), f"a {type(value).__name__}")


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        got = kind_of(value) if not isinstance(value, list) else "an array holding " + kind_of(
            next(item for item in value if not isinstance(item, str)))
        raise TypeError(f"expected an array of strings, got {got}")
    return tuple(value)


def _selectors(value: Any) -> tuple[str, ...]:
    selectors = _strings(value)
    try:
        check_selectors(selectors)
    except UnknownSelector as exc:
        raise ValueError(str(exc)) from None
    return selectors


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {kind_of(value)}")
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(repr(a) for a in allowed)}, got {value!r}")
        return value

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {kind_of(value)}")
    return value


def _extra_sources(value: Any) -> tuple[str, ...] | dict[str, tuple[str, ...]]:
    if isinstance(value, dict):
        out = {}
        for app, paths in value.items():
            try:
                out[app] = _strings(paths)
            except TypeError as exc:
                raise TypeError(f"{app!r}: {exc}") from None
        return out
    if isinstance(value, list):
        return _strings(value)
    raise TypeError(f"expected an array of paths or a table from app folder to paths, got {kind_of(value)}")


def _keep(value: Any) -> tuple[KeptPermission, ...]:
    """``keep = {customer_read = "why"}`` (also written as a `[keep]` table) or
    ``keep = [{permission = "customer_read", reason = "why"}]``."""
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        pairs = []
        for item in value:
            if not isinstance(item, dict) or set(item) - {"permission", "reason"} or "permission" not in item:
                raise TypeError("expected tables with `permission` and `reason`, as {permission = \"x_read\", "
                                "reason = \"...\"}")
            pairs.append((item["permission"], item.get("reason", "")))
    else:
        raise TypeError(f"expected a table from permission to reason, or an array of tables, got {kind_of(value)}")
    kept = []
    for permission, reason in pairs:
        if not isinstance(permission, str) or not isinstance(reason, str):
            raise TypeError(f"{permission!r}: expected a permission name and a reason, both strings")
        if not reason.strip():
            raise ValueError(f"`{permission}`: the reason is empty; say why it is kept (what uses it)")
        if any(k.permission == permission for k in kept):
            raise ValueError(f"`{permission}` is kept twice")
        kept.append(KeptPermission(permission, reason.strip()))
    return tuple(sorted(kept, key=lambda k: k.permission))


# key -> (Settings field, checker); the keys are kebab-case like ruff's.
KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "select": ("select", _selectors),
    "extend-select": ("extend_select", _selectors),
    "ignore": ("ignore", _selectors),
    "exclude": ("exclude", _strings),
    "extra-sources": ("extra_sources", _extra_sources),
    "test-paths": ("test_paths", _strings),
    "platform-calls": ("platform_calls", _choice("info", "count")),
    "older-implications": ("older_implications", _boolean),
    "own-account-webhooks": ("own_account_webhooks", _strings),
    "keep": ("keep", _keep),
}
