"""What a TypeScript type annotation says a value is: `stripe: Stripe` is a client known by its
type, `event: Stripe.Event` an event, `type: Stripe.Event.Type` an event type.

Used by ``interpreter`` for annotated bindings, class fields and `x as T` assertions, and by
``hooks`` for the declared type of a React container (`useRef<Stripe | null>(null)`). Local
interfaces and type aliases are followed; a local object type becomes a ``Shape`` whose members
are typed in turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.syntax import property_name, text
from stripe_perm_lint.parse.typescript.values import (
    EventType,
    EventV,
    NodeClient,
    Pending,
    Shape,
    StripeClass,
    is_app_module,
)

if TYPE_CHECKING:
    from stripe_perm_lint.parse.typescript.interpreter import Interpreter


def type_value(ev: Interpreter, type_node: Node) -> object:
    """`Stripe` / `Stripe.Stripe` -> NodeClient; `Stripe.Event` (and friends) -> EventV;
    `Stripe.Event.Type` / `Stripe.Event['type']` -> EventType. Unions take any member."""
    node = type_node
    if node.type in ("type_annotation", "type_arguments"):
        kids = node.named_children
        if not kids:
            return None
        node = kids[0]
    if node.type in ("union_type", "parenthesized_type", "intersection_type"):
        for child in node.named_children:
            v = type_value(ev, child)
            if v is not None:
                return v
        return None
    if node.type == "generic_type":
        name = node.child_by_field_name("name") or (node.named_children[0] if node.named_children else None)
        if name is not None and text(name) == "InstanceType" and "typeof" in text(node):
            args = text(node).split("typeof", 1)[1].strip(" >")
            return NodeClient(None) if _is_stripe_root(ev, args.split(".")[0], node) else None
        return type_value(ev, name) if name is not None else None
    if node.type == "lookup_type" or node.type == "indexed_access_type":
        raw = text(node).replace('"', "'").replace(" ", "")
        if raw.endswith("['type']") and isinstance(_stripe_type(ev, raw[: -len("['type']")], node), EventV):
            return EventType()
        return None
    if node.type in ("type_identifier", "nested_type_identifier"):
        found = _stripe_type(ev, text(node).replace(" ", ""), node)
        if found is None and node.type == "type_identifier":
            imported = _imported_type(ev, node)
            if imported is not None:
                return imported
        body = ev.decls.local_types.get(text(node)) if found is None else None
        if body is not None and body.id not in ev.types_seen:
            ev.types_seen.add(body.id)  # `type A = B; type B = A` must end
            try:
                return type_value(ev, body)
            finally:
                ev.types_seen.discard(body.id)
        return found
    if node.type in ("object_type", "interface_body"):
        ev.decls.nodes[node.id] = node
        return Shape(node.id)
    return None


def returned_event(ev: Interpreter, func: Node) -> EventV | None:
    """A function annotated to return a webhook event (`(req): Promise<Stripe.Event>`)."""
    node = func.child_by_field_name("return_type")
    node = node.named_children[0] if node is not None and node.type == "type_annotation" and node.named_children else node
    if node is not None and node.type == "generic_type" and text(node).startswith("Promise"):
        args = node.child_by_field_name("type_arguments") or next(
            (c for c in node.named_children if c.type == "type_arguments"), None)
        node = args.named_children[0] if args is not None and args.named_children else None
    found = type_value(ev, node) if node is not None else None
    return found if isinstance(found, EventV) else None


def shape_member(ev: Interpreter, shape: Shape, prop: str) -> object:
    """The declared type of `prop` in an object type / interface body of this file."""
    body = ev.decls.nodes.get(shape.node_id)
    for sig in body.named_children if body is not None else ():
        name = sig.child_by_field_name("name")
        sig_type = sig.child_by_field_name("type")
        if sig.type == "property_signature" and name is not None and sig_type is not None \
                and property_name(name) == prop:
            return type_value(ev, sig_type)
    return None


def _imported_type(ev: Interpreter, node: Node) -> Pending | None:
    """A type imported from another module of the app: the linker reads its members."""
    b = ev.decls.lookup_name(text(node), node)
    if b is None or b.kind != "import" or b.module is None or not is_app_module(b.module):
        return None
    return Pending(b.name, typed=True)


def _stripe_type(ev: Interpreter, dotted: str, at: Node) -> object:
    parts = dotted.split(".")
    if not _is_stripe_root(ev, parts[0], at):
        return None
    rest = parts[1:]
    if rest in ([], ["Stripe"]):
        return NodeClient(None)  # typed, not built here: its account is not known
    if rest == ["Event", "Type"]:
        return EventType()
    last = rest[-1]
    if last in ("Event", "DiscriminatedEvent", "ThinEvent", "EventNotification") or (
        last.endswith("Event") and len(rest) <= 2
    ):
        return EventV()
    return None


def _is_stripe_root(ev: Interpreter, name: str, at: Node) -> bool:
    b = ev.decls.lookup_name(name, at)
    if b is None:
        return name == "Stripe"
    return isinstance(ev.binding_value(b), StripeClass)
