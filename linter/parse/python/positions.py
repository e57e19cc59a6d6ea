"""Positions of libcst nodes, resolved for the few statements that hold a fact.

libcst's ``PositionProvider`` generates the code of the whole module to learn where each node
is: half of the Python work in a file with facts. Facts sit in a few statements, so positions are
resolved in a copy of the top-level statement that holds the node asked about, cut down to the
statements on the way to it (a function keeping only the `try` that holds it, the `try` only the
line), and shifted to the line where the innermost of them starts. What follows a node in the
copy does not move it, and the lines cut before it are made up for by that line, which comes
from CPython's own parser (``ast``, in C), matched statement by statement to the libcst module;
each copy is checked (where its innermost statement starts and ends, as both parsers see it)
before it is used, and only the nodes of that statement are read from it.
Anything that does not match (a version of the grammar ``ast`` does not read, a statement count
that differs) falls back to the whole top-level statement, then to ``PositionProvider`` over the
whole module, so the positions are always libcst's own.
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
        # top-level statement index, or ("nested", id of a copy's innermost statement) -> its
        # positions, the lines to add, and the span of them that holds (None: all of them)
        self._tables: dict[int | tuple[str, int], tuple[Any, int, Any]] = {}
        self._whole: Any = None
        self._refused: set[tuple[str, int]] = set()  # ``_nested`` tables that did not check out
        self._ast: list[ast.stmt] | None = None  # the module's statements as ``ast`` reads them
        # a compound statement's ``_ast_index`` (by id): every site and method below it asks
        self._body_indexes: dict[int, dict[int, int]] = {}
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
            index = self._body_index(method_of, found).get(id(node))
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

    def range_of(self, node: cst.CSTNode, top: int | None = None, chain: tuple[cst.CSTNode, ...] = ()) -> CodeRange:
        """Where ``node`` is; ``top``: the index of the top-level statement likely to hold it,
        ``chain``: the statements below ``top`` likely to hold it, outermost first."""
        for key in (*(("nested", id(stmt)) for stmt in reversed(chain)), top):  # the tables named first
            found = _look(self._tables.get(key), node)
            if found is not None:
                return found
        for entry in self._tables.values():  # then any other
            found = _look(entry, node)
            if found is not None:
                return found
        if top is None:
            top = self._index.get(id(node))
        if top is not None and self._whole is None:
            for table in (lambda: self._nested(top, chain) if chain else None, lambda: self._statement(top)):
                found = _look(table(), node)  # the finer first: each costs code generation
                if found is not None:
                    return found
        if self._whole is None:
            self._whole = _resolve(self.module)
        return self._whole[node]

    def top_of(self, node: cst.CSTNode) -> int | None:
        return self._index.get(id(node))

    def _statement(self, top: int) -> tuple[Any, int, Any] | None:
        self._line_up()
        if self._lines is None:
            return None
        if top not in self._tables:
            stmt = self.module.body[top]
            alone = self.module.with_changes(body=[stmt], header=[], footer=[])
            table = _resolve(alone)
            first, own, _ = self._lines[top]
            if stmt not in table or table[stmt].start.line + first - 1 != own:
                self._lines = None  # the two parsers disagree: whole-module positions from now on
                return None
            self._tables[top] = (table, first - 1, None)
        return self._tables[top]

    def _body_index(self, outer: cst.CSTNode, ast_outer: Any) -> dict[int, int]:
        """For each statement of ``outer``'s body (by id), its index in ``ast_outer.body`` (empty:
        the two parsers' bodies do not line up); made once per statement."""
        if id(outer) not in self._body_indexes:
            self._body_indexes[id(outer)] = _ast_index(outer.body.body, ast_outer.body)
        return self._body_indexes[id(outer)]

    def _nested(self, top: int, chain: tuple[cst.CSTNode, ...]) -> tuple[Any, int, Any] | None:
        """The positions of the innermost statement of ``chain`` that a copy of the top-level
        statement can keep alone: each statement on the way keeps only the next one in its body
        (what follows a node does not move it, and what precedes it is made up for by the line
        ``ast`` gives the innermost statement), checked where that statement starts and ends.
        None: no statement of the chain can be kept alone."""
        self._line_up()
        if self._lines is None or self._ast is None:
            return None
        outer, ast_outer = self.module.body[top], self._ast[self._lines[top][2]]
        path: list[tuple[cst.CSTNode, cst.CSTNode]] = []
        for inner in chain:
            if type(outer) not in _CUT_DOWN or not isinstance(outer.body, cst.IndentedBlock) \
                    or not isinstance(ast_outer, _AST_BODIES):
                break
            index = self._body_index(outer, ast_outer).get(id(inner))  # None: not in its body
            if index is None:
                break
            path.append((outer, inner))
            outer, ast_outer = inner, ast_outer.body[index]
        if not path:
            return None
        key = ("nested", id(outer))
        if key not in self._tables and key not in self._refused:
            kept = outer
            for holder, _ in reversed(path):
                kept = _keeping(holder, kept)
            alone = self.module.with_changes(body=[kept], header=[], footer=[])
            table = _resolve(alone)
            place = table.get(outer)
            last = getattr(ast_outer, "end_lineno", None)
            if isinstance(outer, cst.SimpleStatementLine):  # `a = 1; b = 2`: several statements in ``ast``
                last = None
            offset = ast_outer.lineno - place.start.line if place is not None else 0
            if place is None or place.start.column != ast_outer.col_offset or (
                    last is not None and place.end.line + offset != last):
                self._refused.add(key)  # the parsers disagree here: a coarser table will do
            else:
                self._tables[key] = (table, offset, _span(table, outer))
        return self._tables.get(key)


# The compound statements whose body a copy can cut down to one statement, and what else of
# theirs follows the body and can go.
_CUT_DOWN = {cst.FunctionDef: (), cst.ClassDef: (), cst.With: (), cst.If: ("orelse",), cst.For: ("orelse",),
             cst.While: ("orelse",), cst.Try: ("orelse",)}
_AST_BODIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith, ast.If, ast.For,
               ast.AsyncFor, ast.While, ast.Try)


def _keeping(outer: cst.CSTNode, inner: cst.CSTNode) -> cst.CSTNode:
    """``outer`` with ``inner`` alone in its body, and none of what follows the body."""
    gone = {name: None for name in _CUT_DOWN[type(outer)]}
    return outer.with_changes(body=outer.body.with_changes(body=[inner]), **gone)


def _resolve(module: cst.Module) -> Any:
    """libcst's ``PositionProvider`` over ``module``: its code generation alone. Resolved through
    a ``MetadataWrapper``, the provider's positions come after a walk of the whole tree for the
    providers libcst runs in batch, of which positions need none: half the cost of a copy."""
    provider = PositionProvider()
    try:
        provider._gen_impl(module)  # what ``BaseMetadataProvider._gen`` runs, without the walk
    except AttributeError:  # a libcst that has renamed it
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return provider._computed


def _span(table: Any, stmt: cst.CSTNode) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a statement kept alone in a copy is there, from its leading comment lines and its
    decorators on: the only part of the copy whose positions hold. What encloses it was cut down
    (its header now lies fewer lines above it) and what follows it may have lost lines too."""
    decorators = getattr(stmt, "decorators", ())
    firsts = [*getattr(stmt, "leading_lines", ())[:1], *(d for d in decorators[:1] for d in (*d.leading_lines[:1], d)), stmt]
    start = min((table[n].start.line, table[n].start.column) for n in firsts if n in table)
    end = table[stmt].end
    return start, (end.line, end.column)


def _look(entry: tuple[Any, int, Any] | None, node: cst.CSTNode) -> CodeRange | None:
    """``node``'s range from a table (None: not in it, or outside the part that holds)."""
    if entry is None:
        return None
    table, offset, span = entry
    found = table.get(node)
    # A node that starts inside the span is the statement's (a line's trailing newline ends on
    # the next one); what follows the statement in the copy starts on a later line.
    if found is None or (span is not None and not span[0] <= (found.start.line, found.start.column) <= span[1]):
        return None
    return _shifted(found, offset)


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
