"""Requests by verb and path in TypeScript: `StripeResource.method({method, path})` and plain HTTP
calls (fetch, axios, got, ky) to `https://api.stripe.com`. (`stripe.rawRequest` is a client call and
lives in ``calls``, which turns these ``Request``s into facts.)

Both functions return a ``Request`` or None.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.literals import imported_prefix, resolve_init, resolve_object, static_string
from stripe_perm_lint.parse.typescript.values import HttpLib
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT, STRIPE_API_URL
from stripe_perm_lint.parse.typescript.syntax import dotted_tail, member_parts, object_entries, string_value, text, unwrap_types

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
STRIPE_ACCOUNT_HEADER = re.compile(r"stripe-account", re.IGNORECASE)

_QUERY_EXPAND = re.compile(r"(?:^|&)expand(?:\[\d*\]|%5B\d*%5D)?=([^&{}]+)")


class Request(NamedTuple):
    verb: str
    path: str
    at: Node  # position of the fact
    account: str
    params: Node | None  # params object, searched for `expand`
    query_expand: tuple[str, ...] = ()  # `?expand[]=customer` in a literal URL
    url: Node | None = None
    config: Node | None = None  # the request options object, when literal
    config_arg: Node | None = None  # the argument holding the options, as written
    # The URL starts with a name imported from another app module, (local, namespace member):
    # ``path`` is then the URL after it, for the linker to join to that base (``PendingBaseUrlRequest``).
    base_import: tuple[str, str | None] | None = None


def _entry(obj: Node | None, *names: str) -> Node | None:
    for key, value, _ in object_entries(obj) if obj is not None else ():
        if key in names:
            return value
    return None


def _verb(node: Node | None, default: str) -> str:
    if node is None:
        return default
    value = string_value(node)
    return value.upper() if value else "?"


def resource_method_request(ev: Interpreter, call: Node, fn: Node, args: list[Node]) -> Request | None:
    """`Stripe.StripeResource.method({method: 'POST', path: 'apps/secrets'})`, also through an
    alias such as `const stripeMethod = Stripe.StripeResource.method`. The path stays relative."""
    fn = unwrap_types(fn)
    tail = dotted_tail(fn)
    if tail[-2:] != ["StripeResource", "method"]:
        init = resolve_init(ev.decls, fn) if fn.type == "identifier" else None
        aliased = init is not None and init is not fn and dotted_tail(init)[-2:] == ["StripeResource", "method"]
        if not aliased and not (fn.type == "identifier" and text(fn) == "stripeMethod"):
            return None
    spec = resolve_object(ev.decls, args[0]) if args else None
    if spec is None:
        return None
    path_node = _entry(spec, "path", "fullPath")
    path = static_string(ev.decls, path_node) if path_node is not None else "{}"
    account = "installing" if ev.decls.ui_import else "platform"
    return Request(_verb(_entry(spec, "method"), "?"), path, call, account, None)


def http_request(ev: Interpreter, call: Node, fn: Node, args: list[Node]) -> Request | None:
    """`fetch('https://api.stripe.com/v1/x', {method})`, `axios.post(url)`, `axios({url, method})`,
    `axios.request({...})`, `got(url)`, `ky.get(url)`, and instances with a Stripe `baseURL`."""
    if not args:
        return None
    fn = unwrap_types(fn)
    lib = ev.value(fn)
    verb = None
    if not isinstance(lib, HttpLib):
        if fn.type != "member_expression":
            return None
        obj, prop = member_parts(fn)
        lib = ev.value(obj)
        if not isinstance(lib, HttpLib) or lib.name == "fetch":
            return None
        if prop in _VERBS:
            verb = prop.upper()
        elif prop not in ("request", "fetch"):
            return None
    config = resolve_object(ev.decls, args[0]) if lib.name != "fetch" else None
    config_arg = args[0] if config is not None else None
    if config is not None:  # axios({url, method}) / axios.request({...}) / got({url})
        url_node = _entry(config, "url")
    else:
        url_node = args[0]
        # axios.post(url, data, config): the config is the third argument.
        at = 2 if lib.name == "axios" and verb in ("POST", "PUT", "PATCH") else 1
        config = resolve_object(ev.decls, args[at]) if len(args) > at else None
        config_arg = args[at] if len(args) > at else None
    url = static_string(ev.decls, url_node) if url_node is not None else ""
    base = lib.base or (static_string(ev.decls, _entry(config, "baseURL", "prefixUrl"))
                        if _entry(config, "baseURL", "prefixUrl") is not None else "")
    if base and not url.startswith(("http:", "https:", "//")):
        url = base.rstrip("/") + "/" + url.lstrip("/")
    match = STRIPE_API_URL.match(url)
    base_import = None
    if match is None and url.startswith("{}"):  # `${STRIPE_API}/charges`, or an instance's imported baseURL
        base_import = lib.base_import if lib.base_import and lib.base == "{}" else imported_prefix(ev.decls, url_node)
    if match is None and base_import is None:
        return None
    path = (match.group("path") or "/") if match is not None else url[2:].split("?", 1)[0].split("#", 1)[0]
    if verb is None:
        verb = _verb(_entry(config, "method"), "GET")
    options_text = config_text(ev, config)
    installing = ev.decls.ui_import or bool(STRIPE_ACCOUNT_HEADER.search(options_text) or OAUTH_KEY_TEXT.search(options_text))
    params = _entry(config, "params", "searchParams", "json", "body", "data")
    query = url.split("?", 1)[1].split("#", 1)[0] if "?" in url else ""
    expand = tuple(m.group(1) for m in _QUERY_EXPAND.finditer(query))
    return Request(verb, path, call, "installing" if installing else "platform", params, expand, url_node,
                   config, config_arg, base_import)


def config_text(ev: Interpreter, config: Node | None) -> str:
    """The request options as text, with option values held in same-file consts written out
    (`const headers = {'Stripe-Account': id}; fetch(url, {headers})`), so the installing
    account's header or token is seen wherever the options were assembled."""
    if config is None:
        return ""
    parts = [text(config)]
    for _, value, _ in object_entries(config):
        held = resolve_object(ev.decls, value) if value is not None else None
        if held is not None and held is not config:
            parts.append(text(held))
    return "\n".join(parts)
