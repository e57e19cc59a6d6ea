"""The quick schema verdict (``schema_verdict``) agrees with jsonschema wherever it decides: on
every fixture manifest, and on variants of them with a key removed or a value of another kind,
for each manifest kind. A VALID it gives wrongly would hide an SPL006 finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from stripe_perm_lint.manifest_schema import _documents, _schema, _validator
from stripe_perm_lint.schema_verdict import Verdict, verdict
from stripe_perm_lint.yamlsafe import load_bounded

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# One of each JSON kind, strings of the shapes the schema's patterns test, and odd values.
REPLACEMENTS = (None, True, 0, 2.0, 1.5, "", "x", "1.0.0", "./icon.png", "https://example.com/a",
                "stripe.dashboard.customer.detail", "settings", [], ["x"], [{}], {}, {"type": "settings"})


def shape(value) -> object:
    """The keys and kinds of values in a document, without the values themselves."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), shape(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(sorted({shape(item) for item in value}, key=repr))
    return type(value).__name__


def fixture_manifests() -> list[tuple[str, object]]:
    """One fixture manifest of each shape (the variants below vary the values)."""
    found = {}
    for path in sorted(FIXTURES.rglob("stripe-app*")):
        if not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        try:
            document = json.loads(text) if path.suffix == ".json" else load_bounded(text)[0]
        except (ValueError, yaml.YAMLError):  # a deliberately broken fixture
            continue
        found.setdefault(shape(document), (path.name, document))
    return sorted(found.values(), key=lambda named: json.dumps(named[1], sort_keys=True, default=str))


def variants(document):
    """``document``, then each with one key removed or one value replaced, at every depth."""
    yield document
    if isinstance(document, dict):
        for key in sorted(document, key=str):
            yield {k: v for k, v in document.items() if k != key}
            for value in REPLACEMENTS:
                yield {**document, key: value}
            for inner in list(variants(document[key]))[1:]:
                yield {**document, key: inner}
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield document[:index] + document[index + 1:]
            for value in REPLACEMENTS[:8]:
                yield document[:index] + [value] + document[index + 1:]
            for inner in list(variants(item))[1:]:
                yield document[:index] + [inner] + document[index + 1:]


def agrees(document, kind: str) -> Verdict:
    found = verdict(document, _schema(kind), _documents())
    errors = list(_validator(kind).iter_errors(document))
    if found is Verdict.VALID:
        assert errors == [], (kind, document)
    elif found is Verdict.INVALID:
        assert errors, (kind, document)
    return found


@pytest.mark.parametrize("kind", ["v1", "v2", "overlay"])
def test_the_verdict_agrees_with_jsonschema_on_fixture_manifests_and_their_variants(kind):
    seen: dict[Verdict, int] = {}
    for _, document in fixture_manifests():
        for variant in variants(document):
            found = agrees(variant, kind)
            seen[found] = seen.get(found, 0) + 1
    # It decides nearly everything, both ways, so jsonschema is loaded only for broken manifests.
    assert seen.get(Verdict.VALID, 0) > 100 and seen.get(Verdict.INVALID, 0) > 1000
    assert seen.get(Verdict.UNSURE, 0) * 20 < sum(seen.values())


def test_the_demo_apps_manifest_is_found_valid_without_jsonschema():
    document = json.loads((FIXTURES / "demo-app" / "stripe-app.json").read_text())
    assert verdict(document, _schema("v1"), _documents()) is Verdict.VALID


def test_an_unknown_keyword_or_ref_leaves_the_verdict_to_jsonschema():
    assert verdict("abc", {"maxLength": 2}, {}) is Verdict.UNSURE
    assert verdict("abc", {"$ref": "https://example.com/other.json#/x"}, {}) is Verdict.UNSURE
    assert verdict({"a": 1}, {"patternProperties": {"^a": {}}, "additionalProperties": False}, {}) is Verdict.UNSURE
    # A `$ref` replaces its siblings in Draft 7, and `true` is not the number 1.
    doc = {"$id": "https://example.com/s.json", "$defs": {"one": {"const": True}}}
    assert verdict(True, {**doc, "$ref": "#/$defs/one", "type": "string"}, {doc["$id"]: doc}) is Verdict.VALID
    assert verdict(1, {"enum": [True, "1"]}, {}) is Verdict.INVALID
