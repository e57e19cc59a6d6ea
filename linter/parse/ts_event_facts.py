"""Webhook events in TypeScript: the event types a file handles and the ones it subscribes to.

Handled: ``event.type`` compared with a literal (``===``, ``switch`` cases, ``.includes``) or used
as the key of a handler table. Subscribed: ``enabled_events`` passed to
``webhookEndpoints.create`` / ``update``. What counts as an event type is decided by ``ts_eval``
(an ``EventType`` value), never by a variable's name.
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.facts import EventUse, Unresolved
from stripe_perm_lint.parse.ts_fact_lists import FactLists
from stripe_perm_lint.parse.ts_util import EVENT_NAME, call_arguments, object_entries, string_value, text, unwrap_types
from stripe_perm_lint.parse.ts_values import EventType


class EventFacts(FactLists):
    """Event uses: handled event types and webhook subscriptions."""

    def subscriptions(self, segs: tuple[str, ...], args: list[Node]) -> None:
        """`stripe.webhookEndpoints.create({enabled_events: [...]})` / `.update(id, {...})`."""
        if segs[-2:] not in (("webhookEndpoints", "create"), ("webhookEndpoints", "update")):
            return
        for arg in args:
            obj = self.scope.resolve_object(arg)
            for key, value, key_node in object_entries(obj) if obj is not None else ():
                if key != "enabled_events" or value is None:
                    continue
                items, imported, dynamic = self.scope.resolve_strings(value)
                for name, node in items:
                    self.events.append(EventUse(name, "subscribed", self.pos(node)))
                if dynamic or imported:
                    self.unresolved.append(Unresolved("enabled_events is not a list of literals", self.pos(value)))

    def switch_statement(self, node: Node) -> None:
        """`switch (event.type) { case 'a': case 'b': ... }`: every case, fall-through included."""
        if not isinstance(self.scope.value(node.child_by_field_name("value")), EventType):
            return
        body = node.child_by_field_name("body")
        for case in body.named_children if body is not None else ():
            if case.type != "switch_case":
                continue
            value = case.child_by_field_name("value")
            if value is not None:
                self._compared(value)

    def binary_expression(self, node: Node) -> None:
        op_node = node.child_by_field_name("operator")
        op = text(op_node) if op_node is not None else ""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op in ("===", "==", "!==", "!="):
            if isinstance(self.scope.value(left), EventType):
                self._compared(right)
            elif isinstance(self.scope.value(right), EventType):
                self._compared(left)
        elif op == "in" and isinstance(self.scope.value(left), EventType):
            self.dispatch_table(right, node)

    def _compared(self, other: Node | None) -> None:
        if other is None:
            return
        found = self.scope.resolve_string(other)
        if found is not None:
            self.events.append(EventUse(found[0], "handled", self.pos(found[1])))
        else:
            self.unresolved.append(Unresolved("event type compared with a non-literal", self.pos(other)))

    def dispatch_table(self, table: Node | None, at: Node) -> None:
        """A handler table indexed by an event type: every event-like key is handled.
        `{ 'payout.paid': fn }` or `new Map([['payout.paid', fn]])`, held in a same-file const."""
        keys = self._table_keys(table)
        if keys is None:
            self.unresolved.append(Unresolved("event type used as a key of a table the parser cannot read",
                                              self.pos(at)))
            return
        for name, node in keys:
            self.events.append(EventUse(name, "handled", self.pos(node)))

    def _table_keys(self, table: Node | None) -> list[tuple[str, Node]] | None:
        obj = self.scope.resolve_object(table)
        if obj is not None:
            return [(k, n) for k, _, n in object_entries(obj) if k is not None and EVENT_NAME.match(k)]
        init = self.scope.resolve_init(table)
        if init is None or init.type != "new_expression":
            return None
        ctor = init.child_by_field_name("constructor")
        args = call_arguments(init)
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
