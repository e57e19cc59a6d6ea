"""The `Catalog` object: loads the generated JSON once and answers the linter's questions."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path

from stripe_perm_lint.catalog import lookup
from stripe_perm_lint.catalog.model import EventInfo, ExpandResolution, Field, ObjectType, Operation, Permission, Requirement


def _read(name: str) -> dict:
    # Beside this module rather than through importlib.resources, whose import (tempfile, shutil,
    # random...) costs a small run more than reading the table; the package is never zipped.
    return json.loads(Path(__file__).with_name(name).read_text("utf-8"))


def _operation(d: dict) -> Operation:
    return Operation(
        id=d["id"], verb=d["verb"], path=d["path"], api=d["api"], object=d["object"], return_kind=d["return_kind"],
        requirement=Requirement.from_json(d["requirement"]), node=tuple(d["node"]), python=tuple(d["python"]),
        legacy=tuple(d["legacy"]), sdk_versions=d["sdk_versions"], instance=tuple(d["instance"]), in_latest=d["in_latest"])


class Catalog:
    """Each table is read from its JSON file, and each index built, on first use: a small app
    that makes two calls and compares no event should not pay for the object and event tables
    (a pre-commit hook's run is mostly start-up)."""

    def __init__(self) -> None:
        sdk = _read("sdk.json")
        self.api_version: str = sdk["api_version"]
        self.sdk_versions: dict[str, str] = dict(sdk["sdk_versions"])
        self.event_permission: str = sdk["event_permission"]
        self._helpers = {k: tuple(v) for k, v in sdk["sdk_helpers"].items()}
        self._ui = dict(sdk["ui_functions"])

    def load_parser_tables(self, backend_languages: bool = False) -> None:
        """Build now the tables the parsers read (operations, the call index, events, and with
        ``backend_languages`` the SDK tables of Ruby, Go, PHP, C#, Java), so that forked parse
        workers inherit them rather than each building its own."""
        _ = (self._calls, self._events)  # cached properties: reading them builds them
        if backend_languages:
            _ = self._language_calls

    @functools.cached_property
    def _permission_table(self) -> dict:
        return _read("permissions.json")

    @functools.cached_property
    def _permissions(self) -> dict[str, Permission]:
        return {n: Permission(name=n, **p) for n, p in self._permission_table["permissions"].items()}

    @functools.cached_property
    def permission_names(self) -> frozenset[str]:
        return frozenset(self._permission_table["permissions"])

    @functools.cached_property
    def _implied(self) -> dict[str, tuple[tuple[str, str], ...]]:
        return {n: tuple((g, s) for g, s in edges) for n, edges in self._permission_table["implied"].items()}

    @functools.cached_property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(_operation(o) for o in _read("operations.json")["operations"])

    @functools.cached_property
    def _calls(self) -> dict[str, dict[str, Operation]]:
        return lookup.call_index(self.operations)

    @functools.cached_property
    def _http(self) -> lookup.HttpIndex:
        return lookup.HttpIndex(self.operations, self.permission_names)

    @functools.cached_property
    def _object_table(self) -> dict:
        return _read("objects.json")

    @functools.cached_property
    def _objects(self) -> dict[str, ObjectType]:
        return {n: ObjectType(n, Requirement.from_json(o["read"]), o["expand_needs_nothing"])
                for n, o in self._object_table["objects"].items()}

    @functools.cached_property
    def _types(self) -> dict[str, dict[str, Field]]:
        return {t: {f: Field(k, tuple(ts), a) for f, (k, ts, a) in fields.items()}
                for t, fields in self._object_table["types"].items()}

    @functools.cached_property
    def _field_overrides(self) -> dict[str, Requirement]:
        return {k: Requirement.from_json(v) for k, v in self._object_table["field_overrides"].items()}

    @functools.cached_property
    def _events(self) -> dict[str, EventInfo]:
        return {n: EventInfo(n, tuple(e["any_of"]), e["recommended"]) for n, e in _read("events.json")["events"].items()}

    # ---- permissions
    def permission(self, name: str) -> Permission | None:
        return self._permissions.get(name)

    def implied_edges(self, name: str) -> tuple[tuple[str, str], ...]:
        return self._implied.get(name, ())

    def grants(self, declared: Iterable[str], include_older_edition: bool = True) -> frozenset[str]:
        out = set(declared)
        todo = list(out)
        while todo:
            for granted, source in self._implied.get(todo.pop(), ()):
                if (include_older_edition or source != "older-edition") and granted not in out:
                    out.add(granted)
                    todo.append(granted)
        return frozenset(out)

    @functools.cached_property
    def _language_tables(self) -> dict[str, dict]:
        """The SDK method tables of the backend languages (``languages/*.json``), by style."""
        by_style = {}
        for path in sorted(Path(__file__).with_name("languages").glob("*.json")):
            table = json.loads(path.read_text("utf-8"))
            for style in table["methods"]:
                by_style[style] = table
        return by_style

    @functools.cached_property
    def _language_calls(self) -> dict[str, dict[str, Operation]]:
        by_id = {op.id: op for op in self.operations}
        return {style: {acc: by_id[op_id] for acc, op_id in table["methods"][style].items()}
                for style, table in self._language_tables.items()}

    def backend_styles(self, language: str) -> list[str]:
        """The call styles of a backend language's table (``go`` -> ``go_api``, ``go_client``...)."""
        return sorted(style for style, table in self._language_tables.items() if table.get("language") == language)

    def language_table(self, style: str) -> dict | None:
        """The backend-language table a call style belongs to (its SDK, version, display prefix)."""
        return self._language_tables.get(style)

    # ---- operations
    def operation_for_call(self, style: str, accessor: str) -> Operation | None:
        if style in lookup.STYLES:
            return lookup.find_call(self._calls, style, accessor)
        return self._language_calls.get(style, {}).get(accessor)  # backend SDKs: exact names only

    def operation_for_http(self, verb: str, path: str) -> Operation | None:
        return self._http.find(verb, path)

    def is_sdk_helper(self, style: str, accessor: str) -> bool:
        if style not in lookup.STYLES:
            table = self._language_tables.get(style)
            helpers = tuple(table.get("helpers", {}).get(style, ())) if table else ()
            return lookup.is_helper(helpers, style, accessor)
        return lookup.is_helper(self._helpers.get(style, ()), style, accessor)

    def is_api_method(self, style: str, accessor: str) -> bool:
        """Exactly an SDK method that calls the API (no helper such as `webhooks.constructEvent`):
        what a call recognised by its shape alone must be (docs/semantics.md §11)."""
        return self.operation_for_call(style, accessor) is not None and not self.is_sdk_helper(style, accessor)

    def ui_function_permission(self, name: str) -> str | None:
        return self._ui.get(name)

    @property
    def ui_functions(self) -> dict[str, str]:
        return dict(self._ui)

    # ---- objects and expand
    def object_type(self, name: str) -> ObjectType | None:
        return self._objects.get(name)

    def resolve_expand(self, object_type: str, path: str) -> ExpandResolution:
        if object_type not in self._objects and object_type not in self._types:
            return ExpandResolution((), f"unknown object type `{object_type}`")
        segs = [s for s in path.strip().split(".") if s]
        if not segs:
            return ExpandResolution((), "empty expand path")
        cur, where, prefix, steps = [object_type], object_type, [], []
        i = 0
        while i < len(segs):
            seg, last = segs[i], i == len(segs) - 1
            owner = next((t for t in cur if seg in self._types.get(t, {})), None)
            if owner is None:
                return ExpandResolution(tuple(steps), f"no field `{seg}` on `{where}`")
            fld = self._types[owner][seg]
            if fld.kind == "expandable":
                root = owner.split("::")[0]
                req = self._field_overrides.get(".".join([root, *prefix, seg])) or self._union(fld.targets)
                if req is not None:
                    steps.append(("|".join(fld.targets), req))
                if not fld.targets and not last:
                    return ExpandResolution(tuple(steps), f"`{seg}` on `{where}` expands to a value without fields")
                cur, where, prefix = list(fld.targets), "|".join(fld.targets), []
            elif fld.kind == "scalar":
                if not last:
                    return ExpandResolution(tuple(steps), f"`{seg}` on `{where}` is a plain value: nothing below it can be expanded")
                return ExpandResolution(tuple(steps), None)
            elif fld.kind == "list":
                if last:
                    # Lists Stripe leaves out unless expanded (`customer.tax_ids`, `.subscriptions`,
                    # `checkout.session.line_items`) are expandable, and the SDK types do not say which
                    # lists those are: accept any list, needing its items' permission.
                    req = self._union(fld.targets)
                    if req is not None:
                        steps.append(("|".join(fld.targets), req))
                    return ExpandResolution(tuple(steps), None)
                if segs[i + 1] != "data":
                    return ExpandResolution(tuple(steps), f"`{seg}` on `{where}` is a list: write `{seg}.data.{segs[i + 1]}`")
                i += 1
                cur, where, prefix = list(fld.targets), "|".join(fld.targets), []
            else:
                if last:
                    # Some embedded objects are also left out unless expanded (`customer.cash_balance`);
                    # the SDK types do not say which, so accept them: fewer false alarms (docs/semantics.md §9).
                    return ExpandResolution(tuple(steps), None)
                inner = all("::" in t for t in fld.targets)
                cur = list(fld.targets)
                where, prefix = (f"{where}.{seg}", prefix + [seg]) if inner else ("|".join(fld.targets), [])
            i += 1
        return ExpandResolution(tuple(steps), None)

    def _union(self, targets: tuple[str, ...]) -> Requirement | None:
        objs = [self._objects[t] for t in targets if t in self._objects and not self._objects[t].expand_needs_nothing]
        if not objs:
            return None
        if len(objs) == 1:
            return objs[0].read
        any_of = tuple(sorted({n for o in objs for n in o.read.any_of}))
        if not any_of:
            return objs[0].read
        # The canonical name most of the possible types share (customer_read for card|bank_account|...).
        names = [o.read.canonical for o in objs if o.read.canonical]
        canonical = max(names, key=lambda n: (names.count(n), -names.index(n)))
        return Requirement(any_of, canonical, "read", None, "polymorphic field: any permission of its possible types")

    # ---- events
    def event(self, name: str) -> EventInfo | None:
        return self._events.get(name)

    @property
    def events(self) -> tuple[EventInfo, ...]:
        return tuple(self._events.values())

    @property
    def object_types(self) -> tuple[ObjectType, ...]:
        return tuple(self._objects.values())


@functools.cache
def load_catalog() -> Catalog:
    return Catalog()


__all__ = ["Catalog", "load_catalog"]
