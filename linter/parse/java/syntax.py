"""Small readers over tree-sitter-java nodes: text, walks, string values, member chains.
Nothing here knows Stripe."""

from __future__ import annotations

import re

from stripe_perm_lint.parse.tree import text, walk  # noqa: F401 - re-exported for the parser

# `%s`, `%d`, `%1$s` in a `String.format` pattern: a part the parser cannot read.
_FORMAT_SPEC = re.compile(r"%(?:\d+\$)?[-#+ 0,(]*\d*(?:\.\d+)?[sdxXfb]")
FUNCTIONS = ("method_declaration", "constructor_declaration", "compact_constructor_declaration")






def string_value(node) -> str | None:
    """The value of a plain string literal (text blocks and escapes kept as written)."""
    if node is None or node.type != "string_literal":
        return None
    return "".join(text(c) for c in node.children if c.type in ("string_fragment", "escape_sequence"))


def arguments(call) -> list:
    args = call.child_by_field_name("arguments")
    return [c for c in args.named_children if c.type not in ("comment", "line_comment", "block_comment")] if args else []


def name_of(call) -> str:
    return text(call.child_by_field_name("name"))


def unparen(node):
    while node is not None and node.type in ("parenthesized_expression", "cast_expression"):
        node = node.child_by_field_name("value") if node.type == "cast_expression" else node.named_children[0]
    return node


def chain(call) -> tuple[object, list]:
    """``a.b().c(x)`` -> (node of ``a``, [``b()`` call, ``c(x)`` call]): the root a member chain
    starts from, and the invocations after it, innermost first."""
    calls = []
    node = call
    while node is not None and node.type == "method_invocation" and node.child_by_field_name("object") is not None:
        calls.append(node)
        node = unparen(node.child_by_field_name("object"))
    calls.reverse()
    return node, calls


def enclosing(node, types: tuple[str, ...]):
    node = node.parent
    while node is not None and node.type not in types:
        node = node.parent
    return node


def path_text(node, constants: dict[str, str]) -> str | None:
    """A path as written, ``{}`` for each part that is not a literal: `"/v1/customers/" + id`,
    `String.format("/v1/customers/%s", id)`, a `static final` constant. None if no part is."""
    node = unparen(node)
    if node is None:
        return None
    if node.type == "string_literal":
        return string_value(node)
    if node.type == "identifier" and text(node) in constants:
        return constants[text(node)]
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        left = path_text(node.child_by_field_name("left"), constants)
        right = path_text(node.child_by_field_name("right"), constants)
        if left is None and right is None:
            return None
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    if node.type == "method_invocation" and name_of(node) in ("format", "formatted"):
        args = arguments(node)
        pattern = path_text(args[0], constants) if name_of(node) == "format" and args else \
            path_text(node.child_by_field_name("object"), constants)
        return _FORMAT_SPEC.sub("{}", pattern) if pattern is not None else None
    return None
