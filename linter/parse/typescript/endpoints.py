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
    if plugins:
        out += [region for node in nodes if (region := _plugin_reference(node, plugins, decls, pos)) is not None]
    return out


def _plugin_reference(node: Node, plugins: set[str], decls: Declarations, pos) -> Region | None:
    """`stripe({..., onEvent: hooks?.onEvent})` where `hooks = createStripeCustomerHooks(queue)`,
    or `onEvent: handleBillingEvent`: the callback is defined elsewhere, maybe in another module.
    A region of the `onEvent` pair that hands the event to the function defining the callback
    (the factory, or the named function), whose region then shares the plugin's evidence."""
    if node.type != "pair" or text(node.child_by_field_name("key")).strip("'\"") != "onEvent":
        return None
    value = node.child_by_field_name("value")
    if value is None or value.type in FUNCTION_NODES or not _in_plugin_call(node, plugins):
        return None
    target = None
    if value.type == "identifier":
        target = text(value)
    elif value.type == "member_expression":
        holder = value.child_by_field_name("object")
        made = _made_by(holder, decls) if holder is not None and holder.type == "identifier" else None
        target = made
    if not target:
        return None
    end = Position(node.end_point[0] + 1, 10**9)
    return Region(f"onEvent@{node.start_point[0] + 1}", pos(node), end, text(node), True, (target,))


def _made_by(identifier: Node, decls: Declarations) -> str | None:
    """The function whose call made a variable: `const hooks = cond ? undefined : make(queue)`."""
    binding = decls.lookup(identifier)
    value = binding.init if binding is not None and binding.kind in ("const", "let", "var") else None
    while value is not None and value.type in ("ternary_expression", "await_expression", "parenthesized_expression"):
        if value.type == "ternary_expression":
            branches = [value.child_by_field_name("consequence"), value.child_by_field_name("alternative")]
            value = next((b for b in branches if b is not None and b.type == "call_expression"), None)
        else:
            value = value.named_children[-1] if value.named_children else None
    if value is None or value.type != "call_expression":
        return None
    callee = value.child_by_field_name("function")
    return text(callee) if callee is not None and callee.type == "identifier" else None


def _in_plugin_call(node: Node, plugins: set[str]) -> bool:
    up = node.parent
    for _ in range(_MAX_UP):
        if up is None:
            return False
        if up.type == "call_expression":
            callee = up.child_by_field_name("function")
            return callee is not None and text(callee) in plugins
        up = up.parent
    return False


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
        key, member = node.child_by_field_name("name"), node
    elif node.parent is not None and node.parent.type == "pair":
        key, member = node.parent.child_by_field_name("key"), node.parent
    else:
        return False
    return key is not None and text(key).strip("'\"") == "onEvent" and _in_plugin_call(member, plugins)
