"""Types a TypeScript value gets from where it is written, not from an annotation of its own.

`const registry: Record<string, Handler> = { customer: { fetch: (ctx, id) => ctx.stripe... } }`:
`ctx` has no annotation, yet TypeScript types it from `Handler`, whose `fetch` declares
`(ctx: Ctx, id: string) => ...`. ``contextual_parameter_type`` walks from such a parameter up to
the annotated declaration (through object literals, arrays, `satisfies` and `as`) and back down
the declared type, through this file's interfaces and type aliases, `Record<K, V>`, index
signatures, arrays, function types and method signatures. It returns the parameter's type node,
which ``type_values`` then reads like any annotation.

Also here: decorators that inject a Stripe client (NestJS, `@InjectStripe()`), which say what a
constructor parameter or a class field holds whatever type it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.syntax import property_name, text

if TYPE_CHECKING:  # declarations imports ``injects_stripe`` from here
    from stripe_perm_lint.parse.typescript.declarations import Declarations

_FUNCTIONS = ("arrow_function", "function_expression", "method_definition")
# Wrappers a value may sit in between its declaration's annotation and itself.
_PASS_THROUGH = ("parenthesized_expression", "satisfies_expression", "as_expression")
# `@InjectStripe()` (@golevelup/nestjs-stripe), `@InjectStripeClient()` (nestjs-stripe and forks).
STRIPE_INJECTORS = frozenset({"InjectStripe", "InjectStripeClient"})
_MAX_STEPS = 12


def contextual_parameter_type(decls: Declarations, param: Node) -> Node | None:
    """The declared type of an unannotated parameter `param` (its pattern identifier), or None."""
    formal = param.parent
    if formal is None or formal.type not in ("required_parameter", "optional_parameter"):
        formal = param  # `x => ...`: the lone parameter of an arrow function
    fn = formal.parent.parent if formal is not param else formal.parent
    if fn is None or fn.type not in _FUNCTIONS:
        return None
    params = fn.child_by_field_name("parameters")
    index = 0
    if params is not None:
        kids = [c for c in params.named_children if c.type in ("required_parameter", "optional_parameter")]
        index = next((i for i, c in enumerate(kids) if c.id == formal.id), -1)
        if index < 0:
            return None
    fn_type = _value_type(decls, fn)
    return _parameter_of(decls, fn_type, index) if fn_type is not None else None


def _value_type(decls: Declarations, value: Node) -> Node | None:
    """The type a value is written against, from the annotated declaration around it."""
    path: list[str | None] = []  # keys from the declaration down to `value` (None: an array element)
    node = value
    for _ in range(_MAX_STEPS):
        parent = node.parent
        if parent is None:
            return None
        if node.type == "method_definition" and parent.type == "object":
            path.append(property_name(node.child_by_field_name("name")))
            node = parent
        elif parent.type == "pair" and parent.child_by_field_name("value") is not None \
                and parent.child_by_field_name("value").id == node.id:
            path.append(property_name(parent.child_by_field_name("key")))
            node = parent.parent
        elif parent.type == "array":
            path.append(None)
            node = parent
        elif parent.type in _PASS_THROUGH:
            kids = parent.named_children
            if parent.type != "parenthesized_expression" and len(kids) == 2 and kids[0].id == node.id:
                return _follow(decls, kids[1], path)  # `{...} satisfies Registry`
            node = parent
        elif parent.type == "variable_declarator":
            annotation = parent.child_by_field_name("type")
            return _follow(decls, annotation, path) if annotation is not None else None
        else:
            return None
        if node is None:
            return None
    return None


def _follow(decls: Declarations, type_node: Node | None, path: list[str | None]) -> Node | None:
    for key in reversed(path):
        if type_node is None:
            return None
        type_node = _element_type(decls, type_node) if key is None else member_type(decls, type_node, key)
    return type_node


def _resolve(decls: Declarations, node: Node | None, depth: int = 0) -> Node | None:
    """Strip annotations and parentheses and follow this file's type names to their bodies."""
    while node is not None and depth < _MAX_STEPS:
        depth += 1
        if node.type in ("type_annotation", "parenthesized_type") and node.named_children:
            node = node.named_children[0]
        elif node.type == "type_identifier" and text(node) in decls.local_types:
            node = decls.local_types[text(node)]
        else:
            return node
    return None


def member_type(decls: Declarations, type_node: Node, key: str) -> Node | None:
    """The declared type of property `key` of a type (a method signature stands for its type)."""
    node = _resolve(decls, type_node)
    if node is None:
        return None
    if node.type == "generic_type":
        name = node.child_by_field_name("name")
        type_args = node.child_by_field_name("type_arguments")
        args = type_args.named_children if type_args is not None else []
        if name is not None and text(name) in ("Record", "Partial", "Readonly", "Required") and args:
            return args[-1] if text(name) == "Record" else member_type(decls, args[0], key)
        return None
    if node.type in ("union_type", "intersection_type"):
        for child in node.named_children:
            found = member_type(decls, child, key)
            if found is not None:
                return found
        return None
    if node.type not in ("object_type", "interface_body"):
        return None
    index_type = None
    for sig in node.named_children:
        name = property_name(sig.child_by_field_name("name"))
        if sig.type == "property_signature" and name == key:
            return sig.child_by_field_name("type")
        if sig.type == "method_signature" and name == key:
            return sig
        if sig.type == "index_signature":
            index_type = sig.child_by_field_name("type")
    return index_type


def _element_type(decls: Declarations, type_node: Node) -> Node | None:
    node = _resolve(decls, type_node)
    if node is None:
        return None
    if node.type == "array_type" and node.named_children:
        return node.named_children[0]
    if node.type == "generic_type" and text(node.child_by_field_name("name") or node).startswith(("Array", "ReadonlyArray")):
        args = node.child_by_field_name("type_arguments")
        return args.named_children[0] if args is not None and args.named_children else None
    return None


def _parameter_of(decls: Declarations, fn_type: Node, index: int) -> Node | None:
    """The type of parameter ``index`` of a function type or method signature."""
    fn_type = _resolve(decls, fn_type)
    if fn_type is None or fn_type.type not in ("function_type", "method_signature"):
        return None
    params = fn_type.child_by_field_name("parameters")
    kids = [c for c in params.named_children if c.type in ("required_parameter", "optional_parameter")] \
        if params is not None else []
    if index >= len(kids):
        return None
    return kids[index].child_by_field_name("type")


def injects_stripe(node: Node) -> bool:
    """A parameter or class field decorated with a Stripe injector (`@InjectStripeClient()`)."""
    for child in node.children:
        if child.type != "decorator" or not child.named_children:
            continue
        target = child.named_children[0]
        if target.type == "call_expression":
            target = target.child_by_field_name("function")
        if target is not None and text(target).split(".")[-1] in STRIPE_INJECTORS:
            return True
    return False
