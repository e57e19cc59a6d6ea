"""Small helpers over tree-sitter-c-sharp nodes."""

from __future__ import annotations

from collections import defaultdict

from stripe_perm_lint.parse.tree import text, walk  # noqa: F401 - re-exported for the parser


class NodeIndex:
    """Every node of a tree by type, in source order (a parent before its children): one walk
    serves every reader of the file."""

    def __init__(self, root):
        self.root = root
        self._by_type: dict[str, list] = defaultdict(list)
        for node in walk(root):
            self._by_type[node.type].append(node)

    def of(self, *types: str) -> list:
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return sorted((n for t in types for n in self._by_type.get(t, ())), key=lambda n: (n.start_byte, -n.end_byte))


FUNCTIONS = ("method_declaration", "constructor_declaration", "local_function_statement", "lambda_expression",
             "anonymous_method_expression", "accessor_declaration", "operator_declaration")
CLASSES = ("class_declaration", "record_declaration", "struct_declaration")






def unwrap(node):
    """The expression inside parentheses, `await`, casts and `!`."""
    while node is not None and node.type in ("parenthesized_expression", "await_expression", "cast_expression",
                                              "postfix_unary_expression", "argument"):
        inner = node.child_by_field_name("value") if node.type == "cast_expression" else None
        node = inner or (node.named_children[-1] if node.named_children else None)
    return node


def string_value(node) -> str | None:
    """The value of a plain string literal (`"a"`, `@"a"`), else None."""
    node = unwrap(node)
    if node is not None and node.type in ("string_literal", "verbatim_string_literal", "raw_string_literal"):
        if node.type == "verbatim_string_literal":
            return text(node)[2:-1]
        return "".join(text(c) for c in node.named_children if c.type in ("string_literal_content", "raw_string_content"))
    return None


def template(node) -> str | None:
    """A string as far as it can be read: literals kept, interpolated or concatenated parts as
    `{}` (`$"/v1/customers/{id}"`, `"/v1/customers/" + id`); None when it starts with neither."""
    node = unwrap(node)
    if node is None:
        return None
    literal = string_value(node)
    if literal is not None:
        return literal
    if node.type == "interpolated_string_expression":
        return "".join(text(c) if c.type == "string_content" else "{}"
                       for c in node.named_children if c.type in ("string_content", "interpolation"))
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        left = template(node.child_by_field_name("left"))
        if left is None:
            return None
        right = template(node.child_by_field_name("right"))
        return left + (right if right is not None else "{}")
    return None


def arguments(call) -> list:
    """The argument expressions of an invocation or object creation (named ones included)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a.named_children[-1] for a in args.named_children if a.type == "argument" and a.named_children]


def callee_parts(call) -> tuple[object, str] | None:
    """`recv.Method(...)` / `recv.Method<T>(...)` -> (recv node, "Method")."""
    function = call.child_by_field_name("function")
    if function is None or function.type != "member_access_expression":
        return None
    name = function.child_by_field_name("name")
    if name is not None and name.type == "generic_name":
        name = name.named_children[0]
    return function.child_by_field_name("expression"), text(name)


def collection_items(node) -> list | None:
    """The items of a collection written out: `new List<string> { "a" }`, `new[] { "a" }`,
    `new() { "a" }`, `["a"]`; None for anything else (built at run time)."""
    node = unwrap(node)
    if node is not None and node.type == "collection_expression":
        return node.named_children
    if node is not None and node.type in ("object_creation_expression", "implicit_object_creation_expression",
                                          "array_creation_expression", "implicit_array_creation_expression"):
        init = node.child_by_field_name("initializer") or next(
            (c for c in node.named_children if c.type == "initializer_expression"), None)
        return init.named_children if init is not None else []
    return None


def initializer_entries(creation) -> list[tuple[str, object]]:
    """`new X { A = 1, B = y }` -> [("A", 1-node), ("B", y-node)]."""
    init = creation.child_by_field_name("initializer") if creation is not None else None
    out = []
    for entry in init.named_children if init is not None else ():
        if entry.type == "assignment_expression":
            out.append((text(entry.child_by_field_name("left")), entry.child_by_field_name("right")))
    return out


def enclosing(node, *types: str):
    node = node.parent
    while node is not None and node.type not in types:
        node = node.parent
    return node
