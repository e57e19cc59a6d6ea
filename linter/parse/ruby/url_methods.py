"""A Stripe URL one method builds and others request (`def invoices_uri = URI("https://api.stripe.com/v1/invoices")`;
`uri = config.invoices_uri.dup; get_json(uri)`; `def get_json(uri) ... Net::HTTP::Get.new(uri);
request["Stripe-Account"] = acct`). The request is made where the URL is sent, so its verb and
account are read there: in each method of the file the value reaches, through locals and
arguments of the file's own methods (a few hops). Used by ``raw.RawReader``.
"""

from __future__ import annotations

from stripe_perm_lint.parse.ruby.scope import METHODS, enclosing, parameter_names
from stripe_perm_lint.parse.ruby.syntax import arguments, method_name, text, walk

_HOPS = 3


def url_method(node):
    """The method whose value is the URL at ``node`` (its last expression holds it), else None."""
    method = enclosing(node, METHODS)
    if method is None:
        return None
    body = method.child_by_field_name("body")
    last = body if body is not None and body.type != "body_statement" else (
        body.named_children[-1] if body is not None and body.named_children else None)
    if last is None or not (last.start_byte <= node.start_byte and node.end_byte <= last.end_byte):
        return None
    return method


def reached(scope, method) -> list[tuple[object, str | None, object]]:
    """(method, name holding the value there or None, the call of ``method``) for each place of
    the file the URL reaches: each call of ``method`` elsewhere, the local it is assigned to, and
    the parameters of the file's methods it is handed to."""
    name = text(method.child_by_field_name("name"))
    return [found for call in scope.calls_named(name) if enclosing(call, METHODS) != method
            for found in call_flow(scope, call)]


def call_flow(scope, call) -> list[tuple[object, str | None, object]]:
    """As ``reached``, for the value of one call (`config.invoices_uri`)."""
    found = [(enclosing(call, METHODS), None, call)]
    top = call
    while top.parent is not None and (top.parent.type == "parenthesized_statements" or top.parent.type == "call"
                                      and top.parent.child_by_field_name("receiver") == top):
        top = top.parent  # `config.invoices_uri.dup`
    parent = top.parent
    if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left").type == "identifier":
        local = text(parent.child_by_field_name("left"))
        found.append((enclosing(call, METHODS), local, call))
        found += [(m, p, call) for m, p in _handed(scope, enclosing(call, METHODS), local, 0)]
    elif parent is not None and parent.type == "argument_list" and _is_file_call(scope, parent.parent):
        found += [(m, p, call) for m, p in _to_parameter(scope, parent.parent, top, 0)]
    return found


def _handed(scope, method, name: str, hops: int) -> list[tuple[object, str]]:
    """The parameters of the file's methods that the local or parameter ``name`` of ``method`` is handed to."""
    out = []
    for call in walk(method) if method is not None and hops < _HOPS else ():
        if _is_file_call(scope, call):
            for arg in arguments(call):
                if arg.type == "identifier" and text(arg) == name:
                    out += _to_parameter(scope, call, arg, hops)
    return out


def _to_parameter(scope, call, arg, hops: int) -> list[tuple[object, str]]:
    positional = [a for a in arguments(call) if a.type != "pair"]
    callee = scope.methods[method_name(call)][-1]
    names = parameter_names(callee)
    index = positional.index(arg) if arg in positional else len(names)
    if index >= len(names):
        return []
    return [(callee, names[index])] + _handed(scope, callee, names[index], hops + 1)


def _is_file_call(scope, node) -> bool:
    """A call of a method this file defines (`get_json(uri, ...)`)."""
    return node is not None and node.type == "call" and node.child_by_field_name("receiver") is None \
        and (method_name(node) or "") in scope.methods


_SAME_VALUE = ("dup", "clone", "freeze", "to_s", "URI", "parse")  # `config.invoices_uri.dup`, `URI(url)`


def origins(scope, node, hops: int = 0) -> list[tuple[object, list]]:
    """The other file's methods a request's URL may come from (`config.invoices_uri` on a receiver
    this file cannot follow), each with the methods of this file the value passes through on its
    way to the request (whose code says whose account it is): followed back through locals and
    the parameters of this file's methods, whose callers here hand it on."""
    if node is None or hops > _HOPS:
        return []
    while node.type == "call" and method_name(node) in _SAME_VALUE:
        inner = node.child_by_field_name("receiver") or next(iter(arguments(node)), None)
        if inner is None:
            return []
        node = inner
    method = enclosing(node, METHODS)
    if node.type == "call" and node.child_by_field_name("receiver") is not None \
            and method_name(node) not in scope.methods and node.child_by_field_name("block") is None:
        return [(node, [method])]
    if node.type != "identifier":
        return []
    assigned = scope.local_value(node)
    if assigned is not None:
        return [(call, [method, *through]) for call, through in origins(scope, assigned, hops + 1)]
    param = scope.parameter(node)
    if param is None or param[0].type not in METHODS:
        return []
    found = []
    for call in scope.calls_named(text(param[0].child_by_field_name("name"))):
        positional = [a for a in arguments(call) if a.type != "pair"]
        if param[1] < len(positional):
            found += [(origin, [method, *through]) for origin, through in origins(scope, positional[param[1]], hops + 1)]
    return found
