"""TypeScript / TSX / JavaScript parser: one file in, one ``FileFacts`` out.

How it works
  1. One tree-sitter parse (TSX grammar for .tsx/.jsx/.js, TypeScript grammar for .ts).
  2. One walk collects the named nodes in document order.
  3. ``declarations`` records every declaration with its lexical scope, and the
     ``interpreter`` evaluates expressions over them, so that `stripe` in
     `stripe.customers.list()` is judged by how it was *made* (`new Stripe(...)`, a factory, a
     typed parameter (``type_values``), an import, a React hook holding it (``hooks``)), never by
     its name; ``literals`` finds the literals behind same-file consts, ``accounts`` whose
     account a client acts on and ``request_options`` whose account the options passed to a
     call name (through consts, spreads and the callers of an options parameter).
  4. A second pass over the same node list sends each node to the topic that reads it (the
     table in ``_readers``): ``calls`` (API calls, raw requests, SDK functions; HTTP requests
     and `StripeResource` come from ``raw``), ``events`` (handled and subscribed events),
     ``exports`` (exported clients and constants), ``user_context`` (removed
     ``userContext.email``). All of them append to one ``fact_lists.FactLists``.

No tree-sitter object leaves the TypeScript parser modules; positions are 1-based (line, character
column).
"""

from __future__ import annotations

import functools
import re
from functools import partial
from typing import Callable

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from stripe_perm_lint.facts import FileFacts, ParseProblem
from stripe_perm_lint.parse.typescript.calls import CallFacts
from stripe_perm_lint.parse.typescript.declarations import DECLARING, Declarations
from stripe_perm_lint.parse.endpoints import attach as attach_endpoints
from stripe_perm_lint.parse.typescript.endpoints import regions as endpoint_regions
from stripe_perm_lint.parse.typescript.events import EventFacts
from stripe_perm_lint.parse.typescript.exports import ExportFacts
from stripe_perm_lint.parse.typescript.fact_lists import FactLists
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.request_options import RequestOptions
from stripe_perm_lint.parse.typescript.syntax import Positions
from stripe_perm_lint.parse.typescript.wrappers import Wrappers, find_wrappers
from stripe_perm_lint.parse.typescript.user_context import user_context_member, user_context_pattern

TS = Language(tree_sitter_typescript.language_typescript())
TSX = Language(tree_sitter_typescript.language_tsx())

_TS_SUFFIXES = (".ts", ".mts", ".cts")


@functools.cache
def _error_query(lang: Language) -> Query:
    """Syntax errors: an ERROR node is input the grammar could not place (`const x = ;`), a
    MISSING node a token tree-sitter had to invent to recover (the `)` of `if (x {`). Compiled for
    the first file with an error: compiling costs more than parsing a small file."""
    return Query(lang, """
        (ERROR) @error
        (MISSING) @missing
    """)


def grammar_for(path: str) -> Language:
    """TypeScript for .ts/.mts/.cts; TSX, a superset that also reads JSX, for .tsx/.jsx/.js."""
    return TS if path.lower().endswith(_TS_SUFFIXES) else TSX


def parse_typescript(path: str, source: str) -> FileFacts:
    data = source.encode("utf-8", errors="surrogatepass")
    lang = grammar_for(path)
    tree = Parser(lang).parse(data)
    root = tree.root_node
    nodes, types, parents = _named_nodes(root)

    decls = Declarations(parents)
    for node, node_type in zip(nodes, types):
        if node_type in DECLARING:
            decls.visit(node)
    decls.finish()

    out = FactLists(Positions(data))
    ev = Interpreter(decls)
    wrappers = find_wrappers(ev, nodes) if _MAY_WRAP.search(data) else Wrappers()
    readers = _readers(ev, out, wrappers, RequestOptions(ev, nodes))
    for node, node_type in zip(nodes, types):
        read = readers.get(node_type)
        if read is None:
            continue
        try:
            read(node)
        except RecursionError:
            # Pathological nesting (thousands of `a || b` or `.a.a.a`): skip that expression only.
            _too_deep(out, node)
    if root.has_error:
        _syntax_error(out, QueryCursor(_error_query(lang)).captures(root))
    lowered = data.lower()
    if b"event" in lowered or b"webhook" in lowered:  # may hold a webhook endpoint or handler (docs/semantics.md §10)
        found = endpoint_regions(nodes, decls, out.pos)
        out.events, out.endpoints, out.pending_events = attach_endpoints(
            path, found, out.events, out.calls, out.pending, out.pending_events)
    return out.facts(path, decls)


# Files that may hold a request wrapper: a Stripe URL, or a base URL constant from elsewhere.
_MAY_WRAP = re.compile(rb"api\.stripe\.com")


def _named_nodes(root: Node) -> tuple[list[Node], list[str], dict[int, Node | None]]:
    """Every named node in document order, its type (read once: each ``Node.type`` makes a new
    string), and each named node's parent by node id. One cursor walk: the cursor knows each
    parent, while ``Node.parent`` searches for it from the root."""
    out: list[Node] = []
    types: list[str] = []
    parents: dict[int, Node | None] = {}
    above: list[Node | None] = [None]
    cursor = root.walk()
    while True:
        node = cursor.node
        if node.is_named:
            out.append(node)
            types.append(node.type)
            parents[node.id] = above[-1]
        if cursor.goto_first_child():
            above.append(node)
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out, types, parents
            above.pop()


def _readers(ev: Interpreter, out: FactLists, wrappers: Wrappers,
             options: RequestOptions) -> dict[str, Callable[[Node], None]]:
    """Which topic reads which node type: every fact of a file is emitted from one of these."""
    events = EventFacts(ev, out)
    calls = CallFacts(ev, out, events, wrappers, options)
    exports = ExportFacts(ev, out, wrappers)
    return {
        "call_expression": calls.call_expression,
        "switch_statement": events.switch_statement,
        "binary_expression": events.binary_expression,
        "subscript_expression": events.subscript_expression,
        "member_expression": partial(user_context_member, out),
        "object_pattern": partial(user_context_pattern, out),
        "export_statement": exports.export_statement,
        "assignment_expression": exports.commonjs_export,
    }


def _too_deep(out: FactLists, node: Node) -> None:
    if not any(p.message.startswith("expression nested") for p in out.problems):
        out.problems.append(ParseProblem("expression nested too deeply to analyse; facts may be incomplete",
                                         out.pos(node)))


def _syntax_error(out: FactLists, captures: dict[str, list[Node]]) -> None:
    """One problem per file, at the first error: the facts found elsewhere are kept."""
    found = [(n.start_byte, "unexpected input", n) for n in captures.get("error", []) if not _grammar_gap(n)]
    found += [(n.start_byte, f"missing {n.type}", n) for n in captures.get("missing", [])]
    if not found:
        return
    _, what, node = min(found, key=lambda f: f[0])
    out.problems.append(ParseProblem(f"syntax error ({what}); facts may be incomplete", out.pos(node)))


def _grammar_gap(error: Node) -> bool:
    """ERROR nodes tree-sitter-typescript 0.23 produces for valid TypeScript: a bare `&` in JSX
    text (`<span>Sarah & Michael</span>`) and `export type * from './x'` (TS 5.0). Reporting
    them would flag correct files as unparsable."""
    parent = error.parent
    first = error.children[0] if error.children else None
    if parent is not None and parent.type == "jsx_element" and first is not None and first.type == "&":
        return True
    return parent is not None and parent.type == "export_statement" and error.text == b"type"
