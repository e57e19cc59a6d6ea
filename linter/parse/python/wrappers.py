"""Raw requests through wrappers in Python (docs/semantics.md §6).

`def stripe_request(token, path, method="GET", **kw): return requests.request(method,
f"https://api.stripe.com{path}", headers={"Authorization": f"Bearer {token}"}, **kw)` is a wrapper:
the URL ends with its `path` parameter. Module-level functions only; the request inside is not a
fact of its own, each call with a literal path is (``parse.wrappers.wrapper_request``).
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from stripe_perm_lint.facts import RequestWrapperExport
from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.call_syntax import call_arg, string_literal
from stripe_perm_lint.parse.python.scope import LexicalScope
from stripe_perm_lint.parse.vocabulary import STRIPE_API_URL

_ENV_SECRET = re.compile(r"os\.environ|os\.getenv|settings\.|SECRET_KEY|secret_key", re.IGNORECASE)
_STRING_LIKE = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString, cst.BinaryOperation, cst.Name,
                cst.Attribute)


def _params(func: cst.FunctionDef) -> list[cst.Param]:
    return list(func.params.posonly_params) + list(func.params.params)


def _url_tail(expr: Any) -> Any:
    if isinstance(expr, cst.FormattedString) and expr.parts:
        last = expr.parts[-1]
        return last.expression if isinstance(last, cst.FormattedStringExpression) else None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        return expr.right
    return None


def _param_index(expr: Any, func: cst.FunctionDef) -> int | None:
    if not isinstance(expr, cst.Name):
        return None
    for i, p in enumerate(_params(func)):
        if p.name.value == expr.value:
            return i
    return None


def find_wrappers(ev: Any, sites: list[tuple[cst.CSTNode, LexicalScope]]) -> tuple[dict[int, RequestWrapperExport], set[int]]:
    wrappers: dict[int, RequestWrapperExport] = {}
    inner: set[int] = set()
    for node, scope in sites:
        if not isinstance(node, cst.Call) or scope.kind != "function" or not isinstance(scope.node, cst.FunctionDef):
            continue
        if scope.parent is None or scope.parent.kind != "module":
            continue
        site = ev.call_site(node, scope)
        if site.kind != "http":
            continue
        callee = ev.value(node.func, scope)
        if not isinstance(callee, v.HttpMethod):
            continue
        url_expr = call_arg(node, 1, "url") if callee.verb is None else call_arg(node, 0, "url")
        func = scope.node
        path_index = _param_index(_url_tail(url_expr), func)
        url = ev.template(url_expr, scope) if url_expr is not None else None
        if path_index is None or url is None or not url.endswith("{}"):
            continue
        match = STRIPE_API_URL.match(url[:-2])
        prefix = (match.group("path") or "").rstrip("/") if match is not None else None
        if prefix not in ("", "/v1", "/v2"):
            continue
        method_index = None
        default = callee.verb or "?"
        if callee.verb is None:
            verb_expr = call_arg(node, 0, "method")
            literal = string_literal(verb_expr)
            if literal is not None:
                default = literal.upper()
            elif (index := _param_index(verb_expr, func)) is not None:
                method_index = index
                param = _params(func)[index]
                given = string_literal(param.default) if param.default is not None else None
                default = (given or "GET").upper()
        if site.account == "installing":
            account = "installing"
        else:
            others = " ".join(ev.text(a.value, scope) for a in node.args if a.value is not url_expr)
            account = "platform" if _ENV_SECRET.search(others) else "unknown"
        names = tuple(p.name.value for p in _params(func))
        wrappers.setdefault(id(func), RequestWrapperExport(func.name.value, path_index, method_index, default,
                                                           None, account, prefix, names))
        inner.add(id(node))
    return wrappers, inner


def call_args(ev: Any, call: cst.Call, scope: LexicalScope):
    """(positional arguments, keyword arguments) as static strings (None: not string-like)."""
    def static(expr: Any) -> str | None:
        if not isinstance(expr, _STRING_LIKE):
            return None
        return ev.template(expr, scope)
    positional = tuple(static(a.value) for a in call.args if a.keyword is None and not a.star)
    keywords = tuple((a.keyword.value, static(a.value)) for a in call.args if a.keyword is not None)
    return positional, keywords


def call_account(ev: Any, call: cst.Call, scope: LexicalScope) -> str | None:
    from stripe_perm_lint.parse.python.eval_calls import ACCOUNT_HEADER_TEXT
    from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT
    joined = " ".join(ev.text(a.value, scope) for a in call.args)
    if ACCOUNT_HEADER_TEXT.search(joined) or OAUTH_KEY_TEXT.search(joined):
        return "installing"
    if _ENV_SECRET.search(joined):
        return "platform"
    return None
