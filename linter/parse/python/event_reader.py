"""Webhook events in a Python file: comparisons, ``match`` statements, handler tables and
decorator registries over an event's type, turned into ``EventUse`` facts (or ``Unresolved`` /
``PendingEvents`` when the names cannot be read here). Part of the ``FactCollector``'s work,
kept apart so each module reads as one subject; it shares the collector's evaluator, scope and
fact lists (``self.c``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from stripe_perm_lint.facts import EventUse, PendingEvents, Unresolved
from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.call_syntax import literal_text
from stripe_perm_lint.parse.python.eval_strings import Strings
from stripe_perm_lint.parse.python.events import decorator_events, registers_handler
from stripe_perm_lint.parse.vocabulary import (
    COMPUTED_HANDLER,
    EVENT_NAME,
    NON_LITERAL_EVENT,
    PARTIAL_PREFIX,
    UNREADABLE_TABLE,
    family_name,
)

if TYPE_CHECKING:
    from stripe_perm_lint.parse.python.parser import FactCollector


class EventReader:
    def __init__(self, collector: "FactCollector") -> None:
        self.c = collector

    def is_event_type(self, expr: cst.BaseExpression) -> bool:
        """Whether ``expr`` is an event's type; the facts of this site are then held back for
        evidence when the event is an unverified payload."""
        found = self.c.ev.value(expr, self.c.scope)
        if not isinstance(found, v.EventTypeValue):
            return False
        self.c._unverified_site = found.unverified
        return True

    def _add_handled(self, name: str, literal: cst.CSTNode) -> None:
        use = EventUse(name, "handled", self.c.pos(literal))
        if self.c._unverified_site:
            self.c.unverified.setdefault(id(self.c.scope), []).append(use)
        else:
            self.c.events.add(use)

    def _add_unresolved(self, what: str, node: cst.CSTNode) -> None:
        if not self.c._unverified_site:  # a payload not known to be Stripe's says nothing
            self.c.unresolved.add(Unresolved(what, self.c.pos(node)))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left] + [target.comparator for target in node.comparisons]
        for index, target in enumerate(node.comparisons):
            left, right = operands[index], operands[index + 1]
            if isinstance(target.operator, (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)):
                if self.is_event_type(left):
                    self._handled(right)
                elif self.is_event_type(right):
                    self._handled(left)
            elif isinstance(target.operator, (cst.In, cst.NotIn)) and self.is_event_type(left):
                self._handled_in(right)

    def _handled(self, expr: cst.BaseExpression) -> None:
        if isinstance(expr, cst.Name) and expr.value == "None":
            return
        found = self.c.ev.string(expr, self.c.scope)
        if found is None:
            self._add_unresolved(NON_LITERAL_EVENT, expr)
        else:
            self._add_handled(found[0], found[1])

    def _handled_in(self, expr: cst.BaseExpression) -> None:
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            for element in expr.elements:
                if isinstance(element, cst.Element):
                    self._handled(element.value)
            return
        table = self.c.ev.value(expr, self.c.scope)
        if isinstance(table, v.DictLiteral):
            self.table_keys(table)
            return
        if self._imported_events(table, expr, NON_LITERAL_EVENT):
            return
        found = self.c.ev.strings(expr, self.c.scope)
        for text, literal in found.items:
            self._add_handled(text, literal)
        if found.dynamic or found.imports:
            self._add_unresolved(NON_LITERAL_EVENT, expr)

    def visit_Match(self, node: cst.Match) -> None:
        if self.is_event_type(node.subject):
            for case in node.cases:
                self._handled_pattern(case.pattern)

    def _handled_pattern(self, pattern: cst.MatchPattern) -> None:
        if isinstance(pattern, cst.MatchValue):
            self._handled(pattern.value)
        elif isinstance(pattern, cst.MatchOr):
            for element in pattern.patterns:
                self._handled_pattern(element.pattern)
        elif isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
            self._handled_pattern(pattern.pattern)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        # ``HANDLERS[event.type]``: every event-name key of the table is handled
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        index = node.slice[0].slice.value
        table = self.c.ev.value(node.value, self.c.scope)
        if isinstance(table, v.DictLiteral) and self.is_event_type(index):
            self.table_keys(table)
        elif isinstance(table, v.Imported) and self.is_event_type(index):  # ``HANDLERS`` from .registry
            self._imported_events(table, node, UNREADABLE_TABLE)
        elif self._computed_from_event_type(index):  # ``globals()["on_" + event.type.replace(...)]``
            self._add_unresolved(COMPUTED_HANDLER, node)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        # ``@webhooks.handler("customer.subscription.created")`` (dj-stripe), ``@on("payout.paid")``
        if isinstance(node.decorator, cst.Call) and registers_handler(node.decorator):
            for literal in decorator_events(node.decorator):
                self.c.events.add(EventUse(literal_text(literal), "handled", self.c.pos(literal)))

    def dispatch_call(self, node: cst.Call) -> None:
        """``event.type.startswith("customer.subscription.")`` handles a family of events;
        ``getattr(self, "handle_" + event.type.replace(".", "_"))`` handles events we cannot name."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "startswith" and node.args:
            if self.is_event_type(func.value):
                self._handled_prefixes(node.args[0].value)
        elif isinstance(func, cst.Attribute) and func.attr.value == "get" and node.args:
            table = self.c.ev.value(func.value, self.c.scope)  # ``HANDLERS.get(event.type)``, imported
            if isinstance(table, v.Imported) and self.is_event_type(node.args[0].value):
                self._imported_events(table, node, UNREADABLE_TABLE)
        elif isinstance(func, cst.Name) and func.value == "getattr" and self.c.scope.holder("getattr") is None:
            if len(node.args) >= 2 and self._mentions_event_type(node.args[1].value):
                self._add_unresolved(COMPUTED_HANDLER, node)

    def _handled_prefixes(self, expr: cst.BaseExpression) -> None:
        single = self.c.ev.string(expr, self.c.scope)
        found = Strings([single], []) if single is not None else self.c.ev.strings(expr, self.c.scope)
        for text, literal in found.items:
            name = family_name(text)
            if name is None:
                self._add_unresolved(PARTIAL_PREFIX, literal)
            else:
                self._add_handled(name, literal)
        if found.dynamic or found.imports:
            self._add_unresolved(NON_LITERAL_EVENT, expr)

    def _mentions_event_type(self, expr: cst.BaseExpression) -> bool:
        return self.is_event_type(expr) or self._computed_from_event_type(expr)

    def _computed_from_event_type(self, expr: cst.BaseExpression) -> bool:
        """Whether a string is built from an event type (concatenation, f-string, ``.replace``)."""
        if isinstance(expr, cst.BinaryOperation):
            return self._mentions_event_type(expr.left) or self._mentions_event_type(expr.right)
        if isinstance(expr, cst.FormattedString):
            return any(
                isinstance(part, cst.FormattedStringExpression) and self._mentions_event_type(part.expression)
                for part in expr.parts
            )
        if isinstance(expr, cst.Call):
            receiver = expr.func.value if isinstance(expr.func, cst.Attribute) else None
            inputs = ([receiver] if receiver is not None else []) + [arg.value for arg in expr.args]
            return any(self._mentions_event_type(part) for part in inputs)
        return False

    def _imported_events(self, table: Any, at: cst.CSTNode, what: str) -> bool:
        """An event set or handler table imported from an app module (``from .constants import
        HANDLED``; ``constants.HANDLED`` of ``import app.constants as constants``): the linker reads
        its names in the exporting module (``PendingEvents``)."""
        if not isinstance(table, v.Imported) or table.via_factory:
            return False
        if table.segments == () and not table.namespace:
            member = None
        elif len(table.segments) == 1:  # ``import app.constants as c`` / ``from app import constants``
            member = table.segments[0]
        else:
            return False
        self.c.pending_events.append(
            PendingEvents(table.local, member, self.c.pos(at), "handled", what, self.c._unverified_site)
        )
        return True

    def table_keys(self, table: v.DictLiteral) -> None:
        for element in table.node.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                key = literal_text(element.key)
                if key is not None and EVENT_NAME.match(key):
                    self._add_handled(key, element.key)
