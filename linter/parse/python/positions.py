"""Positions of libcst nodes, resolved one top-level statement at a time.

libcst's ``PositionProvider`` generates the code of the whole module to learn where each node
is: half of the Python work in a file with facts. Facts sit in a few statements, so positions are
resolved for the top-level statement that holds the node asked about, in a module made of that
statement alone, and shifted to the line where the statement starts. Those lines come from
CPython's own parser (``ast``, in C), matched statement by statement to the libcst module, and
each statement is checked (where its code starts, as both parsers see it) before it is used, and
the first one against the module's header lines.
Anything that does not match (a version of the grammar ``ast`` does not read, a statement count
that differs) falls back to ``PositionProvider`` over the whole module, so the positions are
always libcst's own.
"""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange, CodePosition, MetadataWrapper, PositionProvider


class StatementPositions:
    def __init__(self, module: cst.Module, source: str) -> None:
        self.module = module
        self.source = source
        self._index = {id(stmt): i for i, stmt in enumerate(module.body)}
        # (first line of each top-level statement's generated code, the line its own range
        # starts on: a decorated definition's `def`), from ``ast``; False: not computed yet
        self._lines: list[tuple[int, int]] | None | bool = False
        self._tables: dict[int, Any] = {}  # statement index -> its positions
        self._whole: Any = None

    def range_of(self, node: cst.CSTNode, top: int | None = None) -> CodeRange:
        """Where ``node`` is; ``top``: the index of the top-level statement likely to hold it."""
        for i, table in self._tables.items():
            if node in table:
                return self._shift(table[node], i)
        if top is None:
            top = self._index.get(id(node))
        if top is not None and self._whole is None:
            table = self._statement(top)
            if table is not None and node in table:
                return self._shift(table[node], top)
        if self._whole is None:
            self._whole = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
        return self._whole[node]

    def top_of(self, node: cst.CSTNode) -> int | None:
        return self._index.get(id(node))

    def _shift(self, found: CodeRange, top: int) -> CodeRange:
        offset = self._lines[top][0] - 1  # type: ignore[index]
        return CodeRange(CodePosition(found.start.line + offset, found.start.column),
                         CodePosition(found.end.line + offset, found.end.column))

    def _statement(self, top: int) -> Any:
        if self._lines is False:
            self._lines = _statement_lines(self.module, self.source)
        if self._lines is None:
            return None
        stmt = self.module.body[top]
        alone = self.module.with_changes(body=[stmt], header=[], footer=[])
        table = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
        first, own = self._lines[top]
        if stmt not in table or table[stmt].start.line + first - 1 != own:
            self._lines = None  # the two parsers disagree: whole-module positions from now on
            return None
        self._tables[top] = table
        return table


def _leading(stmt: cst.CSTNode) -> int:
    """Lines of the statement's own code before its first token: blank and comment lines, also
    those of a first decorator."""
    lines = len(getattr(stmt, "leading_lines", ()))
    decorators = getattr(stmt, "decorators", ())
    return lines + (len(decorators[0].leading_lines) if decorators else 0)


def _statement_lines(module: cst.Module, source: str) -> list[tuple[int, int]] | None:
    """For each top-level statement, the line where its generated code starts (its leading blank
    and comment lines and its decorators included) and the line its own range starts on, from
    ``ast``'s line numbers; None when the two parsers' statements do not line up."""
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    out, j = [], 0
    for stmt in module.body:
        count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        if j + count > len(body):
            return None
        first = body[j]
        j += count
        decorators = getattr(first, "decorator_list", None) or []
        code_line = min([first.lineno, *(d.lineno for d in decorators)])
        out.append((code_line - _leading(stmt), first.lineno))
    if j != len(body) or (out and out[0][0] != len(module.header) + 1):
        return None  # the first statement must start right after the module's header lines
    return out
