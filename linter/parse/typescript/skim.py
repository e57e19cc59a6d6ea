"""The skim of a TypeScript / JavaScript file the prefilter finds nothing in (``stripe_perm_lint.prefilter``).

Only what the cross-file step needs is read: the file's imports of app modules (`import`,
`import x = require()`, `const x = require()`, re-exports), exactly as the full parse records
them, and its first syntax error. Tree-sitter still parses the whole file, but the nodes are found
by a query (in C) instead of a Python walk over every node, which is most of a full parse's cost;
in a file that cannot hold an import below its top (``_only_top_level``), among the top-level
statements alone.
If another module makes the file matter, the engine parses it fully (``app_loader._complete_skimmed``).
"""

from __future__ import annotations

import functools

from tree_sitter import Language, Parser, Query, QueryCursor

from stripe_perm_lint.facts import FileFacts, ImportBinding
from stripe_perm_lint.parse.positions import Positions
from stripe_perm_lint.parse.typescript.declarations import import_module, import_names, require_module, required_names
from stripe_perm_lint.parse.typescript.exports import reexport_bindings
from stripe_perm_lint.parse.typescript.fact_lists import FactLists
from stripe_perm_lint.parse.typescript.parser import _error_query, _syntax_error, grammar_for
from stripe_perm_lint.parse.typescript.syntax import text
from stripe_perm_lint.parse.typescript.values import is_app_module


@functools.cache
def _import_query(lang: Language) -> Query:
    return Query(lang, """
        (import_statement) @import
        (export_statement source: (_) @source) @reexport
        (variable_declarator value: (_) @value) @declarator
    """)


def skim_typescript(path: str, source: str) -> FileFacts:
    data = source.encode("utf-8", errors="surrogatepass")
    lang = grammar_for(path)
    root = Parser(lang).parse(data).root_node
    captures = _top_level(root) if _only_top_level(data) else QueryCursor(_import_query(lang)).captures(root)
    found: list[tuple[int, ImportBinding]] = []
    for node in captures.get("import", []):
        module = import_module(node)
        if module is not None and is_app_module(module):
            found += [(ident.start_byte, ImportBinding(text(ident), module, imported)) for ident, imported in import_names(node)]
    for node in captures.get("declarator", []):
        module = require_module(node.child_by_field_name("value"))
        pattern = node.child_by_field_name("name")
        if module is not None and is_app_module(module) and pattern is not None:
            found += [(ident.start_byte, ImportBinding(text(ident), module, imported)) for ident, imported in required_names(pattern)]
    reexports = [b for node in captures.get("reexport", []) for b in reexport_bindings(node, node.child_by_field_name("source"))]
    imports = [binding for _, binding in sorted(found, key=lambda f: f[0])]  # document order, as declared
    out = FactLists(Positions(data))
    if root.has_error:
        _syntax_error(out, QueryCursor(_error_query(lang)).captures(root))
    return FileFacts(path=path, language="typescript", imports=tuple(dict.fromkeys(imports + reexports)),
                     problems=tuple(out.problems), skimmed=True)


def _only_top_level(data: bytes) -> bool:
    """Whether every import this file can make is a statement at its top: ES `import` and
    `export ... from` may stand nowhere else, except inside an ambient `declare module` block;
    `require()` may be anywhere. Most skimmed files: walking only the top is most of the skim
    spared."""
    return b"require" not in data and b"declare" not in data


def _top_level(root) -> dict[str, list]:
    """The query's captures, found among the top-level statements."""
    found: dict[str, list] = {"import": [], "reexport": []}
    for node in root.named_children:
        if node.type == "import_statement":
            found["import"].append(node)
        elif node.type == "export_statement" and node.child_by_field_name("source") is not None:
            found["reexport"].append(node)
    return found

