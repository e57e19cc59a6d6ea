"""Removed UI-extension API in TypeScript: reads of ``userContext.email``.

Kept apart from calls and events because it is found in member expressions and destructuring
patterns, not calls; the rules report it as an API that no longer exists. Two plain functions,
one per node type, appending to the file's ``FactLists``.
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.facts import RemovedApiUse
from stripe_perm_lint.parse.typescript.fact_lists import FactLists
from stripe_perm_lint.parse.typescript.syntax import member_parts, property_name, text, unwrap_types


def user_context_member(out: FactLists, node: Node) -> None:
    """`userContext.email`, `userContext?.email`, `props.userContext.email`."""
    obj, prop = member_parts(node)
    if prop == "email" and _is_user_context(obj):
        out.removed.append(RemovedApiUse("userContext.email", out.pos(node)))


def user_context_pattern(out: FactLists, pattern: Node) -> None:
    """`const { email } = userContext` and `({ userContext: { email } })`."""
    parent = pattern.parent
    if parent is None:
        return
    if parent.type == "pair_pattern":
        if property_name(parent.child_by_field_name("key")) != "userContext":
            return
    elif parent.type == "variable_declarator":
        if parent.child_by_field_name("name") != pattern or not _is_user_context(
                parent.child_by_field_name("value")):
            return
    else:
        return
    for child in pattern.named_children:
        key_node = child.child_by_field_name("key") if child.type == "pair_pattern" else child
        if key_node is not None and property_name(key_node) == "email" and child.type in (
                "pair_pattern", "shorthand_property_identifier_pattern"):
            out.removed.append(RemovedApiUse("userContext.email", out.pos(key_node)))
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None and text(left) == "email":
                out.removed.append(RemovedApiUse("userContext.email", out.pos(left)))


def _is_user_context(node: Node | None) -> bool:
    node = unwrap_types(node)
    if node is None:
        return False
    if node.type == "identifier":
        return text(node) == "userContext"
    if node.type == "member_expression":
        return member_parts(node)[1] == "userContext"
    return False
