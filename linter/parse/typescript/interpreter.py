"""A tiny abstract interpreter over the declarations of one TypeScript file.

``Interpreter.value(expr)`` answers "what is this expression?" with the values of ``values``,
following aliases, destructuring, factory functions, class fields and type annotations
(``type_values``), React containers (``hooks``) and same-file literals (``literals``).
Evaluation is lazy and memoised, so a declaration may come after its use (hoisted functions,
module constants), and cycles evaluate to None.

Deliberate limits: no control-flow sensitivity (a `let` takes the first assignment that gives a
known value), no cross-file knowledge (imports become ``Pending`` for the linker), no generics.
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.accounts import client_installing
from stripe_perm_lint.parse.typescript.contextual_types import contextual_parameter_type, member_type
from stripe_perm_lint.parse.typescript.declarations import (
    Binding,
    Declarations,
    enclosing_class,
    require_module,
)
from stripe_perm_lint.parse.typescript.hooks import react_value
from stripe_perm_lint.parse.typescript.literals import imported_prefix, resolve_object, resolve_string, static_string
from stripe_perm_lint.parse.typescript.syntax import (
    NAMES,
    call_arguments,
    dotted_tail,
    member_parts,
    object_entries,
    text,
    unwrap,
    unwrap_types,
)
from stripe_perm_lint.parse.typescript.type_values import returned_event, shape_member, type_value
from stripe_perm_lint.parse.typescript.values import (
    REACT_APIS,
    EventType,
    EventTypeParts,
    EventV,
    Func,
    Held,
    HttpLib,
    NodeClient,
    Pending,
    PermList,
    React,
    Shape,
    StripeClass,
    Ui,
    import_value,
    member_of,
)


class Interpreter:
    """Lazy, memoised evaluation of expressions over the declarations of one file."""

    def __init__(self, decls: Declarations) -> None:
        self.decls = decls
        self._value_memo: dict[int, object] = {}
        self._binding_memo: dict[int, object] = {}
        self._returns_memo: dict[int, object] = {}
        self.types_seen: set[int] = set()  # local type names being followed (``type_values``)

    def value(self, node: Node | None) -> object:
        # `req.body as Stripe.Event` / `<Stripe.Event>JSON.parse(b)`: the asserted type tells.
        asserted = unwrap(node, keep_assertions=True)
        if asserted is not None and asserted.type in ("as_expression", "type_assertion"):
            kids = [c for c in asserted.named_children if c.type != "comment"]
            if len(kids) == 2:
                typed = type_value(self, kids[0] if asserted.type == "type_assertion" else kids[1])
                if typed is not None:
                    return typed
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
        if t in NAMES:
            b = self.decls.lookup(node)
            if b is not None:
                return self.binding_value(b)
            name = text(node)
            if name == "Stripe":
                return StripeClass(unbound=True)
            if name in ("fetch", "axios"):  # globals (browser scripts, Node 18+)
                return HttpLib(name)
            if name in REACT_APIS or name == "React":  # JSX runtime globals / snippets without imports
                return React("*" if name == "React" else name)
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
            holder_value = self.value(obj)
            if node.type == "subscript_expression" and isinstance(holder_value, (Held, EventTypeParts)):
                index = unwrap_types(node.child_by_field_name("index"))
                return member_of(holder_value, f"[{text(index)}]") if index is not None else None
            if isinstance(holder_value, Shape):
                return shape_member(self, holder_value, prop)
            found = member_of(holder_value, prop)
            if found is None and prop != "?":
                # `const deps = { stripe: new Stripe(k) }; deps.stripe.customers.list()`
                holder = resolve_object(self.decls, obj)
                for key, value, _ in object_entries(holder) if holder is not None else ():
                    if key == prop and value is not None and value.type != "method_definition":
                        return self.value(value)
            return found
        if t == "call_expression":
            return self._call_value(node)
        if t == "new_expression":
            ctor = self.value(node.child_by_field_name("constructor"))
            if isinstance(ctor, StripeClass):
                return NodeClient(client_installing(self.decls, call_arguments(node)))
            return None
        if t in ("arrow_function", "function_expression", "generator_function"):
            self.decls.nodes[node.id] = node
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
        if b.injected:  # `@InjectStripeClient() stripe: StripeClient`: the decorator says what it holds
            return NodeClient(None)
        if b.kind == "import":
            return import_value(b.module or "", b.imported, b.name)
        if b.kind == "function":
            return Func(b.init.id) if b.init is not None else None
        v = None
        if b.init is not None and b.path is not None:
            v = self.value(b.init)
            for seg in b.path:  # `const { event } = params` where `params: { event: Stripe.Event }`
                v = shape_member(self, v, seg) if isinstance(v, Shape) else member_of(v, seg)
        if v is None and b.path == ():
            for right in b.assigns:
                v = self.value(right)
                if v is not None:
                    break
        if v is None and b.kind == "param":
            v = self._then_callback_value(b)
        if v is None and b.kind == "param" and b.type is None:
            v = self._declared_elsewhere(b)
        # What the code built wins (it knows `stripeAccount`); the declared type is the fallback,
        # also over an import, since `const s: Stripe = make()` is surely a client.
        if b.type is not None and not isinstance(v, (NodeClient, EventV, EventType)):
            typed = type_value(self, b.type)
            if typed is not None:
                return typed
        return v

    def _declared_elsewhere(self, b: Binding) -> object:
        """A parameter whose type is written elsewhere: a member of its destructured pattern's type
        (`({ stripe }: Deps) =>`), or the type its function gets from the annotated declaration it
        is written in (``contextual_types``)."""
        if b.pattern_type is not None:
            member = member_type(self.decls, *b.pattern_type)
            if member is not None:
                return type_value(self, member)
            whole = type_value(self, b.pattern_type[0])  # a type imported from another module
            return member_of(whole, b.pattern_type[1]) if isinstance(whole, Pending) else None
        declared = contextual_parameter_type(self.decls, b.node)
        return type_value(self, declared) if declared is not None else None

    def _then_callback_value(self, b: Binding) -> object:
        """`getUserAuthorizedPermissions().then((granted) => ...)`: the first parameter of a
        `.then` callback holds what the promise resolves to (values here ignore the Promise)."""
        node = b.node
        while node is not None and node.type not in ("arrow_function", "function_expression", "function"):
            if node.type in ("statement_block", "program", "class_body"):
                return None
            node = node.parent
        if node is None or node.parent is None or node.parent.type != "arguments":
            return None
        params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        first = params.named_children[0] if params is not None and params.type == "formal_parameters" and params.named_children else params
        if first is None or b.node.start_byte < first.start_byte or b.node.end_byte > first.end_byte:
            return None
        call = node.parent.parent
        fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if fn is None or fn.type != "member_expression":
            return None
        obj, prop = member_parts(fn)
        if prop != "then" or node.parent.named_children[0].id != node.id:
            return None
        resolved = self.value(obj)
        return resolved if isinstance(resolved, (PermList, EventV)) else None

    def _call_value(self, call: Node) -> object:
        fn = call.child_by_field_name("function")
        if fn is None:
            return None
        module = require_module(call)
        if module is not None:
            return StripeClass() if module == "stripe" else None
        tail = dotted_tail(fn)
        if len(tail) >= 2 and tail[-2] == "webhooks" and tail[-1] in ("constructEvent", "constructEventAsync"):
            return EventV()
        if tail and tail[-1].startswith(("parseThinEvent", "parseEventNotification")):
            return EventV()
        if tail and tail[-1] == "split" and fn.type == "member_expression":  # `event.type.split('.')`
            split_args = call_arguments(call)
            sep = resolve_string(self.decls, split_args[0]) if split_args else None
            split = self.value(fn.child_by_field_name("object"))
            if sep is not None and sep[0] == "." and isinstance(split, EventType):
                return EventTypeParts(split.via)
        fv = self.value(fn)
        if isinstance(fv, React):
            return react_value(self, fv.name, call)
        if isinstance(fv, StripeClass):
            if fv.unbound:
                return None  # `Stripe('pk_...')` without import: browser Stripe.js
            return NodeClient(client_installing(self.decls, call_arguments(call)))
        if isinstance(fv, Func):
            return self.returns(fv)
        if isinstance(fv, Pending):
            if not fv.segs and not fv.via_factory and not fv.typed:
                return Pending(fv.local, True)
            return None
        if isinstance(fv, NodeClient):
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
                base, base_import = "", None
                opts = resolve_object(self.decls, args[0]) if args else None
                for key, value, _ in object_entries(opts) if opts is not None else ():
                    if key in ("baseURL", "prefixUrl", "prefixURL") and value is not None:
                        base = static_string(self.decls, value)
                        base_import = imported_prefix(self.decls, value) if base == "{}" else None
                return HttpLib(lib.name, base, base_import)
        return None

    def returns(self, func: Func) -> object:
        """What a local function returns (first return value the evaluator understands)."""
        key = func.node_id
        if key in self._returns_memo:
            return self._returns_memo[key]
        self._returns_memo[key] = None
        node = self.decls.nodes.get(key)
        result = None
        if node is not None:
            body = node.child_by_field_name("body")
            if body is not None and body.type != "statement_block":
                result = self.value(body)
            elif body is not None:
                for ret in self.decls.return_values(body):
                    result = self.value(ret)
                    if result is not None:
                        break
            if result is None:  # `async function parseEvent(req): Promise<Stripe.Event>`
                result = returned_event(self, node)
        self._returns_memo[key] = result
        return result

    def _this_member(self, node: Node, prop: str) -> object:
        cls = enclosing_class(node)
        if cls is None:
            return None
        for kind, value in self.decls.class_members(cls, prop):
            if kind == "type":
                v = type_value(self, value)
            elif kind == "value":
                v = self.value(value)
            elif kind == "injected":
                v = NodeClient(None)
            elif kind == "method":
                v = Func(value.id)
            else:  # getter
                v = self.returns(Func(value.id))
            if v is not None:
                return v
        return None
