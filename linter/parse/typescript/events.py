"""Webhook events in TypeScript: the event types a file handles and the ones it subscribes to.

Handled: ``event.type`` compared with a literal (``===``, ``switch`` cases, ``.includes``) or used
as the key of a handler table; a family of events, ``customer.subscription.*``, when the type is
matched by prefix (``.startsWith('customer.subscription.')``, ``.split('.')[0] === 'customer'``).
Subscribed: ``enabled_events`` passed to ``webhookEndpoints.create`` / ``update``. What counts as
an event type is decided by ``interpreter`` (an ``EventType`` value), never by a variable's name.
Event names and families are read with the patterns of ``parse.vocabulary``.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from stripe_perm_lint.facts import EventUse, PendingEvents, Unresolved
from stripe_perm_lint.parse.typescript.declarations import CLASS_NODES, FUNCTION_NODES
from stripe_perm_lint.parse.typescript.fact_lists import FactLists
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.literals import resolve_init, resolve_object, resolve_string, resolve_strings
from stripe_perm_lint.parse.typescript.syntax import (
    call_arguments, member_parts, object_entries, string_value, text, unwrap_types,
)
from stripe_perm_lint.parse.typescript.untraced_events import stripe_event_names, untraced_event_type
from stripe_perm_lint.parse.typescript.values import EventFamily, EventType, is_app_module
from stripe_perm_lint.parse.vocabulary import (
    COMPUTED_HANDLER,
    DYNAMIC_ENABLED_EVENTS,
    EVENT_NAME,
    NON_LITERAL_EVENT,
    PARTIAL_PREFIX,
    UNREADABLE_TABLE,
    family_name,
)

# One segment of an event name: what `event.type.split('.')[0]` is compared with.
_SEGMENT = re.compile(r"^[a-z][a-z0-9_]*$")


class EventFacts:
    """Event uses: handled event types and webhook subscriptions."""

    def __init__(self, ev: Interpreter, out: FactLists) -> None:
        self.ev = ev
        self.decls = ev.decls
        self.out = out
        self.pos = out.pos

    def subscript_expression(self, node: Node) -> None:
        """`handlers[event.type]` (a dispatch table) or `this['on_' + event.type]` (a handler
        whose name is computed)."""
        index = node.child_by_field_name("index")
        index_value = self.ev.value(index)
        if isinstance(index_value, EventType):
            self.dispatch_table(node.child_by_field_name("object"), node, via=index_value.via)
        elif untraced_event_type(self.ev, index):
            self.dispatch_table(node.child_by_field_name("object"), node, untraced=True)
        else:
            self.computed_dispatch(index, node)

    def subscriptions(self, segs: tuple[str, ...], args: list[Node]) -> None:
        """`stripe.webhookEndpoints.create({enabled_events: [...]})` / `.update(id, {...})`."""
        if segs[-2:] not in (("webhookEndpoints", "create"), ("webhookEndpoints", "update")):
            return
        for arg in args:
            obj = resolve_object(self.decls, arg)
            for key, value, key_node in object_entries(obj) if obj is not None else ():
                if key != "enabled_events" or value is None:
                    continue
                items, imported, dynamic = resolve_strings(self.decls, value)
                for name, node in items:
                    self.out.events.append(EventUse(name, "subscribed", self.pos(node)))
                if dynamic or imported:
                    self.out.unresolved.append(Unresolved(DYNAMIC_ENABLED_EVENTS, self.pos(value)))

    def switch_statement(self, node: Node) -> None:
        """`switch (event.type) { case 'a': case 'b': ... }`: every case, fall-through included."""
        subject = self.ev.value(node.child_by_field_name("value"))
        body = node.child_by_field_name("body")
        cases = [c for c in body.named_children if c.type == "switch_case"] if body is not None else []
        if not isinstance(subject, (EventType, EventFamily)):
            if untraced_event_type(self.ev, node.child_by_field_name("value")):
                found = [resolve_string(self.decls, c.child_by_field_name("value")) for c in cases]
                self._untraced_names([f for f in found if f is not None])
            return
        for case in cases:
            if case.type != "switch_case":
                continue
            value = case.child_by_field_name("value")
            if value is not None:
                self._compared(value, isinstance(subject, EventFamily), subject.via)

    def binary_expression(self, node: Node) -> None:
        op_node = node.child_by_field_name("operator")
        op = text(op_node) if op_node is not None else ""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op in ("===", "==", "!==", "!="):
            lv, rv = self.ev.value(left), self.ev.value(right)
            if isinstance(lv, (EventType, EventFamily)):
                self._compared(right, isinstance(lv, EventFamily), lv.via)
            elif isinstance(rv, (EventType, EventFamily)):
                self._compared(left, isinstance(rv, EventFamily), rv.via)
            elif untraced_event_type(self.ev, left) or untraced_event_type(self.ev, right):
                other = right if untraced_event_type(self.ev, left) else left
                found = resolve_string(self.decls, other)
                self._untraced_names([found] if found is not None else [])
        elif op == "in" and isinstance(lv := self.ev.value(left), EventType):
            self.dispatch_table(right, node, via=lv.via)
        elif op == "in" and untraced_event_type(self.ev, left):
            self.dispatch_table(right, node, untraced=True)

    def _untraced_names(self, found: list[tuple[str, Node]]) -> None:
        """Names compared with the type of an event of unknown origin: handled only when they
        are Stripe's (``untraced_events``); otherwise nothing, not even an unresolved use."""
        if stripe_event_names([name for name, _ in found]):
            for name, node in found:
                self.out.events.append(EventUse(name, "handled", self.pos(node)))

    def untraced_list(self, items: list[tuple[str, Node]]) -> None:
        """`['invoice.paid', ...].includes(body.type)`."""
        self._untraced_names(items)

    def handled(self, name: str, at: Node, via: str | None = None) -> None:
        self.out.events.append(EventUse(name, "handled", self.pos(at), via=via))

    def unresolved(self, what: str, at: Node, via: str | None = None) -> None:
        """Not for the type of what an imported function returns: it may be no event at all."""
        if via is None:
            self.out.unresolved.append(Unresolved(what, self.pos(at)))

    def _compared(self, other: Node | None, family: bool = False, via: str | None = None) -> None:
        """``family``: `other` is compared with the first segment of the type (`split('.')[0]`)."""
        if other is None:
            return
        found = resolve_string(self.decls, other)
        if found is not None and family:
            if _SEGMENT.match(found[0]):  # a dotted literal never equals one segment: nothing handled
                self.handled(found[0] + ".*", found[1], via)
        elif found is not None:
            self.handled(found[0], found[1], via)
        else:
            self.unresolved(NON_LITERAL_EVENT, other, via)

    def prefix(self, arg: Node, via: str | None = None) -> None:
        """`event.type.startsWith('customer.subscription.')` handles `customer.subscription.*`."""
        found = resolve_string(self.decls, arg)
        family = family_name(found[0]) if found is not None else None
        if found is None:
            self.unresolved(NON_LITERAL_EVENT, arg, via)
        elif family is not None:
            self.handled(family, found[1], via)
        else:
            self.unresolved(PARTIAL_PREFIX, found[1], via)

    def computed_dispatch(self, index: Node | None, at: Node) -> None:
        """`handlers[`on_${event.type}`]`, `this['handle' + event.type]`: a handler found by a name
        built from the type; which events it handles cannot be read."""
        index = resolve_init(self.decls, index) or index  # `const key = 'on_' + event.type; this[key]`
        if index is None or index.type not in ("template_string", "binary_expression", "call_expression"):
            return
        if index.type == "binary_expression" and text(index.child_by_field_name("operator")) != "+":
            return
        stack = list(index.named_children)
        while stack:
            n = stack.pop()
            if n.type in FUNCTION_NODES or n.type in CLASS_NODES:
                continue
            if isinstance(self.ev.value(n), EventType):
                self.out.unresolved.append(Unresolved(COMPUTED_HANDLER, self.pos(at)))
                return
            stack.extend(n.named_children)

    def dispatch_table(self, table: Node | None, at: Node, untraced: bool = False, via: str | None = None) -> None:
        """A handler table indexed by an event type: every event-like key is handled.
        `{ 'payout.paid': fn }`, `new Map([['payout.paid', fn]])` or `new Set([...])` (a filter),
        held in a same-file const. ``untraced``: the event's origin is unknown (``untraced_events``)."""
        keys = self._table_keys(table)
        # The type of what an imported function returns may be no event's: an unreadable imported
        # table is then nothing, as for an event of unknown origin.
        if keys is None and self.imported(table, at, UNREADABLE_TABLE, untraced or via is not None):
            return
        if untraced:
            self._untraced_names(keys or [])
            return
        if keys is None:
            self.unresolved(UNREADABLE_TABLE, at, via)
            return
        for name, node in keys:
            self.handled(name, node, via)

    def imported(self, node: Node | None, at: Node, what: str, untraced: bool = False) -> bool:
        """An event set or handler table imported from another module of the app (`RELEVANT.has(
        event.type)`, `handlers[event.type]`, `constants.EVENTS.includes(t)`): the linker reads
        its names from the exporting file (``PendingEvents``)."""
        node = unwrap_types(node)
        member = None
        if node is not None and node.type == "member_expression":
            node, member = member_parts(node)
            node = unwrap_types(node)
        if node is None or node.type != "identifier":
            return False
        b = self.decls.lookup(node)
        if b is None or b.kind != "import" or b.module is None or not is_app_module(b.module):
            return False
        if member is not None and b.imported != "*":
            return False
        self.out.pending_events.append(PendingEvents(text(node), member, self.pos(at), "handled", what, untraced))
        return True

    def _table_keys(self, table: Node | None) -> list[tuple[str, Node]] | None:
        obj = resolve_object(self.decls, table)
        if obj is not None:
            return [(k, n) for k, _, n in object_entries(obj) if k is not None and EVENT_NAME.match(k)]
        init = resolve_init(self.decls, table)
        if init is None or init.type != "new_expression":
            return None
        ctor = init.child_by_field_name("constructor")
        args = call_arguments(init)
        if ctor is not None and text(ctor) == "Set":
            items, imported, dynamic = resolve_strings(self.decls, init)
            return None if imported or dynamic else [(k, n) for k, n in items if EVENT_NAME.match(k)]
        if ctor is None or text(ctor) != "Map" or not args:
            return None
        entries = unwrap_types(args[0])
        if entries is None or entries.type != "array":
            return None
        keys = []
        for pair in entries.named_children:
            if pair.type == "array" and pair.named_children:
                key = string_value(pair.named_children[0])
                if key is not None and EVENT_NAME.match(key):
                    keys.append((key, pair.named_children[0]))
        return keys
