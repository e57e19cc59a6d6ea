"""Small tree-sitter helpers for the TypeScript parser: text, positions and literal strings.

Nothing here knows about Stripe; ``parser`` and ``declarations`` build on it.
No tree-sitter object is returned to callers outside ``stripe_perm_lint.parse``.
"""

from __future__ import annotations

from typing import Iterator

from tree_sitter import Node

from stripe_perm_lint.parse.positions import Positions  # noqa: F401 - re-exported for the parser

# Wrappers that do not change the runtime value of an expression: `(x)`, `x as T`, `x!`,
# `<T>x`, `x satisfies T`. Unwrapping them lets `stripe!.customers` look like `stripe.customers`.
TRANSPARENT = frozenset(
    {"parenthesized_expression", "as_expression", "non_null_expression", "type_assertion", "satisfies_expression"}
)

# A name used as a value: `x`, and the `x` of a shorthand property `{x}`.
NAMES = frozenset({"identifier", "shorthand_property_identifier"})

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "`": "`", "0": "\0"}


def text(node: Node) -> str:
    return node.text.decode("utf-8", errors="replace")


def unwrap(node: Node | None, keep_assertions: bool = False) -> Node | None:
    """Strip parentheses, type assertions and `await` so the value expression remains.
    With ``keep_assertions`` stop at `x as T` / `<T>x` (the asserted type may say what x is)."""
    while node is not None and (node.type in TRANSPARENT or node.type == "await_expression"):
        if keep_assertions and node.type in ("as_expression", "type_assertion"):
            return node
        inner = [c for c in node.named_children if c.type != "comment"]
        if not inner:
            return node
        node = inner[-1] if node.type == "type_assertion" else inner[0]  # `<T>x`: x comes last
    return node


def unwrap_types(node: Node | None) -> Node | None:
    """Like ``unwrap`` but keeps `await` (used where a Promise is not the value we want)."""
    while node is not None and node.type in TRANSPARENT:
        inner = [c for c in node.named_children if c.type != "comment"]
        if not inner:
            return node
        node = inner[-1] if node.type == "type_assertion" else inner[0]  # `<T>x`: x comes last
    return node


def string_value_fragment(node: Node) -> str:
    """Text of one `string_fragment` / `escape_sequence` child, escapes decoded."""
    return _fragment_text(node)


def _fragment_text(node: Node) -> str:
    if node.type == "escape_sequence":
        raw = text(node)
        return _ESCAPES.get(raw[1:2], raw[1:]) if len(raw) == 2 else raw
    return text(node)


def string_value(node: Node | None) -> str | None:
    """The value of `'x'`, `"x"` or a template literal without `${}`; else None."""
    node = unwrap_types(node)
    if node is None:
        return None
    if node.type == "string":
        return "".join(_fragment_text(c) for c in node.named_children)
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        return "".join(_fragment_text(c) for c in node.named_children)
    return None


def template_with_holes(node: Node) -> str:
    """A template literal's text with every `${...}` written `{}` (for request paths)."""
    parts = []
    for c in node.named_children:
        parts.append("{}" if c.type == "template_substitution" else _fragment_text(c))
    return "".join(parts)


def property_name(node: Node | None) -> str | None:
    """The name of an object key / member property: `a`, `'a'`, `["a"]`; None if computed."""
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier", "shorthand_property_identifier",
                     "shorthand_property_identifier_pattern", "private_property_identifier"):
        return text(node)
    if node.type in ("string", "template_string"):
        return string_value(node)
    if node.type == "computed_property_name":
        inner = node.named_children
        return string_value(inner[0]) if inner else None
    if node.type == "number":
        return text(node)
    return None


def object_entries(obj: Node) -> Iterator[tuple[str | None, Node | None, Node]]:
    """(key, value, key_node) for each entry of an object literal.

    Shorthand `{a}` yields the identifier as value. Spread and methods yield key None.
    """
    for child in obj.named_children:
        if child.type == "pair":
            key_node = child.child_by_field_name("key")
            yield property_name(key_node), child.child_by_field_name("value"), key_node or child
        elif child.type == "shorthand_property_identifier":
            yield text(child), child, child
        elif child.type == "method_definition":
            key_node = child.child_by_field_name("name")
            yield property_name(key_node), child, key_node or child
        else:
            yield None, child, child


def call_arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "arguments":  # tagged template: fn`...`
        return []
    return [a for a in args.named_children if a.type != "comment"]


def member_parts(node: Node) -> tuple[Node | None, str | None]:
    """(object, property name) of `a.b`, `a?.b`, `a['b']`; property None if computed."""
    if node.type == "member_expression":
        return node.child_by_field_name("object"), property_name(node.child_by_field_name("property"))
    if node.type == "subscript_expression":
        index = node.child_by_field_name("index")
        return node.child_by_field_name("object"), string_value(index)
    return None, None


def dotted_tail(node: Node) -> list[str]:
    """Property names of a member chain, outermost last: `a.b.c` -> ['a', 'b', 'c'] (root text first)."""
    names: list[str] = []
    node = unwrap_types(node)
    while node is not None and node.type in ("member_expression", "subscript_expression"):
        obj, prop = member_parts(node)
        names.append(prop if prop is not None else "?")
        node = unwrap_types(obj)
    if node is not None and node.type in ("identifier", "this"):
        names.append(text(node))
    return names[::-1]

