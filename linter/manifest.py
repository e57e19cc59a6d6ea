"""Read ``stripe-app.json`` (v1) and ``stripe-app.yaml`` (v2) into a ``Manifest`` with the
position of every declared permission, so findings can point at the entry they are about."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stripe_perm_lint.finding import Location
from stripe_perm_lint.jsonpos import JsonError, parse_json
from stripe_perm_lint.manifest_schema import check_structure

# In order of preference: when a folder holds more than one, the first is linted and the others
# are reported (SPL005). Which one Stripe's CLI reads then is not documented; JSON is the older,
# more common format.
MANIFEST_NAMES = ("stripe-app.json", "stripe-app.yaml", "stripe-app.yml")
# Where the permission list lives: v1 keeps it top level, v2 under declarations.
PERMISSION_PATHS = (("permissions",), ("declarations", "stripe_api_access", "permissions"))
# Real manifests are a few kilobytes; anything this large is not one, and is not parsed.
MAX_MANIFEST_BYTES = 1024 * 1024
# Local overlays (`stripe-app.dev.json` with `"extends": "stripe-app.json"`) read beside the
# manifest, at most this many (a folder of hundreds is not a Stripe App).
OVERLAY_PREFIX, OVERLAY_SUFFIX, MAX_OVERLAYS = "stripe-app.", ".json", 20


@dataclass(frozen=True)
class DeclaredPermission:
    name: str
    location: Location
    purpose: str | None = None
    purpose_location: Location | None = None  # where the purpose text starts


@dataclass(frozen=True)
class ManifestProblem:
    message: str
    location: Location


@dataclass(frozen=True)
class Manifest:
    path: str  # relative to the app root
    permissions: tuple[DeclaredPermission, ...] = ()
    problems: tuple[ManifestProblem, ...] = ()
    app_id: str | None = None
    # `platform` (default), `oauth` or `restricted_api_key`: how the backend authenticates.
    api_access_type: str = "platform"
    # True when the file could not be parsed: then nothing is known about what it declares, and
    # permission diffs (missing / unused) are not computed for the app.
    unparsed: bool = False
    # Other manifest files beside this one, which this run does not read (see ``MANIFEST_NAMES``).
    ignored: tuple[str, ...] = ()
    # `ui_extension.views[].component`: the UI extension's entry points (docs/semantics.md §6).
    view_components: tuple[str, ...] = ()
    # Where the file breaks Stripe's manifest schema (SPL006); see ``manifest_schema``.
    structure: tuple[ManifestProblem, ...] = ()
    # The `stripe-app.*.json` overlays beside the manifest, each read like a manifest (SPL008).
    overlays: tuple["Manifest", ...] = ()

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.permissions)


def read_manifest(root: Path, name: str) -> Manifest:
    """Parse the manifest ``name`` inside ``root``. Never raises for bad content."""
    manifest = _read(root, name)
    ignored = tuple(other for other in MANIFEST_NAMES if other != name and (root / other).is_file())
    overlays = tuple(_read(root, overlay) for overlay in overlay_names(root))
    return dataclasses.replace(manifest, ignored=ignored, overlays=overlays) if ignored or overlays else manifest


def overlay_names(root: Path) -> list[str]:
    """The `stripe-app.<name>.json` files in ``root``, sorted (an unreadable folder has none)."""
    try:
        names = os.listdir(root)
    except OSError:
        return []
    overlays = sorted(
        n for n in names
        if n.startswith(OVERLAY_PREFIX) and n.endswith(OVERLAY_SUFFIX) and n not in MANIFEST_NAMES
        and len(n) > len(OVERLAY_PREFIX) + len(OVERLAY_SUFFIX)
    )
    return overlays[:MAX_OVERLAYS]


def _read(root: Path, name: str) -> Manifest:
    path = root / name
    try:
        if not path.is_file():
            return _broken(name, "the manifest is not a regular file", 0, 0)
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return _broken(name, f"the manifest is larger than {MAX_MANIFEST_BYTES // 1024} KiB, so it is not read", 0, 0)
        data = path.read_bytes()
    except OSError as exc:
        return _broken(name, f"cannot read the manifest: {exc.strerror or exc}", 0, 0)
    return manifest_from_bytes(name, data)


def manifest_from_bytes(name: str, data: bytes) -> Manifest:
    """Parse manifest content read elsewhere (a file, or ``git show REF:path``). Never raises."""
    if len(data) > MAX_MANIFEST_BYTES:
        return _broken(name, f"the manifest is larger than {MAX_MANIFEST_BYTES // 1024} KiB, so it is not read", 0, 0)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _broken(name, "the manifest is UTF-16; Stripe reads manifests as UTF-8", 1, 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _broken(name, f"the manifest is not UTF-8 (byte {exc.start})", 1, 1)
    if not text.strip():
        return _broken(name, "the manifest is empty", 1, 1)
    if name.endswith(".json"):
        return _from_json(name, text)
    return _from_yaml(name, text)


def _broken(name: str, message: str, line: int, column: int) -> Manifest:
    return Manifest(path=name, problems=(ManifestProblem(message, Location(name, line, column)),), unparsed=True)


def _from_json(name: str, text: str) -> Manifest:
    try:
        parsed = parse_json(text)
    except JsonError as exc:
        return _broken(name, f"invalid JSON: {exc.message}", exc.line, exc.column)

    def position(path: tuple) -> Location:
        line, column = parsed.positions.get(path, (1, 1))
        return Location(name, line, column)

    locate = _locator(name, parsed.positions, parsed.key_positions)
    repeats = tuple(
        ManifestProblem(f"duplicate key `{key}`: only its last value counts, the earlier one is ignored", Location(name, *at))
        for key, at in parsed.duplicates
    )
    manifest = _with_structure(_build(name, parsed.value, position), parsed.value, locate)
    return dataclasses.replace(manifest, problems=repeats + manifest.problems) if repeats else manifest


def _from_yaml(name: str, text: str) -> Manifest:
    # PyYAML is imported only for a YAML manifest: most apps have stripe-app.json.
    import yaml

    from stripe_perm_lint.yamlsafe import load_bounded

    try:
        value, node = load_bounded(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return _broken(name, f"invalid YAML: {exc.problem or exc.context}", line, column)
    except yaml.YAMLError as exc:
        return _broken(name, f"invalid YAML: {exc}", 1, 1)
    positions: dict[tuple, tuple[int, int]] = {}
    key_positions: dict[tuple, tuple[int, int]] = {}
    _yaml_positions(node, (), positions, key_positions)

    def position(path: tuple) -> Location:
        line, column = positions.get(path, (1, 1))
        return Location(name, line, column)

    return _with_structure(_build(name, value, position), value, _locator(name, positions, key_positions))


def _yaml_positions(node: Any, path: tuple, out: dict, keys: dict) -> None:
    import yaml

    if node is None:
        return
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, val in node.value:
            keys[path + (key.value,)] = (key.start_mark.line + 1, key.start_mark.column + 1)
            _yaml_positions(val, path + (key.value,), out, keys)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _yaml_positions(item, path + (index,), out, keys)


def _build(name: str, value: Any, position) -> Manifest:
    problems: list[ManifestProblem] = []
    if not isinstance(value, dict):
        return _broken(name, "the manifest must be an object", 1, 1)
    app_id = value.get("id") if isinstance(value.get("id"), str) else None
    declared: list[DeclaredPermission] = []
    for key_path in PERMISSION_PATHS:
        entries = _dig(value, key_path)
        if entries is None:
            continue
        if not isinstance(entries, list):
            problems.append(ManifestProblem(f"`{'.'.join(key_path)}` must be a list", position(key_path)))
            continue
        for index, entry in enumerate(entries):
            declared.extend(_entry(entry, key_path + (index,), position, problems))
    access = value.get("stripe_api_access_type")
    views = _dig(value, ("ui_extension", "views"))
    components = [v.get("component") for v in views if isinstance(v, dict)] if isinstance(views, list) else []
    return Manifest(
        path=name,
        permissions=tuple(declared),
        problems=tuple(problems),
        app_id=app_id,
        view_components=tuple(sorted({c for c in components if isinstance(c, str) and c.strip()})),
        api_access_type=access if isinstance(access, str) else "platform",
    )


def _locator(name: str, values: dict, keys: dict):
    """Where a schema error at a path points: the key naming the value, else the value, else
    the nearest enclosing value (a path through a key the parser does not record)."""

    def locate(path: tuple) -> Location:
        for depth in range(len(path), -1, -1):
            at = keys.get(path[:depth]) or values.get(path[:depth])
            if at:
                return Location(name, *at)
        return Location(name, 1, 1)

    return locate


def _with_structure(manifest: Manifest, value: Any, locate) -> Manifest:
    """``manifest`` with its schema errors (see ``manifest_schema``)."""
    if manifest.unparsed:
        return manifest
    kind = "v2" if not manifest.path.endswith(".json") else "v1" if manifest.path in MANIFEST_NAMES else "overlay"
    found = tuple(ManifestProblem(error.message, locate(error.path)) for error in check_structure(value, kind))
    return dataclasses.replace(manifest, structure=found) if found else manifest


def _dig(value: Any, path: tuple) -> Any:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _entry(entry: Any, path: tuple, position, problems: list) -> list[DeclaredPermission]:
    if isinstance(entry, str):  # tolerated shorthand: a bare name
        return [DeclaredPermission(entry, position(path))]
    if isinstance(entry, dict) and isinstance(entry.get("permission"), str):
        purpose = entry.get("purpose")
        return [
            DeclaredPermission(
                entry["permission"],
                position(path + ("permission",)),
                purpose if isinstance(purpose, str) else None,
                position(path + ("purpose",)) if isinstance(purpose, str) else None,
            )
        ]
    problems.append(ManifestProblem("a permissions entry needs a `permission` name", position(path)))
    return []
