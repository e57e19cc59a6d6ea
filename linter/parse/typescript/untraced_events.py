"""Webhook events recognised by what the code compares them with, not by how the event was made.

`const event = req.body` / `await request.json()` / `JSON.parse(raw)` with no signature check,
then `switch (event.type) { case 'invoice.paid': ... }`: nothing says `event` is a Stripe event
(the interpreter knows it only from `constructEvent` or a `Stripe.Event` type), yet the names it
is compared with do. A ``type`` read from a value of unknown origin is a *candidate*; its
comparisons count as handled events only when every compared literal looks like an event name
and at least one is an event the catalog knows (a GitHub `push` or a Redux `SET_USER` is not).
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.syntax import member_parts, text, unwrap
from stripe_perm_lint.parse.typescript.values import Pending
from stripe_perm_lint.parse.vocabulary import EVENT_NAME


def untraced_event_type(ev: Interpreter, node: Node | None) -> bool:
    """`x.type`, `const t = x.type`, `const { type } = x`, where `x` is of unknown origin."""
    node = unwrap(node)
    if node is None or not _unknown(ev.value(node)):
        return False
    if node.type == "member_expression":
        obj, prop = member_parts(node)
        return prop == "type" and _event_source(ev, obj)
    if node.type == "identifier":
        b = ev.decls.lookup(node)
        if b is None or b.kind not in ("const", "let", "var") or b.init is None:
            return False
        if b.path == ("type",):
            return _event_source(ev, b.init)
        return b.path == () and untraced_event_type(ev, b.init)
    return False


def _event_source(ev: Interpreter, node: Node | None, depth: int = 0) -> bool:
    """Whether a value may be an event received from outside: a request body (`req.body`,
    `await request.json()`, `JSON.parse(raw)`), a context variable named for it
    (`c.get('stripeEvent')`), a parameter, or a member or alias of one. A
    literal built here, an undeclared global or an import is not."""
    node = unwrap(node)
    if node is None or depth > 6 or not _unknown(ev.value(node)):
        return False
    if node.type == "identifier":
        b = ev.decls.lookup(node)
        if b is None or b.kind == "import":
            return False
        if b.kind == "param":
            return True
        return b.init is not None and b.path is not None and _event_source(ev, b.init, depth + 1)
    if node.type == "member_expression":
        obj, prop = member_parts(node)
        return prop == "body" or _event_source(ev, obj, depth + 1)
    if node.type == "call_expression":
        callee = unwrap(node.child_by_field_name("function"))
        tail = text(callee).replace(" ", "") if callee is not None else ""
        if tail.endswith(".get"):  # Hono's `c.get('stripeEvent')`, set by a verifying middleware
            args = [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]
            return len(args) == 1 and args[0].type == "string" and "event" in text(args[0]).lower()
        return tail == "JSON.parse" or tail.endswith(".json")
    return False


def stripe_event_names(names: list[str]) -> bool:
    """The evidence that compared names are Stripe's: all event-shaped, one at least known."""
    catalog = load_catalog()
    return bool(names) and all(EVENT_NAME.match(n) for n in names) and any(catalog.event(n) for n in names)


def _unknown(value: object) -> bool:
    return value is None or (isinstance(value, Pending) and value.typed)
