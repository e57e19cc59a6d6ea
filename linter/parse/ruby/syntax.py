"""Reading tree-sitter-ruby nodes: names, literals, calls and their keyword arguments.

Shared by the parser and the table generator (``catalog/build/lang_ruby.py``), which reads
stripe-ruby's own sources with the same grammar. Only node shapes live here, no Stripe knowledge.
"""

from __future__ import annotations

from typing import Callable, Iterator

from stripe_perm_lint.parse.tree import text, walk  # noqa: F401 - re-exported for the parser

STRING_TYPES = ("string", "chained_string")
CALL_TYPES = ("call",)




def constant_path(node) -> str | None:
    """`Stripe::Checkout::Session` for a constant or a scope resolution (a leading `::` dropped);
    None for anything else (`obj.class::X`)."""
    if node is None:
        return None
    if node.type == "constant":
        return text(node)
    if node.type == "scope_resolution":
        name = node.child_by_field_name("name")
        scope = node.child_by_field_name("scope")
        if name is None or name.type != "constant":
            return None
        if scope is None:
            return text(name)
        outer = constant_path(scope)
        return f"{outer}::{text(name)}" if outer else None
    return None


def string_value(node, interpolation: Callable[[object], str] | None = None, placeholder: str = "{}") -> str | None:
    """The text of a string literal; an interpolated part is ``interpolation(node)`` when given,
    else ``placeholder``. Adjacent literals (`"a" "b"`) are joined. None when not a string."""
    if node is None:
        return None
    if node.type == "chained_string":
        parts = [string_value(c, interpolation, placeholder) for c in node.named_children]
        return None if any(p is None for p in parts) else "".join(parts)
    if node.type != "string":
        return None
    out = []
    for child in node.named_children:
        if child.type == "string_content":
            out.append(text(child))
        elif child.type == "escape_sequence":
            out.append(text(child)[1:])
        elif child.type == "interpolation":
            out.append(interpolation(child) if interpolation else placeholder)
    return "".join(out)


def symbol_value(node) -> str | None:
    """`:get` -> "get"; also a plain string literal, as `method: "get"` is accepted too."""
    if node is None:
        return None
    if node.type == "simple_symbol":
        return text(node)[1:]
    if node.type == "delimited_symbol":  # `:"foo"`
        return "".join(text(c) for c in node.named_children if c.type == "string_content")
    return string_value(node)


def key_name(node) -> str | None:
    """The key of a hash pair as a name: `stripe_account:`, `:stripe_account =>`, `'stripe_account' =>`."""
    if node is None:
        return None
    if node.type == "hash_key_symbol":
        return text(node)
    if node.type in ("simple_symbol", "delimited_symbol"):
        return symbol_value(node)
    if node.type == "string":
        return string_value(node)
    return None


def pairs(node) -> Iterator[tuple[str | None, object, object]]:
    """(key name, key node, value node) of each pair of a hash (or of bare keyword arguments)."""
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            yield key_name(key), key, child.child_by_field_name("value")


def arguments(call) -> list:
    """The argument nodes of a call, without the parentheses and commas (a block is not one)."""
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def keyword_arguments(call) -> dict[str, object]:
    """Keyword arguments of a call by name: bare pairs (`request(method: :get)`) and a trailing
    literal hash (`create(params, { stripe_account: x })` is not: only bare pairs and braces-less)."""
    found = {}
    for arg in arguments(call):
        if arg.type == "pair":
            key = key_name(arg.child_by_field_name("key"))
            if key:
                found[key] = arg.child_by_field_name("value")
    return found


def method_name(call) -> str | None:
    name = call.child_by_field_name("method")
    return text(name) if name is not None else None




def qualified_classes(root, kinds: tuple[str, ...] = ("class",)) -> Iterator[tuple[str, object]]:
    """(`Stripe::Checkout::Session`, node) for every class (or module, in ``kinds``), with its
    enclosing modules."""
    stack = [(root, "")]
    while stack:
        node, prefix = stack.pop()
        for child in reversed(node.named_children):
            if child.type in ("module", "class"):
                name = constant_path(child.child_by_field_name("name")) or "?"
                full = f"{prefix}::{name}" if prefix else name
                if child.type in kinds:
                    yield full, child
                body = child.child_by_field_name("body")
                if body is not None:
                    stack.append((body, full))
            elif child.type in ("body_statement", "program"):
                stack.append((child, prefix))
