"""The regions of a TypeScript file that may be webhook endpoints or handlers: its outermost
functions, named by their declaration, variable, object key or route (``app.post('/webhook', …)``).
The evidence they show is read by ``parse.endpoints``, shared with the Python parser
(docs/semantics.md §10)."""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.facts import Position
from stripe_perm_lint.parse.endpoints import Region
from stripe_perm_lint.parse.typescript.declarations import FUNCTION_NODES, Declarations
from stripe_perm_lint.parse.typescript.syntax import call_arguments, string_value, text

# Packages whose Stripe plugin takes an `onEvent` callback for the developer's own billing.
BILLING_PLUGIN_MODULES = frozenset({"@better-auth/stripe"})
_MAX_UP = 8  # how far above `onEvent` the plugin call may be (`stripe({...})`, `plugins: [...]`)


def regions(nodes: list[Node], decls: Declarations, pos) -> list[Region]:
    """One region per outermost function, in document order (``nodes`` is every named node)."""
    plugins = {b.name for b in decls.bindings if b.kind == "import" and b.module in BILLING_PLUGIN_MODULES}
    out = []
    for node in nodes:
        if node.type not in FUNCTION_NODES or _inside_function(node):
            continue
        end = Position(node.end_point[0] + 1, 10**9)
        out.append(Region(_name(node), pos(node), end, text(node), _plugin_callback(node, plugins)))
    return out


def _inside_function(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_NODES:
            return True
        parent = parent.parent
    return False


def _name(node: Node) -> str:
    name = node.child_by_field_name("name")
    if name is not None:
        if node.type == "method_definition":
            cls = node.parent.parent if node.parent is not None else None
            cls_name = cls.child_by_field_name("name") if cls is not None else None
            return f"{text(cls_name)}.{text(name)}" if cls_name is not None else text(name)
        return text(name)
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        return text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "pair":
        return text(parent.child_by_field_name("key"))
    if parent is not None and parent.type == "arguments" and parent.parent is not None:
        call = parent.parent
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        route = next((string_value(a) for a in call_arguments(call) if string_value(a) is not None), None)
        label = text(callee) if callee is not None else "call"
        return f"{label} {route}" if route else f"{label}@{node.start_point[0] + 1}"
    return f"function@{node.start_point[0] + 1}"


def _plugin_callback(node: Node, plugins: set[str]) -> bool:
    """`stripe({..., onEvent: async (event) => {...}})` with `stripe` from `@better-auth/stripe`
    (also `onEvent(event) {...}` as a method of that object)."""
    if not plugins:
        return False
    if node.type == "method_definition":
        key, holder = node.child_by_field_name("name"), node.parent
    elif node.parent is not None and node.parent.type == "pair":
        key, holder = node.parent.child_by_field_name("key"), node.parent.parent
    else:
        return False
    if key is None or text(key).strip("'\"") != "onEvent":
        return False
    up = holder
    for _ in range(_MAX_UP):
        if up is None:
            return False
        if up.type == "call_expression":
            callee = up.child_by_field_name("function")
            return callee is not None and text(callee) in plugins
        up = up.parent
    return False
