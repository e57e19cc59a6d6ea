"""Webhook events in a Java file: `event.getType()` compared with names (`equals`, `switch`,
`Set.of(...).contains`, `startsWith`), used as the key of a handler map, and the
`enabled_events` of a webhook endpoint the code creates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stripe_perm_lint.facts import EventUse, Unresolved
from stripe_perm_lint.parse.java import values as v
from stripe_perm_lint.parse.java.syntax import arguments, name_of, path_text, string_value, text, unparen, walk
from stripe_perm_lint.parse.vocabulary import (
    DYNAMIC_ENABLED_EVENTS,
    NON_LITERAL_EVENT,
    PARTIAL_PREFIX,
    UNREADABLE_TABLE,
    family_name,
)

if TYPE_CHECKING:
    from stripe_perm_lint.parse.java.parser import JavaFile
    from stripe_perm_lint.parse.java.scope import JavaScope

_COLLECTIONS = ("of", "asList", "copyOf", "singletonList", "ofEntries")
_MAP_LOOKUPS = ("get", "getOrDefault", "containsKey")


class JavaEventReader:
    def __init__(self, file: "JavaFile") -> None:
        self.file = file
        self.uses: list[EventUse] = []
        self.unresolved: list[Unresolved] = []

    def _is_type(self, node, scope: "Scope") -> bool:
        return node is not None and isinstance(self.file.ev.value(node, scope), v.JavaEventType)

    def _handled(self, node, scope: "Scope") -> None:
        """``node`` compared with an event's type: a literal or constant is a handled event."""
        name = path_text(node, self.file.names.constants) if unparen(node).type in ("string_literal", "identifier") else None
        if name is None or "{}" in name:
            self.unresolved.append(Unresolved(NON_LITERAL_EVENT, self.file.pos(node)))
        else:
            self.uses.append(EventUse(name, "handled", self.file.pos(node)))

    def on_call(self, node, name: str, args: list, receiver, scope: "Scope") -> None:
        target = node.child_by_field_name("object")
        if name in ("equals", "equalsIgnoreCase") and len(args) == 1 and target is not None:
            if self._is_type(target, scope):
                self._handled(args[0], scope)
            elif self._is_type(args[0], scope) and unparen(target).type != "method_invocation":
                self._handled(target, scope)
        elif name == "startsWith" and args and self._is_type(target, scope):
            prefix = string_value(unparen(args[0]))
            family = family_name(prefix) if prefix is not None else None
            if family:
                self.uses.append(EventUse(family, "handled", self.file.pos(args[0])))
            else:
                self.unresolved.append(Unresolved(PARTIAL_PREFIX if prefix else NON_LITERAL_EVENT, self.file.pos(args[0])))
        elif name == "contains" and args and self._is_type(args[0], scope) and target is not None:
            self._collection(target, scope, NON_LITERAL_EVENT)
        elif name in _MAP_LOOKUPS and args and self._is_type(args[0], scope) and target is not None:
            self._collection(target, scope, UNREADABLE_TABLE, keys_only=True)
        elif name in ("addEnabledEvent", "addAllEnabledEvent") and args:
            self._subscribed(args[0], scope)
        elif name == "put" and len(args) == 2 and string_value(unparen(args[0])) == "enabled_events":
            self._subscribed(args[1], scope)

    def on_switch(self, node, scope: "Scope") -> None:
        condition = node.child_by_field_name("condition")
        if condition is None or not self._is_type(condition, scope):
            return
        body = node.child_by_field_name("body")
        for label in (n for n in walk(body) if n.type == "switch_label"):
            for case in label.named_children:
                self._handled(case, scope)

    # --- collections of names -------------------------------------------------------------------------
    def _collection(self, node, scope: "Scope", reason: str, keys_only: bool = False) -> None:
        """The names of `Set.of(...)`, `Map.of(k, v, ...)`, or a field or local holding one,
        with the `put("name", ...)`s the file makes on it."""
        node = unparen(node)
        written = text(node).removeprefix("this.")
        found = False
        if node.type == "method_invocation" and name_of(node) in _COLLECTIONS:
            found = self._literal_collection(node, keys_only)
        elif node.type in ("identifier", "field_access"):
            declared = self.file.names.fields.get(written)
            init = declared.node.child_by_field_name("value") if declared is not None else None
            if init is not None and unparen(init).type == "method_invocation" and name_of(unparen(init)) in _COLLECTIONS:
                found = self._literal_collection(unparen(init), keys_only)
            found = self._puts(written) or found
        if not found:
            self.unresolved.append(Unresolved(reason, self.file.pos(node)))

    def _literal_collection(self, call, keys_only: bool) -> bool:
        args = arguments(call)
        if name_of(call) == "ofEntries":
            args = [arguments(unparen(a))[0] for a in args if unparen(a).type == "method_invocation" and arguments(unparen(a))]
        elif keys_only:
            args = args[::2]
        for arg in args:
            self._handled(arg, None)
        return bool(args)

    def _puts(self, holder: str) -> bool:
        """`HANDLERS.put("invoice.paid", this::onPaid)` anywhere in the file."""
        found = False
        for node in walk(self.file.root):
            if node.type == "method_invocation" and name_of(node) in ("put", "add") and arguments(node):
                target = node.child_by_field_name("object")
                if target is not None and text(target).removeprefix("this.") == holder:
                    self._handled(arguments(node)[0], None)
                    found = True
        return found

    def _subscribed(self, node, scope: "Scope") -> None:
        node = unparen(node)
        if node.type == "method_invocation" and name_of(node) in _COLLECTIONS:
            for item in arguments(node):
                self._subscribed(item, scope)
            return
        literal = string_value(node)
        if literal is None and node.type in ("field_access", "scoped_identifier", "identifier"):
            constant = text(node).rsplit(".", 1)[-1]
            # stripe-java's `EnabledEvent.INVOICE__PAID`: `__` for the dots, `STAR` for all events.
            literal = "*" if constant == "STAR" else constant.lower().replace("__", ".") if constant.isupper() else None
            literal = self.file.names.constants.get(text(node), literal)
        if literal is None:
            self.unresolved.append(Unresolved(DYNAMIC_ENABLED_EVENTS, self.file.pos(node)))
        else:
            self.uses.append(EventUse(literal, "subscribed", self.file.pos(node)))
