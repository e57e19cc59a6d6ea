"""Stripe-shaped calls whose client cannot be traced (docs/semantics.md §11).

`deps.stripe.refunds.create(...)` on an untyped parameter, `this.stripeClient.invoices.retrieve()`
injected by a DI container, `useStripeClient().customers.list()` from a library: the interpreter
does not know what the receiver is, yet the call is plainly a Stripe API call. It is reported as
an *inferred* ``ApiCall`` when all of these hold:

- the member chain after the receiver is exactly a stripe-node method the catalog knows
  (`customers.retrieve`; never a prefix, never an SDK helper such as `webhooks.constructEvent`);
- the receiver's own name says Stripe: the last identifier or property before the resource
  (`stripe`, `stripeClient`, `ctx.stripe`), or the function whose result it is (`getStripe()`,
  `c.get('stripe')`);
- nothing the parser knows says the receiver is something else: a value built in this file from
  a non-Stripe constructor or literal, or browser Stripe.js (`loadStripe()`, `@stripe/stripe-js`).
"""

from __future__ import annotations

from typing import Callable

from tree_sitter import Node

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import Position, UntracedClient
from stripe_perm_lint.parse.untraced import looks_like_client, receiver_label
from stripe_perm_lint.parse.typescript.declarations import enclosing_class
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.syntax import call_arguments, member_parts, string_value, text, unwrap
from stripe_perm_lint.parse.typescript.values import Func, Pending, Shape

# Browser Stripe.js and its React bindings: `stripe.confirmCardPayment`, `stripe.elements()`.
_BROWSER_MODULES = ("@stripe/stripe-js", "@stripe/react-stripe-js")
_BROWSER_FACTORIES = frozenset({"loadStripe", "useStripe", "Stripe"})
# Values that are plainly not a client: a literal, a function, a class instance of this file.
_NOT_A_CLIENT = frozenset({
    "string", "template_string", "number", "true", "false", "null", "array", "object",
    "arrow_function", "function_expression", "class", "new_expression", "regex",
})
_MAX_DEPTH = 8


def inferred_accessor(ev: Interpreter, fn: Node) -> str | None:
    """The SDK accessor (`checkout.sessions.create`) of a callee `<receiver>.<accessor>` whose
    receiver is an untraced client named for Stripe, or None."""
    found = _chain(fn)
    if found is None:
        return None
    props, node = found
    catalog = load_catalog()
    # receiver = root + props[:k], accessor = props[k:]; the resource follows the receiver's name.
    for k in range(len(props) - 1):
        accessor = ".".join(props[k:])
        if not _exact(catalog, accessor):
            continue
        name = props[k - 1] if k > 0 else _root_name(node)
        if name is None or "stripe" not in name.lower():
            return None
        if _untraced(ev, _receiver(fn, len(props) - k)):
            return accessor
        return None
    return None


def untraced_client(ev: Interpreter, fn: Node, call: Node, pos: Callable[[Node], Position]) -> UntracedClient | None:
    """The receiver of a call `<receiver>.<chain>()` when it behaves like a Stripe client
    (``parse.untraced``) and nothing traced it to one: an unresolved or app import (the linker
    drops the fact when it resolves the call exactly), an untyped parameter, an injected member."""
    found = _chain(fn)
    if found is None:
        return None
    props, node = found
    catalog = load_catalog()
    for k in range(len(props) - 1):
        chain = props[k:]
        name = props[k - 1] if k > 0 else _root_name(node)
        if not looks_like_client("typescript", name, chain, _exact(catalog, ".".join(chain)), k == 0):
            continue
        receiver = _receiver(fn, len(chain))
        if receiver is None or not (isinstance(ev.value(receiver), Pending) or _untraced(ev, receiver)):
            return None
        origin, source, declared = _origin(ev, receiver)
        # An import goes by the name its module exports (`getStripeClient`, not each call of it).
        name = _imported_name(ev, declared) if origin == "import" else receiver_label(text(receiver))
        return UntracedClient(origin, name, source, pos(declared) if declared is not None else None, pos(call),
                              ".".join(chain))
    return None


def _chain(fn: Node) -> tuple[list[str], Node] | None:
    """(property names, root) of a callee `root.a.b.c`: (['a', 'b', 'c'], root); None if computed."""
    props: list[str] = []
    node = unwrap(fn)
    while node is not None and node.type == "member_expression":
        obj, prop = member_parts(node)
        if prop is None:
            return None
        props.append(prop)
        node = unwrap(obj)
    props.reverse()
    return (props, node) if node is not None else None


def _receiver(fn: Node, members: int) -> Node | None:
    """The callee without its last ``members`` properties: `deps.stripe` of `deps.stripe.charges.list`."""
    receiver: Node | None = fn
    for _ in range(members):
        receiver = unwrap(unwrap(receiver).child_by_field_name("object"))
    return receiver


def _exact(catalog, accessor: str) -> bool:
    """A stripe-node method the catalog knows, and no SDK helper."""
    return catalog.is_api_method("node", accessor)


def _origin(ev: Interpreter, receiver: Node, depth: int = 0) -> tuple[str, str, Node | None]:
    """(origin, source module, where it is declared) of an untraced receiver (``UNTRACED_ORIGINS``)."""
    node = unwrap(receiver)
    while node is not None and node.type in ("member_expression", "subscript_expression"):
        obj = unwrap(node.child_by_field_name("object"))
        if obj is not None and obj.type == "this":
            return "member", "", None
        node = obj
    if node is None or depth > _MAX_DEPTH:
        return "unknown", "", None
    if node.type == "call_expression":
        callee = unwrap(node.child_by_field_name("function"))
        if callee is not None and callee.type == "member_expression":
            _, prop = member_parts(callee)
            args = call_arguments(node)
            if prop in ("get", "resolve", "use") and args and string_value(args[0]) is not None:
                return "container", "", None
        return _origin(ev, callee, depth + 1) if callee is not None else ("unknown", "", None)
    if node.type != "identifier":
        return "unknown", "", None
    b = ev.decls.lookup(node)
    if b is None:
        return "unknown", "", None
    if b.kind == "import":
        return "import", b.module or "", b.node
    if b.kind == "param":
        return "parameter", "", b.node
    if b.init is not None and b.kind in ("const", "let", "var"):
        origin, source, declared = _origin(ev, b.init, depth + 1)
        return origin, source, declared if declared is not None else b.node  # `const s = c.get('stripe')`
    return "unknown", "", b.node


def _imported_name(ev: Interpreter, ident: Node | None) -> str:
    b = ev.decls.lookup(ident) if ident is not None else None
    if b is None:
        return text(ident) if ident is not None else ""
    return b.imported if b.imported not in (None, "default", "*") else b.name


def _root_name(node: Node) -> str | None:
    """The name a chain's root goes by: `stripe`, `getStripe()` -> `getStripe`,
    `c.get('stripe')` / `container.resolve('stripeClient')` -> the key."""
    if node.type == "identifier":
        return text(node)
    if node.type == "call_expression":
        callee = unwrap(node.child_by_field_name("function"))
        if callee is None:
            return None
        if callee.type == "identifier":
            return text(callee)
        if callee.type == "member_expression":
            _, prop = member_parts(callee)
            args = call_arguments(node)
            key = string_value(args[0]) if args else None
            if prop in ("get", "resolve", "use") and key is not None:
                return key
            return prop
    return None


def _untraced(ev: Interpreter, receiver: Node | None, depth: int = 0) -> bool:
    """Whether nothing known says the receiver is not a Stripe client."""
    receiver = unwrap(receiver)
    if receiver is None or depth > _MAX_DEPTH:
        return False
    value = ev.value(receiver)
    if isinstance(value, Shape) or (isinstance(value, Pending) and value.typed):
        return True  # typed by an object type whose member is not known here to be a client
    if value is not None:  # a client would have been reported exactly: it is something else
        return False
    t = receiver.type
    if t in _NOT_A_CLIENT:
        return False
    if t == "member_expression":
        obj, prop = member_parts(receiver)
        obj = unwrap(obj)
        if obj is not None and obj.type == "this":
            return _class_member_untraced(ev, receiver, prop, depth)
        return _untraced(ev, obj, depth + 1)
    if t == "call_expression":
        callee = unwrap(receiver.child_by_field_name("function"))
        if callee is None or (callee.type == "identifier" and text(callee) in _BROWSER_FACTORIES):
            return False
        if isinstance(ev.value(callee), (Func, Pending)):  # a function of this app returning something untraced
            return True
        return _untraced(ev, callee, depth + 1)
    if t == "identifier":
        b = ev.decls.lookup(receiver)
        if b is None:
            return True  # a global: nothing known
        if b.kind == "import":
            return not (b.module or "").startswith(_BROWSER_MODULES)
        if b.kind in ("param", "function", "class") or b.init is None:
            return b.kind != "class"
        return _untraced(ev, b.init, depth + 1)
    return t in ("this", "subscript_expression")


def _class_member_untraced(ev: Interpreter, member: Node, prop: str | None, depth: int) -> bool:
    """`this.stripeClient`: untraced unless the class gives it a value known to be something else."""
    cls = enclosing_class(member)
    if cls is None or prop is None:
        return True
    for kind, value in ev.decls.class_members(cls, prop):
        if kind == "value" and not _untraced(ev, value, depth + 1):
            return False
    return True
