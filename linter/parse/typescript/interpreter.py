"""A tiny abstract interpreter over the declarations of one TypeScript file.

``Scope.value(expr)`` answers "what is this expression?" with the values of ``values``,
following aliases, destructuring, factory functions, class fields and type annotations.
Evaluation is lazy and memoised, so a declaration may come after its use (hoisted functions,
module constants), and cycles evaluate to None.

Deliberate limits: no control-flow sensitivity (a `let` takes the first assignment that gives a
known value), no cross-file knowledge (imports become ``Pending`` for the linker), no generics.
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.hooks import react_value
from stripe_perm_lint.parse.typescript.literals import Resolver
from stripe_perm_lint.parse.typescript.declarations import CLASS_NODES, FUNCTION_NODES, Binding, enclosing_class, require_module
from stripe_perm_lint.parse.typescript.syntax import (
    NAMES,
    call_arguments,
    dotted_tail,
    member_parts,
    object_entries,
    property_name,
    text,
    unwrap,
    unwrap_types,
)
from stripe_perm_lint.parse.typescript.values import (
    REACT_APIS,
    Client,
    EventType,
    EventTypeParts,
    EventV,
    Func,
    Held,
    HttpLib,
    Pending,
    PermList,
    React,
    Shape,
    StripeClass,
    Ui,
    import_value,
    member_of,
)
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT


class Scope(Resolver):
    """Declarations plus lazy, memoised evaluation of expressions over them."""

    def __init__(self) -> None:
        super().__init__()
        self._value_memo: dict[int, object] = {}
        self._binding_memo: dict[int, object] = {}
        self._returns_memo: dict[int, object] = {}
        self._types_seen: set[int] = set()

    def value(self, node: Node | None) -> object:
        # `req.body as Stripe.Event` / `<Stripe.Event>JSON.parse(b)`: the asserted type tells.
        asserted = unwrap(node, keep_assertions=True)
        if asserted is not None and asserted.type in ("as_expression", "type_assertion"):
            kids = [c for c in asserted.named_children if c.type != "comment"]
            if len(kids) == 2:
                typed = self.type_value(kids[0] if asserted.type == "type_assertion" else kids[1])
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
            b = self.lookup(node)
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
                return self._shape_member(holder_value, prop)
            found = member_of(holder_value, prop)
            if found is None and prop != "?":
                # `const deps = { stripe: new Stripe(k) }; deps.stripe.customers.list()`
                holder = self.resolve_object(obj)
                for key, value, _ in object_entries(holder) if holder is not None else ():
                    if key == prop and value is not None and value.type != "method_definition":
                        return self.value(value)
            return found
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
            return import_value(b.module or "", b.imported, b.name)
        if b.kind == "function":
            return Func(b.init.id) if b.init is not None else None
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
        if v is None and b.kind == "param":
            v = self._then_callback_value(b)
        # What the code built wins (it knows `stripeAccount`); the declared type is the fallback,
        # also over an import, since `const s: Stripe = make()` is surely a client.
        if b.type is not None and not isinstance(v, (Client, EventV, EventType)):
            typed = self.type_value(b.type)
            if typed is not None:
                return typed
        return v

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
            sep = self.resolve_string(split_args[0]) if split_args else None
            if sep is not None and sep[0] == "." and isinstance(self.value(fn.child_by_field_name("object")), EventType):
                return EventTypeParts()
        fv = self.value(fn)
        if isinstance(fv, React):
            return react_value(self, fv.name, call)
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
        cls = enclosing_class(node)
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
        if node.type in ("type_annotation", "type_arguments"):
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
                return Client(None) if self._is_stripe_root(args.split(".")[0], node) else None
            return self.type_value(name) if name is not None else None
        if node.type == "lookup_type" or node.type == "indexed_access_type":
            raw = text(node).replace('"', "'").replace(" ", "")
            if raw.endswith("['type']") and isinstance(self._stripe_type(raw[: -len("['type']")], node), EventV):
                return EventType()
            return None
        if node.type in ("type_identifier", "nested_type_identifier"):
            found = self._stripe_type(text(node).replace(" ", ""), node)
            body = self.local_types.get(text(node)) if found is None else None
            if body is not None and body.id not in self._types_seen:
                self._types_seen.add(body.id)  # `type A = B; type B = A` must end
                try:
                    return self.type_value(body)
                finally:
                    self._types_seen.discard(body.id)
            return found
        if node.type in ("object_type", "interface_body"):
            self._nodes[node.id] = node
            return Shape(node.id)
        return None

    def _shape_member(self, shape: Shape, prop: str) -> object:
        """The declared type of `prop` in an object type / interface body of this file."""
        body = self._nodes.get(shape.node_id)
        for sig in body.named_children if body is not None else ():
            name = sig.child_by_field_name("name")
            sig_type = sig.child_by_field_name("type")
            if sig.type == "property_signature" and name is not None and sig_type is not None \
                    and property_name(name) == prop:
                return self.type_value(sig_type)
        return None

    def _stripe_type(self, dotted: str, at: Node) -> object:
        parts = dotted.split(".")
        if not self._is_stripe_root(parts[0], at):
            return None
        rest = parts[1:]
        if rest in ([], ["Stripe"]):
            return Client(None)  # typed, not built here: its account is not known
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

    def client_installing(self, args: list[Node]) -> bool | None:
        """Does `new Stripe(key, opts)` act for the installing account? None when the key is a
        parameter of the enclosing function: it comes from outside (an OAuth token or a merchant's
        restricted key in such apps), so the engine decides by the app's access type."""
        for arg in args:
            for ident in _identifiers(arg):
                if ident in ("STRIPE_API_KEY", "createHttpClient"):
                    return True
        if args and OAUTH_KEY_TEXT.search(text(args[0])):
            return True
        if len(args) > 1 and self.has_account_option(args[1]):
            return True
        key = unwrap_types(args[0]) if args else None
        if key is not None and key.type == "identifier":
            binding = self.lookup(key)
            if binding is not None and binding.kind == "param":
                return None
        return False

    def has_account_option(self, node: Node) -> bool:
        obj = self.resolve_object(node)
        if obj is None:
            return False
        return any(key in ("stripeAccount", "stripeContext") for key, _, _ in object_entries(obj))

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
