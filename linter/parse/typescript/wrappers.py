"""Raw requests through wrappers in TypeScript (docs/semantics.md §6).

`async function stripeRequest(cred, path, init = {}) { return fetch(`https://api.stripe.com${path}`,
{...init, headers: {Authorization: `Bearer ${cred.accessToken}`}}) }` is a wrapper: the URL ends
with its `path` parameter. ``find_wrappers`` runs before the facts pass, so a call that comes before
the function in the file is still read; the request inside a wrapper is not a fact of its own
(its path is a parameter), each call with a literal path is (``wrapper_call``).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from stripe_perm_lint.facts import RequestWrapperExport
from stripe_perm_lint.parse.typescript.declarations import FUNCTION_NODES
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.literals import resolve_object, static_string
from stripe_perm_lint.parse.typescript.raw import STRIPE_ACCOUNT_HEADER, Request, config_text, http_request
from stripe_perm_lint.parse.typescript.syntax import (
    call_arguments, member_parts, object_entries, string_value, text, unwrap_types,
)
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT, STRIPE_API_URL
from stripe_perm_lint.parse.wrappers import looks_like_path  # noqa: F401  (re-exported for calls)

_ENV_SECRET = re.compile(r"process\.env|Deno\.env|import\.meta\.env|SECRET_KEY|secretKey", re.IGNORECASE)


class Wrappers:
    """The wrappers of one file, by function node id, and the requests inside them."""

    def __init__(self) -> None:
        self.by_function: dict[int, RequestWrapperExport] = {}
        self.inner_calls: set[int] = set()


def find_wrappers(ev: Interpreter, nodes: list[Node]) -> Wrappers:
    found = Wrappers()
    for node in nodes:
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None:
            continue
        try:
            request = http_request(ev, node, fn, call_arguments(node))
        except RecursionError:
            continue
        if request is None:
            continue
        wrapper = _wrapper(ev, node, request)
        if wrapper is not None:
            func, shape = wrapper
            found.by_function.setdefault(func.id, shape)
            found.inner_calls.add(node.id)
    return found


def _enclosing_function(node: Node) -> Node | None:
    n = node.parent
    while n is not None and n.type not in FUNCTION_NODES:
        n = n.parent
    return n


def _param_index(ev: Interpreter, ident: Node | None, func: Node) -> int | None:
    """The index of the parameter of ``func`` that ``ident`` names, or None."""
    ident = unwrap_types(ident)
    if ident is None or ident.type not in ("identifier", "shorthand_property_identifier"):
        return None
    b = ev.decls.lookup(ident)
    if b is None or b.kind != "param":
        return None
    param = b.node.parent
    params = param.parent if param is not None else None
    if params is None or params.type != "formal_parameters" or params.parent is None or params.parent.id != func.id:
        return None
    if b.node.type != "identifier" or param.child_by_field_name("pattern") is None or param.child_by_field_name("pattern").id != b.node.id:
        return None
    named = [p for p in params.named_children if p.type in ("required_parameter", "optional_parameter")]
    for i, p in enumerate(named):
        if p.id == param.id:
            return i
    return None


def _param_default(ev: Interpreter, ident: Node) -> str | None:
    b = ev.decls.lookup(ident)
    default = b.node.parent.child_by_field_name("value") if b is not None and b.node.parent is not None else None
    return string_value(default) if default is not None else None


def _url_tail(ev: Interpreter, url: Node | None) -> Node | None:
    """The last part of a URL expression: `${BASE}${path}` / `BASE + path` -> `path`; a same-file
    const holding such a URL is followed once."""
    url = unwrap_types(url)
    if url is not None and url.type == "identifier":
        b = ev.decls.lookup(url)
        if b is not None and b.kind == "const" and b.path == () and b.init is not None:
            url = unwrap_types(b.init)
    if url is None:
        return None
    if url.type == "template_string":
        children = url.named_children
        last = children[-1] if children else None
        if last is not None and last.type == "template_substitution" and last.named_children:
            return last.named_children[0]
    elif url.type == "binary_expression":
        op = url.child_by_field_name("operator")
        if op is not None and text(op) == "+":
            return url.child_by_field_name("right")
    return None


def ends_with_parameter(ev: Interpreter, call: Node, request: Request) -> bool:
    """A request whose URL ends with a parameter of its function (`${STRIPE_API}${path}`): a
    wrapper's, even when its base is imported and so cannot be read here. As for a wrapper, a
    parameter after a resource (`${STRIPE_API}/customers/${id}`) is an id, not the path."""
    func = _enclosing_function(call)
    before = request.path[:-2].strip("/") if request.path.endswith("{}") else None
    return (func is not None and before in ("", "v1", "v2")
            and _param_index(ev, _url_tail(ev, request.url), func) is not None)


def _wrapper(ev: Interpreter, call: Node, request: Request) -> tuple[Node, RequestWrapperExport] | None:
    func = _enclosing_function(call)
    if func is None or request.url is None:
        return None
    path_index = _param_index(ev, _url_tail(ev, request.url), func)
    if path_index is None:
        return None
    url = static_string(ev.decls, request.url)
    if not url.endswith("{}"):
        return None
    match = STRIPE_API_URL.match(url[:-2])
    if match is None:
        return None
    prefix = (match.group("path") or "").rstrip("/")
    if prefix not in ("", "/v1", "/v2"):
        return None  # `.../v1/customers/${id}`: the parameter is an id, not the path
    method_index = init_index = None
    default = request.verb
    config = request.config
    if config is None and request.config_arg is not None:
        init_index = _param_index(ev, request.config_arg, func)
        if init_index is not None:
            default = "GET"
    for key, value, _ in object_entries(config) if config is not None else ():
        if key is None and value is not None and value.type == "spread_element" and value.named_children:
            spread = _param_index(ev, value.named_children[0], func)
            if spread is not None:
                init_index = spread
        elif key == "method" and value is not None:
            default, method_index, from_init = _method(ev, value, func)
            if from_init is not None:
                init_index = from_init
    options = config_text(ev, config)
    if ev.decls.ui_import or STRIPE_ACCOUNT_HEADER.search(options) or OAUTH_KEY_TEXT.search(options):
        account = "installing"
    elif _ENV_SECRET.search(options):
        account = "platform"
    else:
        account = "unknown"
    return func, RequestWrapperExport("", path_index, method_index, default, init_index, account, prefix)


def _method(ev: Interpreter, value: Node, func: Node) -> tuple[str, int | None, int | None]:
    """(default verb, method parameter, options parameter) of a `method:` entry: a literal, a
    parameter (`method = 'GET'`), or the options' own (`init.method ?? 'GET'`)."""
    value = unwrap_types(value)
    literal = string_value(value)
    if literal is not None:
        return literal.upper(), None, None
    fallback = "GET"
    if value.type == "binary_expression" and text(value.child_by_field_name("operator")) in ("??", "||"):
        fallback = (string_value(value.child_by_field_name("right")) or "?").upper()
        value = unwrap_types(value.child_by_field_name("left"))
    index = _param_index(ev, value, func)
    if index is not None:
        return (_param_default(ev, value) or fallback).upper(), index, None
    if value is not None and value.type == "member_expression":
        obj, prop = member_parts(value)
        index = _param_index(ev, obj, func)
        if index is not None and prop == "method":
            return fallback, None, index
    return "?", None, None


def call_args(ev: Interpreter, args: list[Node]) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """Each argument as a static string (None: not string-like) and the literal `method` of each
    object-literal argument."""
    strings: list[str | None] = []
    methods: list[str | None] = []
    for arg in args:
        a = unwrap_types(arg)
        if a is not None and (a.type in ("string", "template_string", "binary_expression") or a.type == "identifier"):
            value = static_string(ev.decls, a)
            strings.append(None if value == "{}" and a.type == "identifier" else value)
        else:
            strings.append(None)
        obj = resolve_object(ev.decls, arg)
        method = None
        for key, value, _ in object_entries(obj) if obj is not None else ():
            if key == "method" and value is not None:
                method = string_value(value) or "{}"
        methods.append(method)
    return tuple(strings), tuple(methods)


def call_account(args: list[Node]) -> str | None:
    """What a wrapper call's arguments show about the credential it passes."""
    joined = "\n".join(text(a) for a in args)
    if STRIPE_ACCOUNT_HEADER.search(joined) or OAUTH_KEY_TEXT.search(joined):
        return "installing"
    if _ENV_SECRET.search(joined):
        return "platform"
    return None
