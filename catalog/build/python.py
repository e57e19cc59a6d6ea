"""Read the PyPI `stripe` wheel (as text) into SDK method rows.

* `client_rows`: the `StripeClient` service tree (8.0+). Children come from `self.x = XService(...)`
  in `__init__` (8.x-12.x) or from the module's lazy `_subservices` table (13+). Each service
  method calls `self._request("get", "/v1/...".format(...))` with literals.
* `legacy_rows`: the global resource classes (`stripe.Customer.create`, `checkout.Session.create`,
  instance `customer.save()`). CRUD comes from mixin base classes, whose URL is
  `class_url() = "/v1/" + OBJECT_NAME.replace(".", "/") + "s"`; custom methods carry literal paths
  (13+: `_static_request`; 3.x-6.x: `@custom_method(...)` and `@nested_resource_class_methods(...)`
  class decorators, and `self.request("post", url)` with `url = "...".format(...)`).
"""

from __future__ import annotations

import re

import libcst as cst

from stripe_perm_lint.catalog.build.pysource import Package, decorator_names, dotted, object_name, request_of, string_value, walk

_RETURN = re.compile(r"^(?:(ListObject|SearchResultObject)\[)?\"?([\w.]+)")


def _return_info(pkg: Package, module: str, func: cst.FunctionDef) -> tuple[str | None, str]:
    """(OBJECT_NAME, kind) from a service method's return annotation."""
    if func.returns is None:
        return None, "object"
    code = cst.Module([]).code_for_node(func.returns.annotation).strip().strip("\"'")
    m = _RETURN.match(code)
    if not m:
        return None, "object"
    kind = {"ListObject": "list", "SearchResultObject": "search"}.get(m.group(1) or "", "object")
    found = pkg.resolve_class(module, m.group(2).split(".")[-1])
    return (object_name(found[1]) if found else None), kind


def _service_children(pkg: Package, module: str, cls: cst.ClassDef):
    for node in walk(cls):
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
            target = dotted(node.targets[0].target)
            if target.startswith("self.") and target.count(".") == 1:
                found = pkg.resolve_class(module, dotted(node.value.func))
                if found and found[1].name.value.endswith("Service") or (found and "Services" in found[1].name.value):
                    yield target[5:], found
    tree = pkg.module(module)
    for stmt in tree.body:  # `_subservices = {"attr": ["stripe._x_service", "XService"], ...}`
        if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Assign):
            assign = stmt.body[0]
            if dotted(assign.targets[0].target) == "_subservices" and isinstance(assign.value, cst.Dict):
                for el in assign.value.elements:
                    mod, name = (string_value(e.value) for e in el.value.elements)
                    found = pkg.resolve_class(mod, name)
                    if found:
                        yield string_value(el.key), found


def client_rows(pkg: Package) -> list[tuple]:
    """(accessor, VERB, path, object, return_kind) for every StripeClient service method."""
    root = pkg.resolve_class("stripe._stripe_client", "StripeClient")
    if root is None:
        return []
    rows, stack, seen = [], [("", root)], set()
    while stack:
        prefix, (module, cls) = stack.pop()
        if (prefix, module) in seen or prefix.count(".") > 6:
            continue
        seen.add((prefix, module))
        for stmt in cls.body.body:
            if isinstance(stmt, cst.FunctionDef) and not stmt.name.value.startswith("_") and stmt.asynchronous is None:
                req = request_of(stmt)
                if req:
                    obj, kind = _return_info(pkg, module, stmt)
                    rows.append((prefix + stmt.name.value, req[0], req[1], obj, kind))
        for attr, found in _service_children(pkg, module, cls):
            stack.append((prefix + attr + ".", found))
    return sorted(set(rows))


# ---------------------------------------------------------------- legacy resource classes

_MIXINS = {
    # base class -> [(style, method name, VERB, url suffix)]
    "CreateableAPIResource": [("legacy", "create", "POST", "")],
    "ListableAPIResource": [("legacy", "list", "GET", "")],
    "UpdateableAPIResource": [("legacy", "modify", "POST", "/{id}"), ("instance", "save", "POST", "/{id}")],
    "DeletableAPIResource": [("legacy", "delete", "DELETE", "/{id}"), ("instance", "delete", "DELETE", "/{id}")],
    "SearchableAPIResource": [("legacy", "search", "GET", "/search")],
}
_RESOURCE_BASES = set(_MIXINS) | {"APIResource"}


def _blocked(cls: cst.ClassDef) -> set[str]:
    """Methods a class overrides with `raise NotImplementedError` (nested-only objects)."""
    out = set()
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef) and any(isinstance(n, cst.Raise) for n in walk(stmt.body)):
            if not request_of(stmt):
                out.add(stmt.name.value)
    return out


def _class_url(cls: cst.ClassDef, obj: str, singleton: bool) -> str:
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "class_url":
            for n in walk(stmt.body):
                s = string_value(n) if isinstance(n, cst.SimpleString) else None
                if s and s.startswith("/v1/"):
                    return s
    base = "/v1/" + obj.replace(".", "/")
    return base if singleton else base + "s"


def _kwarg(call: cst.Call, name: str, pos: int):
    for i, arg in enumerate(call.args):
        if (arg.keyword and arg.keyword.value == name) or (arg.keyword is None and i == pos):
            return arg.value
    return None


def _decorator_rows(cls: cst.ClassDef, url: str):
    """Old (<= 6.x) class decorators that generate methods."""
    for dec in cls.decorators:
        call = dec.decorator
        if not isinstance(call, cst.Call):
            continue
        name = dotted(call.func)
        if name.endswith("custom_method"):
            meth, verb, sub = (string_value(_kwarg(call, k, i)) for i, k in enumerate(("name", "http_verb", "http_path")))
            if meth and verb:
                yield "legacy", meth, verb.upper(), f"{url}/{{id}}/{sub or meth}"
        elif name.endswith("nested_resource_class_methods"):
            res = string_value(_kwarg(call, "resource", 0))
            plural = string_value(_kwarg(call, "resource_plural", 3)) or f"{res}s"
            seg = string_value(_kwarg(call, "path", 1)) or plural
            ops = _kwarg(call, "operations", 2)
            ops = [string_value(e.value) for e in ops.elements] if isinstance(ops, cst.List) else []
            coll, item = f"{url}/{{id}}/{seg}", f"{url}/{{id}}/{seg}/{{nested_id}}"
            table = {"create": (f"create_{res}", "POST", coll), "retrieve": (f"retrieve_{res}", "GET", item),
                     "update": (f"modify_{res}", "POST", item), "delete": (f"delete_{res}", "DELETE", item),
                     "list": (f"list_{plural}", "GET", coll)}
            for op in ops:
                if op in table:
                    yield ("legacy",) + table[op]


def _builds_own_instance_url(cls: cst.ClassDef) -> bool:
    """Account's `_build_instance_url(cls, sid)` makes `/v1/accounts/{id}` from its own URL;
    nested objects (`AlipayAccount`, `Person`) take a parent id too and build a parent-based URL."""
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "_build_instance_url":
            return len(stmt.params.params) == 2
    return False


def _explicit_rows(cls: cst.ClassDef, prefix: str, url: str | None = None):
    for stmt in cls.body.body:
        if isinstance(stmt, cst.ClassDef) and stmt.name.value == "TestHelpers":
            for style, name, verb, path in _explicit_rows(stmt, prefix):
                if style == "legacy":
                    yield style, "TestHelpers." + name, verb, path
            continue
        if not isinstance(stmt, cst.FunctionDef) or stmt.asynchronous is not None:
            continue
        name = stmt.name.value
        req = request_of(stmt, url, _builds_own_instance_url(cls))
        if not req or name.endswith("_async"):
            continue
        decos = decorator_names(stmt)
        if name.startswith("_cls_"):
            yield "legacy", name[5:], req[0], req[1]
        elif name.startswith("_"):
            continue
        elif "classmethod" in decos or "staticmethod" in decos:
            yield "legacy", name, req[0], req[1]
        else:
            yield "instance", name, req[0], req[1]


def legacy_rows(pkg: Package) -> list[tuple]:
    """(style, accessor, VERB, path, object, literal) for the global resource classes.

    `literal` is False for rows derived from mixin base classes: every resource class inherits
    `retrieve` from `APIResource`, even where the API has no such endpoint, so the build keeps a
    generic row only when some literal source (a Node method, a client service, a custom method)
    has the same verb + path."""
    rows = set()
    for module in pkg.modules():
        parts = module.split(".")
        if parts[-1].endswith("_service") or "abstract" in parts:
            continue
        ns = [p for p in parts[1:-1] if p != "api_resources" and not p.startswith("_")]
        for cls in pkg.classes(module).values():
            obj = object_name(cls)
            if obj is None:
                continue
            acc = ".".join(ns + [cls.name.value])
            bases = {dotted(b.value).split(".")[-1] for b in cls.bases}
            singleton = "SingletonAPIResource" in bases
            url = _class_url(cls, obj, singleton)
            blocked = _blocked(cls)
            gen = []
            if bases & _RESOURCE_BASES or singleton:
                item = url if singleton else url + "/{id}"
                gen += [("legacy", "retrieve", "GET", item), ("instance", "refresh", "GET", item)]
            for base in sorted(bases & set(_MIXINS)):
                gen += [(s, n, v, url + suffix) for s, n, v, suffix in _MIXINS[base]]
            # Nested-only objects (Person, BankAccount...) override instance_url with a parent-based
            # URL that no literal shows; their generic {id} rows would be invented paths.
            # Account's instance_url goes through its own _build_instance_url (`/v1/accounts/{id}`,
            # or `/v1/account` without an id): that is not a parent-based URL.
            nested = not _builds_own_instance_url(cls) and any(
                isinstance(s, cst.FunctionDef) and s.name.value == "instance_url" for s in cls.body.body
            )
            gen = [g + (False,) for g in gen if g[1] not in blocked and not (nested and "{id}" in g[3])]
            gen += [g + (True,) for g in list(_decorator_rows(cls, url)) + list(_explicit_rows(cls, acc, None if nested else url))]
            for style, name, verb, path, literal in gen:
                rows.add((style, f"{acc}.{name}", verb, path, obj, literal))
    return sorted(rows)
