"""Check a manifest's structure against Stripe's own JSON Schemas (vendored, unchanged, in
``data/manifest-schema``), and explain each violation in a sentence a user understands.

The published schemas lag what Stripe's tooling writes and accepts (stripe-apps-domain.md §4.2),
so they are adjusted when loaded; every adjustment is in ``_adjust_v1`` / ``_v2_schema`` with its
reason. Only the structure is checked here: permission *names* are SPL002's (from the catalog, since
the schema's enum lags the permissions page) and purpose *text* is SPL007's.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from stripe_perm_lint.schema_verdict import Verdict, verdict

if TYPE_CHECKING:  # jsonschema and PyYAML are imported when a manifest is checked (see _validator)
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_FOLDER = "data/manifest-schema"

# Keys the schema lacks but Stripe's CLI writes into manifests, or Stripe's own examples carry
# (`app_backend` until 2023, `connect_permissions`, `"extensions": null`): reporting them would
# flag half of all public apps for something Stripe accepts.
TOOLING_KEYS = ("app_backend", "connect_permissions", "extensions")
# The schema's icon pattern wants `./` first and no dot before `.png`, but Stripe's own examples
# use `brand_icon.png`. Accepted: empty, or a relative path ending in `.png` (not a URL, not `/…`).
ICON_PATTERN = r"^$|^(?!/)(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^:]*\.[pP][nN][gG]$"

# What a value must look like, per key, in words instead of a regular expression.
PATTERN_HINTS = {
    "id": "may only hold letters, digits, `_`, `-` and `.`",
    "interface_id": "may only hold letters, digits, `_`, `-` and `.`",
    "icon": "must be empty or the relative path of a PNG file in the app, such as `./icon.png`",
    "component": "must be the name of a view component: letters, digits and `_` only",
    "connect-src": "must be an http(s) URL with a path after the host, such as `https://api.example.com/v1/`",
    "allowed_redirect_uris": "must be an http(s) URL with a path after the host, such as `https://example.com/installed`",
    "image-src": "must be an http(s) URL",
    "url": "must start with `https://` or `http://`",
    "extends": "must name the base manifest, such as `stripe-app.json`",
    "version": "must be a semantic version such as `1.0.0`",
}
# How an enum's allowed values are named when the list is too long to print.
ENUM_NOUNS = {"viewport": "a known viewport"}
TYPE_WORDS = {
    "string": "a string",
    "array": "a list",
    "object": "an object",
    "null": "null",
    "boolean": "`true` or `false`",
    "number": "a number",
    "integer": "a whole number",
}


@dataclass(frozen=True, order=True)
class SchemaError:
    # Keys and indexes from the document's root; the finding points at the key naming the value
    # there (the value itself for a list item or the root).
    path: tuple
    message: str


def check_structure(document: Any, kind: str) -> list[SchemaError]:
    """Every structure error of ``document``; ``kind`` is ``v1`` (stripe-app.json), ``v2``
    (stripe-app.yaml) or ``overlay`` (stripe-app.*.json). Sorted, without repeats."""
    if verdict(document, _schema(kind), _documents()) is Verdict.VALID:
        return []  # most manifests: no need to load jsonschema (see schema_verdict)
    errors: set[SchemaError] = set()
    mistyped: set[tuple] = set()
    for error in _validator(kind).iter_errors(document):
        errors.update(_explain(error))
        if error.validator == "type":
            mistyped.add(tuple(error.absolute_path))
    # A value of the wrong type gets that one message, not also "not one of" / "does not match".
    kept = (e for e in errors if e.path not in mistyped or e.message.startswith(f"`{dotted(e.path)}` must be "))
    return sorted(kept, key=lambda e: ([str(p) for p in e.path], e.message))


def _explain(error: ValidationError) -> Iterator[SchemaError]:
    path = tuple(error.absolute_path)
    where = dotted(path)
    kind, instance, expected = error.validator, error.instance, error.validator_value
    if kind in ("oneOf", "anyOf") and error.context:
        yield from _explain_alternatives(error, path)
    elif kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extras = sorted(set(instance) - set(known), key=str)
        missing = [k for k in error.schema.get("required", []) if k not in instance]
        for key in extras:
            hint = _did_you_mean(str(key), known)
            if not hint and len(extras) == len(missing) == 1:  # `description` written for `purpose`
                hint = f"; did you mean `{missing[0]}`?"
            owner = f"`{where}`" if where else "the manifest"
            yield SchemaError(path + (key,), f"`{dotted(path + (key,))}` is not a key {owner} can have{hint}")
    elif kind == "required":
        owner = f"`{where}`" if where else "the manifest"
        missing = [f"`{key}`" for key in expected if key not in instance]
        listed = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
        yield SchemaError(path, f"{owner} lacks {listed}, required by Stripe's schema")
    elif kind == "type":
        types = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in types)
        yield SchemaError(path, f"`{where}` must be {wanted}, not {_kind_of(instance)}")
    elif kind in ("enum", "const"):
        allowed = [str(v) for v in (expected if kind == "enum" else [expected])]
        field = _field(path)
        noun = ENUM_NOUNS.get(field) or "one of " + ", ".join(f"`{v}`" for v in allowed)
        hint = _did_you_mean(str(instance), allowed)
        yield SchemaError(path, f"`{where}`: {_show(instance)} is not {noun}{hint}")
    elif kind == "pattern":
        hint = PATTERN_HINTS.get(_field(path), f"does not match the pattern `{expected}` of Stripe's schema")
        yield SchemaError(path, f"`{where}`: {_show(instance)} {hint}")
    elif kind == "minLength":
        yield SchemaError(path, f"`{where}` must not be empty")
    elif kind != "format":  # formats are not checked (the URL patterns already are)
        yield SchemaError(path, f"`{where or 'the manifest'}`: {error.message}")


def _explain_alternatives(error: ValidationError, path: tuple) -> Iterator[SchemaError]:
    """A value that fits none of a `oneOf`'s shapes (`post_install_action`): explain the shape
    the user evidently meant, the one whose type and discriminating value (`type: settings`)
    match, rather than jsonschema's generic "is not valid under any of the given schemas"."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    same_type = [errs for errs in branches.values() if not any(_wrong_type_here(e, path) for e in errs)]
    if not same_type:
        from jsonschema.exceptions import best_match

        yield from _explain(best_match(error.context))
        return
    meant = [errs for errs in same_type if not any(_choices(e) for e in errs)]
    if meant:
        for sub in min(meant, key=len):
            yield from _explain(sub)
        return
    # No shape's discriminator matched: list every allowed value of it, from all the shapes.
    wrong = [e for errs in same_type for e in errs if _choices(e)]
    deepest = max(wrong, key=lambda e: len(e.absolute_path))
    allowed = sorted({v for e in wrong if e.absolute_path == deepest.absolute_path for v in _choices(e)})
    where = dotted(tuple(deepest.absolute_path))
    hint = _did_you_mean(str(deepest.instance), allowed)
    yield SchemaError(tuple(deepest.absolute_path), f"`{where}`: {_show(deepest.instance)} is not one of "
                      + ", ".join(f"`{v}`" for v in allowed) + hint)


def _wrong_type_here(error: ValidationError, path: tuple) -> bool:
    return error.validator == "type" and tuple(error.absolute_path) == path


def _choices(error: ValidationError) -> list[str]:
    """The allowed values, when ``error`` is only about a value outside a fixed set."""
    if error.validator == "enum":
        return [str(v) for v in error.validator_value]
    if error.validator == "const":
        return [str(error.validator_value)]
    if error.validator in ("oneOf", "anyOf") and error.context:
        nested = [_choices(e) for e in error.context]
        return [v for values in nested for v in values] if all(nested) else []
    return []


def dotted(path: tuple) -> str:
    """``("ui_extension", "views", 0, "viewport")`` -> ``ui_extension.views[0].viewport``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _field(path: tuple) -> str:
    """The nearest key above the value (a list item's list)."""
    return next((str(p) for p in reversed(path) if not isinstance(p, int)), "")


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return f"; did you mean `{close[0]}`?" if close else ""


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return f"`{text[:77]}...`" if len(text) > 80 else f"`{text}`"


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    return {list: "a list", dict: "an object"}.get(type(value), f"a {type(value).__name__}")


@functools.cache
def _validator(kind: str) -> Draft7Validator:
    """jsonschema's validator of one kind, built on first use (only for a manifest that
    ``schema_verdict`` does not find valid)."""
    from jsonschema import Draft7Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    # The overlay schema `$ref`s the base one by URL: resolve it to the adjusted copy, offline.
    registry = Registry().with_resources([(url, DRAFT7.create_resource(doc)) for url, doc in _documents().items()])
    return Draft7Validator(_schema(kind), registry=registry)


@functools.cache
def _schema(kind: str) -> dict:
    """The adjusted schema of one kind; the v2 schema is YAML, so a run that sees only
    ``stripe-app.json`` never loads PyYAML for it."""
    if kind == "v1":
        return _v1_schema()
    if kind == "v2":
        return _v2_schema(_load("stripe-app.schema.yaml"), _v1_schema())
    return _local_schema()


@functools.cache
def _v1_schema() -> dict:
    return _adjust_v1(_load("stripe-app.schema.json"))


@functools.cache
def _local_schema() -> dict:
    return _load("stripe-app-local.schema.json")


@functools.cache
def _documents() -> dict[str, dict]:
    """The schemas a `$ref` can name, by their `$id`."""
    return {doc["$id"]: doc for doc in (_v1_schema(), _local_schema())}


def _load(name: str) -> dict:
    # Beside this module, not through importlib.resources: see catalog/api.py's ``_read``.
    text = Path(__file__).parent.joinpath(SCHEMA_FOLDER, name).read_text(encoding="utf-8")
    if name.endswith(".yaml"):
        import yaml

        return yaml.safe_load(text)
    return json.loads(text)


def _adjust_v1(schema: dict) -> dict:
    props = schema["properties"]
    entry = props["permissions"]["items"]["properties"]
    # Names are SPL002's job: the enum lags the permissions page (86 names, two misspelt).
    entry["permission"].pop("enum", None)
    # The docs allow a locale -> text map; empty or placeholder text is SPL007's job.
    entry["purpose"] = {"type": ["string", "object"], "additionalProperties": {"type": "string"}}
    # The docs allow an optional reviewer-facing `name` in an entry.
    entry["name"] = {"type": "string"}
    # Stripe's own examples omit both; no `permissions` means no permissions (§4.2).
    schema["required"] = [k for k in schema["required"] if k not in ("permissions", "ui_extension")]
    for key in TOOLING_KEYS:
        props[key] = {}
    props["icon"]["pattern"] = ICON_PATTERN
    _accept_preview_features(props)
    return schema


# Newer than the published schema, and used by Stripe's own example app `stripe/stripe-apps`
# examples/full-page: the full-page viewport (docs.stripe.com/stripe-apps/patterns/full-page-apps)
# and its `modal` post-install action. Stripe's CLI also writes `"url": ""` next to a `settings` or
# `onboarding` action, as published apps (dubinc/dub, notion-stripe) carry it.
PREVIEW_VIEWPORTS = ("stripe.dashboard.fullpage",)
PREVIEW_POST_INSTALL_TYPES = ("modal",)


def _accept_preview_features(props: dict) -> None:
    viewport = props["ui_extension"]["properties"]["views"]["items"]["properties"]["viewport"]
    viewport["enum"] = sorted(set(viewport["enum"]) | set(PREVIEW_VIEWPORTS))
    in_app = props["post_install_action"]["oneOf"][1]
    in_app["properties"]["type"]["allOf"][1]["oneOf"] += [{"const": t} for t in PREVIEW_POST_INSTALL_TYPES]
    in_app["properties"]["url"] = {"type": "string"}


def _v2_schema(published: dict, v1: dict) -> dict:
    """The published YAML schema describes only `id`, `name`, `version` and `extensions`, while
    the v2 workspaces Stripe's CLI generates also hold `icon`, `ui_extension` and
    `declarations.stripe_api_access.permissions`. So: its own keys as published, the v1
    definitions for the keys v1 shares, and unknown top-level keys tolerated (the rest of the v2
    format is undocumented)."""
    schema = copy.deepcopy(published)
    schema.pop("additionalProperties", None)
    props, v1_props = schema["properties"], v1["properties"]
    permissions = copy.deepcopy(v1_props["permissions"])
    props["extensions"]["items"]["properties"]["permissions"] = permissions
    props["icon"] = copy.deepcopy(v1_props["icon"])
    props["ui_extension"] = copy.deepcopy(v1_props["ui_extension"])
    props["declarations"] = {
        "type": "object",
        "properties": {
            "distribution_type": copy.deepcopy(v1_props["distribution_type"]),
            "stripe_api_access_type": copy.deepcopy(v1_props["stripe_api_access_type"]),
            "stripe_api_access": {"type": "object", "properties": {"permissions": permissions}},
        },
    }
    return schema
