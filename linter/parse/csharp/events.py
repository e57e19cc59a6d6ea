"""Webhook events in C#: the events an endpoint handles and those a webhook endpoint subscribes to.

An event is what `EventUtility.ConstructEvent(json, signature, secret)` (or `ParseEvent`) returns,
or anything declared `Event` (`Event stripeEvent`, a handler's `Event e` parameter), or a
variable named like one (`stripeEvent`, `evt`). Its `Type` is read where it is compared:
`stripeEvent.Type == "invoice.paid"`, `switch (stripeEvent.Type) { case EventTypes.InvoicePaid: }`,
switch expressions, `is` patterns, `.Equals(...)`, `.StartsWith("customer.subscription.")`.
The SDK's constants (`EventTypes.ChargeSucceeded`, `Events.ChargeSucceeded` before Stripe.net 46)
name their events wherever they are used (a dictionary of handlers keyed by them), and string
keys of a dictionary that are all event names make a dispatch table. `EnabledEvents` of
`WebhookEndpointCreateOptions` / `WebhookEndpointUpdateOptions` are subscriptions.
"""

from __future__ import annotations

import re

from stripe_perm_lint.facts import EventUse, Unresolved
from stripe_perm_lint.parse.csharp.scope import Scope
from stripe_perm_lint.parse.csharp.sdk import EVENT_SOURCES
from stripe_perm_lint.parse.csharp.syntax import (
    NodeIndex,
    arguments,
    callee_parts,
    collection_items,
    initializer_entries,
    string_value,
    text,
    unwrap,
    walk,
)
from stripe_perm_lint.parse.positions import Positions
from stripe_perm_lint.parse.vocabulary import (
    DYNAMIC_ENABLED_EVENTS,
    EVENT_NAME,
    NON_LITERAL_EVENT,
    PARTIAL_PREFIX,
    UNREADABLE_TABLE,
    family_name,
)

_EVENTISH = re.compile(r"(?:^@?|_)(?:[a-z]*[eE]vent|evt|e)$|Event$")
WEBHOOK_OPTIONS = ("WebhookEndpointCreateOptions", "WebhookEndpointUpdateOptions")


def event_variables(index: NodeIndex) -> set[str]:
    """Names holding a webhook event: from `EventUtility.ConstructEvent` and friends, or declared `Event`."""
    names = set()
    for node in index.of("variable_declarator", "parameter", "assignment_expression"):
        if node.type == "variable_declarator":
            value = unwrap(node.named_children[-1]) if len(node.named_children) > 1 else None
            declared = node.parent.child_by_field_name("type") if node.parent is not None else None
            if _constructs_event(value) or (declared is not None and text(declared) in ("Event", "Stripe.Event")):
                names.add(text(node.child_by_field_name("name")))
        elif node.type == "parameter" and text(node.child_by_field_name("type")) in ("Event", "Stripe.Event"):
            names.add(text(node.child_by_field_name("name")))
        elif node.type == "assignment_expression" and _constructs_event(unwrap(node.child_by_field_name("right"))):
            names.add(text(node.child_by_field_name("left")))
    return names


def _constructs_event(node) -> bool:
    if node is None or node.type != "invocation_expression":
        return False
    parts = callee_parts(node)
    return parts is not None and parts[1] in EVENT_SOURCES and text(parts[0]).endswith(("EventUtility", "StripeClient"))


class DotnetEventReader:
    def __init__(self, scope: Scope, positions: Positions, names: set[str]):
        self.scope = scope
        self.positions = positions
        self.names = names
        self.events: list[EventUse] = []
        self.unresolved: list[Unresolved] = []

    def read(self, index: NodeIndex) -> None:
        subscribed = set()
        for node in index.of("object_creation_expression", "member_access_expression", "initializer_expression"):
            if node.type == "object_creation_expression" and text(node.child_by_field_name("type")).removeprefix(
                    "Stripe.") in WEBHOOK_OPTIONS:
                subscribed |= self._subscriptions(node)
            elif node.type == "member_access_expression" and text(node.child_by_field_name("name")) == "Type" \
                    and self._is_event(node.child_by_field_name("expression")):
                self._type_use(node)
            elif node.type == "initializer_expression" and node.parent is not None \
                    and node.parent.type in ("object_creation_expression", "implicit_object_creation_expression") \
                    and (self.names or _typed_with_events(node.parent)):
                self._dispatch_table(node)
        for node in index.of("member_access_expression"):
            name = self.constant(node)
            if name and node.id not in subscribed and not _inside_constant(node):
                self._use(name, "handled", node)

    def constant(self, node) -> str | None:
        if node.type != "member_access_expression":
            return None
        return self.scope.sdk.constants.get(text(node).removeprefix("global::").removeprefix("Stripe."))

    def _is_event(self, node) -> bool:
        written = text(unwrap(node))
        return written in self.names or bool(_EVENTISH.search(written.rsplit(".", 1)[-1]))

    def _use(self, name: str, kind: str, node) -> None:
        self.events.append(EventUse(name, kind, self.positions.of(unwrap(node))))

    def _value(self, node, at, known: bool) -> None:
        """One value compared with an event's type: a literal, an SDK constant, or neither (then
        unresolved, when the compared `Type` is surely an event's: not just named like one)."""
        node = unwrap(node)
        literal = string_value(node)
        if literal is not None:
            if EVENT_NAME.match(literal):
                self._use(literal, "handled", node)
        elif known and self.constant(node) is None and node is not None and node.type not in ("null_literal", "discard"):
            self.unresolved.append(Unresolved(NON_LITERAL_EVENT, self.positions.of(at)))

    def _type_use(self, member) -> None:
        parent = member.parent
        known = text(unwrap(member.child_by_field_name("expression"))) in self.names
        if parent.type == "binary_expression" and text(parent.child_by_field_name("operator")) in ("==", "!="):
            left, right = parent.child_by_field_name("left"), parent.child_by_field_name("right")
            self._value(right if left == member else left, parent, known)
        elif parent.type == "switch_statement":
            for pattern in (n for n in walk(parent.child_by_field_name("body")) if n.type == "constant_pattern"):
                if _switch_of(pattern) == parent:
                    self._value(pattern.named_children[0], pattern, known)
        elif parent.type == "switch_expression":
            for arm in parent.named_children:
                if arm.type == "switch_expression_arm":
                    for pattern in (n for n in walk(arm.named_children[0]) if n.type == "constant_pattern"):
                        self._value(pattern.named_children[0], pattern, known)
        elif parent.type == "is_pattern_expression":
            for pattern in (n for n in walk(parent.child_by_field_name("pattern")) if n.type == "constant_pattern"):
                self._value(pattern.named_children[0], pattern, known)
        elif parent.type == "member_access_expression" and parent.parent is not None \
                and parent.parent.type == "invocation_expression":
            self._string_method(text(parent.child_by_field_name("name")), parent.parent, known)
        elif parent.type == "argument" and parent.parent.parent is not None \
                and parent.parent.parent.type == "invocation_expression":
            self._membership(parent.parent.parent, known)

    def _membership(self, call, known: bool) -> None:
        """`Handled.Contains(stripeEvent.Type)`, with `Handled` a list, array or set of event names
        (inline, a local or a field); other collections' keys are read as dispatch tables."""
        parts = callee_parts(call)
        if parts is None or parts[1] != "Contains":
            return
        items = self._collection(parts[0])
        if items is None:
            if known:
                self.unresolved.append(Unresolved(UNREADABLE_TABLE, self.positions.of(call)))
            return
        for item in items:
            literal = string_value(item)
            if literal is not None and EVENT_NAME.match(literal):
                self._use(literal, "handled", item)

    def _collection(self, node) -> list | None:
        """The items of `new[] { "a" }`, `new List<string> { "a" }`, `["a"]`, or of the local or
        field such a value initialises; None when they cannot be read."""
        node = unwrap(node)
        if node is not None and node.type in ("identifier", "member_access_expression"):
            name = text(node).removeprefix("this.")
            declared = self.scope.declaration(name, node)
            node = unwrap(declared[1]) if declared is not None and declared[1] is not None else None
        return collection_items(node)

    def _string_method(self, method: str, call, known: bool) -> None:
        args = arguments(call)
        if not args:
            return
        if method == "Equals":
            self._value(args[0], call, known)
        elif method == "StartsWith":
            prefix = string_value(args[0])
            family = family_name(prefix) if prefix is not None else None
            if family:
                self._use(family, "handled", args[0])
            elif known or prefix:
                self.unresolved.append(Unresolved(PARTIAL_PREFIX if prefix else NON_LITERAL_EVENT, self.positions.of(call)))

    def _dispatch_table(self, init) -> None:
        """`new Dictionary<string, Func<Event, Task>> { ["invoice.paid"] = ..., { "x.y", ... } }`, in
        a file that holds events (a dictionary of dotted names elsewhere is configuration)."""
        keys = []
        for entry in init.named_children:
            if entry.type == "assignment_expression" and entry.child_by_field_name("left").type == "element_binding_expression":
                keys += entry.child_by_field_name("left").named_children[:1]
            elif entry.type == "initializer_expression" and entry.named_children:
                keys.append(entry.named_children[0])
        literals = [(string_value(k), k) for k in keys]  # SDK constants among them are read anyway
        if literals and all(v is not None and EVENT_NAME.match(v) or self.constant(unwrap(k)) for v, k in literals):
            for value, key in literals:
                if value is not None:
                    self._use(value, "handled", key)

    def _subscriptions(self, creation) -> set[int]:
        """`EnabledEvents = new List<string> { "invoice.paid", EventTypes.ChargeSucceeded }`: the ids
        of the constants read here, so they are not also counted as handled."""
        seen = set()
        for key, value in initializer_entries(creation):
            if key != "EnabledEvents":
                continue
            items = collection_items(value)
            if items is None:
                self.unresolved.append(Unresolved(DYNAMIC_ENABLED_EVENTS, self.positions.of(unwrap(value) or creation)))
                continue
            for item in items:
                literal = string_value(item)
                name = literal if literal is not None else self.constant(unwrap(item))
                if name is None:
                    self.unresolved.append(Unresolved(DYNAMIC_ENABLED_EVENTS, self.positions.of(item)))
                    continue
                seen.add(unwrap(item).id)
                self._use(name, "subscribed", item)
        return seen


def _typed_with_events(creation) -> bool:
    """`new Dictionary<string, Func<Event, Task>> {...}`, or `new() {...}` declared so."""
    written = creation.child_by_field_name("type")
    declarator = creation.parent
    declaration = declarator.parent if declarator is not None and declarator.type == "variable_declarator" else None
    declared = declaration.child_by_field_name("type") if declaration is not None else None
    return any(t is not None and "Event" in text(t) for t in (written, declared))


def _switch_of(pattern):
    node = pattern.parent
    while node is not None and node.type != "switch_statement":
        node = node.parent
    return node


def _inside_constant(node) -> bool:
    """`EventTypes.X` inside `EventTypes.X.Length`? No: a constant nested in a longer access."""
    return node.parent is not None and node.parent.type == "member_access_expression" \
        and node.parent.child_by_field_name("expression") == node
