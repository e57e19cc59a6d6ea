"""TypeScript / TSX / JavaScript parser: one file in, one ``FileFacts`` out.

How it works
  1. One tree-sitter parse (TSX grammar for .tsx/.jsx/.js, TypeScript grammar for .ts).
  2. One walk collects the named nodes in document order.
  3. ``declarations`` records every declaration with its lexical scope and ``interpreter`` evaluates
     expressions over them, so that `stripe` in `stripe.customers.list()` is judged by how it
     was *made* (`new Stripe(...)`, a factory, a typed parameter, an import, a React hook holding
     it: ``hooks``), never by its name; ``literals`` finds the literals behind same-file consts.
  4. A second pass over the same node list turns calls, switches, comparisons and members into
     facts (``_Extractor``), one module per topic: ``calls`` (API calls, raw requests,
     SDK functions), ``events`` (handled and subscribed events), ``exports``
     (exported clients and constants), ``user_context`` (removed ``userContext.email``),
     all appending to the lists of ``fact_lists``. HTTP requests and `StripeResource` live in
     ``raw``.

No tree-sitter object leaves the TypeScript parser modules; positions are 1-based (line, character
column).
"""

from __future__ import annotations

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from stripe_perm_lint.facts import FileFacts, ParseProblem
from stripe_perm_lint.parse.typescript.calls import CallFacts
from stripe_perm_lint.parse.typescript.interpreter import Scope
from stripe_perm_lint.parse.typescript.exports import ExportFacts
from stripe_perm_lint.parse.typescript.user_context import UserContextFacts
from stripe_perm_lint.parse.typescript.syntax import Positions
from stripe_perm_lint.parse.typescript.values import EventType

TS = Language(tree_sitter_typescript.language_typescript())
TSX = Language(tree_sitter_typescript.language_tsx())

_TS_SUFFIXES = (".ts", ".mts", ".cts")

# Syntax errors: an ERROR node is input the grammar could not place (`const x = ;`), a MISSING
# node a token tree-sitter had to invent to recover (the `)` of `if (x {`).
_ERRORS = {
    lang: Query(lang, """
        (ERROR) @error
        (MISSING) @missing
    """)
    for lang in (TS, TSX)
}


def parse_typescript(path: str, source: str) -> FileFacts:
    data = source.encode("utf-8", errors="surrogatepass")
    lang = TS if path.lower().endswith(_TS_SUFFIXES) else TSX
    tree = Parser(lang).parse(data)
    root = tree.root_node
    nodes = _named_nodes(root)

    scope = Scope()
    for node in nodes:
        scope.visit(node)
    scope.finish()

    ex = _Extractor(scope, Positions(data))
    for node in nodes:
        try:
            ex.visit(node)
        except RecursionError:
            # Pathological nesting (thousands of `a || b` or `.a.a.a`): skip that expression only.
            ex.too_deep(node)
    if root.has_error:
        ex.syntax_error(QueryCursor(_ERRORS[lang]).captures(root))
    return ex.facts(path)


def _named_nodes(root: Node) -> list[Node]:
    """Every named node, document order (one cursor walk)."""
    out: list[Node] = []
    cursor = root.walk()
    while True:
        node = cursor.node
        if node.is_named:
            out.append(node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


class _Extractor(CallFacts, ExportFacts, UserContextFacts):
    """Turns the nodes of one file into facts: each node type goes to the topic that reads it."""

    def visit(self, node: Node) -> None:
        t = node.type
        if t == "call_expression":
            self.call_expression(node)
        elif t == "switch_statement":
            self.switch_statement(node)
        elif t == "binary_expression":
            self.binary_expression(node)
        elif t == "subscript_expression":
            index = node.child_by_field_name("index")
            if isinstance(self.scope.value(index), EventType):
                self.dispatch_table(node.child_by_field_name("object"), node)
            else:
                self.computed_dispatch(index, node)
        elif t == "member_expression":
            self.user_context_member(node)
        elif t == "object_pattern":
            self.user_context_pattern(node)
        elif t == "export_statement":
            self.export_statement(node)
        elif t == "assignment_expression":
            self.commonjs_export(node)

    def too_deep(self, node: Node) -> None:
        if not any(p.message.startswith("expression nested") for p in self.problems):
            self.problems.append(ParseProblem("expression nested too deeply to analyse; facts may be incomplete",
                                              self.pos(node)))

    def syntax_error(self, captures: dict[str, list[Node]]) -> None:
        """One problem per file, at the first error: the facts found elsewhere are kept."""
        found = [(n.start_byte, "unexpected input", n) for n in captures.get("error", []) if not _grammar_gap(n)]
        found += [(n.start_byte, f"missing {n.type}", n) for n in captures.get("missing", [])]
        if not found:
            return
        _, what, node = min(found, key=lambda f: f[0])
        self.problems.append(ParseProblem(f"syntax error ({what}); facts may be incomplete", self.pos(node)))


__all__ = ["parse_typescript", "TS", "TSX"]


def _grammar_gap(error: Node) -> bool:
    """ERROR nodes tree-sitter-typescript 0.23 produces for valid TypeScript: a bare `&` in JSX
    text (`<span>Sarah & Michael</span>`) and `export type * from './x'` (TS 5.0). Reporting
    them would flag correct files as unparsable."""
    parent = error.parent
    first = error.children[0] if error.children else None
    if parent is not None and parent.type == "jsx_element" and first is not None and first.type == "&":
        return True
    return parent is not None and parent.type == "export_statement" and error.text == b"type"
