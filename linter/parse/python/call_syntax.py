"""Small readers of libcst call and literal syntax, shared by the value and call evaluators.

They look only at the syntax tree (which argument sits where, whether a node is a plain string
literal) and never at what a name is bound to; that is what keeps them free of the evaluators.
"""

from __future__ import annotations

import warnings

from typing import Any

import libcst as cst


def call_arg(call: cst.Call, index: int, keyword: str) -> Any:
    """The argument at a position or with a keyword."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if index < len(positional):
        return positional[index].value
    return call_kwarg(call, keyword)


def call_kwarg(call: cst.Call, keyword: str) -> Any:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def literal_text(expr: Any) -> str | None:
    """The text of a string literal (plain or implicitly concatenated), or None. libcst accepts
    literals CPython refuses (a NUL byte, an unknown `\\N{...}` name, str joined to bytes), and
    its ``evaluated_value`` then raises: such a literal names nothing the linter can use."""
    if not isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        return None
    try:
        with warnings.catch_warnings():  # `"\d"` warns on Python 3.12: the analysed code's business
            warnings.simplefilter("ignore")
            value = expr.evaluated_value
    except (SyntaxError, ValueError, TypeError, UnicodeError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def string_literal(expr: Any) -> str | None:
    return literal_text(expr) if isinstance(expr, cst.SimpleString) else None


def first_arg_string(call: cst.Call) -> str | None:
    return string_literal(call.args[0].value) if call.args else None


def subscript_string(node: cst.Subscript) -> str | None:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return string_literal(node.slice[0].slice.value)
    return None
