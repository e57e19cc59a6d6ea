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
import warnings
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange, CodePosition, MetadataWrapper, PositionProvider


class StatementPositions:
    def __init__(self, module: cst.Module, source: str) -> None:
        self.module = module
        self.source = source
        self._index = {id(stmt): i for i, stmt in enumerate(module.body)}
        # (first line of each top-level statement's generated code, the line its own range
        # starts on: a decorated definition's `def`, its index in ``ast``'s statements), from
        # ``ast``; False: not computed yet
        self._lines: list[tuple[int, int, int]] | None | bool = False
        # statement index, or (statement, method) index -> its positions, and the lines to add
        self._tables: dict[int | tuple[int, int], tuple[Any, int]] = {}
        self._whole: Any = None
        self._ast: list[ast.stmt] | None = None  # the module's statements as ``ast`` reads them
        self._class_index: dict[int, dict[int, int]] = {}  # a top-level class's ``_ast_index``
        self._source_lines: list[str] | None = None

    def definition(self, node: cst.FunctionDef, top: int, method_of: cst.ClassDef | None = None) -> tuple[int, int, int]:
        """(line, column, last line) of a top-level function, or of a method of the top-level
        class ``method_of``: from ``ast``, with no code generation, when its statement there is
        a definition of that name starting where the line's code starts; else from ``range_of``.
        (Over 3,000 definitions of the fixtures and public code, the two agree on all three.)"""
        found = self._ast_definition(node, top, method_of)
        if found is not None:
            return found.lineno, found.col_offset, found.end_lineno or found.lineno
        place = self.range_of(node, top)
        return place.start.line, place.start.column, place.end.line

    def _line_up(self) -> None:
        if self._lines is False:
            try:
                with warnings.catch_warnings():  # the analysed code's own warnings are not ours to print
                    warnings.simplefilter("ignore")
                    self._ast = ast.parse(self.source).body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._ast = None
            self._lines = _statement_lines(self.module, self._ast) if self._ast is not None else None

    def _ast_definition(self, node: cst.FunctionDef, top: int, method_of: cst.ClassDef | None) -> Any:
        self._line_up()
        if self._lines is None or self._ast is None:
            return None
        found = self._ast[self._lines[top][2]]
        if method_of is not None:
            if not isinstance(found, ast.ClassDef) or not isinstance(method_of.body, cst.IndentedBlock):
                return None
            if top not in self._class_index:  # once per class: each of its methods asks
                self._class_index[top] = _ast_index(method_of.body.body, found.body)
            index = self._class_index[top].get(id(node))
            found = found.body[index] if index is not None else None
        kind = ast.AsyncFunctionDef if node.asynchronous else ast.FunctionDef
        if not isinstance(found, kind) or found.name != node.name.value:
            return None
        if self._source_lines is None:
            self._source_lines = self.source.splitlines()
        lines = self._source_lines
        line = lines[found.lineno - 1] if found.lineno <= len(lines) else ""
        # ``ast`` counts columns in UTF-8 bytes, libcst in characters: the same where only
        # indentation comes before the definition.
        if len(line) - len(line.lstrip()) != found.col_offset or not line.lstrip().startswith(("def", "async")):
            return None
        return found

    def range_of(self, node: cst.CSTNode, top: int | None = None, member: int | None = None) -> CodeRange:
        """Where ``node`` is; ``top``: the index of the top-level statement likely to hold it,
        ``member``: the index of the method of that (class) statement likely to hold it."""
        for key in ((top, member), top):  # the tables named first, then any other
            found = self._tables.get(key)
            if found is not None and node in found[0]:
                return _shifted(found[0][node], found[1])
        for table, offset in self._tables.values():
            if node in table:
                return _shifted(table[node], offset)
        if top is None:
            top = self._index.get(id(node))
        if top is not None and self._whole is None:
            found = (self._method(top, member) if member is not None else None) or self._statement(top)
            if found is not None and node in found[0]:
                return _shifted(found[0][node], found[1])
        if self._whole is None:
            self._whole = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
        return self._whole[node]

    def top_of(self, node: cst.CSTNode) -> int | None:
        return self._index.get(id(node))

    def _statement(self, top: int) -> tuple[Any, int] | None:
        self._line_up()
        if self._lines is None:
            return None
        if top not in self._tables:
            stmt = self.module.body[top]
            alone = self.module.with_changes(body=[stmt], header=[], footer=[])
            table = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
            first, own, _ = self._lines[top]
            if stmt not in table or table[stmt].start.line + first - 1 != own:
                self._lines = None  # the two parsers disagree: whole-module positions from now on
                return None
            self._tables[top] = (table, first - 1)
        return self._tables[top]

    def _method(self, top: int, member: int) -> tuple[Any, int] | None:
        """The positions of one method of a top-level class, in a module made of the class with
        that method alone, shifted to the line ``ast`` gives its ``def``; checked where its
        ``def`` starts and where it ends. None: resolve the whole class."""
        if (top, member) in self._tables:
            return self._tables[(top, member)]
        cls = self.module.body[top]
        method = cls.body.body[member] if isinstance(cls, cst.ClassDef) else None
        found = self._ast_definition(method, top, cls) if isinstance(method, cst.FunctionDef) else None
        if found is None:
            return None
        reduced = cls.with_changes(body=cls.body.with_changes(body=[method]))
        alone = self.module.with_changes(body=[reduced], header=[], footer=[])
        table = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
        if method not in table:
            return None
        offset = found.lineno - table[method].start.line
        if table[method].start.column != found.col_offset or table[method].end.line + offset != found.end_lineno:
            return None
        self._tables[(top, member)] = (table, offset)
        return self._tables[(top, member)]


def _shifted(found: CodeRange, offset: int) -> CodeRange:
    return CodeRange(CodePosition(found.start.line + offset, found.start.column),
                     CodePosition(found.end.line + offset, found.end.column))


def _leading(stmt: cst.CSTNode) -> int:
    """Lines of the statement's own code before its first token: blank and comment lines, also
    those of a first decorator."""
    lines = len(getattr(stmt, "leading_lines", ()))
    decorators = getattr(stmt, "decorators", ())
    return lines + (len(decorators[0].leading_lines) if decorators else 0)


def _ast_index(statements, body: list[ast.stmt]) -> dict[int, int]:
    """For each libcst statement (by id), the index of its first statement in ``ast``'s list:
    a line of simple statements (`a = 1; b = 2`) is several there."""
    out, j = {}, 0
    for stmt in statements:
        out[id(stmt)] = j
        j += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
    return out if j == len(body) else {}


def _statement_lines(module: cst.Module, body: list[ast.stmt]) -> list[tuple[int, int, int]] | None:
    """For each top-level statement, the line where its generated code starts (its leading blank
    and comment lines and its decorators included), the line its own range starts on, from
    ``ast``'s line numbers (``body``: the module as ``ast`` reads it), and its index in ``body``;
    None when the two parsers' statements do not line up."""
    out, j = [], 0
    for stmt in module.body:
        count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        if j + count > len(body):
            return None
        first = body[j]
        decorators = getattr(first, "decorator_list", None) or []
        code_line = min([first.lineno, *(d.lineno for d in decorators)])
        out.append((code_line - _leading(stmt), first.lineno, j))
        j += count
    if j != len(body) or (out and out[0][0] != len(module.header) + 1):
        return None  # the first statement must start right after the module's header lines
    return out
