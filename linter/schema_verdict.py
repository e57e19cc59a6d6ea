"""A quick verdict on whether a manifest fits its JSON Schema, without importing jsonschema.

Importing jsonschema (with `referencing`, `attrs` and its format checkers) and building its
validators takes longer than the rest of a small app's run, yet almost every manifest is valid.
So ``verdict`` answers VALID, INVALID or UNSURE for the few Draft 7 keywords Stripe's schemas use,
and ``manifest_schema`` asks jsonschema only when the answer is not VALID: jsonschema still writes
every error message, and a keyword this module does not know makes it UNSURE, never VALID.
``tests/test_schema_verdict.py`` checks the verdict against jsonschema on every fixture manifest
and many broken variants of them.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Callable, Mapping
from urllib.parse import urljoin

# Keywords that never make a document invalid (annotations; `format` is not asserted by a
# Draft 7 validator built without a format checker, which is how ``manifest_schema`` builds them).
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "markdownDescription", "default",
                          "examples", "optional", "format", "$defs", "definitions"})


class Verdict(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"
    UNSURE = "unsure"


def verdict(document: Any, schema: dict, documents: Mapping[str, dict]) -> Verdict:
    """Whether ``document`` fits ``schema``; ``documents`` are the schemas a `$ref` may name, by
    their `$id`."""
    return _Checker(documents).check(document, schema, schema.get("$id", ""))


class _Checker:
    def __init__(self, documents: Mapping[str, dict]) -> None:
        self.documents = documents

    def check(self, instance: Any, schema: Any, base: str) -> Verdict:
        if schema is True or schema == {}:
            return Verdict.VALID
        if schema is False:
            return Verdict.INVALID
        if not isinstance(schema, dict) or urljoin(base, schema.get("$id", "")) != base:
            return Verdict.UNSURE  # not a schema, or one that moves the base of its `$ref`s
        if "$ref" in schema:  # Draft 7: a `$ref` replaces its sibling keywords
            return self._ref(instance, schema["$ref"], base)
        results = []
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            check = _KEYWORDS.get(keyword)
            if check is None:
                return Verdict.UNSURE
            results.append(check(self, instance, value, schema, base))
        return _all(results)

    def _ref(self, instance: Any, ref: str, base: str) -> Verdict:
        url, _, pointer = urljoin(base, ref).partition("#")
        document = self.documents.get(url)
        if document is None or (pointer and not pointer.startswith("/")):
            return Verdict.UNSURE
        target: Any = document
        for part in pointer.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return Verdict.UNSURE
            target = target[part]
        return self.check(instance, target, url)


def _all(results: list[Verdict]) -> Verdict:
    if Verdict.INVALID in results:
        return Verdict.INVALID
    return Verdict.UNSURE if Verdict.UNSURE in results else Verdict.VALID


def _decided(ok: bool) -> Verdict:
    return Verdict.VALID if ok else Verdict.INVALID


def _is_type(instance: Any, name: str) -> bool | None:
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "string":
        return isinstance(instance, str)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if name == "number":
        return isinstance(instance, (int, float)) and not isinstance(instance, bool)
    if name == "integer":
        if isinstance(instance, bool):
            return False
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    return None  # an unknown type name


def _type(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    names = [value] if isinstance(value, str) else value
    found = [_is_type(instance, name) for name in names]
    if None in found:
        return Verdict.UNSURE
    return _decided(any(found))


def _same(instance: Any, allowed: Any) -> bool | None:
    """JSON equality for strings, booleans and null (jsonschema keeps `true` apart from `1`)."""
    if isinstance(allowed, (str, bool)) or allowed is None:
        return type(instance) is type(allowed) and instance == allowed
    return None


def _enum(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    found = [_same(instance, allowed) for allowed in value]
    if any(found):
        return Verdict.VALID
    return Verdict.UNSURE if None in found else Verdict.INVALID


def _const(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    found = _same(instance, value)
    return Verdict.UNSURE if found is None else _decided(found)


def _pattern(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    return _decided(not isinstance(instance, str) or re.search(value, instance) is not None)


def _min_length(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    return _decided(not isinstance(instance, str) or len(instance) >= value)


def _required(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    return _decided(not isinstance(instance, dict) or all(key in instance for key in value))


def _properties(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    if not isinstance(instance, dict):
        return Verdict.VALID
    return _all([checker.check(instance[key], sub, base) for key, sub in value.items() if key in instance])


def _additional(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    if not isinstance(instance, dict):
        return Verdict.VALID
    if "patternProperties" in schema:
        return Verdict.UNSURE
    known = schema.get("properties", {})
    return _all([checker.check(instance[key], value, base) if value is not False else Verdict.INVALID
                 for key in instance if key not in known])


def _items(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    if not isinstance(instance, list):
        return Verdict.VALID
    if not isinstance(value, (dict, bool)):
        return Verdict.UNSURE  # the tuple form
    return _all([checker.check(item, value, base) for item in instance])


def _all_of(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    return _all([checker.check(instance, sub, base) for sub in value])


def _one_of(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    found = [checker.check(instance, sub, base) for sub in value]
    if Verdict.UNSURE in found:
        return Verdict.UNSURE
    return _decided(found.count(Verdict.VALID) == 1)


def _any_of(checker: _Checker, instance: Any, value: Any, schema: dict, base: str) -> Verdict:
    found = [checker.check(instance, sub, base) for sub in value]
    if Verdict.VALID in found:
        return Verdict.VALID
    return Verdict.UNSURE if Verdict.UNSURE in found else Verdict.INVALID


_KEYWORDS: dict[str, Callable[[_Checker, Any, Any, dict, str], Verdict]] = {
    "type": _type, "enum": _enum, "const": _const, "pattern": _pattern, "minLength": _min_length,
    "required": _required, "properties": _properties, "additionalProperties": _additional, "items": _items,
    "allOf": _all_of, "oneOf": _one_of, "anyOf": _any_of,
}
