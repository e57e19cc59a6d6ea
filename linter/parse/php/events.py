"""Webhook events in a PHP file: an event's type (`$event->type`, `$event['type']`, a variable
holding it) compared with `==` / `===`, switched or matched on, looked up in `in_array`, a handler
table or `str_starts_with`, and ``\\Stripe\\Event`` type constants (`Event::INVOICE_PAID`) named
through the SDK table. The event is one ``\\Stripe\\Webhook::constructEvent`` (or
``Event::constructFrom``, ``$stripe->events->retrieve``) returned, a parameter typed
``\\Stripe\\Event``, or a variable named like one (`$event`, `$stripe_event`) whose origin the
file does not show; only names shaped like Stripe's are taken from those."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stripe_perm_lint.facts import EventUse, Unresolved
from stripe_perm_lint.parse.php.syntax import FUNCTIONS, array_entries, arguments, string_value, walk
from stripe_perm_lint.parse.php.values import PhpArray, PhpEventType, PhpScope, PhpText, untraced
from stripe_perm_lint.parse.vocabulary import (
    COMPUTED_HANDLER, EVENT_NAME, NON_LITERAL_EVENT, PARTIAL_PREFIX, UNREADABLE_TABLE, family_name,
)

if TYPE_CHECKING:
    from stripe_perm_lint.parse.php.parser import PhpWalker

_EQUALITY = frozenset({"==", "===", "!=", "!=="})
_EVENT_VARIABLE = re.compile(r"^\$[A-Za-z_]*(?:[eE]vent|[eE]vt)[A-Za-z0-9_]*$")


class PhpEventReader:
    def __init__(self, walker: "PhpWalker") -> None:
        self.w = walker
        self.handled: list[EventUse] = []
        self.subscribed: list[EventUse] = []
        # Names compared with the type of an `$event` of unknown origin, by enclosing function:
        # kept only when they read as Stripe's (``stripe_payload_events``).
        self.unverified: dict[int, list[EventUse]] = {}
        self._unverified_site = False

    def is_event_type(self, node, scope: PhpScope) -> bool:
        self._unverified_site = False
        if node is None:
            return False
        if isinstance(self.w.ev.value(node, scope), PhpEventType):
            return True
        # `$event->type` on an `$event` the file does not show the origin of
        if node.type in ("member_access_expression", "subscript_expression") and node.named_children:
            held = node.named_children[0] if node.type == "subscript_expression" else node.child_by_field_name("object")
            field = self.w.src.text(node.named_children[-1]).strip("'\"")
            self._unverified_site = (field == "type" and held.type == "variable_name"
                                     and _EVENT_VARIABLE.match(self.w.src.text(held)) is not None
                                     and untraced(self.w.ev.value(held, scope)))
            return self._unverified_site
        return False

    def _add(self, name: str, at) -> None:
        use = EventUse(name, "handled", self.w.pos(at))
        if self._unverified_site:
            self.unverified.setdefault(_function_key(at), []).append(use)
        else:
            self.handled.append(use)

    def _unresolved(self, what: str, at) -> None:
        if not self._unverified_site:  # a payload not known to be Stripe's says nothing
            self.w.unresolved.append(Unresolved(what, self.w.pos(at)))

    def stripe_payload_events(self) -> list[EventUse]:
        """The names compared with an unverified payload's type, per function, when they say it
        is a Stripe event: every one shaped like an event name and at least one the catalog knows
        (`user.created` alone is another system's event)."""
        from stripe_perm_lint.catalog import load_catalog

        catalog = load_catalog()
        out = []
        for uses in self.unverified.values():
            if any(catalog.event(u.name) is not None for u in uses if not u.name.endswith(".*")):
                out += uses
        return out

    def event_name(self, node, scope: PhpScope) -> str | None:
        """A literal event name, an SDK constant (`\\Stripe\\Event::INVOICE_PAID`) or a constant
        or variable holding a literal."""
        src = self.w.src
        literal = string_value(node, src)
        if literal is not None:
            return literal
        if node.type == "class_constant_access_expression" and len(node.named_children) == 2:
            cls = src.class_name(node.named_children[0])
            if cls == "Stripe\\Event":
                return self.w.table.get("event_types", {}).get(f"Event::{src.text(node.named_children[1])}")
        held = self.w.ev.value(node, scope)
        return held.text if isinstance(held, PhpText) and "{}" not in held.text else None

    def _handled(self, node, scope: PhpScope) -> None:
        if node.type == "null" or not self.w.emit:
            return
        name = self.event_name(node, scope)
        if name is None:
            self._unresolved(NON_LITERAL_EVENT, node)
        elif EVENT_NAME.match(name):
            self._add(name, node)

    def comparison(self, node, scope: PhpScope) -> None:
        operator = node.child_by_field_name("operator")
        if operator is None or self.w.src.text(operator) not in _EQUALITY:
            return
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if self.is_event_type(left, scope):
            self._handled(right, scope)
        elif self.is_event_type(right, scope):
            self._handled(left, scope)

    def switch(self, node, scope: PhpScope) -> None:
        condition = node.child_by_field_name("condition")
        subject = condition.named_children[0] if condition is not None and condition.named_children else condition
        if not self.is_event_type(subject, scope):
            return
        body = node.child_by_field_name("body")
        for case in body.named_children if body is not None else ():
            value = case.child_by_field_name("value")
            if case.type == "case_statement" and value is not None:
                self._handled(value, scope)

    def match(self, node, scope: PhpScope) -> None:
        condition = node.child_by_field_name("condition")
        subject = condition.named_children[0] if condition is not None and condition.named_children else None
        if not self.is_event_type(subject, scope):
            return
        for arm in walk(node.child_by_field_name("body")):
            if arm.type == "match_condition_list":
                for value in arm.named_children:
                    self._handled(value, scope)

    def function_call(self, node, scope: PhpScope) -> None:
        name = self.w.src.text(node.child_by_field_name("function")).lstrip("\\")
        args = arguments(node)
        if len(args) < 2 or not self.is_event_type(args[0], scope):
            return
        if name == "in_array":
            held = self.w.ev.value(args[1], scope)
            if isinstance(held, PhpArray):
                for _, _, item in array_entries(held.node, self.w.src):
                    self._handled(item, scope)
            elif self.w.emit:
                self._unresolved(NON_LITERAL_EVENT, args[1])
        elif name in ("str_starts_with", "strpos") and self.w.emit:
            prefix = self.event_name(args[1], scope)
            family = family_name(prefix) if prefix else None
            if family is not None:
                self._add(family, args[1])
            else:
                self._unresolved(PARTIAL_PREFIX if prefix else NON_LITERAL_EVENT, args[1])
        elif name == "array_key_exists":
            self._table(args[1], scope, node)

    def table_lookup(self, node, scope: PhpScope) -> None:
        """`$handlers[$event->type]`: every event-name key of the table is handled."""
        if len(node.named_children) == 2 and self.is_event_type(node.named_children[1], scope):
            self._table(node.named_children[0], scope, node)

    def _table(self, table, scope: PhpScope, at) -> None:
        held = self.w.ev.value(table, scope)
        if not self.w.emit:
            return
        if not isinstance(held, PhpArray):
            self._unresolved(UNREADABLE_TABLE, at)
            return
        for key, key_node, _ in array_entries(held.node, self.w.src):
            name = self.event_name(key_node, scope) if key_node is not None else None
            if name is not None and EVENT_NAME.match(name):
                self._add(name, key_node)

    def computed_handler(self, node, scope: PhpScope) -> None:
        """`$this->{'on_' . str_replace('.', '_', $event->type)}($event)`: handlers we cannot name."""
        if self.w.emit and any(self.is_event_type(n, scope) for n in walk(node)):
            self._unresolved(COMPUTED_HANDLER, node)


def _function_key(node) -> int:
    """The enclosing function's start byte (0 for the file's top-level code)."""
    current = node.parent
    while current is not None and current.type not in FUNCTIONS:
        current = current.parent
    return current.start_byte if current is not None else 0
