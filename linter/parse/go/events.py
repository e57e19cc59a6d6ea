"""Webhook events in a Go file. Handled: the `Type` of a `stripe.Event` (from
`webhook.ConstructEvent`, `sc.ConstructEvent`, a variable or parameter of that type) compared
with `==` / `!=`, switched on (`switch event.Type { case "invoice.paid", stripe.EventTypeInvoicePaid: }`),
used as the key of a handler map (`handlers[event.Type]`), or tested by prefix
(`strings.HasPrefix(string(event.Type), "customer.subscription.")`). The SDK's `EventType...`
constants are read through the table's ``event_types``. Subscribed: the `EnabledEvents` of a
webhook endpoint's params. What cannot be named becomes an ``Unresolved``.
"""

from __future__ import annotations

import re

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import EventUse, Unresolved
from stripe_perm_lint.parse.go.scope import Function
from stripe_perm_lint.parse.go.syntax import arguments, elements, keyed, selector_chain, text, walk_types
from stripe_perm_lint.parse.go.values import GoEvaluator, Event, GoEventType, Str
from stripe_perm_lint.parse.vocabulary import (
    DYNAMIC_ENABLED_EVENTS,
    EVENT_NAME,
    NON_LITERAL_EVENT,
    PARTIAL_PREFIX,
    UNREADABLE_TABLE,
    family_name,
)


# A value named for an event's type: `eventType`, `event_type`, `evt.Type`, `envelope.EventType`.
_NAMES_EVENT_TYPE = re.compile(r"(?i)event_?type|\b(?:event|evt|envelope|payload)\w*\.type$")


def _case_values(switch) -> list:
    out = []
    for case in switch.named_children:
        values = case.child_by_field_name("value") if case.type == "expression_case" else None
        out += values.named_children if values is not None else []
    return out


class GoEventReader:
    def __init__(self, ev: GoEvaluator, out) -> None:
        self.ev = ev
        self.out = out

    def is_type(self, node, fn: Function | None) -> bool:
        return isinstance(self.ev.value(node, fn), GoEventType)

    def node(self, node, fn: Function | None) -> None:
        """One node of the walk: a comparison, a switch, an index, a keyed element."""
        kind = node.type
        if kind == "binary_expression" and text(node.child_by_field_name("operator")) in ("==", "!="):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if self.is_type(left, fn):
                self.handled(right, fn)
            elif self.is_type(right, fn):
                self.handled(left, fn)
        elif kind == "expression_switch_statement" and self.is_type(node.child_by_field_name("value"), fn):
            for value in _case_values(node):
                self.handled(value, fn)
        elif kind == "expression_switch_statement" and _NAMES_EVENT_TYPE.search(text(node.child_by_field_name("value")
                                                                                   or node)):
            self._payload_switch(node, fn)
        elif kind == "index_expression" and self.is_type(node.child_by_field_name("index"), fn):
            self._table(node.child_by_field_name("operand"), fn, node)
        elif kind == "keyed_element":
            key, value = keyed(node)
            if key is not None and text(key) == "EnabledEvents":
                self._subscribed(value, fn, node)

    def _payload_switch(self, node, fn: Function | None) -> None:
        """`switch eventType { case "payment_intent.created", ...: }` on a string that is not known
        to come from a `stripe.Event` (a payload decoded by hand): its cases are Stripe's events
        when every one is shaped like an event name and one at least is an event Stripe sends."""
        found = [(v, self.ev.value(v, fn)) for v in _case_values(node)]
        names = [value.value for _, value in found if isinstance(value, Str)]
        if len(names) != len(found) or not names or not all(EVENT_NAME.match(n) for n in names):
            return
        catalog = load_catalog()
        if any(catalog.event(n) is not None for n in names):
            self.out.events.extend(EventUse(v.value, "handled", self.ev.pos(v.node)) for _, v in found)

    def call(self, chain: list[str] | None, call, fn: Function | None) -> None:
        args = arguments(call)
        generic = call.child_by_field_name("type_arguments")
        if generic is not None and chain and len(chain) == 1:
            # `handlers[event.Type](...)` reads, to tree-sitter-go, as a generic `handlers[T]()`
            # instantiated with the qualified type `event.Type`.
            for qualified in walk_types(generic, "qualified_type"):
                holder = text(qualified.child_by_field_name("package"))
                if text(qualified.child_by_field_name("name")) == "Type" and \
                        isinstance(self.ev.name_value(holder, fn), Event):
                    self._table(call.child_by_field_name("function"), fn, call)
        if chain and chain[-1] == "HasPrefix" and len(args) == 2 and self.is_type(args[0], fn):
            value = self.ev.value(args[1], fn)
            if not isinstance(value, Str):
                self.out.unresolved.append(Unresolved(NON_LITERAL_EVENT, self.ev.pos(args[1])))
                return
            name = family_name(value.value)
            if name is None:
                self.out.unresolved.append(Unresolved(PARTIAL_PREFIX, self.ev.pos(value.node)))
            else:
                self.out.events.append(EventUse(name, "handled", self.ev.pos(value.node)))

    def handled(self, node, fn: Function | None) -> None:
        if node is None or text(node) in ("nil", '""'):
            return
        value = self.ev.value(node, fn)
        if isinstance(value, Str):
            self.out.events.append(EventUse(value.value, "handled", self.ev.pos(value.node)))
        else:
            self.out.unresolved.append(Unresolved(NON_LITERAL_EVENT, self.ev.pos(node)))

    def _table(self, operand, fn: Function | None, at) -> None:
        """`handlers[event.Type]`: every event-named key of the map literal it names."""
        literal = operand
        if operand is not None and operand.type == "identifier":
            found = [b.value for b in self.ev.bindings(text(operand), fn) if b.value is not None]
            literal = found[0] if len(found) == 1 else None
        if literal is None or literal.type != "composite_literal":
            self.out.unresolved.append(Unresolved(UNREADABLE_TABLE, self.ev.pos(at)))
            return
        for element in elements(literal):
            if element.type == "keyed_element":
                key, _ = keyed(element)
                value = self.ev.value(key, None)
                if isinstance(value, Str) and EVENT_NAME.match(value.value):
                    self.out.events.append(EventUse(value.value, "handled", self.ev.pos(value.node)))

    def _subscribed(self, value, fn: Function | None, at) -> None:
        if value is not None and value.type == "call_expression" and (selector_chain(
                value.child_by_field_name("function")) or [""])[-1] == "StringSlice" and arguments(value):
            value = arguments(value)[0]
        if value is None or value.type != "composite_literal":
            self.out.unresolved.append(Unresolved(DYNAMIC_ENABLED_EVENTS, self.ev.pos(value if value is not None else at)))
            return
        for element in elements(value):
            found = self.ev.value(element, fn)
            if isinstance(found, Str):
                self.out.events.append(EventUse(found.value, "subscribed", self.ev.pos(found.node)))
            else:
                self.out.unresolved.append(Unresolved(DYNAMIC_ENABLED_EVENTS, self.ev.pos(element)))
