"""A read-only view of an unpacked `stripe` wheel, parsed with libcst (never imported).

Shared by `python` (methods -> verb + path) and `python_types` (fields -> types).
"""

from __future__ import annotations

import functools
from pathlib import Path

import libcst as cst

# Calls that send a request: services use `self._request`, resource classes use
# `cls._static_request` / `self._request`, stripe-python <= 6 used `self.request(...)`.
REQUEST_CALLS = {
    "_request", "_request_async", "_request_stream", "_request_stream_async",
    "_static_request", "_static_request_async", "_static_request_stream", "_static_request_stream_async",
    "request", "request_stream",
}
VERBS = {"get", "post", "delete"}


def walk(node: cst.CSTNode):
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(cur.children))


def string_value(node: cst.CSTNode | None) -> str | None:
    """Value of a plain string literal, or of the template in `"...".format(...)`."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
        node = node.func.value
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return dotted(node.value) + "." + node.attr.value
    if isinstance(node, cst.Subscript):
        return dotted(node.value)
    return ""


def request_of(func: cst.FunctionDef, class_url: str | None = None, own_instance_url: bool = False) -> tuple[str, str] | None:
    """(VERB, path template) of the first request a function makes with a literal path, or with
    the class's own URL (`url = cls.class_url()`, as `EphemeralKey.create` does) when
    ``class_url`` is given."""
    literal_paths = [
        s for n in walk(func.body) if isinstance(n, cst.SimpleString)
        for s in [string_value(n)] if s and s.startswith(("/v1/", "/v2/", "/oauth/"))
    ]
    for node in walk(func.body):
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
            continue
        if node.func.attr.value not in REQUEST_CALLS or not node.args:
            continue
        verb = string_value(node.args[0].value)
        if verb not in VERBS:
            continue
        path = string_value(node.args[1].value) if len(node.args) > 1 else None
        if not (path and path.startswith("/")):
            path = literal_paths[0] if literal_paths else None  # `url = "...".format(...)` first
        if path is None and class_url:
            called = {n.func.attr.value for n in walk(func.body)
                      if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute)}
            if "class_url" in called and func.name.value == "create" and verb == "post":
                path = class_url  # EphemeralKey.create: a custom create on the class's own URL
            elif own_instance_url and "_build_instance_url" in called:  # Account.modify: `/v1/accounts/{id}`
                path = class_url + "/{id}"
        if path:
            return verb.upper(), path
    return None


def decorator_names(func: cst.FunctionDef | cst.ClassDef) -> list[str]:
    return [dotted(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator) for d in func.decorators]


class Package:
    """Modules of one unpacked wheel, addressed by dotted name (`stripe._customer`)."""

    def __init__(self, root: Path):
        self.root = root

    def file_of(self, module: str) -> Path | None:
        base = self.root.joinpath(*module.split("."))
        for cand in (base.with_suffix(".py"), base / "__init__.py"):
            if cand.exists():
                return cand
        return None

    @functools.cache
    def module(self, module: str) -> cst.Module | None:
        path = self.file_of(module)
        return cst.parse_module(path.read_text("utf-8")) if path else None

    @functools.cache
    def imports(self, module: str) -> dict[str, tuple[str, str]]:
        """Every `from X import Y as Z` in the module (also under TYPE_CHECKING): Z -> (X, Y)."""
        tree = self.module(module)
        out: dict[str, tuple[str, str]] = {}
        if tree is None:
            return out
        package = module if (self.file_of(module) or Path()).name == "__init__.py" else module.rpartition(".")[0]
        for node in walk(tree):
            if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
                source = dotted(node.module) if node.module else ""
                if node.relative:
                    base = package.split(".")
                    base = base[: len(base) - (len(node.relative) - 1)]
                    source = ".".join(base + ([source] if source else []))
                for alias in node.names:
                    name = dotted(alias.name)
                    local = alias.asname.name.value if alias.asname else name
                    out[local] = (source, name)
        return out

    @functools.cache
    def classes(self, module: str) -> dict[str, cst.ClassDef]:
        tree = self.module(module)
        return {n.name.value: n for n in (tree.body if tree else []) if isinstance(n, cst.ClassDef)}

    def resolve_class(self, module: str, name: str, depth: int = 0) -> tuple[str, cst.ClassDef] | None:
        """Follow imports / re-exports until the module that defines class `name`."""
        if depth > 6:
            return None
        if name in self.classes(module):
            return module, self.classes(module)[name]
        imported = self.imports(module).get(name)
        if imported is None:
            return None
        source, real = imported
        if self.file_of(source) is None:  # `from stripe import checkout` style: a package attribute
            return None
        return self.resolve_class(source, real, depth + 1)

    def modules(self):
        """Dotted names of every module under `stripe/` except parameter-only packages."""
        top = self.root / "stripe"
        for path in sorted(top.rglob("*.py")):
            rel = path.relative_to(self.root).with_suffix("")
            if "params" in rel.parts or "six" in rel.parts:
                continue
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            yield ".".join(parts)


def object_name(cls: cst.ClassDef) -> str | None:
    """The `OBJECT_NAME = "customer"` of a resource class, if any."""
    for stmt in cls.body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and any(dotted(t.target) == "OBJECT_NAME" for t in small.targets):
                return string_value(small.value)
            if isinstance(small, cst.AnnAssign) and dotted(small.target) == "OBJECT_NAME" and small.value:
                return string_value(small.value)
    return None
