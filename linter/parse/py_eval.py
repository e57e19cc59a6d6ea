"""Second half of the Python parser's reasoning: what an expression evaluates to, statically.

``Evaluator.value(expr, scope)`` returns a value from ``py_values`` or None. Calls are classified
once each (``call_site``) so that evaluating ``cus = stripe.Customer.retrieve(id)`` for a later
``cus.save()`` and reporting the retrieve itself agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.parse import py_values as v
from stripe_perm_lint.parse.py_scope import Scope, Source, is_app_module

# ``from .models import Customer``: a CamelCase import is a class of the app, never a client.
CAMEL_CASE = re.compile(r"^_?[A-Z][a-z]")
STRIPE_URL = re.compile(r"^https?://api\.stripe\.com(?::443)?(?P<path>/[^?#]*)?(?:[?#].*)?$")
ACCOUNT_HEADER_TEXT = re.compile(r"stripe[-_]?account|stripe[-_]?context", re.IGNORECASE)
MAX_DEPTH = 8


@dataclass(frozen=True, eq=False)
class CallSite:
    """What one call is. ``kind`` is None for calls that produce no fact by themselves."""

    kind: str | None = None  # legacy | instance | client | pending | raw | http | dict_get
    accessor: str = ""
    account: str | None = None
    result: Any = None
    verb: str = "?"
    path: str = ""
    extra: Any = None  # pending: the Imported value; dict_get: the table


NOTHING = CallSite()


@dataclass
class Strings:
    """A statically read list of strings (an ``expand`` or ``enabled_events`` value)."""

    items: list[tuple[str, cst.CSTNode]]
    imports: list[tuple[str, cst.Name]]
    dynamic: bool = False


class Evaluator:
    def __init__(self, module: cst.Module, calls_by_name: dict[str, list[tuple[cst.Call, Scope]]]) -> None:
        self.module = module
        self.calls_by_name = calls_by_name
        self._names: dict[tuple[int, str], Any] = {}
        self._busy: set[Any] = set()
        self._calls: dict[int, CallSite] = {}
        self._returns: dict[int, Any] = {}

    # --- values ---------------------------------------------------------------------------------

    def value(self, expr: cst.BaseExpression, scope: Scope) -> Any:
        if isinstance(expr, cst.Name):
            return self.lookup(expr.value, scope)
        if isinstance(expr, cst.Attribute):
            return self.member(self.value(expr.value, scope), expr.attr.value)
        if isinstance(expr, cst.Call):
            return self.call_site(expr, scope).result
        if isinstance(expr, cst.Await):
            return self.value(expr.expression, scope)
        if isinstance(expr, cst.Subscript):
            base = self.value(expr.value, scope)
            if isinstance(base, v.EventValue) and _subscript_string(expr) == "type":
                return v.EventType()
            if isinstance(base, v.Collection) and not base.pager:  # ``subs.data[0]``
                return v.Instance(base.cls, base.account)
            return None
        if isinstance(expr, cst.Dict):
            return v.DictLiteral(expr, scope)
        if isinstance(expr, cst.IfExp):
            return self.value(expr.body, scope) or self.value(expr.orelse, scope)
        if isinstance(expr, cst.BooleanOperation):  # ``_client or StripeClient(key)``
            return self.value(expr.left, scope) or self.value(expr.right, scope)
        if isinstance(expr, cst.NamedExpr):
            return self.value(expr.value, scope)
        return None

    def lookup(self, name: str, scope: Scope) -> Any:
        holder = scope.holder(name)
        if holder is None:
            return None
        return self._sources_value(holder.bindings[name], (id(holder), name))

    def _sources_value(self, sources: list[Source], key: Any) -> Any:
        if key in self._names:
            return self._names[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        result = None
        for source in sources:
            result = self._source_value(source)
            if result is not None:
                break
        self._busy.discard(key)
        self._names[key] = result
        return result

    def _source_value(self, source: Source) -> Any:
        kind = source.kind
        if kind == "expr":
            return self.value(source.node, source.scope)
        if kind == "ann":
            if source.extra is not None:
                found = self.value(source.extra, source.scope)
                if found is not None:
                    return found
            return self.annotation_value(source.node, source.scope)
        if kind == "iter":
            found = self.value(source.node, source.scope)
            return v.Instance(found.cls, found.account) if isinstance(found, v.Collection) else None
        if kind == "param":
            return self._param_value(source.node, source.scope)
        if kind == "import":
            return self._import_value(*source.extra)
        if kind == "func":
            names = {get_full_name_for_node(d.decorator) or "" for d in source.node.decorators}
            is_property = any(n.endswith(("property", "cached_property")) for n in names)
            return v.FunctionRef(source.node, source.scope, is_property)
        if kind == "class":
            return v.ClassRef(source.extra)
        return None

    def _param_value(self, param: cst.Param, scope: Scope) -> Any:
        if scope.owner is not None and param.name.value == scope.self_name:
            return v.UserObject(scope.owner)
        outer = scope.parent or scope
        if param.annotation is not None:
            found = self.annotation_value(param.annotation.annotation, outer)
            if found is not None:
                return found
        if param.default is not None:  # ``def sync(client=client)``
            found = self.value(param.default, outer)
            if found is not None:
                return found
        return self._argument_value(param, scope)

    def _argument_value(self, param: cst.Param, scope: Scope) -> Any:
        """An unannotated parameter takes the first known value passed to it by a call in this
        module: ``handle_event(event)`` makes ``event`` an event inside ``handle_event``."""
        func = scope.node
        positional = list(func.params.posonly_params) + list(func.params.params)
        index = next((i for i, p in enumerate(positional) if p is param), None)
        for call, where in self.calls_by_name.get(func.name.value, []):
            callee = self.value(call.func, where)
            if not isinstance(callee, v.FunctionRef) or callee.node is not func:
                continue
            arg = _kwarg(call, param.name.value)
            if arg is None and index is not None:
                # a method called through ``self.f(x)`` / ``obj.f(x)`` gets ``self`` implicitly
                shift = 1 if scope.self_name is not None and isinstance(call.func, cst.Attribute) else 0
                if index - shift >= 0:
                    arg = _arg(call, index - shift, "")
            found = self.value(arg, where) if arg is not None else None
            if found is not None:
                return found
        return None

    def _import_value(self, module: str, name: str, local: str) -> Any:
        top = module.split(".")[0]
        if top == "stripe":
            # private modules (``stripe._stripe_client``) re-export into the top namespace
            path = tuple(p for p in module.split(".")[1:] if not p.startswith("_"))
            if name == "*":
                return v.LegacyNS(path)
            return self.member(v.LegacyNS(path), name)
        if top in v.HTTP_LIBRARIES:
            if module != top:
                return None
            return v.HttpLibrary(top) if name == "*" else self.member(v.HttpLibrary(top), name)
        if not is_app_module(module) or CAMEL_CASE.match(local):
            return None
        if name == "*":
            return v.Imported(local, namespace=True) if local != module else None
        return v.Imported(local)

    def annotation_value(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> Any:
        """``StripeClient`` -> a client, ``stripe.Event`` -> an event, ``stripe.Customer`` -> an
        object of that class; ``Optional[...]``, ``X | None`` and string annotations included."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.SimpleString):
            text = expr.evaluated_value
            try:
                parsed = cst.parse_expression(text) if isinstance(text, str) else None
            except cst.ParserSyntaxError:
                return None
            return self.annotation_value(parsed, scope, depth + 1) if parsed is not None else None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            return self.annotation_value(expr.left, scope, depth + 1) or self.annotation_value(
                expr.right, scope, depth + 1
            )
        if isinstance(expr, cst.Subscript):
            for element in expr.slice:
                if isinstance(element.slice, cst.Index):
                    found = self.annotation_value(element.slice.value, scope, depth + 1)
                    if found is not None:
                        return found
            return None
        found = self.value(expr, scope)
        if isinstance(found, v.ClientClass):
            return v.Client("platform")
        if isinstance(found, v.LegacyClass):
            if found.name == "Event":
                return v.EventValue()
            if not _is_helper_class(found.name):
                return v.Instance(found.name, "platform")
        return None

    def member(self, base: Any, name: str) -> Any:
        if base is None:
            return None
        if isinstance(base, v.LegacyNS):
            return _legacy_member(base.path, name)
        if isinstance(base, v.LegacyClass):
            if name[:1].isupper():  # ``stripe.issuing.Card.TestHelpers``
                return v.LegacyClass(f"{base.name}.{name}")
            return v.LegacyMethod(base.name, name)
        if isinstance(base, v.Client):
            return v.Service(base.account, (name,))
        if isinstance(base, v.Service):
            return v.Service(base.account, base.path + (name,))
        if isinstance(base, v.Collection):
            if name == "auto_paging_iter":
                return v.Collection(base.cls, base.account, pager=True)
            return v.Collection(base.cls, base.account) if name == "data" else None
        if isinstance(base, v.Instance):
            return None if name.startswith("_") else v.InstanceMethod(base.cls, name, base.account)
        if isinstance(base, v.EventValue):
            return {"type": v.EventType(), "get": v.EventGet()}.get(name)
        if isinstance(base, v.Imported):
            return v.Imported(base.local, base.segments + (name,), base.via_factory, base.namespace)
        if isinstance(base, v.HttpLibrary):
            if name in v.HTTP_SESSION_CLASSES:
                return v.HttpSessionClass(base.name)
            return _http_member(name, None)
        if isinstance(base, v.HttpSession):
            return _http_member(name, base.base)
        if isinstance(base, (v.UserObject, v.ClassRef)):
            return self._class_member(base.scope, name, isinstance(base, v.UserObject), 0)
        if isinstance(base, v.DictLiteral) and name == "get":
            return v.DictGet(base)
        return None

    def _class_member(self, cls: Scope, name: str, instance: bool, depth: int) -> Any:
        sources = cls.bindings.get(name, []) + cls.attrs.get(name, [])
        found = self._sources_value(sources, (id(cls), "." + name)) if sources else None
        if isinstance(found, v.FunctionRef) and found.is_property and instance:
            return self.function_result(found)
        if found is None and depth < MAX_DEPTH:
            for base in cls.node.bases:  # attributes inherited from a class of this module
                parent = self.value(base.value, cls.parent)
                if isinstance(parent, v.ClassRef):
                    found = self._class_member(parent.scope, name, instance, depth + 1)
                    if found is not None:
                        break
        return found

    def function_result(self, func: v.FunctionRef) -> Any:
        """What a function of this module returns: a client, an event... (first known return;
        else its return annotation, so ``def get_client() -> StripeClient`` is a factory)."""
        key = id(func.node)
        if key in self._returns:
            return self._returns[key]
        self._returns[key] = None  # recursion guard
        result = None
        for expr in func.scope.returns:
            result = self.value(expr, func.scope)
            if result is not None:
                break
        if result is None and func.node.returns is not None:
            result = self.annotation_value(func.node.returns.annotation, func.scope.parent or func.scope)
        self._returns[key] = result
        return result

    # --- calls ----------------------------------------------------------------------------------

    def call_site(self, call: cst.Call, scope: Scope) -> CallSite:
        key = id(call)
        if key not in self._calls:
            self._calls[key] = NOTHING  # recursion guard
            self._calls[key] = self._classify(call, scope)
        return self._calls[key]

    def _classify(self, call: cst.Call, scope: Scope) -> CallSite:
        func = call.func
        if isinstance(func, cst.Name) and func.value == "getattr" and scope.holder("getattr") is None:
            return CallSite(result=self._getattr(call, scope))
        callee = self.value(func, scope)
        if callee is None:
            return NOTHING
        if isinstance(callee, v.LegacyMethod):
            return self._legacy_call(call, scope, callee)
        if isinstance(callee, v.InstanceMethod):
            return self._instance_call(call, scope, callee)
        if isinstance(callee, v.Service):
            return self._client_call(call, scope, callee)
        if isinstance(callee, v.Imported):
            return self._imported_call(call, scope, callee)
        if isinstance(callee, v.ClientClass):
            return CallSite(result=v.Client(self._client_account(call, scope)))
        if isinstance(callee, v.LegacyFunction):
            return self._raw_call(call, scope, "platform", "legacy")
        if isinstance(callee, v.HttpMethod):
            return self._http_call(call, scope, callee)
        if isinstance(callee, v.HttpSessionClass):
            base = self.template(_kwarg(call, "base_url"), scope) if _kwarg(call, "base_url") else None
            return CallSite(result=v.HttpSession(callee.library, base))
        if isinstance(callee, v.FunctionRef):
            return CallSite(result=self.function_result(callee))
        if isinstance(callee, v.Collection) and callee.pager:
            return CallSite(result=v.Collection(callee.cls, callee.account))
        if isinstance(callee, v.ClassRef):
            return CallSite(result=v.UserObject(callee.scope))
        if isinstance(callee, v.EventGet):
            return CallSite(result=v.EventType() if _first_arg_string(call) == "type" else None)
        if isinstance(callee, v.DictGet):
            return CallSite(kind="dict_get", extra=callee.table)
        return NOTHING

    def _getattr(self, call: cst.Call, scope: Scope) -> Any:
        """``getattr(client.v1, name)``: a literal name is read; any other is the ``?`` segment."""
        args = [a for a in call.args if not a.keyword and not a.star]
        if len(args) < 2:
            return None
        base = self.value(args[0].value, scope)
        name = args[1].value
        if isinstance(name, cst.SimpleString) and isinstance(name.evaluated_value, str):
            return self.member(base, name.evaluated_value)
        return self.member(base, "?")

    def _legacy_call(self, call: cst.Call, scope: Scope, callee: v.LegacyMethod) -> CallSite:
        cls, method = callee.cls, callee.method
        if _is_helper_class(cls):
            is_event = cls == "Webhook" and method == "construct_event"
            return CallSite(result=v.EventValue() if is_event else None)
        if method in ("construct_from", "refresh_from"):  # builds an object locally, no request
            return CallSite(result=v.EventValue() if cls == "Event" else v.Instance(cls, "platform"))
        account = self.call_account(call, scope, "legacy") or "platform"
        if cls == "Event" and method.startswith("retrieve"):
            result: Any = v.EventValue()
        elif method.startswith(v.LEGACY_COLLECTION_PREFIXES):
            result = v.Collection(cls, account)
        elif method.startswith("delete"):
            result = None
        else:
            result = v.Instance(cls, account)
        return CallSite("legacy", f"{cls}.{method}", account, result)

    def _instance_call(self, call: cst.Call, scope: Scope, callee: v.InstanceMethod) -> CallSite:
        if callee.method in v.INSTANCE_HELPERS:
            return NOTHING
        account = callee.account
        if account != "installing":
            account = self.call_account(call, scope, "legacy") or account
        result = v.Instance(callee.cls, account)
        return CallSite("instance", f"{callee.cls}.{callee.method}", account, result)

    def _client_call(self, call: cst.Call, scope: Scope, callee: v.Service) -> CallSite:
        path = callee.path
        if len(path) == 1:
            if path[0] in v.CLIENT_EVENT_METHODS:
                return CallSite(result=v.EventValue())
            if path[0] in v.CLIENT_RAW_METHODS:
                return self._raw_call(call, scope, callee.account, "client")
            return NOTHING
        accessor = ".".join(path[:-1] + (v.strip_async(path[-1]),))
        account = callee.account
        if account != "installing":
            account = self.call_account(call, scope, "client") or account
        result = v.EventValue() if accessor in ("events.retrieve", "v1.events.retrieve") else None
        return CallSite("client", accessor, account, result)

    def _imported_call(self, call: cst.Call, scope: Scope, callee: v.Imported) -> CallSite:
        segments = callee.segments
        rest = segments[1:] if callee.namespace else segments
        if not rest and not callee.via_factory and (segments or not callee.namespace):
            # ``get_client()`` / ``billing.get_client()``: its result may be a client
            return CallSite(result=v.Imported(callee.local, segments, True, callee.namespace))
        if len(rest) == 1 and rest[0] in v.CLIENT_EVENT_METHODS:
            return CallSite(result=v.EventValue())
        if len(rest) == 1 and rest[0] in v.CLIENT_RAW_METHODS:
            return self._raw_call(call, scope, "platform", "client")
        if len(rest) < 2 or rest[0] in v.LEGACY_HELPER_CLASSES or rest[0] in v.LEGACY_NON_NAMESPACES:
            # ``stripe.Webhook.construct_event`` on a re-exported stripe module
            is_event = rest[:2] in (("Webhook", "construct_event"), ("Event", "construct_from"))
            return CallSite(result=v.EventValue() if is_event else None)
        accessor = ".".join(segments[:-1] + (v.strip_async(segments[-1]),))
        account = self.call_account(call, scope, "pending")
        return CallSite("pending", accessor, account, extra=callee)

    def _raw_call(self, call: cst.Call, scope: Scope, account: str, mode: str) -> CallSite:
        verb_expr = _arg(call, 0, "method")
        path_expr = _arg(call, 1, "url")
        verb = _literal(verb_expr)
        path = self.template(path_expr, scope) if path_expr is not None else None
        if account != "installing":
            account = self.call_account(call, scope, "legacy") or "platform"
        return CallSite("raw", account=account, verb=verb.upper() if verb else "?", path=path or "{}")

    def _http_call(self, call: cst.Call, scope: Scope, callee: v.HttpMethod) -> CallSite:
        if callee.verb is None:
            verb_expr, url_expr = _arg(call, 0, "method"), _arg(call, 1, "url")
            verb = (_literal(verb_expr) or "?").upper()
        else:
            verb, url_expr = callee.verb, _arg(call, 0, "url")
        url = self.template(url_expr, scope) if url_expr is not None else None
        if url is not None and callee.base and url.startswith("/"):
            url = callee.base.rstrip("/") + url
        match = STRIPE_URL.match(url or "")
        if match is None:
            return NOTHING
        others = [a.value for a in call.args if a.value is not url_expr]
        texts = " ".join(self.text(e, scope) for e in others)
        installing = ACCOUNT_HEADER_TEXT.search(texts) or v.OAUTH_TEXT.search(texts)
        account = "installing" if installing else "platform"
        return CallSite("http", account=account, verb=verb, path=match.group("path") or "/")

    # --- call arguments -------------------------------------------------------------------------

    def call_items(self, call: cst.Call, scope: Scope, mode: str) -> list[tuple[str, Any, Scope]]:
        """The request parameters and options a call passes, as (key, value, scope).

        Legacy calls take them as keyword arguments; ``StripeClient`` methods take ``params`` and
        ``options`` dicts (positional or keyword). A call on an imported receiver may be either.
        """
        items: list[tuple[str, Any, Scope]] = []
        for arg in call.args:
            if arg.star == "**":
                items.extend(self.dict_items(arg.value, scope) or [])
                continue
            if arg.star:
                continue
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword is not None and (mode != "client" or keyword in v.ACCOUNT_OPTIONS):
                items.append((keyword, arg.value, scope))
            if mode != "legacy" and keyword in (None, "params", "options"):
                items.extend(self.dict_items(arg.value, scope) or [])
        return items

    def dict_items(self, expr: Any, scope: Scope, depth: int = 0) -> list[tuple[str, Any, Scope]] | None:
        """Items of a dict we can read: a literal, ``dict(k=v)``, ``RequestOptions(k=v)``, or a
        name bound to one of those in this module."""
        if depth > MAX_DEPTH or expr is None:
            return None
        if isinstance(expr, cst.Dict):
            items: list[tuple[str, Any, Scope]] = []
            for element in expr.elements:
                if isinstance(element, cst.StarredDictElement):
                    items.extend(self.dict_items(element.value, scope, depth + 1) or [])
                elif isinstance(element.key, cst.SimpleString) and isinstance(element.key.evaluated_value, str):
                    items.append((element.key.evaluated_value, element.value, scope))
            return items
        if isinstance(expr, cst.Call):
            name = get_full_name_for_node(expr.func) or ""
            if name == "dict" or name.endswith("Options"):
                return [(a.keyword.value, a.value, scope) for a in expr.args if a.keyword is not None]
            return None
        if isinstance(expr, cst.Name):
            for node, where in self.assigned_exprs(expr, scope):
                found = self.dict_items(node, where, depth + 1)
                if found is not None:
                    return found
        return None

    def call_account(self, call: cst.Call, scope: Scope, mode: str) -> str | None:
        """"installing" when the call itself passes ``stripe_account`` / ``stripe_context`` or an
        OAuth token as ``api_key``; else None."""
        for key, value, where in self.call_items(call, scope, mode):
            if key in v.ACCOUNT_OPTIONS:
                return "installing"
            if key == "api_key" and v.OAUTH_TEXT.search(self.text(value, where)):
                return "installing"
        return None

    def _client_account(self, call: cst.Call, scope: Scope) -> str:
        """Account of ``StripeClient(key, stripe_account=..., stripe_context=...)``."""
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in v.ACCOUNT_OPTIONS:
                return "installing"
        key = _arg(call, 0, "api_key")
        if key is not None and v.OAUTH_TEXT.search(self.text(key, scope)):
            return "installing"
        return "platform"

    def text(self, expr: Any, scope: Scope) -> str:
        """Source text of an expression, plus that of the value a bare name was assigned (so
        ``token = creds.access_token; StripeClient(token)`` mentions the token)."""
        text = self.module.code_for_node(expr)
        if isinstance(expr, cst.Name):
            text += " " + " ".join(self.module.code_for_node(n) for n, _ in self.assigned_exprs(expr, scope))
        return text

    def assigned_exprs(self, expr: Any, scope: Scope) -> list[tuple[Any, Scope]]:
        """Expressions assigned to a name (or to a class attribute ``Config.X``)."""
        sources: list[Source] = []
        if isinstance(expr, cst.Name):
            holder = scope.holder(expr.value)
            sources = holder.bindings[expr.value] if holder is not None else []
        elif isinstance(expr, cst.Attribute):
            base = self.value(expr.value, scope)
            if isinstance(base, (v.ClassRef, v.UserObject)):
                cls = base.scope
                sources = cls.bindings.get(expr.attr.value, []) + cls.attrs.get(expr.attr.value, [])
        out = []
        for source in sources:
            if source.kind == "expr":
                out.append((source.node, source.scope))
            elif source.kind == "ann" and source.extra is not None:
                out.append((source.extra, source.scope))
        return out

    # --- strings --------------------------------------------------------------------------------

    def string(self, expr: Any, scope: Scope, depth: int = 0) -> tuple[str, Any] | None:
        """A string literal, or a name / class constant bound to one: (value, literal node)."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            value = expr.evaluated_value
            return (value, expr) if isinstance(value, str) else None
        if isinstance(expr, cst.Attribute) and expr.attr.value == "value":  # ``Kind.PAID.value``
            found = self.string(expr.value, scope, depth + 1)
            if found is not None:
                return found
        if isinstance(expr, (cst.Name, cst.Attribute)):
            for node, where in self.assigned_exprs(expr, scope):
                found = self.string(node, where, depth + 1)
                if found is not None:
                    return found
        return None

    def strings(self, expr: Any, scope: Scope, depth: int = 0) -> Strings:
        """A list/tuple/set of string literals, following same-module constants, ``+`` and
        ``*spread``; names imported from app modules are left for the linker."""
        out = Strings([], [])
        if depth > MAX_DEPTH:
            out.dynamic = True
        elif isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            for element in expr.elements:
                if isinstance(element, cst.StarredElement):
                    _merge(out, self.strings(element.value, scope, depth + 1))
                else:
                    found = self.string(element.value, scope, depth + 1)
                    if found is None:
                        out.dynamic = True
                    else:
                        out.items.append(found)
        elif isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            _merge(out, self.strings(expr.left, scope, depth + 1))
            _merge(out, self.strings(expr.right, scope, depth + 1))
        elif isinstance(expr, cst.Call) and get_full_name_for_node(expr.func) in ("list", "tuple") and expr.args:
            _merge(out, self.strings(expr.args[0].value, scope, depth + 1))
        elif isinstance(expr, cst.Name) and isinstance(self.lookup(expr.value, scope), v.Imported):
            out.imports.append((expr.value, expr))
        elif isinstance(expr, (cst.Name, cst.Attribute)):
            candidates = self.assigned_exprs(expr, scope)
            if not candidates:
                out.dynamic = True
            else:
                node, where = candidates[0]
                _merge(out, self.strings(node, where, depth + 1))
        else:
            out.dynamic = True
        return out

    def template(self, expr: Any, scope: Scope, resolve: bool = True, depth: int = 0) -> str | None:
        """A URL or path with ``{}`` for the parts not known statically. Names are resolved only
        at the start (a base URL constant); later substitutions are ids and stay ``{}``."""
        if depth > MAX_DEPTH or expr is None:
            return None
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)) and isinstance(expr.evaluated_value, str):
            return expr.evaluated_value
        if isinstance(expr, cst.FormattedString):
            parts = []
            for index, part in enumerate(expr.parts):
                if isinstance(part, cst.FormattedStringText):
                    parts.append(part.value)
                else:
                    found = self.template(part.expression, scope, index == 0, depth + 1)
                    parts.append(found if index == 0 and found is not None else "{}")
            return "".join(parts)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            left = self.template(expr.left, scope, resolve, depth + 1)
            right = self.template(expr.right, scope, False, depth + 1)
            if left is None and right is None:
                return None
            return (left if left is not None else "{}") + (right if right is not None else "{}")
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Modulo):
            left = self.template(expr.left, scope, resolve, depth + 1)
            return re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[sdirf]", "{}", left) if left is not None else None
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "format":
            base = self.template(expr.func.value, scope, resolve, depth + 1)
            return re.sub(r"\{[^{}]*\}", "{}", base) if base is not None else None
        if resolve and isinstance(expr, (cst.Name, cst.Attribute)):
            for node, where in self.assigned_exprs(expr, scope):
                found = self.template(node, where, True, depth + 1)
                if found is not None:
                    return found
        return None


def _merge(into: Strings, other: Strings) -> None:
    into.items.extend(other.items)
    into.imports.extend(other.imports)
    into.dynamic = into.dynamic or other.dynamic


def _legacy_member(path: tuple[str, ...], name: str) -> Any:
    if name == "StripeClient":
        return v.ClientClass()
    if name == "?":  # ``getattr(stripe, cls_name)``
        return v.LegacyClass(".".join(path + ("?",)))
    if name in v.LEGACY_NON_NAMESPACES or name.startswith("_"):
        return None
    if not path and name in v.LEGACY_RAW_FUNCTIONS:
        return v.LegacyFunction(name)
    if name[:1].isupper():
        return v.LegacyClass(".".join(path + (name,)))
    return v.LegacyNS(path + (name,))


def _http_member(name: str, base: str | None) -> Any:
    if name in v.HTTP_VERBS:
        return v.HttpMethod(name.upper(), base)
    if name == "request":
        return v.HttpMethod(None, base)
    return None


def _is_helper_class(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last in v.LEGACY_HELPER_CLASSES or last.endswith(("Error", "Exception"))


def _arg(call: cst.Call, index: int, keyword: str) -> Any:
    """The argument at a position or with a keyword."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if index < len(positional):
        return positional[index].value
    return _kwarg(call, keyword)


def _kwarg(call: cst.Call, keyword: str) -> Any:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def _literal(expr: Any) -> str | None:
    if isinstance(expr, cst.SimpleString) and isinstance(expr.evaluated_value, str):
        return expr.evaluated_value
    return None


def _first_arg_string(call: cst.Call) -> str | None:
    return _literal(call.args[0].value) if call.args else None


def _subscript_string(node: cst.Subscript) -> str | None:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return _literal(node.slice[0].slice.value)
    return None
