"""Small readers of tree-sitter-php nodes: text, literals, arguments, class names with the file's
``use`` imports. Nothing here knows about Stripe."""

from __future__ import annotations

from stripe_perm_lint.parse.tree import walk as walk_tree

FUNCTIONS = ("function_definition", "method_declaration", "anonymous_function", "arrow_function")


class PhpSource:
    """One file's bytes and the ``namespace`` / ``use`` names its class references resolve through."""

    def __init__(self, data: bytes, root) -> None:
        self.data = data
        self.namespace = ""
        self.aliases: dict[str, str] = {}  # local name (lower case) -> fully qualified, no leading `\`
        for node in root.children:
            if node.type == "namespace_definition" and node.child_by_field_name("name") is not None:
                self.namespace = self.text(node.child_by_field_name("name"))
            elif node.type == "namespace_use_declaration":
                self._uses(node)

    def text(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", errors="replace")

    def _uses(self, node) -> None:
        group_prefix = next((self.text(c) for c in node.named_children if c.type == "namespace_name"), "")
        clauses = [c for g in node.named_children if g.type == "namespace_use_group" for c in g.named_children]
        clauses += [c for c in node.named_children if c.type == "namespace_use_clause"]
        for clause in clauses:
            target = clause.named_children[0] if clause.named_children else None
            if target is None or target.type not in ("qualified_name", "name"):
                continue
            full = self.text(target).lstrip("\\")
            if group_prefix:
                full = f"{group_prefix.strip(chr(92))}\\{full}"
            alias = clause.child_by_field_name("alias")
            local = self.text(alias) if alias is not None else full.rsplit("\\", 1)[-1]
            self.aliases[local.lower()] = full

    def class_name(self, node) -> str | None:
        """The fully qualified class a name node refers to (`Customer` under `use Stripe\\Customer;`,
        `\\Stripe\\Customer`, `Stripe\\Customer` in the global namespace), without a leading `\\`;
        None for `static`, `self`, `parent` and expressions."""
        if node is None or node.type not in ("name", "qualified_name", "named_type"):
            return None
        if node.type == "named_type":
            return self.class_name(node.named_children[0]) if node.named_children else None
        written = self.text(node)
        if written.lower() in ("static", "self", "parent"):
            return None
        if written.startswith("\\"):
            return written[1:]
        head, _, rest = written.partition("\\")
        if head.lower() in self.aliases:
            return self.aliases[head.lower()] + (f"\\{rest}" if rest else "")
        return f"{self.namespace}\\{written}" if self.namespace else written


def walk(node):
    """Every named node below ``node`` in document order, ``node`` included."""
    return walk_tree(node, named=True)


def string_value(node, source: PhpSource) -> str | None:
    """A single-quoted or plain double-quoted literal's text; None for anything else."""
    if node is None:
        return None
    if node.type == "string":
        return "".join(source.text(c) for c in node.named_children if c.type == "string_content")
    if node.type == "encapsed_string":
        parts = []
        for child in node.named_children:
            if child.type == "string_content":
                parts.append(source.text(child))
            elif child.type != "escape_sequence":
                return None
        return "".join(parts)
    return None


def arguments(call) -> list:
    """The argument expressions of a call (named arguments' values included)."""
    found = call.child_by_field_name("arguments")
    if found is None:  # `new X(...)` holds its arguments in no field
        found = next((c for c in call.named_children if c.type == "arguments"), None)
    out = []
    for argument in found.named_children if found is not None else ():
        if argument.type == "argument" and argument.named_children:
            out.append(argument.named_children[-1])
    return out


def array_entries(node, source: PhpSource) -> list[tuple[str | None, object, object]]:
    """(literal key or None, key node, value node) of an array literal's elements."""
    out = []
    for element in node.named_children:
        if element.type != "array_element_initializer" or not element.named_children:
            continue
        children = [c for c in element.named_children if c.type != "by_ref"]
        if len(children) == 2:
            out.append((string_value(children[0], source), children[0], children[1]))
        elif len(children) == 1:
            out.append((None, None, children[0]))
    return out


def member_name(node, source: PhpSource) -> str | None:
    """`customers` of `$stripe->customers`; None for a computed member (`$stripe->$name`)."""
    name = node.child_by_field_name("name")
    return source.text(name) if name is not None and name.type == "name" else None


def enclosing_function(node):
    current = node.parent
    while current is not None and current.type not in FUNCTIONS:
        current = current.parent
    return current
