"""Webhook events in a Ruby file.

Handled: an event's type (`event.type`, `event['type']`, `event[:type]`, a local holding one)
compared with a literal (`==`, `!=`, `eql?`), tested by `start_with?('invoice.')` (a family),
matched by `case ... when 'a', 'b'` (also `when *EVENTS`), looked up in a literal list
(`%w[a b].include?(type)`) or a handler table (`HANDLERS[event.type]`, `.fetch`, `.key?`); and the
stripe_event gem's `StripeEvent.subscribe 'charge.failed'` / `events.subscribe 'invoice.'`.
Subscribed: the `enabled_events` of a webhook endpoint the code creates or updates.
What cannot be read is ``Unresolved``.
"""

from __future__ import annotations

from stripe_perm_lint.facts import EventUse, PendingEvents, Unresolved
from stripe_perm_lint.parse.ruby import values as v
from stripe_perm_lint.parse.endpoints import compared_like_stripe
from stripe_perm_lint.parse.ruby.accounts import pairs_of
from stripe_perm_lint.parse.ruby.evaluator import RubyEvaluator
from stripe_perm_lint.parse.ruby.exports import referenced
from stripe_perm_lint.parse.ruby.scope import METHODS, enclosing
from stripe_perm_lint.parse.ruby.syntax import arguments, method_name, pairs, string_value, text, walk
from stripe_perm_lint.parse.vocabulary import (
    COMPUTED_HANDLER, DYNAMIC_ENABLED_EVENTS, EVENT_NAME, NON_LITERAL_EVENT, PARTIAL_PREFIX,
    UNREADABLE_TABLE, family_name,
)

_LOOKUPS = ("fetch", "[]", "dig", "key?", "has_key?", "include?", "member?")
_SENDS = ("send", "public_send", "__send__", "method")


class RubyEventReader:
    def __init__(self, ev: RubyEvaluator, pos) -> None:
        self.ev = ev
        self.pos = pos
        self.events: list[EventUse] = []
        self.unresolved: list[Unresolved] = []
        self._unverified = False  # the site being read compares an event of unknown origin
        self._held: dict[tuple[int, int], list[EventUse]] = {}  # its uses, by enclosing method
        self.pending: list[PendingEvents] = []  # tables and lists of another file (`ConnectEvent::HANDLED`)
        self.imports: list = []  # their ``ImportBinding``s

    def _add(self, use: EventUse, node) -> None:
        if not self._unverified:
            self.events.append(use)
            return
        method = enclosing(node, METHODS) or self.ev.scope.root
        self._held.setdefault((method.start_byte, method.end_byte), []).append(use)

    def _unreadable(self, what: str, node) -> None:
        if not self._unverified:  # a payload not known to be Stripe's says nothing
            self.unresolved.append(Unresolved(what, self.pos(node)))

    def finish(self) -> None:
        """Uses on events of unknown origin count when their method compares names that say Stripe."""
        for uses in self._held.values():
            if compared_like_stripe([use.name for use in uses]):
                self.events += uses

    def read(self, root) -> None:
        for node in walk(root):
            if node.type == "binary":
                self._binary(node)
            elif node.type == "case":
                self._case(node)
            elif node.type == "call":
                self._call(node)
            elif node.type == "element_reference" and len(node.named_children) == 2 \
                    and self._is_type(node.named_children[1]):
                self._table(node.named_children[0])

    def subscribed(self, creations) -> None:
        for call in creations:
            for key, _, value in pairs_of(arguments(call)):
                if key != "enabled_events":
                    continue
                found = self.ev.value(value)
                if isinstance(found, v.LiteralStrings):
                    self.events += [EventUse(name, "subscribed", self.pos(n)) for name, n in found.items]
                else:
                    self.unresolved.append(Unresolved(DYNAMIC_ENABLED_EVENTS, self.pos(value)))

    # --- shapes -----------------------------------------------------------------------------

    def _is_type(self, node) -> bool:
        found = self.ev.value(node)
        if not isinstance(found, v.TypeOfEvent):
            return False
        self._unverified = found.unverified
        return True

    def _binary(self, node) -> None:
        operator = node.child_by_field_name("operator")
        if operator is None or text(operator) not in ("==", "!=", "==="):
            return
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if self._is_type(left):
            self._handled(right)
        elif self._is_type(right):
            self._handled(left)

    def _case(self, node) -> None:
        value = node.child_by_field_name("value")
        if value is None or not self._is_type(value):
            return
        for when in node.named_children:
            if when.type != "when":
                continue
            broken = [c for c in when.named_children if c.type == "ERROR"]
            if broken:  # `when "customer.created":` (a stray colon): its literals still say the event
                for error in broken:
                    for literal in error.named_children:
                        self._handled(literal)
                continue
            for pattern in when.children_by_field_name("pattern"):
                inner = pattern.named_children[0] if pattern.named_children else pattern
                if inner.type == "splat_argument" and inner.named_children:
                    self._handled_in(inner.named_children[0])
                elif inner.type == "regex":
                    self._unreadable(PARTIAL_PREFIX, inner)
                else:
                    self._handled(inner)

    def _call(self, node) -> None:
        name = method_name(node) or ""
        receiver = node.child_by_field_name("receiver")
        args = arguments(node)
        if name in ("subscribe",) and receiver is not None and args and (
                text(receiver) == "StripeEvent" or self.ev.stripe_event_config(receiver)):
            self._gem_subscription(args[0])
        elif receiver is not None and self._is_type(receiver) and args:
            if name in ("eql?", "equal?"):
                self._handled(args[0])
            elif name == "start_with?":
                for arg in args:
                    self._prefix(arg)
            elif name in ("in?",):
                self._handled_in(args[0])
        elif name in _LOOKUPS and receiver is not None and args and self._is_type(args[0]):
            self._table(receiver)
        elif name in _SENDS and args and any(self._is_type(n) for a in args[:1] for n in walk(a) if n.is_named):
            self._unreadable(COMPUTED_HANDLER, node)

    # --- what is compared --------------------------------------------------------------------

    def _literal(self, node) -> tuple[str, object] | None:
        if node.type == "constant" and text(node) in self.ev.scope.constants:
            bound = self.ev.scope.constants[text(node)][-1]
            return self._literal(bound) if bound.type != "constant" else None
        found = string_value(node, interpolation=lambda _: "\0")
        return (found, node) if found is not None and "\0" not in found else None

    def _handled(self, node) -> None:
        if node.type == "nil":
            return
        found = self._literal(node)
        if found is None:
            self._unreadable(NON_LITERAL_EVENT, node)
        elif EVENT_NAME.match(found[0]):
            self._add(EventUse(found[0], "handled", self.pos(found[1])), node)

    def _elsewhere(self, node, what: str) -> bool:
        """A constant of another file (`ConnectEvent::HANDLED`, Rails autoloads it): the linker
        reads its names there (``exports``)."""
        if node.type not in ("constant", "scope_resolution") or node.type == "constant" \
                and text(node) in self.ev.scope.constants:
            return False
        binding = referenced(node)
        if binding is None or binding.name.startswith("Stripe::"):
            return False
        self.imports.append(binding)
        self.pending.append(PendingEvents(binding.local, None, self.pos(node), "handled", what, self._unverified))
        return True

    def _handled_in(self, node) -> None:
        if self._elsewhere(node, NON_LITERAL_EVENT):
            return
        found = self.ev.value(node)
        if isinstance(found, v.LiteralStrings):
            for name, literal in found.items:
                if EVENT_NAME.match(name):
                    self._add(EventUse(name, "handled", self.pos(literal)), node)
        else:
            self._unreadable(NON_LITERAL_EVENT, node)

    def _prefix(self, node) -> None:
        found = self._literal(node)
        name = family_name(found[0]) if found else None
        if name is None:
            self._unreadable(PARTIAL_PREFIX if found else NON_LITERAL_EVENT, node)
        else:
            self._add(EventUse(name, "handled", self.pos(found[1])), node)

    def _gem_subscription(self, node) -> None:
        """`subscribe 'charge.failed'` is one event, `subscribe 'invoice.'` the `invoice.*` family."""
        self._unverified = False  # the gem verifies what it hands on
        found = self._literal(node)
        if found is None:
            self.unresolved.append(Unresolved(NON_LITERAL_EVENT, self.pos(node)))
        elif EVENT_NAME.match(found[0]):
            self.events.append(EventUse(found[0], "handled", self.pos(found[1])))
        else:
            self._prefix(node)

    def _table(self, node) -> None:
        """`HANDLERS[event.type]`: every event-name key of the literal hash it names."""
        table = node
        for _ in range(4):
            if table.type == "constant" and text(table) in self.ev.scope.constants:
                table = self.ev.scope.constants[text(table)][-1]
            elif table.type == "identifier" and self.ev.scope.local_value(table) is not None:
                table = self.ev.scope.local_value(table)
            elif table.type == "instance_variable" and self.ev.scope.ivar_values(table):
                table = self.ev.scope.ivar_values(table)[-1]
            elif table.type == "call" and method_name(table) == "freeze":
                table = table.child_by_field_name("receiver")
            else:
                break
        if table.type in ("array", "string_array"):
            return self._handled_in(table)
        if self._elsewhere(table, UNREADABLE_TABLE):
            return
        if table.type != "hash":
            self._unreadable(UNREADABLE_TABLE, node)
            return
        for name, key, _ in pairs(table):
            if name and EVENT_NAME.match(name):
                self._add(EventUse(name, "handled", self.pos(key)), node)
