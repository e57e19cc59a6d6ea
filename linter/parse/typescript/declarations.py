"""Declarations of one TypeScript file, with their lexical scopes.

The parser must recognise a Stripe client by how it was *made*, not by its name, so `stripe` in
`stripe.customers.list()` is looked up: the walk calls ``Declarations.visit`` for every node and
this records imports, variables (with their destructuring path), parameters (with their type),
functions, `x = value` assignments and class members (`this.x`). ``literals`` reads the literals
behind these bindings and ``interpreter.Interpreter`` evaluates expressions over them.
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.contextual_types import injects_stripe
from stripe_perm_lint.parse.typescript.scopes import CLASS_NODES, FUNCTION_NODES, Scopes
from stripe_perm_lint.parse.typescript.syntax import NAMES, call_arguments, property_name, string_value, text, unwrap_types
from stripe_perm_lint.parse.typescript.values import UI_SDK

_VAR_SCOPES = FUNCTION_NODES | {"program"}
# The node types ``Declarations.visit`` reads; the parser sends it only these.
DECLARING = CLASS_NODES | {
    "import_statement", "variable_declarator", "function_declaration", "generator_function_declaration",
    "required_parameter", "optional_parameter", "arrow_function", "catch_clause", "for_in_statement",
    "assignment_expression", "augmented_assignment_expression", "public_field_definition",
    "interface_declaration", "type_alias_declaration", "method_definition", "return_statement",
}


class Binding:
    """One declared name. ``path`` is the destructuring path from ``init`` (None: unknowable)."""

    __slots__ = ("name", "kind", "node", "init", "path", "type", "assigns", "module", "imported", "injected",
                 "pattern_type")

    def __init__(self, name: str, kind: str, node: Node, init: Node | None = None,
                 path: tuple[str, ...] | None = (), type_: Node | None = None,
                 module: str | None = None, imported: str | None = None) -> None:
        self.name = name
        self.kind = kind  # import | const | let | var | param | function | class | other
        self.node = node
        self.init = init
        self.path = path
        self.type = type_
        self.assigns: list[Node] = []
        self.module = module
        self.imported = imported
        self.injected = False  # decorated with a Stripe injector (`@InjectStripeClient()`)
        # `({ stripe }: Deps) =>`: (the pattern's type, the key) whose member type this binding has
        self.pattern_type: tuple[Node, str] | None = None


def enclosing_class(node: Node) -> Node | None:
    n = node.parent
    while n is not None:
        if n.type in CLASS_NODES:
            return n
        if n.type in ("function_declaration", "function_expression", "generator_function_declaration",
                      "generator_function"):
            return None  # a plain function rebinds `this`
        n = n.parent
    return None


def require_module(node: Node | None) -> str | None:
    """'x' for `require('x')`."""
    node = unwrap_types(node)
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    args = call_arguments(node)
    if fn is not None and fn.type == "identifier" and text(fn) == "require" and args:
        return string_value(args[0])
    return None


def import_module(node: Node) -> str | None:
    """The module an `import_statement` names: `import x from 'm'`, `import x = require('m')`."""
    source = node.child_by_field_name("source")
    for clause in node.named_children:  # `import x = require('m')` keeps the source inside
        if source is None and clause.type == "import_require_clause":
            source = clause.child_by_field_name("source")
    return string_value(source) if source is not None else None


def import_names(node: Node):
    """(local identifier node, imported name) of each name an `import_statement` binds; the
    imported name is "default" for a default import or `= require()`, "*" for a namespace."""
    for clause in node.named_children:
        if clause.type == "import_require_clause":  # import Stripe = require('stripe')
            yield clause.named_children[0], "default"
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                yield part, "default"
            elif part.type == "namespace_import":
                yield part.named_children[-1], "*"
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name = spec.child_by_field_name("name")
                    yield spec.child_by_field_name("alias") or name, property_name(name) or text(name)


def required_names(pattern: Node):
    """(local identifier node, imported name) bound by `const x = require('m')` (x: "default")
    or `const {a, b: c} = require('m')`: they behave like imports."""
    if pattern.type == "identifier":
        yield pattern, "default"
    elif pattern.type == "object_pattern":
        yield from ((ident, key) for key, ident in _flat_object_pattern(pattern))


class Declarations:
    """Every binding of one file, keyed by (scope node, name); plus class members. ``parents``
    are the parser walk's parents by node id (see ``scopes``)."""

    def __init__(self, parents: dict[int, Node | None] | None = None) -> None:
        self.scopes = Scopes(parents if parents is not None else {})
        self._table: dict[tuple[int, str], Binding] = {}
        self.bindings: list[Binding] = []
        # functions and object types by node id, for the ``Func`` / ``Shape`` values naming them
        self.nodes: dict[int, Node] = {}
        self._class_members: dict[int, dict[str, list[tuple[str, Node]]]] = {}
        self._pending_assigns: list[tuple[Node, Node]] = []
        self.local_types: dict[str, Node] = {}  # interface / type alias name -> body
        self.ui_import = False  # the file imports something from @stripe/ui-extension-sdk*
        # `return` statements by the id of the function (or class) directly holding them
        self._returns: dict[int | None, list[Node]] = {}

    # --- collection (called for every node, in document order) --------------------------------

    def declare(self, scope: Node, binding: Binding) -> None:
        self._table[(scope.id, binding.name)] = binding
        self.bindings.append(binding)

    def visit(self, node: Node) -> None:
        t = node.type
        if t == "import_statement":
            self._import(node)
        elif t == "variable_declarator":
            self._declarator(node)
        elif t in ("function_declaration", "generator_function_declaration"):
            self.nodes[node.id] = node
            name = node.child_by_field_name("name")
            if name is not None:
                self.declare(self.scopes.above(node), Binding(text(name), "function", name, init=node))
        elif t in CLASS_NODES:
            name = node.child_by_field_name("name")
            if name is not None and t != "class":
                self.declare(self.scopes.above(node), Binding(text(name), "class", name))
        elif t in ("required_parameter", "optional_parameter"):
            self._parameter(node)
        elif t == "arrow_function":
            param = node.child_by_field_name("parameter")
            if param is not None:
                self.declare(node, Binding(text(param), "param", param, path=None))
        elif t == "catch_clause":
            param = node.child_by_field_name("parameter")
            if param is not None:
                self._pattern(param, node, "other", None, None, None)
        elif t == "for_in_statement" and node.child_by_field_name("kind") is not None:
            left = node.child_by_field_name("left")
            if left is not None:
                self._pattern(left, node, "other", None, None, None)
        elif t in ("assignment_expression", "augmented_assignment_expression"):
            left = unwrap_types(node.child_by_field_name("left"))
            right = node.child_by_field_name("right")
            if left is not None and right is not None:
                if left.type == "identifier":
                    self._pending_assigns.append((left, right))
                elif left.type == "member_expression" and left.child_by_field_name("object").type == "this":
                    self._member(left, property_name(left.child_by_field_name("property")), "value", right)
        elif t == "public_field_definition":
            name = property_name(node.child_by_field_name("name"))
            if injects_stripe(node):
                self._member(node, name, "injected", node)
            if node.child_by_field_name("type") is not None:
                self._member(node, name, "type", node.child_by_field_name("type"))
            if node.child_by_field_name("value") is not None:
                self._member(node, name, "value", node.child_by_field_name("value"))
        elif t in ("interface_declaration", "type_alias_declaration"):
            # File-level type names (block-scoped types are rare enough to ignore scoping).
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body") or node.child_by_field_name("value")
            if name is not None and body is not None:
                self.local_types[text(name)] = body
        elif t == "return_statement":
            self._returns.setdefault(self.scopes.holder(node), []).append(node)
        elif t == "method_definition":
            self.nodes[node.id] = node
            name = property_name(node.child_by_field_name("name"))
            is_getter = any(c.type == "get" for c in node.children)
            self._member(node, name, "getter" if is_getter else "method", node)

    def finish(self) -> None:
        """Attach `x = value` assignments to the binding of `x` (needs every declaration)."""
        for left, right in self._pending_assigns:
            b = self.lookup(left)
            if b is not None:
                b.assigns.append(right)

    def return_values(self, block: Node) -> list[Node]:
        """Expressions of the `return` statements in a statement block, nested functions excluded:
        from the returns recorded while visiting, so a function's body is not walked again for each
        question about what it returns."""
        if block.type != "statement_block":
            raise ValueError(f"return_values needs a statement block, not {block.type}")
        found = []
        for ret in self._returns.get(self.scopes.holder(block), ()):
            if block.start_byte <= ret.start_byte and ret.end_byte <= block.end_byte:
                value = next((c for c in ret.named_children if c.type != "comment"), None)
                if value is not None:
                    found.append(value)
        return found

    def _member(self, at: Node, name: str | None, kind: str, value: Node) -> None:
        cls = enclosing_class(at)
        if cls is None or name is None:
            return
        self._class_members.setdefault(cls.id, {}).setdefault(name, []).append((kind, value))

    def _import(self, node: Node) -> None:
        module = import_module(node)
        if module is None:
            return
        if module.startswith(UI_SDK):
            self.ui_import = True
        scope = self.scopes.above(node)
        for ident, imported in import_names(node):
            self.declare(scope, Binding(text(ident), "import", ident, module=module, imported=imported))

    def _declarator(self, node: Node) -> None:
        pattern = node.child_by_field_name("name")
        if pattern is None:
            return
        decl = node.parent
        kind = "var"
        if decl is not None and decl.type == "lexical_declaration":
            kw = decl.child_by_field_name("kind")
            kind = text(kw) if kw is not None else "let"
        scope = self.scopes.above(node, _VAR_SCOPES) if kind == "var" else self.scopes.above(node)
        init = node.child_by_field_name("value")
        module = require_module(init)
        if module is not None and pattern.type in ("identifier", "object_pattern"):
            for ident, imported in required_names(pattern):
                self.declare(scope, Binding(text(ident), "import", ident, module=module, imported=imported))
            return
        self._pattern(pattern, scope, kind, init, (), node.child_by_field_name("type"))

    def _parameter(self, node: Node) -> None:
        pattern = node.child_by_field_name("pattern")
        if pattern is None:
            return
        params = node.parent
        fn = params.parent if params is not None else None
        if fn is None:
            return
        type_ = node.child_by_field_name("type")
        default = node.child_by_field_name("value")
        if pattern.type == "object_pattern" and type_ is not None:
            # `({ stripe, event }: { stripe: Stripe; event: Stripe.Event })`: types per property.
            self._typed_object_pattern(pattern, fn, type_)
            return
        self._pattern(pattern, fn, "param", default, () if default is not None else None, type_)
        injected = injects_stripe(node)
        if injected and pattern.type in NAMES:
            self.bindings[-1].injected = True
        # `constructor(private readonly stripe: Stripe)` also declares a field `this.stripe`.
        if fn.type == "method_definition" and pattern.type == "identifier" and any(
            c.type in ("accessibility_modifier", "readonly", "override_modifier") for c in node.children
        ):
            if injected:
                self._member(fn, text(pattern), "injected", node)
            if type_ is not None:
                self._member(fn, text(pattern), "type", type_)
            if default is not None:
                self._member(fn, text(pattern), "value", default)

    def _typed_object_pattern(self, pattern: Node, fn: Node, type_: Node) -> None:
        obj_type = type_.named_children[0] if type_.named_children else None
        members: dict[str, Node] = {}
        if obj_type is not None and obj_type.type == "object_type":
            for sig in obj_type.named_children:
                name = sig.child_by_field_name("name")
                sig_type = sig.child_by_field_name("type")
                if sig.type == "property_signature" and name is not None and sig_type is not None:
                    members[text(name)] = sig_type
        for child in pattern.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                self.declare(fn, Binding(text(child), "param", child, path=None, type_=members.get(text(child))))
                self.bindings[-1].pattern_type = (type_, text(child))
            elif child.type == "pair_pattern":
                key = property_name(child.child_by_field_name("key"))
                value = child.child_by_field_name("value")
                if value is not None and value.type == "identifier":
                    self.declare(fn, Binding(text(value), "param", value, path=None, type_=members.get(key or "")))
                    if key is not None:
                        self.bindings[-1].pattern_type = (type_, key)
                elif value is not None:
                    self._pattern(value, fn, "param", None, None, None)
            else:
                self._pattern(child, fn, "param", None, None, None)

    def _pattern(self, pattern: Node, scope: Node, kind: str, init: Node | None,
                 path: tuple[str, ...] | None, type_: Node | None) -> None:
        t = pattern.type
        if t in NAMES:
            self.declare(scope, Binding(text(pattern), kind, pattern, init=init, path=path, type_=type_))
        elif t == "object_pattern":
            for child in pattern.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    sub = None if path is None else path + (text(child),)
                    self.declare(scope, Binding(text(child), kind, child, init=init, path=sub))
                elif child.type == "pair_pattern":
                    key = property_name(child.child_by_field_name("key"))
                    sub = None if path is None or key is None else path + (key,)
                    value = child.child_by_field_name("value")
                    if value is not None:
                        self._pattern(value, scope, kind, init, sub, None)
                elif child.type == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    if left is not None:
                        sub = None if path is None else path + (text(left),)
                        self.declare(scope, Binding(text(left), kind, left, init=init, path=sub))
                elif child.type == "rest_pattern":
                    for ident in child.named_children:
                        self._pattern(ident, scope, kind, None, None, None)
        elif t == "array_pattern":
            # `const [stripe] = useState(...)`: element i has path `[i]` (holes count, rest is unknowable).
            index = 0
            for child in pattern.children:
                if child.type == ",":
                    index += 1
                elif child.is_named and child.type != "comment":
                    sub = None if path is None or child.type == "rest_pattern" else path + (f"[{index}]",)
                    self._pattern(child, scope, kind, init if sub is not None else None, sub, None)
        elif t == "rest_pattern":
            for child in pattern.named_children:
                self._pattern(child, scope, kind, None, None, None)
        elif t == "assignment_pattern":
            left = pattern.child_by_field_name("left")
            if left is not None:
                self._pattern(left, scope, kind, init, path, type_)

    # --- lookup -------------------------------------------------------------------------------

    def lookup(self, ident: Node) -> Binding | None:
        return self.lookup_name(text(ident), ident)

    def lookup_name(self, name: str, at: Node) -> Binding | None:
        scope = self.scopes.at(at)
        while scope is not None:
            b = self._table.get((scope.id, name))
            if b is not None:
                return b
            scope = self.scopes.outer(scope)
        return None

    def class_members(self, cls: Node, name: str) -> list[tuple[str, Node]]:
        """(kind, node) of each declaration of `this.<name>` in a class: kind "type" (a field's
        type), "value" (its initialiser or an assignment), "method" or "getter"."""
        return self._class_members.get(cls.id, {}).get(name, [])


def _flat_object_pattern(pattern: Node):
    """(key, identifier) of `{a, b: c}`; nested patterns are skipped."""
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            yield text(child), child
        elif child.type == "pair_pattern":
            key = property_name(child.child_by_field_name("key"))
            value = child.child_by_field_name("value")
            if key is not None and value is not None and value.type == "identifier":
                yield key, value
