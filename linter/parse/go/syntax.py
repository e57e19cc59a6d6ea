"""Small readers of Go syntax trees (tree-sitter-go) that the parser and the table generator share:
the text of a node, string literals, import paths of stripe-go and their package within the SDK.
"""

from __future__ import annotations

import re
from typing import Iterator

from stripe_perm_lint.parse.tree import text, walk  # noqa: F401 - re-exported for the parser

# `github.com/stripe/stripe-go/v86/checkout/session` -> `checkout/session`; the root package is
# "" (`github.com/stripe/stripe-go/v86`, or unversioned before Go modules).
SDK_IMPORT = re.compile(r"^github\.com/stripe/stripe-go(?:/v\d+)?(?:/(?P<package>.+))?$")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'", "r": "\r"}


def string_value(node) -> str | None:
    """The value of a string literal (`"a"` or a raw `` `a` ``), None for anything else."""
    if node is None:
        return None
    if node.type == "raw_string_literal":
        return text(node)[1:-1]
    if node.type != "interpreted_string_literal":
        return None
    body = text(node)[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def sdk_package(import_path: str) -> str | None:
    """The package of stripe-go an import path names, relative to the SDK's root ("" for the root
    package `stripe`); None for an import of anything else."""
    match = SDK_IMPORT.match(import_path)
    if match is None:
        return None
    return match.group("package") or ""


# The top folders of Go's standard library: an import whose first element is one of them is never
# a package of the app (`net/http`); any other may be (`github.com/acme/billing/internal/stripex`,
# or `billing/internal/stripex` in a module named `billing`), which go.mod settles at link time.
_STANDARD_LIBRARY = frozenset(
    "archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors "
    "expvar flag fmt go hash html image index io iter log maps math mime net os path plugin reflect regexp "
    "runtime slices sort strconv strings structs sync syscall testing text time unicode unique unsafe weak".split())


def may_be_app_package(import_path: str) -> bool:
    """Whether an import may name a package of the app's own module (not the standard library, not
    `C`); the linker decides by the module path of the app's go.mod."""
    first = import_path.split("/", 1)[0]
    return first not in _STANDARD_LIBRARY and first != "C"


def imports(root) -> Iterator[tuple[str | None, str, object]]:
    """(local name as written or None, import path, spec node) of every import of a file."""
    for decl in root.children:
        if decl.type != "import_declaration":
            continue
        for spec in walk_types(decl, "import_spec"):
            name = spec.child_by_field_name("name")
            path = string_value(spec.child_by_field_name("path"))
            if path is not None:
                yield (text(name) if name is not None else None), path, spec


def default_name(import_path: str) -> str:
    """The name a package is known by when imported without one: its last element, with a
    major-version element (`/v86`) skipped, and `stripe-go` read as its package `stripe`."""
    parts = import_path.split("/")
    last = parts[-1]
    if re.fullmatch(r"v\d+", last) and len(parts) > 1:
        last = parts[-2]
    return "stripe" if last == "stripe-go" else last


def walk_types(node, *types: str) -> Iterator:
    """Every node below ``node`` (itself included) of one of ``types``, in source order."""
    return (n for n in walk(node) if n.type in types)


def selector_chain(node) -> list[str] | None:
    """`a.b.C` -> ["a", "b", "C"]; None when a part is not a plain name (a call, an index)."""
    parts = []
    while node is not None and node.type == "selector_expression":
        parts.append(text(node.child_by_field_name("field")))
        node = node.child_by_field_name("operand")
    if node is None or node.type not in ("identifier", "package_identifier", "field_identifier"):
        return None
    parts.append(text(node))
    return parts[::-1]


def arguments(call) -> list:
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def unwrap(node):
    """The expression inside a composite literal's `literal_element` (or the node itself)."""
    if node is not None and node.type == "literal_element" and node.named_children:
        return node.named_children[0]
    return node


def keyed(element) -> tuple:
    """(key, value) expressions of a `keyed_element` (`Expand: []*string{...}`)."""
    return unwrap(element.child_by_field_name("key")), unwrap(element.child_by_field_name("value"))


def elements(literal) -> list:
    """The elements of a composite literal's body: `keyed_element`s or plain expressions."""
    body = literal.child_by_field_name("body") if literal is not None else None
    return [unwrap(e) if e.type == "literal_element" else e for e in body.named_children
            if e.type != "comment"] if body is not None else []
