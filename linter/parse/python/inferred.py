"""Stripe-shaped Python calls whose client cannot be traced (docs/semantics.md §11).

The Python twin of ``parse/typescript/inferred.py``. ``deps.stripe.refunds.create(...)`` on an
untyped parameter, ``self.stripe.invoices.retrieve()`` set by a framework,
``stripe_client.customers.list()`` imported from a library or a DI container,
``get_stripe().customers.list()``: the evaluator does not know what the receiver is, yet the call
is plainly a Stripe API call. It is reported as an *inferred* ``ApiCall`` when all of these hold:

- the member chain after the receiver is exactly a stripe-python method the catalog knows, as a
  ``StripeClient`` service method (``customers.list``, ``v1.customers.list``) or a legacy class
  method (``Customer.list``); never a prefix, never an SDK helper (``Webhook.construct_event``);
- the receiver's own name says Stripe: the last name or attribute before the resource
  (``stripe``, ``stripe_client``, ``self.stripe``), the function whose result it is
  (``get_stripe()``), or the key it is looked up by (``container.resolve("stripe")``,
  ``app.state["stripe"]``);
- nothing the evaluator knows says the receiver is something else: a value it traced (the
  ``stripe`` module itself, whose calls the legacy rules report exactly, an instance of a class of
  this module, a dict, an HTTP session), a literal, or a value assigned from one of those.

A call on an imported receiver is also left to the linker (``PendingCall``); when the linker
resolves it exactly, the inferred copy is dropped.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.call_syntax import literal_text
from stripe_perm_lint.parse.python.eval_values import MAX_DEPTH, ValueEvaluator
from stripe_perm_lint.parse.python.scope import LexicalScope
from stripe_perm_lint.parse.untraced import looks_like_client, receiver_label

# Expressions that are plainly not a client.
_NOT_A_CLIENT = (
    cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float, cst.Imaginary,
    cst.List, cst.Tuple, cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp,
    cst.Lambda, cst.BinaryOperation, cst.Comparison, cst.UnaryOperation,
)
_LOOKUP_METHODS = frozenset({"get", "resolve", "use", "provide", "inject", "get_service", "service"})


def inferred_call(ev: ValueEvaluator, func: cst.BaseExpression, scope: LexicalScope) -> tuple[str, str] | None:
    """(style, accessor) of a callee ``<receiver>.<accessor>`` whose receiver is an untraced
    client named for Stripe, or None. ``style`` is ``python_client`` or ``python_legacy``."""
    props, nodes, node = _chain(func)
    catalog = load_catalog()
    for k in range(len(props) - 1):
        segments = props[k:-1] + [v.strip_async(props[-1])]
        accessor = ".".join(segments)
        style = _style(catalog, accessor)
        if style is None:
            continue
        name = props[k - 1] if k > 0 else _root_name(node)
        if name is None or "stripe" not in name.lower():
            return None
        receiver = nodes[k - 1] if k > 0 else node
        return (style, accessor) if _untraced(ev, receiver, scope) else None
    return None


def untraced_client(ev: ValueEvaluator, func: cst.BaseExpression, scope: LexicalScope, code: Any):
    """(origin, receiver as written, source module, node where it is declared or None, chain) of a
    callee ``<receiver>.<chain>`` whose receiver behaves like a Stripe client (``parse.untraced``)
    and that nothing traced to one, or None. ``code`` renders a node (``Module.code_for_node``).
    An imported receiver is untraced here; the linker drops the fact when it resolves the call."""
    props, nodes, node = _chain(func)
    catalog = load_catalog()
    for k in range(len(props) - 1):
        chain = props[k:-1] + [v.strip_async(props[-1])]
        exact = _style(catalog, ".".join(chain)) is not None
        name = props[k - 1] if k > 0 else _root_name(node)
        if not looks_like_client("python", name, chain, exact, k == 0):
            continue
        receiver = nodes[k - 1] if k > 0 else node
        if not _untraced(ev, receiver, scope):
            return None
        origin, source, declared = _origin(ev, receiver, scope)
        # An import goes by the name its module exports (`get_client`, not each call of it).
        name = _imported_name(declared) if origin == "import" else receiver_label(code(receiver))
        return origin, name, source, declared, ".".join(chain)
    return None


def _chain(func: cst.BaseExpression) -> tuple[list[str], list[cst.Attribute], Any]:
    """(attribute names, the attribute nodes, the root) of ``root.a.b.c``; ``nodes[i]`` is the
    chain up to and including ``props[i]``."""
    props: list[str] = []
    nodes: list[cst.Attribute] = []
    node: Any = func
    while isinstance(node, cst.Attribute):
        props.append(node.attr.value)
        nodes.append(node)
        node = node.value
    return props[::-1], nodes[::-1], node


def _imported_name(alias: Any) -> str:
    """``from m import a as b``: ``a``; ``import m.n as b``: ``m.n``."""
    return cst.Module([]).code_for_node(alias.name) if isinstance(alias, cst.ImportAlias) else ""


def _origin(ev: ValueEvaluator, node: Any, scope: LexicalScope, depth: int = 0) -> tuple[str, str, Any]:
    """(origin, source module, declaring node or None) of an untraced receiver (``UNTRACED_ORIGINS``)."""
    if isinstance(node, cst.Await):
        node = node.expression
    while isinstance(node, cst.Attribute):
        if isinstance(ev.value(node.value, scope), (v.UserObject, v.ClassRef)):
            return "member", "", None  # `self.stripe`, set by a framework or container
        node = node.value
    if depth > MAX_DEPTH or isinstance(node, cst.Subscript):  # `app.state["stripe"]`
        return ("unknown" if depth > MAX_DEPTH else "container"), "", None
    if isinstance(node, cst.Call):
        callee = node.func
        first = node.args[0].value if node.args else None
        if (isinstance(callee, cst.Attribute) and callee.attr.value in _LOOKUP_METHODS
                and isinstance(first, cst.SimpleString)):
            return "container", "", None
        return _origin(ev, callee, scope, depth + 1)
    if not isinstance(node, cst.Name):
        return "unknown", "", None
    holder = scope.holder(node.value)
    for source in holder.bindings[node.value] if holder is not None else ():
        if source.kind == "import":
            return "import", source.extra[0], source.node
        if source.kind == "param":
            return "parameter", "", source.node
        if source.kind == "expr" and not _is_constant(source.node):
            origin, module, declared = _origin(ev, source.node, source.scope, depth + 1)
            return origin, module, declared if declared is not None else source.node  # `s = c.resolve("stripe")`
    return "unknown", "", None


def _style(catalog: Any, accessor: str) -> str | None:
    if accessor.startswith(("stripe.", "client.")):
        return None  # the catalog's lookup forgives these prefixes; an exact match may not
    for style in ("python_client", "python_legacy"):
        if catalog.is_api_method(style, accessor):
            return style
    return None


def _root_name(node: Any) -> str | None:
    """The name a chain's root goes by: ``stripe``, ``get_stripe()`` -> ``get_stripe``,
    ``container.resolve("stripe")`` / ``state["stripe"]`` -> the key."""
    if isinstance(node, cst.Await):
        node = node.expression
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Subscript):
        elements = node.slice
        if len(elements) == 1 and isinstance(elements[0].slice, cst.Index):
            index = elements[0].slice.value
            if isinstance(index, cst.SimpleString):
                return literal_text(index)
        return None
    if isinstance(node, cst.Call):
        callee = node.func
        if isinstance(callee, cst.Name):
            return callee.value
        if isinstance(callee, cst.Attribute):
            first = node.args[0].value if node.args else None
            key = literal_text(first) if isinstance(first, cst.SimpleString) else None
            if callee.attr.value in _LOOKUP_METHODS and key is not None:
                return key
            return callee.attr.value
    return None


def _untraced(ev: ValueEvaluator, receiver: Any, scope: LexicalScope, depth: int = 0) -> bool:
    """Whether nothing known says the receiver is not a Stripe client."""
    if receiver is None or depth > MAX_DEPTH:
        return False
    if isinstance(receiver, cst.Await):
        receiver = receiver.expression
    if isinstance(receiver, _NOT_A_CLIENT) or _is_constant(receiver):
        return False
    value = ev.value(receiver, scope)
    if isinstance(value, v.Imported):
        return True  # from a module the parser cannot see: the linker may resolve it exactly
    if value is not None:  # a client would have been reported exactly: it is something else
        return False
    if isinstance(receiver, cst.Name):
        holder = scope.holder(receiver.value)
        if holder is None:
            return True  # a builtin or a star import: nothing known
        for source in holder.bindings[receiver.value]:
            if source.kind == "expr" and not _is_constant(source.node) and not _untraced(ev, source.node, source.scope, depth + 1):
                return False
            if source.kind == "class":
                return False
        return True
    if isinstance(receiver, cst.Attribute):
        base = ev.value(receiver.value, scope)
        if isinstance(base, (v.UserObject, v.ClassRef)):
            return _member_untraced(ev, base.scope, receiver.attr.value, depth)
        return _untraced(ev, receiver.value, scope, depth + 1)
    if isinstance(receiver, cst.Call):
        callee = ev.value(receiver.func, scope)
        if isinstance(callee, (v.FunctionRef, v.Imported)):  # a function returning something untraced
            return True
        if callee is not None:
            return False
        return _untraced(ev, receiver.func, scope, depth + 1)
    return isinstance(receiver, cst.Subscript)


def _member_untraced(ev: ValueEvaluator, cls: LexicalScope, name: str, depth: int) -> bool:
    """``self.stripe``: untraced unless the class gives it a value known to be something else."""
    for source in cls.bindings.get(name, []) + cls.attrs.get(name, []):
        if source.kind == "expr" and not _is_constant(source.node) and not _untraced(ev, source.node, source.scope, depth + 1):
            return False
        if source.kind in ("class", "func"):
            return False
    return True


def _is_constant(node: Any) -> bool:
    """``None``, ``True``, ``False``: a placeholder before the client is set, never a client."""
    return isinstance(node, cst.Name) and node.value in ("None", "True", "False")
