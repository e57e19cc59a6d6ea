"""Whose account the request options of a call name, when they are passed around (docs/semantics.md §6).

`stripe.invoices.list({limit: 10}, opts)` acts for the installing account when `opts` carries
`stripeAccount` / `stripeContext`. The object is often built once (`const requestOptions =
{ stripeAccount: ctx.accountId }`), extended (`{ ...requestOptions, idempotencyKey }`) and handed to
helpers as a parameter (`listInvoices(stripe, requestOptions)`). An options parameter takes the
account of what its callers pass: callers in this file are read here, callers in other modules by
the linker (``ApiCall.options_param`` / ``AccountArgument``). A parameter typed
`Stripe.RequestOptions` that no caller here fills is of unknown provenance, settled like a client
known only by its type.
"""

from __future__ import annotations

from typing import NamedTuple

from tree_sitter import Node

from stripe_perm_lint.parse.endpoints import READS_ACCOUNT as EVENT_ACCOUNT
from stripe_perm_lint.parse.typescript.accounts import has_account_option
from stripe_perm_lint.parse.typescript.declarations import FUNCTION_NODES, Binding
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.literals import resolve_object
from stripe_perm_lint.parse.typescript.syntax import NAMES, call_arguments, text, unwrap_types
from stripe_perm_lint.parse.typescript.values import Func

_MAX_DEPTH = 4  # helpers handing the same options on, in this file
_PLAIN_PARAMETER = ("required_parameter", "optional_parameter", "formal_parameters")


class OptionsAccount(NamedTuple):
    installing: bool  # the options name an account, here or through a caller in this module
    unknown: bool  # a `Stripe.RequestOptions` parameter no caller here fills
    param: tuple[str, int] | None  # (function, index) for callers in other modules


NO_OPTIONS = OptionsAccount(False, False, None)


class RequestOptions:
    """Reads the request options passed to calls of one file."""

    def __init__(self, ev: Interpreter, nodes: list[Node]) -> None:
        self.ev = ev
        self.decls = ev.decls
        self._nodes = nodes
        self._callers: dict[int, list[Node]] | None = None

    def of(self, args: list[Node]) -> OptionsAccount:
        """What the arguments of one call say about its account."""
        if any(self.names_account(a) or self.event_account(a) for a in args):
            return OptionsAccount(True, False, None)
        found = [(param, *_function_of(param)) for arg in args for param in self._params(arg)]
        found = [(param, fn, index) for param, fn, index in found if fn is not None]
        for param, fn, index in found:
            if any(self.passes_account(call, index) for call in self.callers(fn)):
                return OptionsAccount(True, False, _where(fn, index))
        if not found:
            return NO_OPTIONS
        # `list(params, opts)` with both handed in: the options come last in every stripe-node method.
        param, fn, index = found[-1]
        typed = param.type is not None and _names_request_options(param.type)
        return OptionsAccount(False, typed and not self.callers(fn), _where(fn, index))

    def event_account(self, node: Node | None, depth: int = 0) -> bool:
        """The account a webhook event comes from (`event.account`, `event?.account`,
        `event['account']`), directly or through a local declared from it: a call given it
        (`stripe.accounts.retrieve(event.account)`) acts for that account, in every parser."""
        node = unwrap_types(node)
        if node is None or depth > _MAX_DEPTH:
            return False
        if node.type == "identifier":
            binding = self.decls.lookup(node)
            return binding is not None and binding.kind in ("const", "let", "var") and binding.path == () \
                and self.event_account(binding.init, depth + 1)
        return node.type in ("member_expression", "subscript_expression") \
            and EVENT_ACCOUNT.fullmatch(text(node).strip()) is not None

    def names_account(self, node: Node | None, depth: int = 0) -> bool:
        """An options object naming an account: a literal, a same-file const, or one spreading
        such an object (`{ ...requestOptions, idempotencyKey }`)."""
        if node is None or depth > _MAX_DEPTH:
            return False
        if has_account_option(self.decls, node):
            return True
        obj = resolve_object(self.decls, node)
        return obj is not None and any(
            self.names_account(s.named_children[0], depth + 1)
            for s in obj.named_children if s.type == "spread_element" and s.named_children)

    def passes_account(self, call: Node, index: int, depth: int = 0) -> bool:
        """Whether argument ``index`` of ``call`` names an account, directly or because it is an
        options parameter of the caller's own function that one of *its* callers fills."""
        args = call_arguments(call)
        if index >= len(args) or depth > _MAX_DEPTH:
            return False
        if self.names_account(args[index]):
            return True
        for param in self._params(args[index]):
            fn, at = _function_of(param)
            if fn is not None and any(self.passes_account(c, at, depth + 1) for c in self.callers(fn)):
                return True
        return False

    def callers(self, fn: Node) -> list[Node]:
        """The calls of this file whose callee is ``fn``."""
        if self._callers is None:
            self._callers = {}
            for node in self._nodes:
                if node.type == "call_expression":
                    callee = self.ev.value(node.child_by_field_name("function"))
                    if isinstance(callee, Func):
                        self._callers.setdefault(callee.node_id, []).append(node)
        return self._callers.get(fn.id, [])

    def _params(self, node: Node | None, depth: int = 0) -> list[Binding]:
        """The parameters an options argument comes from: itself, or what it spreads."""
        node = unwrap_types(node)
        if node is None or depth > _MAX_DEPTH:
            return []
        if node.type in NAMES:
            b = self.decls.lookup(node)
            parent = b.node.parent if b is not None else None
            if b is not None and b.kind == "param" and parent is not None and parent.type in _PLAIN_PARAMETER:
                return [b]  # `opts`, not a name destructured from a parameter
        obj = resolve_object(self.decls, node)
        found = []
        for child in obj.named_children if obj is not None else ():
            if child.type == "spread_element" and child.named_children:
                found += self._params(child.named_children[0], depth + 1)
        return found


def _function_of(param: Binding) -> tuple[Node | None, int]:
    """The function declaring a parameter, and the parameter's index."""
    node = param.node
    while node is not None and node.parent is not None and node.parent.type != "formal_parameters":
        node = node.parent
    params = node.parent if node is not None else None
    fn = params.parent if params is not None else None
    if fn is None or fn.type not in FUNCTION_NODES:
        return None, 0
    index = [c.id for c in params.named_children if c.type != "comment"].index(node.id)
    return fn, index


def _names_request_options(type_node: Node) -> bool:
    """`Stripe.RequestOptions`, `RequestOptions` (imported from stripe), `RequestOptions | undefined`."""
    stack = [type_node]
    while stack:
        node = stack.pop()
        if node.type == "type_identifier" and text(node) == "RequestOptions":
            return True
        stack.extend(node.named_children)
    return False


def _where(fn: Node, index: int) -> tuple[str, int] | None:
    named = function_name(fn)
    return (named, index) if named else None


def function_name(fn: Node) -> str | None:
    """The name other modules import a function by: `function listInvoices(...)`,
    `const listInvoices = async (...) => ...`."""
    name = fn.child_by_field_name("name")
    if fn.type in ("function_declaration", "generator_function_declaration") and name is not None:
        return text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        declared = parent.child_by_field_name("name")
        return text(declared) if declared is not None and declared.type == "identifier" else None
    return None
