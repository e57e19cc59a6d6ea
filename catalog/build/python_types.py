"""Object fields from the typed resource classes of stripe-python (7.1+), for `expand` paths.

Each resource class (`OBJECT_NAME`) and each nested class inside it is a *type*. Its annotated
fields are kept when they point at another object or nested class:

* ``ExpandableField["Customer"]`` (also inside ``Optional``/``List``/``Union``) -> ``expandable``;
* ``ListObject["SubscriptionItem"]`` -> ``list`` (an expand path goes through ``items.data.``);
* a nested class (``Optional[Parent]``) or another resource class (``price: "Price"``) -> ``embedded``;
* anything else (``str``, ``int``, ``Dict[...]``, ``List[Tier]`` of plain values) -> ``scalar``, kept
  on top-level objects only, so a path may end on it but not go through it.

Nested types are named ``<object>::<Qualified.ClassName>`` (``invoice::Parent.SubscriptionDetails``).
Older SDKs have no annotations, so the catalog unions 7.x ... newest (fields come and go).
"""

from __future__ import annotations

import libcst as cst

from stripe_perm_lint.catalog.build.pysource import Package, object_name

_WRAPPERS = {"Optional", "ClassVar"}
_RANK = {"expandable": 3, "list": 2, "embedded": 1, "scalar": 0}


class _Scope:
    def __init__(self, pkg: Package, module: str, obj: str, chain: list[tuple[str, cst.ClassDef]]):
        self.pkg, self.module, self.obj, self.chain = pkg, module, obj, chain

    def name_target(self, name: str) -> str | None:
        """Type id for a class name seen inside the current nested-class chain."""
        for depth in range(len(self.chain), 0, -1):
            qual, cls = self.chain[depth - 1]
            for stmt in cls.body.body:
                if isinstance(stmt, cst.ClassDef) and stmt.name.value == name:
                    inner = f"{qual}.{name}" if qual else name
                    return f"{self.obj}::{inner}"
        found = self.pkg.resolve_class(self.module, name)
        return object_name(found[1]) if found else None


def _parse(node: cst.BaseExpression, scope: _Scope, expandable=False, array=False, listobj=False):
    """Yield (kind, target, is_array) for one annotation expression."""
    if isinstance(node, cst.SimpleString):
        try:
            node = cst.parse_expression(node.evaluated_value)
        except Exception:  # noqa: BLE001 - a docstring-like literal, not a type
            return
    if isinstance(node, cst.Subscript):
        head = cst.Module([]).code_for_node(node.value).split(".")[-1]
        args = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        if head in _WRAPPERS or head == "Union":
            for a in args:
                yield from _parse(a, scope, expandable, array, listobj)
        elif head == "List":
            for a in args:
                yield from _parse(a, scope, expandable, True, listobj)
        elif head == "ExpandableField":
            for a in args:
                yield from _parse(a, scope, True, array, listobj)
        elif head in ("ListObject", "SearchResultObject"):
            for a in args:
                yield from _parse(a, scope, expandable, array, True)
        return  # Dict[...], Literal[...]: not traversable by expand
    if isinstance(node, (cst.Name, cst.Attribute)):
        name = cst.Module([]).code_for_node(node).split(".")[-1]
        target = scope.name_target(name)
        if target:
            kind = "expandable" if expandable else "list" if listobj else "embedded"
            yield kind, target, array


def _walk_class(cls: cst.ClassDef, scope: _Scope, qual: str, out: dict):
    type_id = f"{scope.obj}::{qual}" if qual else scope.obj
    fields = out.setdefault(type_id, {})
    for stmt in cls.body.body:
        if isinstance(stmt, cst.ClassDef):
            inner = f"{qual}.{stmt.name.value}" if qual else stmt.name.value
            sub = _Scope(scope.pkg, scope.module, scope.obj, scope.chain + [(inner, stmt)])
            _walk_class(stmt, sub, inner, out)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if not isinstance(small, cst.AnnAssign) or not isinstance(small.target, cst.Name):
                    continue
                name = small.target.value
                if name.isupper():  # OBJECT_NAME and other constants
                    continue
                parsed = list(_parse(small.annotation.annotation, scope))
                for kind, target, array in parsed:
                    _merge(fields, name, kind, target, array)
                if not parsed and name not in fields:
                    # Kept so an expand path may end on it: Stripe leaves some values out unless
                    # expanded (`price.tiers`, `issuing.card.number`), and a typo is still "no field".
                    fields[name] = ["scalar", set(), False]


def _merge(fields: dict, name: str, kind: str, target: str, array: bool) -> None:
    cur = fields.get(name)
    if cur is None or cur[0] == "scalar":
        fields[name] = [kind, {target}, array]
        return
    if _RANK[kind] > _RANK[cur[0]]:
        cur[0] = kind
    cur[1].add(target)
    cur[2] = cur[2] or array


def object_types(pkg: Package, out: dict | None = None) -> dict:
    """{type_id: {field: [kind, {targets}, is_array]}} for one wheel, merged into `out`."""
    out = {} if out is None else out
    for module in pkg.modules():
        if module.split(".")[-1].endswith("_service"):
            continue
        for cls in pkg.classes(module).values():
            obj = object_name(cls)
            if obj:
                _walk_class(cls, _Scope(pkg, module, obj, [("", cls)]), "", out)
    return out


def merge_types(into: dict, other: dict) -> dict:
    for type_id, fields in other.items():
        dest = into.setdefault(type_id, {})
        for name, (kind, targets, array) in fields.items():
            for t in targets:
                _merge(dest, name, kind, t, array)
            if not targets:  # a scalar: known, never overrides an object-typed field of another version
                dest.setdefault(name, [kind, set(), array])
    return into
