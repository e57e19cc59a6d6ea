"""Grammar-neutral readers over tree-sitter nodes, shared by the backend-language parsers."""

from __future__ import annotations

from typing import Iterator


def text(node) -> str:
    """The node's source text ("" for no node)."""
    return node.text.decode("utf-8", errors="replace") if node is not None else ""


def walk(node, named: bool = False) -> Iterator:
    """``node`` and every node below it (only named ones below, with ``named``), in source order,
    on a stack of its own: generated files nest deeper than Python's recursion limit."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children if named else current.children))
