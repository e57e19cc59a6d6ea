"""Parents and lexical scopes of one TypeScript file's nodes, without climbing ``Node.parent``.

py-tree-sitter's ``Node.parent`` searches down from the root, so climbing a chain of them costs
the depth squared, and a name looked up from deep inside `f(f(f(...)))` (800 deep: 45 s) paid
that for every lookup. The parser's one cursor walk records each named node's parent, and each
node's nearest scope is remembered once found, so a node is climbed past once per file. A node
the walk did not record falls back to ``Node.parent``.
"""

from __future__ import annotations

from tree_sitter import Node

FUNCTION_NODES = frozenset(
    {"function_declaration", "generator_function_declaration", "function_expression", "arrow_function",
     "method_definition", "generator_function"}
)
SCOPE_NODES = FUNCTION_NODES | {"program", "statement_block", "for_statement", "for_in_statement",
                                "catch_clause", "switch_body"}
CLASS_NODES = frozenset({"class_declaration", "class", "abstract_class_declaration"})

_UNKNOWN = object()  # a node the parser's walk did not record


class Scopes:
    def __init__(self, parents: dict[int, Node | None]) -> None:
        self._parents = parents
        self._innermost: dict[int, Node] = {}  # node id -> the nearest scope node at or above it

    def parent(self, node: Node) -> Node | None:
        found = self._parents.get(node.id, _UNKNOWN)
        return node.parent if found is _UNKNOWN else found

    def above(self, node: Node, kinds: frozenset[str] = SCOPE_NODES) -> Node:
        """The nearest node of ``kinds`` above ``node`` (``node`` itself at the root)."""
        up = self.parent(node)
        if kinds is SCOPE_NODES:
            scope = self.at(up) if up is not None else None
        else:
            scope = up
            while scope is not None and scope.type not in kinds:
                scope = self.parent(scope)
        return scope if scope is not None else node

    def at(self, node: Node) -> Node | None:
        """The nearest scope node at or above ``node``, remembered for every node on the way up."""
        climbed: list[int] = []
        n: Node | None = node
        scope: Node | None = None
        while n is not None:
            known = self._innermost.get(n.id)
            if known is not None:
                scope = known
                break
            if n.type in SCOPE_NODES:
                scope = n
                break
            climbed.append(n.id)
            n = self.parent(n)
        if scope is not None:
            self._innermost[scope.id] = scope
            for node_id in climbed:
                self._innermost[node_id] = scope
        return scope

    def outer(self, scope: Node) -> Node | None:
        """The scope around ``scope``."""
        up = self.parent(scope)
        return self.at(up) if up is not None else None

    def holder(self, node: Node) -> int | None:
        """The id of the nearest function or class above ``node``."""
        n = self.parent(node)
        while n is not None and n.type not in FUNCTION_NODES and n.type not in CLASS_NODES:
            n = self.parent(n)
        return n.id if n is not None else None
