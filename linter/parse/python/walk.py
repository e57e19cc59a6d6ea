"""A read-only walk of a libcst tree that calls a visitor's ``on_visit`` / ``on_leave`` in the
same order as ``node.visit(visitor)``, at a fraction of the cost.

libcst's ``visit`` is built for transformers: every node is rebuilt (its constructor and
validation run again) and every field is announced to the visitor, even for a read-only
``CSTVisitor``; on large modules that was most of the parse time. This walk reads each node's
fields in the order libcst visits them (learnt once per node class from libcst itself, through
``on_visit_attribute``) and never descends into whitespace and punctuation, which hold no node a
visitor of ours looks at.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

# Nodes that hold only whitespace, comments or punctuation: no name, call or statement below.
_INERT = (
    cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline, cst.Comment,
    cst.Comma, cst.Dot, cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
    cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.ImportStar,
    cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseAugOp, cst.BaseUnaryOp,
    cst.Ellipsis, cst.Integer, cst.Float, cst.Imaginary, cst.Asynchronous,
)

_fields: dict[type, tuple[str, ...]] = {}
# Per value type: walk it (True), or not (False: inert nodes, strings, sentinels, None).
# Cached because libcst's base classes are ABCs, whose isinstance checks are slow.
_walked: dict[type, bool] = {}


def _is_walked(kind: type) -> bool:
    found = _walked.get(kind)
    if found is None:
        found = _walked[kind] = issubclass(kind, cst.CSTNode) and not issubclass(kind, _INERT)
    return found


class _FieldOrder(cst.CSTVisitor):
    """Records the fields libcst visits, in order, on the node it is handed (and no deeper)."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if attribute not in self.order:
            self.order.append(attribute)


def _order_of(node: cst.CSTNode) -> tuple[str, ...]:
    kind = type(node)
    found = _fields.get(kind)
    if found is None:
        recorder = _FieldOrder()
        node._visit_and_replace_children(recorder)  # the one libcst walk per class
        found = _fields[kind] = tuple(recorder.order)
    return found


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``node.visit(visitor)`` for a visitor that changes nothing and has no handler for the
    whitespace and punctuation nodes (``_INERT``)."""
    if visitor.on_visit(node):
        for field in _order_of(node):
            value: Any = getattr(node, field)
            kind = type(value)
            if kind is list or kind is tuple:
                for child in value:
                    if _is_walked(type(child)):
                        walk(child, visitor)
            elif _is_walked(kind):
                walk(value, visitor)
    visitor.on_leave(node)
