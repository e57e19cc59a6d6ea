"""Computed member names: ``getattr(client, name)`` when ``name`` can only be one of a few literals.

``name`` may be a loop or comprehension variable over a literal list, tuple or set, over the keys
or values of a literal dict (``for key in TABLE``, ``.keys()``, ``.values()``, ``for key, value in
TABLE.items()``), an item of a literal dict (``TABLE[kind]``, ``TABLE.get(kind)``: one of its
values), a parameter every call in this module passes a literal (or its literal default), or a
name or class constant assigned one of those. ``getattr`` then is a ``Choice`` of one member per
candidate, and a call on it one call fact per candidate (issue 9). When any candidate is not a
literal, or there are more than ``MAX_CHOICES``, the name stays unknown: the ``?`` segment, an
unresolved call. Candidates that name no member of the SDK (``getattr(client, "api_key")``) are
dropped, so they never become calls.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.call_syntax import literal_text
from stripe_perm_lint.parse.python.eval_keys import KeyEvaluator
from stripe_perm_lint.parse.python.eval_values import MAX_DEPTH, is_helper_class
from stripe_perm_lint.parse.python.scope import LexicalScope, Source

# Calls that hand their one argument's items on unchanged (in some order).
_SAME_ITEMS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed"})
# (dict method, part of each item a loop takes) -> 0 for the dict's keys, 1 for its values
_DICT_VIEWS = {("keys", None): 0, ("values", None): 1, ("items", 0): 0, ("items", 1): 1}


class NameEvaluator(KeyEvaluator):
    """Values of ``getattr(base, name)`` over the literal candidates of ``name``."""

    def __init__(
        self,
        module: cst.Module,
        calls_by_name: dict[str, list[tuple[cst.Call, LexicalScope]]],
        comprehension_names: dict[int, dict[str, list[Source]]] | None = None,
    ) -> None:
        super().__init__(module, calls_by_name)
        self.comprehension_names = comprehension_names or {}

    def getattr_value(self, call: cst.Call, scope: LexicalScope) -> Any:
        """``getattr(client.v1, name)``: the member for each literal ``name`` can be (a ``Choice``
        when several), only those the SDK has; the ``?`` segment when ``name`` is not known."""
        args = [a for a in call.args if not a.keyword and not a.star]
        if len(args) < 2:
            return None
        base = self.value(args[0].value, scope)
        if base is None:
            return None
        names = self.name_candidates(args[1].value, scope, self.comprehension_names.get(id(call), {}))
        if names is None or len(names) * len(v.options(base)) > v.MAX_CHOICES:
            return self.member(base, "?")
        members = (self.member(base, name) for name in names)
        return v.choice(option for member in members for option in v.options(member) if is_sdk_member(option))

    def name_candidates(self, expr: Any, scope: LexicalScope, comprehension: dict[str, list[Source]]) -> list[str] | None:
        """Every string ``expr`` can be, sorted; None when one of them is not a literal or there
        are more than ``MAX_CHOICES``. ``comprehension``: the names the comprehensions around
        ``expr`` bind, which shadow the scope's."""
        if isinstance(expr, cst.Name) and expr.value in comprehension:
            found = self._sources(comprehension[expr.value], 0)
        else:
            found = self._candidates(expr, scope, 0)
        return sorted(found) if found is not None and len(found) <= v.MAX_CHOICES else None

    def _candidates(self, expr: Any, scope: LexicalScope, depth: int) -> set[str] | None:
        if depth > MAX_DEPTH or expr is None:
            return None
        text = literal_text(expr)
        if text is not None:
            return {text}
        if isinstance(expr, cst.IfExp):
            return _union([self._candidates(expr.body, scope, depth + 1), self._candidates(expr.orelse, scope, depth + 1)])
        if isinstance(expr, cst.Name):
            holder = scope.holder(expr.value)
            return self._sources(holder.bindings[expr.value], depth + 1) if holder is not None else None
        if isinstance(expr, cst.Attribute):  # a class constant, ``self.resource``
            assigned = self.assigned_exprs(expr, scope)
            return _union([self._candidates(n, w, depth + 1) for n, w in assigned]) if assigned else None
        if isinstance(expr, cst.Subscript):  # ``TABLE[kind]``: one of the table's values
            table, where = self._literal(expr.value, scope, depth + 1)
            return self._dict_part(table, where, 1, depth + 1) if isinstance(table, cst.Dict) else None
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "get":
            table, where = self._literal(expr.func.value, scope, depth + 1)
            if not isinstance(table, cst.Dict) or not expr.args:
                return None
            values = [self._dict_part(table, where, 1, depth + 1)]
            if len(expr.args) > 1:  # ``TABLE.get(kind, "customers")``
                values.append(self._candidates(expr.args[1].value, scope, depth + 1))
            return _union(values)
        return None

    def _sources(self, sources: list[Source], depth: int) -> set[str] | None:
        """Candidates of a name from all its bindings: flow-insensitive, so every binding must
        be a literal one."""
        found: list[set[str] | None] = []
        for source in sources:
            if source.kind == "expr":
                found.append(self._candidates(source.node, source.scope, depth))
            elif source.kind == "ann" and source.extra is not None:
                found.append(self._candidates(source.extra, source.scope, depth))
            elif source.kind in ("iter", "iter_part"):
                part = source.extra if source.kind == "iter_part" else None
                found.append(self._items(source.node, source.scope, part, depth))
            elif source.kind == "param":
                found.append(self._arguments(source.node, source.scope, depth))
            else:
                return None
        return _union(found) if found else None

    def _arguments(self, param: cst.Param, scope: LexicalScope, depth: int) -> set[str] | None:
        """A parameter: what the calls of its function in this module pass it, and its default."""
        if param.name.value == scope.self_name:
            return None
        passed = self.passed_arguments(param, scope)
        if param.default is not None:
            passed.append((param.default, scope.parent or scope))
        return _union([self._candidates(arg, where, depth + 1) for arg, where in passed]) if passed else None

    def _items(self, iterable: Any, scope: LexicalScope, part: int | None, depth: int) -> set[str] | None:
        """Candidates of an item of ``iterable`` (of its ``part``-th element when the loop
        unpacks items: ``for key, value in TABLE.items()``)."""
        node, where = self._literal(iterable, scope, depth + 1)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            found = []
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    found.append(self._items(element.value, where, part, depth + 1))
                elif part is None:
                    found.append(self._candidates(element.value, where, depth + 1))
                elif isinstance(element.value, (cst.Tuple, cst.List)) and part < len(element.value.elements):
                    found.append(self._candidates(element.value.elements[part].value, where, depth + 1))
                else:
                    return None
            return _union(found) if found else set()
        if isinstance(node, cst.Dict):  # iterating a dict gives its keys
            return self._dict_part(node, where, 0, depth + 1) if part is None else None
        if not isinstance(node, cst.Call):
            return None
        func = node.func
        if isinstance(func, cst.Attribute) and not node.args:
            index = _DICT_VIEWS.get((func.attr.value, part))
            table, at = self._literal(func.value, where, depth + 1)
            return self._dict_part(table, at, index, depth + 1) if index is not None and isinstance(table, cst.Dict) else None
        name = get_full_name_for_node(func) or ""
        if len(node.args) == 1 and not node.args[0].keyword:
            if name in _SAME_ITEMS and scope.holder(name) is None:
                return self._items(node.args[0].value, where, part, depth + 1)
            if name == "enumerate" and part == 1 and scope.holder(name) is None:
                return self._items(node.args[0].value, where, None, depth + 1)
        return None

    def _dict_part(self, table: cst.Dict, scope: LexicalScope, index: int, depth: int) -> set[str] | None:
        """Candidates of the keys (``index`` 0) or values (1) of a literal dict."""
        found = []
        for element in table.elements:
            if isinstance(element, cst.StarredDictElement):
                return None
            found.append(self._candidates(element.key if index == 0 else element.value, scope, depth + 1))
        return _union(found) if found else set()

    def _literal(self, expr: Any, scope: LexicalScope, depth: int) -> tuple[Any, LexicalScope]:
        """The expression a name or class constant stands for, when it is assigned exactly once
        (``RESOURCES = [...]`` at module level); else the expression itself."""
        for _ in range(MAX_DEPTH - min(depth, MAX_DEPTH)):
            if not isinstance(expr, (cst.Name, cst.Attribute)):
                break
            if isinstance(expr, cst.Name):
                holder = scope.holder(expr.value)
                if holder is None or any(s.kind not in ("expr", "ann") for s in holder.bindings[expr.value]):
                    return None, scope
            assigned = self.assigned_exprs(expr, scope)
            if len(assigned) != 1:
                return None, scope
            expr, scope = assigned[0]
        return expr, scope


def _union(found: list[set[str] | None]) -> set[str] | None:
    out: set[str] = set()
    for each in found:
        if each is None:
            return None
        out |= each
    return out


def is_sdk_member(value: Any) -> bool:
    """Whether a member reached through a computed name exists in the SDK: a ``StripeClient``
    service chain or a legacy class / namespace / method the catalog knows. Other values (an
    object of the app's own classes, an import) are not the SDK's to check."""
    if isinstance(value, v.Service):
        path = value.path[:-1] + (v.strip_async(value.path[-1]),)
        if len(path) == 1 and path[0] in v.CLIENT_RAW_METHODS | v.CLIENT_EVENT_METHODS:
            return True
        return ".".join(path) in _sdk_prefixes("python")
    if isinstance(value, v.LegacyClass):  # helpers such as `Webhook` are no API, but real
        return value.name in _sdk_prefixes("legacy") or is_helper_class(value.name)
    if isinstance(value, v.LegacyNS):
        return ".".join(value.path) in _sdk_prefixes("legacy")
    if isinstance(value, v.LegacyMethod):
        return f"{value.cls}.{v.strip_async(value.method)}" in _sdk_prefixes("legacy") or is_helper_class(value.cls)
    return True


@lru_cache(maxsize=None)
def _sdk_prefixes(style: str) -> frozenset[str]:
    """Every leading part of an accessor the catalog knows: ``v1``, ``v1.customers``,
    ``v1.customers.list`` (``python``); ``checkout``, ``checkout.Session``... (``legacy``)."""
    out: set[str] = set()
    for operation in load_catalog().operations:
        for accessor in getattr(operation, style):
            parts = accessor.split(".")
            out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(out)
