"""Raw requests through wrappers in Python (docs/semantics.md §6).

`def stripe_request(token, path, method="GET", **kw): return requests.request(method,
f"https://api.stripe.com{path}", headers={"Authorization": f"Bearer {token}"}, **kw)` is a wrapper:
the URL ends with its `path` parameter. So is a method of a top-level class
(`StripeAPI._request(self, method, path)`, its parameters counted without `self`, exported as
`StripeAPI._request`), and a function or method that hands its own `path` parameter to another
wrapper (`def get(self, path): return self._request("GET", path)`). The request inside is not a
fact of its own, each call with a literal path is (``parse.wrappers.wrapper_request``).
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from stripe_perm_lint.facts import RequestWrapperExport
from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.call_syntax import call_arg, string_literal
from stripe_perm_lint.parse.python.eval_values import MAX_DEPTH
from stripe_perm_lint.parse.python.scope import LexicalScope, is_app_module
from stripe_perm_lint.parse.vocabulary import STRIPE_API_URL

_ENV_SECRET = re.compile(r"os\.environ|os\.getenv|settings\.|SECRET_KEY|secret_key", re.IGNORECASE)
_STRING_LIKE = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString, cst.BinaryOperation, cst.Name,
                cst.Attribute)


def _params(func: cst.FunctionDef, scope: LexicalScope | None = None) -> list[cst.Param]:
    """The positional parameters a caller passes: a method's ``self`` is bound, not passed."""
    params = list(func.params.posonly_params) + list(func.params.params)
    return params[1:] if scope is not None and scope.self_name is not None and params else params


def _wrapper_scope(scope: LexicalScope) -> str | None:
    """The exported name of a function that may be a wrapper: a module-level function, or a
    method of a top-level class (``StripeAPI.get``); None for anything else."""
    func = scope.node
    if scope.kind != "function" or not isinstance(func, cst.FunctionDef) or scope.parent is None:
        return None
    if scope.parent.kind == "module":
        return func.name.value
    owner = scope.owner
    if owner is not None and owner.parent is not None and owner.parent.kind == "module":
        return f"{owner.node.name.value}.{func.name.value}"
    return None


def _url_tail(expr: Any) -> Any:
    if isinstance(expr, cst.FormattedString) and expr.parts:
        last = expr.parts[-1]
        return last.expression if isinstance(last, cst.FormattedStringExpression) else None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        return expr.right
    return None


def _param_index(expr: Any, scope: LexicalScope) -> int | None:
    if not isinstance(expr, cst.Name):
        return None
    for i, p in enumerate(_params(scope.node, scope)):
        if p.name.value == expr.value:
            return i
    return None


def find_wrappers(ev: Any, sites: list[tuple[cst.CSTNode, LexicalScope]]) -> tuple[dict[int, RequestWrapperExport], set[int]]:
    """Wrappers of this module, by id of their FunctionDef, and the ids of the requests inside them."""
    wrappers: dict[int, RequestWrapperExport] = {}
    inner: set[int] = set()
    for node, scope in sites:
        if not isinstance(node, cst.Call):
            continue
        name = _wrapper_scope(scope)
        if name is None:
            continue
        site = ev.call_site(node, scope)
        if site.kind != "http":
            continue
        callee = ev.value(node.func, scope)
        if not isinstance(callee, v.HttpMethod):
            continue
        url_expr = call_arg(node, 1, "url") if callee.verb is None else call_arg(node, 0, "url")
        func = scope.node
        path_index = _param_index(_url_tail(url_expr), scope)
        url = ev.template(url_expr, scope) if url_expr is not None else None
        if path_index is None or url is None or not url.endswith("{}"):
            continue
        match = STRIPE_API_URL.match(url[:-2])
        prefix = (match.group("path") or "").rstrip("/") if match is not None else None
        if prefix not in ("", "/v1", "/v2"):
            continue
        method_index, default = None, callee.verb or "?"
        if callee.verb is None:
            method_index, default = _verb(call_arg(node, 0, "method"), scope, default)
        if site.account == "installing":
            account = "installing"
        else:
            others = [ev.text(a.value, scope) for a in node.args if a.value is not url_expr]
            # a key read into a field (`self.key = os.environ[...]` in `__init__`) is shown
            # where it was assigned
            others += [ev.module.code_for_node(n) for key in ev.http_keys(node, scope)
                       if isinstance(key, cst.Attribute) for n, _ in ev.assigned_exprs(key, scope)]
            account = "platform" if _ENV_SECRET.search(" ".join(others)) else "unknown"
        names = tuple(p.name.value for p in _params(func, scope))
        wrappers.setdefault(id(func), RequestWrapperExport(name, path_index, method_index, default,
                                                           None, account, prefix, names))
        inner.add(id(node))
    if wrappers:
        _forwarding_wrappers(ev, sites, wrappers)
    return wrappers, inner


def _forwarding_wrappers(ev: Any, sites: list[tuple[cst.CSTNode, LexicalScope]],
                         wrappers: dict[int, RequestWrapperExport]) -> None:
    """Adds the functions that pass their own path parameter on to a wrapper
    (``def get(self, path): return self._request("GET", path)``), until none is left: a chain of
    them is followed to the request (at most ``MAX_DEPTH`` links)."""
    for _ in range(MAX_DEPTH):
        added = False
        for node, scope in sites:
            name = _wrapper_scope(scope) if isinstance(node, cst.Call) else None
            if name is None or id(scope.node) in wrappers:
                continue
            callee = ev.value(node.func, scope)
            target = wrappers.get(id(callee.node)) if isinstance(callee, v.FunctionRef) else None
            forwarded = _forwarded(node, scope, target, name) if target is not None else None
            if forwarded is not None:
                wrappers[id(scope.node)] = forwarded
                added = True
        if not added:
            return


def _forwarded(call: cst.Call, scope: LexicalScope, target: RequestWrapperExport, name: str) -> RequestWrapperExport | None:
    """The wrapper ``scope`` is when ``call`` (of ``target``) passes it its own parameter as the
    path; the verb is the literal ``call`` passes, or another parameter of ``scope``."""
    path_index = _param_index(_argument(call, target, target.path_param), scope)
    if path_index is None:
        return None
    method_index, verb = None, target.default_verb
    if target.method_param is not None:
        verb_expr = _argument(call, target, target.method_param)
        if verb_expr is not None:
            method_index, verb = _verb(verb_expr, scope, "?")
    names = tuple(p.name.value for p in _params(scope.node, scope))
    return RequestWrapperExport(name, path_index, method_index, verb, None, target.account, target.prefix, names)


def _verb(expr: Any, scope: LexicalScope, fallback: str) -> tuple[int | None, str]:
    """(method parameter, default verb) of a wrapper whose request's verb is ``expr``: a literal,
    or a parameter of the wrapper (its default, else GET); ``fallback`` for anything else."""
    literal = string_literal(expr)
    if literal is not None:
        return None, literal.upper()
    index = _param_index(expr, scope)
    if index is None:
        return None, fallback
    param = _params(scope.node, scope)[index]
    given = string_literal(param.default) if param.default is not None else None
    return index, (given or "GET").upper()


def _argument(call: cst.Call, wrapper: RequestWrapperExport, index: int) -> Any:
    keyword = wrapper.param_names[index] if index < len(wrapper.param_names) else ""
    return call_arg(call, index, keyword)


def exported_wrappers(ev: Any, wrappers: dict[int, RequestWrapperExport], root: LexicalScope) -> tuple[RequestWrapperExport, ...]:
    """The wrappers another module can import: functions of the module, methods of its classes."""
    found = []
    for wrapper in wrappers.values():
        owner, _, method = wrapper.name.partition(".")
        value = ev.lookup(owner, root)
        if isinstance(value, v.FunctionRef) if not method else isinstance(value, v.ClassRef):
            found.append(wrapper)
    return tuple(found)


def call_args(ev: Any, call: cst.Call, scope: LexicalScope):
    """(positional arguments, keyword arguments) as static strings (None: not string-like)."""
    def static(expr: Any) -> str | None:
        if not isinstance(expr, _STRING_LIKE):
            return None
        return ev.template(expr, scope)
    positional = tuple(static(a.value) for a in call.args if a.keyword is None and not a.star)
    keywords = tuple((a.keyword.value, static(a.value)) for a in call.args if a.keyword is not None)
    return positional, keywords


def call_account(ev: Any, call: cst.Call, scope: LexicalScope, callee: Any = None) -> str | None:
    """What a call of a wrapper shows about the credential: its arguments, and for a method the
    arguments the object was built with (``StripeAPI(access_token).get(path)``); None: nothing."""
    found = _arguments_account(ev, call, scope)
    if found is None and isinstance(call.func, cst.Attribute) and isinstance(callee, v.FunctionRef):
        built = _constructor(ev, call.func.value, scope, 0)
        found = _arguments_account(ev, built[0], built[1]) if built is not None else None
    return found


def _arguments_account(ev: Any, call: cst.Call, scope: LexicalScope) -> str | None:
    from stripe_perm_lint.parse.python.eval_calls import ACCOUNT_HEADER_TEXT
    from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT
    joined = " ".join(ev.text(a.value, scope) for a in call.args)
    if ACCOUNT_HEADER_TEXT.search(joined) or OAUTH_KEY_TEXT.search(joined):
        return "installing"
    if _ENV_SECRET.search(joined):
        return "platform"
    return None


def imported_wrapper(ev: Any, call: cst.Call, scope: LexicalScope, callee: Any) -> tuple[str, str | None, str | None] | None:
    """(import local, member, account) of a call that may be of an imported wrapper, for a
    ``PendingRequest``: an imported function (``stripe_request(...)``, ``api_module.request(...)``),
    or a method on an object of a class imported from an app module (``api.get(...)`` with
    ``api = StripeAPI(token)`` or ``api: StripeAPI``; the linker looks up ``StripeAPI.get``)."""
    if isinstance(callee, v.Imported):
        # `stripe_request(...)`, `api_module.request(...)`, and `api.get(...)` on a parameter
        # typed with an imported class (the annotation makes `api` the Imported `StripeAPI`)
        segments = callee.segments
        if callee.via_factory and callee.namespace and len(segments) == 2 and segments[0][:1].isupper():
            # `api_module.StripeAPI(token).get(path)`: a method of a class of a namespace import
            built = _constructor(ev, call.func.value, scope, 0) if isinstance(call.func, cst.Attribute) else None
            account = _arguments_account(ev, call, scope) or (_arguments_account(ev, *built) if built else None)
            return callee.local, ".".join(segments), account
        if callee.via_factory or len(segments) > 1:
            return None
        return callee.local, segments[0] if segments else None, call_account(ev, call, scope)
    if callee is not None or not isinstance(call.func, cst.Attribute):
        return None
    built = _constructor(ev, call.func.value, scope, 0)
    cls = _imported_class(built[0].func, built[1]) if built is not None else None
    if built is None or cls is None:
        return None
    local, prefix = cls
    account = _arguments_account(ev, call, scope) or _arguments_account(ev, *built)
    return local, prefix + call.func.attr.value, account


def _constructor(ev: Any, expr: Any, scope: LexicalScope, depth: int) -> tuple[cst.Call, LexicalScope] | None:
    """The call an object was built with: ``StripeAPI(token)`` itself, or the one a name or
    ``self.api`` was assigned."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Call):
        return expr, scope
    if isinstance(expr, (cst.Name, cst.Attribute)):
        for node, where in ev.assigned_exprs(expr, scope):
            found = _constructor(ev, node, where, depth + 1)
            if found is not None:
                return found
    return None


def _imported_class(expr: Any, scope: LexicalScope) -> tuple[str, str] | None:
    """(import local, member prefix) of a class imported from an app module: ``StripeAPI``
    (``from .api import StripeAPI``: prefix ``""``) or ``api.StripeAPI`` (``import app.api as
    api``: prefix ``"StripeAPI."``, the export's name)."""
    if isinstance(expr, cst.Name):
        holder = scope.holder(expr.value)
        for source in holder.bindings[expr.value] if holder is not None else ():
            if source.kind == "import" and source.extra[1] != "*" and is_app_module(source.extra[0]):
                return expr.value, ""
        return None
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
        holder = scope.holder(expr.value.value)
        for source in holder.bindings[expr.value.value] if holder is not None else ():
            if source.kind == "import" and source.extra[1] == "*" and is_app_module(source.extra[0]):
                return expr.value.value, expr.attr.value + "."
    return None
