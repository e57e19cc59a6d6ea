"""Literal values behind names in one TypeScript file: strings, string lists and object literals.

Many facts need the literal a name stands for (`const EXPAND = [...]` passed as `expand`, a const
path given to `rawRequest`, an options object holding `stripeAccount`). These functions follow
same-file consts to those literals through the file's ``Declarations``; what an expression *is*
(a client, an event...) is the business of ``interpreter``. A string that starts with an imported
name (a base URL from another module) names that import for the linker (``imported_prefix``).
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.parse.vocabulary import STRIPE_API_URL
from stripe_perm_lint.parse.typescript.declarations import Declarations
from stripe_perm_lint.parse.typescript.syntax import (
    NAMES,
    member_parts,
    object_entries,
    string_value,
    string_value_fragment,
    text,
    unwrap_types,
)
from stripe_perm_lint.parse.typescript.values import is_app_module


def static_string(decls: Declarations, node: Node | None, depth: int = 0) -> str:
    """A string expression with every part the parser cannot know written `{}`:
    literals, templates, `+` concatenation and same-file string consts are followed."""
    node = unwrap_types(node)
    if node is None or depth > 8:
        return "{}"
    literal = string_value(node)
    if literal is not None:
        return literal
    if node.type == "template_string":
        parts = []
        for c in node.named_children:
            if c.type == "template_substitution":
                inner = c.named_children
                parts.append(static_string(decls, inner[0], depth + 1) if inner else "{}")
            else:
                parts.append(string_value_fragment(c))
        return "".join(parts)
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        if op is not None and text(op) == "+":
            return (static_string(decls, node.child_by_field_name("left"), depth + 1)
                    + static_string(decls, node.child_by_field_name("right"), depth + 1))
        if op is not None and text(op) in ("??", "||"):  # `process.env.STRIPE_API_BASE ?? 'https://api.stripe.com/v1'`
            fallback = static_string(decls, node.child_by_field_name("right"), depth + 1)
            if STRIPE_API_URL.match(fallback) and static_string(decls, node.child_by_field_name("left"), depth + 1) == "{}":
                return fallback
        return "{}"
    if node.type in NAMES:
        b = decls.lookup(node)
        if b is not None and b.kind == "const" and b.path == () and b.init is not None:
            return static_string(decls, b.init, depth + 1)
    return "{}"


def resolve_string(decls: Declarations, node: Node | None, depth: int = 0) -> tuple[str, Node] | None:
    """A string literal, directly or through a same-file const: (value, literal node)."""
    node = unwrap_types(node)
    if node is None or depth > 5:
        return None
    value = string_value(node)
    if value is not None:
        return value, node
    if node.type in NAMES:
        b = decls.lookup(node)
        if b is not None and b.kind == "const" and b.path == () and b.init is not None:
            return resolve_string(decls, b.init, depth + 1)
    return None


def resolve_object(decls: Declarations, node: Node | None, depth: int = 0) -> Node | None:
    """The object literal an expression stands for: itself, or a const/let initialiser."""
    node = unwrap_types(node)
    if node is None or depth > 5:
        return None
    if node.type == "object":
        return node
    if node.type in NAMES:
        b = decls.lookup(node)
        if b is not None and b.kind in ("const", "let", "var") and b.path == () and b.init is not None:
            return resolve_object(decls, b.init, depth + 1)
    if node.type == "member_expression":
        return resolve_object(decls, _entry_value(decls, node, depth), depth + 1)
    return None


def _entry_value(decls: Declarations, member: Node, depth: int) -> Node | None:
    """`REGISTRY.customer.expand`: the value written for that key in a same-file object literal."""
    obj, prop = member_parts(member)
    holder = resolve_object(decls, obj, depth + 1) if prop is not None else None
    for key, value, _ in object_entries(holder) if holder is not None else ():
        if key == prop:
            return value
    return None


def resolve_init(decls: Declarations, node: Node | None, depth: int = 0) -> Node | None:
    """The expression a const name stands for (the node itself when it is not a name)."""
    node = unwrap_types(node)
    if node is None or depth > 5 or node.type != "identifier":
        return node
    b = decls.lookup(node)
    if b is not None and b.kind == "const" and b.path == () and b.init is not None:
        return resolve_init(decls, b.init, depth + 1)
    return None


def resolve_strings(decls: Declarations, node: Node | None, depth: int = 0):
    """A list of string literals: returns (items [(value, node)], imports [(local, node)], dynamic).

    Follows same-file consts (`as const`, spreads); an imported name is reported for the linker.
    """
    node = unwrap_types(node)
    items: list[tuple[str, Node]] = []
    imports: list[tuple[str, Node]] = []
    if node is None or depth > 8:
        return items, imports, True
    if node.type == "array":
        dynamic = False
        for el in node.named_children:
            if el.type == "comment":
                continue
            value = string_value(el)
            if value is not None:
                items.append((value, el))
            elif el.type == "spread_element" and el.named_children:
                sub_items, sub_imports, sub_dyn = resolve_strings(decls, el.named_children[0], depth + 1)
                items += sub_items
                imports += sub_imports
                dynamic = dynamic or sub_dyn
            else:
                dynamic = True
        return items, imports, dynamic
    if node.type in NAMES:
        b = decls.lookup(node)
        if b is None:
            return items, imports, True
        if b.kind == "import":
            if b.module is not None and is_app_module(b.module):
                return items, [(b.name, node)], False
            return items, imports, True
        if b.kind == "const" and b.path == () and b.init is not None:
            return resolve_strings(decls, b.init, depth + 1)
    if node.type == "member_expression":
        value = _entry_value(decls, node, depth)
        if value is not None:
            return resolve_strings(decls, value, depth + 1)
    if node.type == "new_expression":  # `new Set(['invoice.paid', ...])`
        ctor = node.child_by_field_name("constructor")
        args = node.child_by_field_name("arguments")
        if ctor is not None and text(ctor) == "Set" and args is not None and len(args.named_children) == 1:
            return resolve_strings(decls, args.named_children[0], depth + 1)
    return items, imports, True


def imported_prefix(decls: Declarations, url: Node | None) -> tuple[str, str | None] | None:
    """The app-module import a URL starts with: ``${STRIPE_API}/charges``, `STRIPE_API + '/x'`,
    `config.STRIPE_API + ...` on a namespace import. Whether it holds a Stripe URL is for the
    linker to find out in the exporting file."""
    url = unwrap_types(url)
    while url is not None and url.type in ("template_string", "binary_expression"):
        if url.type == "binary_expression":
            op = url.child_by_field_name("operator")
            url = unwrap_types(url.child_by_field_name("left")) if op is not None and text(op) == "+" else None
            continue
        first = next((c for c in url.named_children if c.type != "comment"), None)
        inner = first.named_children if first is not None and first.type == "template_substitution" else []
        url = unwrap_types(inner[0]) if inner else None
    member = None
    if url is not None and url.type == "member_expression":
        url, member = member_parts(url)
        url = unwrap_types(url)
    if url is None or url.type != "identifier":
        return None
    b = decls.lookup(url)
    if b is None or b.kind != "import" or b.module is None or not is_app_module(b.module):
        return None
    if member is not None and b.imported != "*":
        return None
    return text(url), member
