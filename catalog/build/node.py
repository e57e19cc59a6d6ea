"""Read the npm `stripe` package (as text, never executed) into SDK method rows.

Two generated layouts exist, and both are handled here with tree-sitter:

* v22+ (`cjs/resources/**/*.js`): resource classes whose methods call
  ``this._makeRequest('VERB', `/v1/x/${encodeURIComponent(id)}`, ...)``; the client tree is
  ``this.x = new Mod_js_1.XResource(this)`` in `stripe.core.js`, the namespace `index.js`
  classes and some resource constructors (`v2.core.accounts.persons`).
* up to v21 (`lib/resources/*.js` or `cjs/resources/*.js`): ``StripeResource.extend({path:
  'customers', list: stripeMethod({method: 'GET', path: ''}) ...})``; the client tree is the
  export table of `resources.js` (``resourceNamespace('billing', {...})`` for namespaces).

Each row is ``(accessor, VERB, path template)`` with the accessor as written after the client
(`customers.list`, `v2.core.accounts.persons.create`).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

_PARSER = Parser(Language(tree_sitter_typescript.language_typescript()))
_VERBS = {"GET", "POST", "DELETE"}


def _parse(path: Path) -> Node:
    return _PARSER.parse(path.read_bytes()).root_node


def _text(node: Node) -> str:
    return node.text.decode("utf-8")


def _walk(node: Node):
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(cur.children))


def _string_value(node: Node | None) -> str | None:
    """Literal value of a '...' / "..." string or a template string (`${x}` -> `{x}`)."""
    if node is None:
        return None
    if node.type == "string":
        return "".join(_text(c) for c in node.named_children if c.type in ("string_fragment", "escape_sequence"))
    if node.type == "template_string":
        out = []
        for child in node.named_children:
            if child.type == "template_substitution":
                idents = [_text(n) for n in _walk(child) if n.type == "identifier" and _text(n) != "encodeURIComponent"]
                out.append("{%s}" % (idents[-1] if idents else "id"))
            else:
                out.append(_text(child))
        return "".join(out)
    return None


def _camel(name: str) -> str:
    # stripe-node's utils.pascalToCamelCase: 'OAuth' is the one special case.
    return "oauth" if name == "OAuth" else name[:1].lower() + name[1:]


def _requires(root: Node, here: Path) -> dict[str, Path]:
    """`const X = require("./a.js")` bindings of one module -> resolved file."""
    out: dict[str, Path] = {}
    for node in _walk(root):
        if node.type != "variable_declarator":
            continue
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if value is None or value.type != "call_expression" or name is None:
            continue
        if _text(value.child_by_field_name("function")) != "require":
            continue
        args = value.child_by_field_name("arguments").named_children
        target = _string_value(args[0]) if args else None
        if target and target.startswith("."):
            resolved = Path(posixpath.normpath(str(here.parent / target)))
            if resolved.suffix != ".js":
                resolved = resolved.with_name(resolved.name + ".js")
            out[_text(name)] = resolved
    return out


# ---------------------------------------------------------------- v22+ class layout


class _ModernTree:
    """Class-based layout: walk `new X(...)` assignments from the `Stripe` class down."""

    def __init__(self, cjs: Path):
        self.cjs = cjs
        self._classes: dict[tuple[Path, str], Node] = {}
        self._imports: dict[Path, dict[str, Path]] = {}

    def _load(self, path: Path) -> None:
        if path in self._imports:
            return
        root = _parse(path)
        self._imports[path] = _requires(root, path)
        for node in _walk(root):
            if node.type == "class_declaration":
                self._classes[(path, _text(node.child_by_field_name("name")))] = node

    def _class(self, path: Path, name: str) -> Node | None:
        self._load(path)
        found = self._classes.get((path, name))
        if found is None:  # re-exported (stripe.oauth comes through resources.js)
            for module in self._imports[path].values():
                if module.exists() and module.name != path.name:
                    self._load(module)
                    if (module, name) in self._classes:
                        return self._classes[(module, name)]
        return found

    def _children(self, path: Path, cls: Node):
        """(`prop`, file, class) for each `this.prop = new Mod.Class(...)` in the class body."""
        for node in _walk(cls):
            if node.type != "assignment_expression":
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left.type != "member_expression" or _text(left.child_by_field_name("object")) != "this":
                continue
            if right.type != "new_expression":
                continue
            ctor = right.child_by_field_name("constructor")
            if ctor.type == "member_expression":
                module = self._imports[path].get(_text(ctor.child_by_field_name("object")))
                if module is not None:
                    yield _text(left.child_by_field_name("property")), module, _text(ctor.child_by_field_name("property"))
            elif ctor.type == "identifier":
                yield _text(left.child_by_field_name("property")), path, _text(ctor)

    @staticmethod
    def _methods(cls: Node):
        for node in cls.child_by_field_name("body").named_children:
            if node.type != "method_definition":
                continue
            name = _text(node.child_by_field_name("name"))
            for call in _walk(node):
                if call.type != "call_expression":
                    continue
                fn = call.child_by_field_name("function")
                if fn.type != "member_expression" or _text(fn.child_by_field_name("property")) != "_makeRequest":
                    continue
                args = call.child_by_field_name("arguments").named_children
                verb, path = (_string_value(args[0]), _string_value(args[1])) if len(args) > 1 else (None, None)
                if verb in _VERBS and path and path.startswith("/"):
                    yield name, verb, path
                    break  # accounts.retrieve: the first call is the id form

    def rows(self):
        core = self.cjs / "stripe.core.js"
        stack = [("", core, "Stripe")]
        seen = set()
        while stack:
            prefix, path, name = stack.pop()
            cls = self._class(path, name)
            if cls is None or (prefix, path, name) in seen:
                continue
            seen.add((prefix, path, name))
            path = next(p for (p, n), c in self._classes.items() if c is cls)
            for method, verb, tmpl in self._methods(cls):
                yield prefix + method, verb, tmpl
            for prop, module, child in self._children(path, cls):
                stack.append((prefix + prop + ".", module, child))


# ---------------------------------------------------------------- <= v21 extend layout


def _object_pairs(obj: Node):
    for pair in obj.named_children:
        if pair.type == "pair":
            key = pair.child_by_field_name("key")
            name = _string_value(key) if key.type == "string" else _text(key)
            yield name, pair.child_by_field_name("value")


def _extend_resource(path: Path):
    """Methods of one `StripeResource.extend({...})` file -> (name, VERB, full path)."""
    root = _parse(path)
    imports = _requires(root, path)
    for node in _walk(root):
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn.type != "member_expression" or _text(fn.child_by_field_name("property")) != "extend":
            continue
        args = node.child_by_field_name("arguments").named_children
        if not args or args[0].type != "object":
            continue
        pairs = dict(_object_pairs(args[0]))
        base = _string_value(pairs.get("path")) or ""
        base_path = _string_value(pairs.get("basePath")) or "/v1/"
        children = []
        ctor = pairs.get("constructor")
        if ctor is not None:  # v2.core.accounts.persons style nesting
            for sub in _walk(ctor):
                if sub.type == "assignment_expression":
                    left, right = sub.child_by_field_name("left"), sub.child_by_field_name("right")
                    if right.type == "new_expression" and left.type == "member_expression":
                        c = right.child_by_field_name("constructor")
                        if c.type == "member_expression" and _text(c.child_by_field_name("object")) in imports:
                            children.append((_text(left.child_by_field_name("property")), imports[_text(c.child_by_field_name("object"))]))
        methods = []
        for name, value in pairs.items():
            spec = _method_spec(value)
            if spec is None:
                continue
            verb, full, rel = spec
            if full is None:
                full = posixpath.join(base_path, base, rel.lstrip("/")) if rel else posixpath.join(base_path, base)
            methods.append((name, verb, re.sub(r"/+", "/", full).rstrip("/") or "/"))
        # methods like Accounts.retrieve(id) { return stripeMethod({...}).apply(...) }
        for method in args[0].named_children:
            if method.type == "method_definition":
                for call in _walk(method):
                    spec = _method_spec(call) if call.type == "call_expression" else None
                    if spec:
                        verb, full, rel = spec
                        full = full or posixpath.join(base_path, base, (rel or "").lstrip("/"))
                        methods.append((_text(method.child_by_field_name("name")), verb, full.rstrip("/")))
                        break
        return methods, children
    return [], []


def _method_spec(value: Node):
    """`stripeMethod({method, path | fullPath})` -> (VERB, fullPath | None, path | None)."""
    if value is None or value.type != "call_expression":
        return None
    fn = _text(value.child_by_field_name("function"))
    if not (fn == "stripeMethod" or fn.endswith(".method")):
        return None
    args = value.child_by_field_name("arguments").named_children
    if not args or args[0].type != "object":
        return None
    spec = dict(_object_pairs(args[0]))
    verb = _string_value(spec.get("method"))
    if verb not in _VERBS:
        return None
    return verb, _string_value(spec.get("fullPath")), _string_value(spec.get("path"))


def _export_table(resources_js: Path):
    """Top-level export table of resources.js -> {ExportName: file | (namespace, {...})}."""
    root = _parse(resources_js)
    imports = _requires(root, resources_js)

    def resolve(value: Node):
        if value is None:
            return None
        if value.type == "call_expression":
            fn = _text(value.child_by_field_name("function"))
            args = value.child_by_field_name("arguments").named_children
            if fn == "require" and args:
                target = _string_value(args[0])
                return _requires_one(resources_js, target)
            if "resourceNamespace" in fn and len(args) == 2 and args[1].type == "object":
                return (_string_value(args[0]), {k: resolve(v) for k, v in _object_pairs(args[1])})
        if value.type == "member_expression":
            return imports.get(_text(value.child_by_field_name("object")))
        if value.type == "identifier":
            return imports.get(_text(value))
        return None

    table = {}
    for node in _walk(root):
        if node.type == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            lt = _text(left)
            if lt == "module.exports" and right.type == "object":
                for k, v in _object_pairs(right):
                    table[k] = resolve(v)
            elif lt.startswith("exports.") and right.type != "identifier" and not lt.endswith("__esModule"):
                r = resolve(right)
                if r is not None:
                    table[lt[len("exports."):]] = r
        elif node.type == "call_expression" and _text(node.child_by_field_name("function")) == "Object.defineProperty":
            args = node.child_by_field_name("arguments").named_children
            if len(args) == 3 and _text(args[0]) == "exports":
                ret = [n for n in _walk(args[2]) if n.type == "return_statement"]
                if ret and ret[0].named_children:
                    r = resolve(ret[0].named_children[0])
                    if r is not None:
                        table[_string_value(args[1])] = r
    return table


def _requires_one(here: Path, target: str | None) -> Path | None:
    if not target or not target.startswith("."):
        return None
    resolved = Path(posixpath.normpath(str(here.parent / target)))
    return resolved if resolved.suffix == ".js" else resolved.with_name(resolved.name + ".js")


def _legacy_rows(resources_js: Path):
    cache: dict[Path, tuple] = {}

    def resource(prefix: str, path: Path, depth: int = 0):
        if path not in cache:
            cache[path] = _extend_resource(path) if path.exists() else ([], [])
        methods, children = cache[path]
        for name, verb, full in methods:
            yield prefix + name, verb, full
        if depth < 3:
            for prop, child in children:
                yield from resource(prefix + prop + ".", child, depth + 1)

    def visit(prefix: str, entries: dict):
        for key, value in entries.items():
            if isinstance(value, tuple):
                yield from visit(prefix + value[0] + ".", value[1])
            elif isinstance(value, Path):
                yield from resource(prefix + _camel(key) + ".", value)

    yield from visit("", _export_table(resources_js))


def node_rows(package_dir: Path) -> list[tuple[str, str, str]]:
    """All (accessor, VERB, path) rows of an unpacked npm package (`.../package`)."""
    cjs = package_dir / "cjs"
    if (cjs / "stripe.core.js").exists() and not (cjs / "StripeMethod.js").exists():
        rows = _ModernTree(cjs).rows()
    else:
        lib = cjs if (cjs / "resources.js").exists() else package_dir / "lib"
        rows = _legacy_rows(lib / "resources.js")
    # A path with no resource segment is a helper (v2 events' fetchRelatedObject), not an endpoint.
    return sorted({r for r in rows if r[2].strip("/").count("/") >= 1})
