"""Bindings and a tiny abstract interpreter for the TypeScript parser.

The parser must recognise a Stripe client by how it was *made*, not by its name, and must follow
it through aliases, destructuring, factory functions and class fields. This module records every
declaration of a file with its lexical scope, then answers "what is this expression?" with a
small set of abstract values (``Client``, ``Pending``, ``EventV`` ...). Evaluation is lazy and
memoised, so a declaration may come after its use (hoisted functions, module constants).

Deliberate limits: no control-flow sensitivity (a `let` takes the first assignment that gives a
known value), no cross-file knowledge (imports become ``Pending`` for the linker), no generics.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from .ts_util import (
    OAUTH_KEY,
    dotted_tail,
    member_parts,
    object_entries,
    property_name,
    string_value,
    string_value_fragment,
    text,
    unwrap,
    unwrap_types,
    call_arguments,
)

# --- abstract values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StripeClass:
    """The stripe-node constructor / module (`import Stripe from 'stripe'`, `require('stripe')`).
    ``unbound`` marks a global `Stripe` nobody imported: `new Stripe()` is stripe-node, but a
    plain `Stripe('pk_...')` call is the browser's Stripe.js."""

    unbound: bool = False


@dataclass(frozen=True)
class Client:
    """A stripe-node client, or a member of one (``segs`` = path after the client)."""

    installing: bool
    segs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pending:
    """A name imported from another module of the app (the linker decides what it is)."""

    local: str
    via_factory: bool = False
    segs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Func:
    node_id: int


@dataclass(frozen=True)
class EventV:
    """A webhook / thin event object."""


@dataclass(frozen=True)
class EventType:
    """The `type` string of an event."""


@dataclass(frozen=True)
class Ui:
    """Something imported from `@stripe/ui-extension-sdk*` (``name`` is the exported name, `*`)."""

    name: str


@dataclass(frozen=True)
class PermList:
    """The result of `getUserAuthorizedPermissions()`."""


@dataclass(frozen=True)
class HttpLib:
    """A generic HTTP function or module (`fetch`, axios, got, ky); ``base`` is the base URL of an
    instance made with `axios.create({baseURL})` / `got.extend({prefixUrl})` / `ky.create(...)`."""

    name: str
    base: str = ""


UI_SDK = "@stripe/ui-extension-sdk"
_HTTP_MODULES = {
    "axios": "axios",
    "got": "got",
    "ky": "ky",
    "node-fetch": "fetch",
    "cross-fetch": "fetch",
    "isomorphic-fetch": "fetch",
    "undici": "undici",
}

FUNCTION_NODES = frozenset(
    {"function_declaration", "generator_function_declaration", "function_expression", "arrow_function",
     "method_definition", "generator_function"}
)
SCOPE_NODES = FUNCTION_NODES | {"program", "statement_block", "for_statement", "for_in_statement",
                                "catch_clause", "switch_body"}
CLASS_NODES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
_VAR_SCOPES = FUNCTION_NODES | {"program"}


def is_relative(module: str) -> bool:
    return module.startswith("./") or module.startswith("../") or module in (".", "..")


class Binding:
    """One declared name. ``path`` is the destructuring path from ``init`` (None: unknowable)."""

    __slots__ = ("name", "kind", "node", "init", "path", "type", "assigns", "module", "imported")

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


def _scope_of(node: Node, kinds: frozenset[str] = SCOPE_NODES) -> Node:
    n = node.parent
    while n is not None and n.type not in kinds:
        n = n.parent
    return n if n is not None else node


def _enclosing_class(node: Node) -> Node | None:
    n = node.parent
    while n is not None:
        if n.type in CLASS_NODES:
            return n
        if n.type in ("function_declaration", "function_expression", "generator_function_declaration",
                      "generator_function"):
            return None  # a plain function rebinds `this`
        n = n.parent
    return None


def _require_module(node: Node | None) -> str | None:
    """'x' for `require('x')`."""
    node = unwrap_types(node)
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    args = call_arguments(node)
    if fn is not None and fn.type == "identifier" and text(fn) == "require" and args:
        return string_value(args[0])
    return None


class Scope:
    """Declarations of one file and lazy evaluation of expressions over them."""

    def __init__(self) -> None:
        self._table: dict[tuple[int, str], Binding] = {}
        self.bindings: list[Binding] = []
        self._nodes: dict[int, Node] = {}
        self._class_members: dict[int, dict[str, list[tuple[str, Node]]]] = {}
        self._pending_assigns: list[tuple[Node, Node]] = []
        self._value_memo: dict[int, object] = {}
        self._binding_memo: dict[int, object] = {}
        self._returns_memo: dict[int, object] = {}
        self.ui_import = False  # the file imports something from @stripe/ui-extension-sdk*

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
            self._nodes[node.id] = node
            name = node.child_by_field_name("name")
            if name is not None:
                self.declare(_scope_of(node), Binding(text(name), "function", name, init=node))
        elif t in CLASS_NODES:
            name = node.child_by_field_name("name")
            if name is not None and t != "class":
                self.declare(_scope_of(node), Binding(text(name), "class", name))
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
            if node.child_by_field_name("type") is not None:
                self._member(node, name, "type", node.child_by_field_name("type"))
            if node.child_by_field_name("value") is not None:
                self._member(node, name, "value", node.child_by_field_name("value"))
        elif t == "method_definition":
            self._nodes[node.id] = node
            name = property_name(node.child_by_field_name("name"))
            is_getter = any(c.type == "get" for c in node.children)
            self._member(node, name, "getter" if is_getter else "method", node)

    def finish(self) -> None:
        """Attach `x = value` assignments to the binding of `x` (needs every declaration)."""
        for left, right in self._pending_assigns:
            b = self.lookup(left)
            if b is not None:
                b.assigns.append(right)

    def _member(self, at: Node, name: str | None, kind: str, value: Node) -> None:
        cls = _enclosing_class(at)
        if cls is None or name is None:
            return
        self._class_members.setdefault(cls.id, {}).setdefault(name, []).append((kind, value))

    def _import(self, node: Node) -> None:
        source = node.child_by_field_name("source")
        module = string_value(source) if source is not None else None
        if module is None:
            return
        if module.startswith(UI_SDK):
            self.ui_import = True
        scope = _scope_of(node)
        for clause in node.named_children:
            if clause.type == "import_require_clause":  # import Stripe = require('stripe')
                ident = clause.named_children[0]
                self.declare(scope, Binding(text(ident), "import", ident, module=module, imported="default"))
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    self.declare(scope, Binding(text(part), "import", part, module=module, imported="default"))
                elif part.type == "namespace_import":
                    ident = part.named_children[-1]
                    self.declare(scope, Binding(text(ident), "import", ident, module=module, imported="*"))
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        self.declare(scope, Binding(text(alias), "import", alias, module=module,
                                                    imported=property_name(name) or text(name)))

    def _declarator(self, node: Node) -> None:
        pattern = node.child_by_field_name("name")
        if pattern is None:
            return
        decl = node.parent
        kind = "var"
        if decl is not None and decl.type == "lexical_declaration":
            kw = decl.child_by_field_name("kind")
            kind = text(kw) if kw is not None else "let"
        scope = _scope_of(node, _VAR_SCOPES) if kind == "var" else _scope_of(node)
        init = node.child_by_field_name("value")
        module = _require_module(init)
        if module is not None and module != "stripe" and not module.startswith(UI_SDK):
            # `const x = require('./x')` / `const {a} = require('./x')` behave like imports.
            if pattern.type == "identifier":
                self.declare(scope, Binding(text(pattern), "import", pattern, module=module, imported="default"))
                return
            if pattern.type == "object_pattern":
                for key, ident in _flat_object_pattern(pattern):
                    self.declare(scope, Binding(text(ident), "import", ident, module=module, imported=key))
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
        self._pattern(pattern, fn, "param", default, () if default is not None else None, type_)
        # `constructor(private readonly stripe: Stripe)` also declares a field `this.stripe`.
        if fn.type == "method_definition" and pattern.type == "identifier" and any(
            c.type in ("accessibility_modifier", "readonly", "override_modifier") for c in node.children
        ):
            if type_ is not None:
                self._member(fn, text(pattern), "type", type_)
            if default is not None:
                self._member(fn, text(pattern), "value", default)

    def _pattern(self, pattern: Node, scope: Node, kind: str, init: Node | None,
                 path: tuple[str, ...] | None, type_: Node | None) -> None:
        t = pattern.type
        if t == "identifier":
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
        elif t in ("array_pattern", "rest_pattern"):
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
        n: Node | None = at
        while n is not None:
            if n.type in SCOPE_NODES:
                b = self._table.get((n.id, name))
                if b is not None:
                    return b
            n = n.parent
        return None

    # --- evaluation ---------------------------------------------------------------------------

    def value(self, node: Node | None) -> object:
        node = unwrap(node)
        if node is None:
            return None
        key = node.id
        if key in self._value_memo:
            return self._value_memo[key]
        self._value_memo[key] = None  # cycle guard
        result = self._compute(node)
        self._value_memo[key] = result
        return result

    def _compute(self, node: Node) -> object:
        t = node.type
        if t == "identifier":
            b = self.lookup(node)
            if b is not None:
                return self.binding_value(b)
            name = text(node)
            if name == "Stripe":
                return StripeClass(unbound=True)
            if name == "fetch":
                return HttpLib("fetch")
            return None
        if t in ("member_expression", "subscript_expression"):
            obj, prop = member_parts(node)
            if obj is None:
                return None
            prop = prop if prop is not None else "?"
            obj = unwrap_types(obj)
            if obj.type == "this":
                return self._this_member(node, prop)
            if obj.type == "identifier" and text(obj) in ("window", "globalThis", "self") and prop == "fetch":
                return HttpLib("fetch")
            return member_of(self.value(obj), prop)
        if t == "call_expression":
            return self._call_value(node)
        if t == "new_expression":
            ctor = self.value(node.child_by_field_name("constructor"))
            if isinstance(ctor, StripeClass):
                return Client(self.client_installing(call_arguments(node)))
            return None
        if t in ("arrow_function", "function_expression", "generator_function"):
            self._nodes[node.id] = node
            return Func(node.id)
        if t == "ternary_expression":
            return self.value(node.child_by_field_name("consequence")) or self.value(
                node.child_by_field_name("alternative"))
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and text(op) in ("||", "??", "&&"):
                return self.value(node.child_by_field_name("right")) if text(op) == "&&" else (
                    self.value(node.child_by_field_name("left")) or self.value(node.child_by_field_name("right")))
            return None
        if t in ("assignment_expression", "augmented_assignment_expression"):
            return self.value(node.child_by_field_name("right"))
        if t == "sequence_expression":
            kids = node.named_children
            return self.value(kids[-1]) if kids else None
        return None

    def binding_value(self, b: Binding) -> object:
        key = id(b)
        if key in self._binding_memo:
            return self._binding_memo[key]
        self._binding_memo[key] = None
        result = self._binding_compute(b)
        self._binding_memo[key] = result
        return result

    def _binding_compute(self, b: Binding) -> object:
        if b.kind == "import":
            return _import_value(b)
        if b.kind == "function":
            return Func(b.init.id) if b.init is not None else None
        if b.type is not None:
            typed = self.type_value(b.type)
            if typed is not None:
                return typed
        v = None
        if b.init is not None and b.path is not None:
            v = self.value(b.init)
            for seg in b.path:
                v = member_of(v, seg)
        if v is None and b.path == ():
            for right in b.assigns:
                v = self.value(right)
                if v is not None:
                    break
        return v

    def _call_value(self, call: Node) -> object:
        fn = call.child_by_field_name("function")
        if fn is None:
            return None
        module = _require_module(call)
        if module is not None:
            return StripeClass() if module == "stripe" else None
        tail = dotted_tail(fn)
        if len(tail) >= 2 and tail[-2] == "webhooks" and tail[-1] in ("constructEvent", "constructEventAsync"):
            return EventV()
        if tail and tail[-1].startswith(("parseThinEvent", "parseEventNotification")):
            return EventV()
        fv = self.value(fn)
        if isinstance(fv, StripeClass):
            if fv.unbound:
                return None  # `Stripe('pk_...')` without import: browser Stripe.js
            return Client(self.client_installing(call_arguments(call)))
        if isinstance(fv, Func):
            return self.returns(fv)
        if isinstance(fv, Pending):
            if not fv.segs and not fv.via_factory:
                return Pending(fv.local, True)
            return None
        if isinstance(fv, Client):
            if fv.segs and fv.segs[-1] == "retrieve" and fv.segs[:-1] in (("events",), ("v2", "core", "events")):
                return EventV()
            return None
        if isinstance(fv, Ui) and fv.name == "getUserAuthorizedPermissions":
            return PermList()
        if fn.type == "member_expression":  # axios.create({baseURL}) / got.extend({prefixUrl})
            obj, prop = member_parts(fn)
            lib = self.value(obj)
            if isinstance(lib, HttpLib) and prop in ("create", "extend"):
                args = call_arguments(call)
                base = ""
                opts = self.resolve_object(args[0]) if args else None
                for key, value, _ in object_entries(opts) if opts is not None else ():
                    if key in ("baseURL", "prefixUrl", "prefixURL") and value is not None:
                        base = self.static_string(value)
                return HttpLib(lib.name, base)
        return None

    def static_string(self, node: Node | None, depth: int = 0) -> str:
        """A string expression with every part the parser cannot know written `{}`:
        literals, templates, `+` concatenation and same-file string consts are followed."""
        node = unwrap_types(node)
        if node is None or depth > 8:
            return "{}"
        literal = string_value(node)
        if literal is not None:
            return literal
        if node.type == "template_string":
            parts = []
            for c in node.named_children:
                if c.type == "template_substitution":
                    inner = c.named_children
                    parts.append(self.static_string(inner[0], depth + 1) if inner else "{}")
                else:
                    parts.append(string_value_fragment(c))
            return "".join(parts)
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and text(op) == "+":
                return (self.static_string(node.child_by_field_name("left"), depth + 1)
                        + self.static_string(node.child_by_field_name("right"), depth + 1))
            return "{}"
        if node.type == "identifier":
            b = self.lookup(node)
            if b is not None and b.kind == "const" and b.path == () and b.init is not None:
                return self.static_string(b.init, depth + 1)
        return "{}"

    def resolve_string(self, node: Node | None, depth: int = 0) -> tuple[str, Node] | None:
        """A string literal, directly or through a same-file const: (value, literal node)."""
        node = unwrap_types(node)
        if node is None or depth > 5:
            return None
        value = string_value(node)
        if value is not None:
            return value, node
        if node.type == "identifier":
            b = self.lookup(node)
            if b is not None and b.kind == "const" and b.path == () and b.init is not None:
                return self.resolve_string(b.init, depth + 1)
        return None

    def returns(self, func: Func) -> object:
        """What a local function returns (first return value the evaluator understands)."""
        key = func.node_id
        if key in self._returns_memo:
            return self._returns_memo[key]
        self._returns_memo[key] = None
        node = self._nodes.get(key)
        result = None
        if node is not None:
            body = node.child_by_field_name("body")
            if body is not None and body.type != "statement_block":
                result = self.value(body)
            elif body is not None:
                for ret in _return_values(body):
                    result = self.value(ret)
                    if result is not None:
                        break
        self._returns_memo[key] = result
        return result

    def _this_member(self, node: Node, prop: str) -> object:
        cls = _enclosing_class(node)
        if cls is None:
            return None
        for kind, value in self._class_members.get(cls.id, {}).get(prop, []):
            if kind == "type":
                v = self.type_value(value)
            elif kind == "value":
                v = self.value(value)
            elif kind == "method":
                v = Func(value.id)
            else:  # getter
                v = self.returns(Func(value.id))
            if v is not None:
                return v
        return None

    # --- helpers over values ------------------------------------------------------------------

    def type_value(self, type_node: Node) -> object:
        """`Stripe` / `Stripe.Stripe` -> Client; `Stripe.Event` (and friends) -> EventV;
        `Stripe.Event.Type` / `Stripe.Event['type']` -> EventType. Unions take any member."""
        node = type_node
        if node.type == "type_annotation":
            kids = node.named_children
            if not kids:
                return None
            node = kids[0]
        if node.type in ("union_type", "parenthesized_type", "intersection_type"):
            for child in node.named_children:
                v = self.type_value(child)
                if v is not None:
                    return v
            return None
        if node.type == "generic_type":
            name = node.child_by_field_name("name") or (node.named_children[0] if node.named_children else None)
            if name is not None and text(name) == "InstanceType" and "typeof" in text(node):
                args = text(node).split("typeof", 1)[1].strip(" >")
                return Client(False) if self._is_stripe_root(args.split(".")[0], node) else None
            return self.type_value(name) if name is not None else None
        if node.type == "lookup_type" or node.type == "indexed_access_type":
            raw = text(node).replace('"', "'").replace(" ", "")
            if raw.endswith("['type']") and isinstance(self._stripe_type(raw[: -len("['type']")], node), EventV):
                return EventType()
            return None
        if node.type in ("type_identifier", "nested_type_identifier"):
            return self._stripe_type(text(node).replace(" ", ""), node)
        return None

    def _stripe_type(self, dotted: str, at: Node) -> object:
        parts = dotted.split(".")
        if not self._is_stripe_root(parts[0], at):
            return None
        rest = parts[1:]
        if rest in ([], ["Stripe"]):
            return Client(False)
        if rest == ["Event", "Type"]:
            return EventType()
        last = rest[-1]
        if last in ("Event", "DiscriminatedEvent", "ThinEvent", "EventNotification") or (
            last.endswith("Event") and len(rest) <= 2
        ):
            return EventV()
        return None

    def _is_stripe_root(self, name: str, at: Node) -> bool:
        b = self.lookup_name(name, at)
        if b is None:
            return name == "Stripe"
        return isinstance(self.binding_value(b), StripeClass)

    def client_installing(self, args: list[Node]) -> bool:
        """Does `new Stripe(key, opts)` act for the installing account?"""
        for arg in args:
            for ident in _identifiers(arg):
                if ident in ("STRIPE_API_KEY", "createHttpClient"):
                    return True
        if args and OAUTH_KEY.search(text(args[0])):
            return True
        return len(args) > 1 and self.has_account_option(args[1])

    def has_account_option(self, node: Node) -> bool:
        obj = self.resolve_object(node)
        if obj is None:
            return False
        return any(key in ("stripeAccount", "stripeContext") for key, _, _ in object_entries(obj))

    def resolve_object(self, node: Node | None, depth: int = 0) -> Node | None:
        """The object literal an expression stands for: itself, or a const/let initialiser."""
        node = unwrap_types(node)
        if node is None or depth > 5:
            return None
        if node.type == "object":
            return node
        if node.type == "identifier":
            b = self.lookup(node)
            if b is not None and b.kind in ("const", "let", "var") and b.path == () and b.init is not None:
                return self.resolve_object(b.init, depth + 1)
        return None

    def resolve_init(self, node: Node | None, depth: int = 0) -> Node | None:
        """The expression a const name stands for (the node itself when it is not a name)."""
        node = unwrap_types(node)
        if node is None or depth > 5 or node.type != "identifier":
            return node
        b = self.lookup(node)
        if b is not None and b.kind == "const" and b.path == () and b.init is not None:
            return self.resolve_init(b.init, depth + 1)
        return None

    def resolve_strings(self, node: Node | None, depth: int = 0):
        """A list of string literals: returns (items [(value, node)], imports [(local, node)], dynamic).

        Follows same-file consts (`as const`, spreads); an imported name is reported for the linker.
        """
        node = unwrap_types(node)
        items: list[tuple[str, Node]] = []
        imports: list[tuple[str, Node]] = []
        if node is None or depth > 8:
            return items, imports, True
        if node.type == "array":
            dynamic = False
            for el in node.named_children:
                if el.type == "comment":
                    continue
                value = string_value(el)
                if value is not None:
                    items.append((value, el))
                elif el.type == "spread_element" and el.named_children:
                    sub_items, sub_imports, sub_dyn = self.resolve_strings(el.named_children[0], depth + 1)
                    items += sub_items
                    imports += sub_imports
                    dynamic = dynamic or sub_dyn
                else:
                    dynamic = True
            return items, imports, dynamic
        if node.type == "identifier":
            b = self.lookup(node)
            if b is None:
                return items, imports, True
            if b.kind == "import":
                if b.module is not None and is_relative(b.module):
                    return items, [(b.name, node)], False
                return items, imports, True
            if b.kind == "const" and b.path == () and b.init is not None:
                return self.resolve_strings(b.init, depth + 1)
        return items, imports, True


def member_of(v: object, prop: str) -> object:
    if isinstance(v, Client):
        return Client(v.installing, v.segs + (prop,))
    if isinstance(v, Pending):
        return Pending(v.local, v.via_factory, v.segs + (prop,))
    if isinstance(v, StripeClass):
        return StripeClass() if prop in ("Stripe", "default") else None
    if isinstance(v, EventV):
        return EventType() if prop == "type" else None
    if isinstance(v, Ui) and v.name == "*":
        return Ui(prop)
    return None


def _import_value(b: Binding) -> object:
    module = b.module or ""
    if module == "stripe":
        return StripeClass() if b.imported in ("default", "*", "Stripe") else None
    if module.startswith(UI_SDK):
        return Ui(b.imported or "*")
    if is_relative(module):
        return Pending(b.name)
    lib = _HTTP_MODULES.get(module)
    if lib is not None:
        if lib == "undici":
            return HttpLib("fetch") if b.imported == "fetch" else (HttpLib("undici") if b.imported == "*" else None)
        if b.imported in ("default", "*"):
            return HttpLib(lib)
    return None


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


def _identifiers(node: Node):
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "property_identifier", "shorthand_property_identifier"):
            yield text(n)
        stack.extend(n.children)


def _return_values(body: Node):
    """Expressions of the `return` statements of a function body, nested functions excluded."""
    stack = [body]
    found = []
    while stack:
        n = stack.pop()
        if n.type == "return_statement":
            kids = [c for c in n.named_children if c.type != "comment"]
            if kids:
                found.append(kids[0])
            continue
        if n.type in FUNCTION_NODES or n.type in CLASS_NODES:
            continue
        stack.extend(reversed(n.children))
    return found
