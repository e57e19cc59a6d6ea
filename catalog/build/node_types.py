"""Expandable fields from the TypeScript typings of older stripe-node releases.

stripe-python has typed fields only since 7.1 (API 2023-10-16), so fields Stripe removed earlier
(``charge.dispute``, ``charge.invoice`` before 2022-11-15) are missing from the Python union, yet
apps pinning stripe-node 8–12 still expand them. Those releases ship ``types/<api>/*.d.ts``:

    interface Charge {
      object: 'charge';
      dispute: string | Stripe.Dispute | null;      // a string-or-object union: expandable
      discounts: Array<string | Stripe.Discount>;   // an expandable list
    }

Only top-level fields of interfaces that carry an ``object: '<name>'`` literal are read; the
typings are parsed with tree-sitter, never executed.
"""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

_PARSER = Parser(Language(tree_sitter_typescript.language_typescript()))
_STRIPE_REF = re.compile(r"\bStripe\.([A-Za-z_.]+)")


def typings(tgz: Path) -> list[str]:
    """The texts of `types/**/*.d.ts` in an npm tarball (tests excluded), read in memory."""
    out = []
    with tarfile.open(tgz) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".d.ts") and "/types/" in member.name and "/test/" not in member.name:
                out.append(tar.extractfile(member).read().decode("utf-8"))
    return out


def expandable_fields(texts: list[str]) -> dict[str, dict[str, list]]:
    """{object: {field: ["expandable", {targets}, is_array]}} from the typings of one release."""
    interfaces: dict[str, tuple[str, Node]] = {}
    for text in texts:
        tree = _PARSER.parse(text.encode("utf-8"))
        for node in _interfaces(tree.root_node):
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            obj = _object_literal(body) if body is not None else None
            if name is not None and obj is not None:
                interfaces.setdefault(name.text.decode(), (obj, body))
    out: dict[str, dict[str, list]] = {}
    for obj, body in interfaces.values():
        for prop in body.named_children:
            if prop.type != "property_signature":
                continue
            name, annotation = prop.child_by_field_name("name"), prop.child_by_field_name("type")
            if name is None or annotation is None:
                continue
            type_text = annotation.text.decode()
            is_array = type_text.lstrip(": ").startswith("Array<")
            inner = type_text[type_text.find("<") + 1: type_text.rfind(">")] if is_array else type_text
            alternatives = [a.strip() for a in inner.lstrip(": ").split("|")]
            if "string" not in alternatives:
                continue
            targets = {interfaces[m.group(1)][0] for a in alternatives if (m := _STRIPE_REF.fullmatch(a))
                       and m.group(1) in interfaces}
            if targets:
                out.setdefault(obj, {})[name.text.decode()] = ["expandable", targets, is_array]
    return out


def _interfaces(node: Node):
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "interface_declaration":
            yield current
            continue  # nested namespaces inside an interface do not exist; sub-objects are skipped
        stack.extend(reversed(current.named_children))


def _object_literal(body: Node) -> str | None:
    for prop in body.named_children:
        name = prop.child_by_field_name("name") if prop.type == "property_signature" else None
        if name is not None and name.text == b"object":
            match = re.search(r"'([a-z0-9_.]+)'", prop.text.decode())
            return match.group(1) if match else None
    return None
