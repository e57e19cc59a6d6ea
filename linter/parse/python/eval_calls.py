"""Call classification for the Python parser: what one call is (API call, raw request...).

``Evaluator.call_site(call, scope)`` classifies each call once (legacy ``stripe.Customer.create``,
instance ``cus.save()``, ``StripeClient`` service, a call on an imported receiver left for the
linker, raw and plain-HTTP requests) so that evaluating ``cus = stripe.Customer.retrieve(id)`` for
a later ``cus.save()`` and reporting the retrieve itself agree. It also reads the parameters and
options a call passes, which decide whose account the call acts on. Values of names come from
``eval_values``, strings and URL templates from ``eval_strings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.call_syntax import call_arg, call_kwarg, first_arg_string, literal_text, string_literal
from stripe_perm_lint.parse.python.eval_names import NameEvaluator
from stripe_perm_lint.parse.python.eval_values import MAX_DEPTH, is_helper_class
from stripe_perm_lint.parse.python.scope import LexicalScope
from stripe_perm_lint.parse.endpoints import READS_ACCOUNT as EVENT_ACCOUNT
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT, STRIPE_API_URL

ACCOUNT_HEADER_TEXT = re.compile(r"stripe[-_]?account|stripe[-_]?context", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class CallSite:
    """What one call is. ``kind`` is None for calls that produce no fact by themselves."""

    kind: str | None = None  # legacy | instance | client | pending | raw | http | dict_get | choice
    accessor: str = ""
    account: str | None = None
    result: Any = None
    verb: str = "?"
    path: str = ""
    extra: Any = None  # pending: the Imported value; dict_get: the table; choice: a CallSite per option


NOTHING = CallSite()


class Evaluator(NameEvaluator):
    """The evaluator the Python parser uses: values, strings, keys, and one classification per call."""

    def __init__(
        self,
        module: cst.Module,
        calls_by_name: dict[str, list[tuple[cst.Call, LexicalScope]]],
        call_order: dict[int, int] | None = None,
        comprehension_names: dict[int, Any] | None = None,
    ) -> None:
        super().__init__(module, calls_by_name, comprehension_names)
        self._calls: dict[int, CallSite] = {}
        self.call_order = call_order or {}

    def call_result(self, call: cst.Call, scope: LexicalScope) -> Any:
        return self.call_site(call, scope).result

    def call_site(self, call: cst.Call, scope: LexicalScope) -> CallSite:
        key = id(call)
        if key not in self._calls:
            self._calls[key] = NOTHING  # recursion guard
            self._calls[key] = self._classify(call, scope)
        return self._calls[key]

    def _classify(self, call: cst.Call, scope: LexicalScope) -> CallSite:
        func = call.func
        if isinstance(func, cst.Name) and func.value == "getattr" and scope.holder("getattr") is None:
            return CallSite(result=self.getattr_value(call, scope))
        callee = self.value(func, scope)
        if isinstance(callee, v.Choice):
            # ``getattr(client, name).list()`` over literal names: one classification per name
            sites = [self._classify_callee(call, scope, option) for option in callee.options]
            facts = tuple(site for site in sites if site.kind is not None)
            result = v.choice(site.result for site in sites)
            return CallSite("choice", result=result, extra=facts) if facts else CallSite(result=result)
        return self._classify_callee(call, scope, callee)

    def _classify_callee(self, call: cst.Call, scope: LexicalScope, callee: Any) -> CallSite:
        func = call.func
        if callee is None or callee == v.EventValue(unverified=True):  # `request.json` / `request.json()`
            return CallSite(result=v.EventValue(unverified=True)) if self._parses_json_body(func, scope) else NOTHING
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
            base = self.template(call_kwarg(call, "base_url"), scope) if call_kwarg(call, "base_url") else None
            return CallSite(result=v.HttpSession(callee.library, base))
        if isinstance(callee, v.FunctionRef):
            return CallSite(result=self.function_result(callee))
        if isinstance(callee, v.Collection) and callee.pager:
            return CallSite(result=v.Collection(callee.cls, callee.account))
        if isinstance(callee, v.ClassRef):
            return CallSite(result=v.UserObject(callee.scope))
        if isinstance(callee, v.EventGet):
            is_type = first_arg_string(call) == "type"
            return CallSite(result=v.EventTypeValue(callee.unverified) if is_type else None)
        if isinstance(callee, v.DictGet):
            return CallSite(kind="dict_get", extra=callee.table)
        return NOTHING

    def _parses_json_body(self, func: Any, scope: LexicalScope) -> bool:
        """``json.loads(body)`` (``json`` not rebound in the file), ``await request.json()``,
        ``request.get_json()``: a body whose ``type`` may be a Stripe event's."""
        name = get_full_name_for_node(func) or ""
        if name in v.JSON_PARSERS:
            holder = scope.holder(name.split(".")[0])
            return holder is None or all(s.kind == "import" for s in holder.bindings[name.split(".")[0]])
        return isinstance(func, cst.Attribute) and func.attr.value in v.JSON_BODY_METHODS

    def _legacy_call(self, call: cst.Call, scope: LexicalScope, callee: v.LegacyMethod) -> CallSite:
        cls, method = callee.cls, callee.method
        if is_helper_class(cls):
            is_event = cls == "Webhook" and method == "construct_event"
            return CallSite(result=v.EventValue() if is_event else None)
        if method in ("construct_from", "refresh_from"):  # builds an object locally, no request
            return CallSite(result=v.EventValue() if cls == "Event" else v.Instance(cls, "platform"))
        account = self.call_account(call, scope, "legacy") or self.ambient_key_account(call, scope) or "platform"
        if cls == "Event" and method.startswith("retrieve"):
            result: Any = v.EventValue()
        elif method.startswith(v.LEGACY_COLLECTION_PREFIXES):
            result = v.Collection(cls, account)
        elif method.startswith("delete"):
            result = None
        else:
            result = v.Instance(cls, account)
        return CallSite("legacy", f"{cls}.{method}", account, result)

    def _instance_call(self, call: cst.Call, scope: LexicalScope, callee: v.InstanceMethod) -> CallSite:
        if callee.method in v.INSTANCE_HELPERS:
            return NOTHING
        account = callee.account
        if account != "installing":
            account = self.call_account(call, scope, "legacy") or self.ambient_key_account(call, scope) or account
        result = v.Instance(callee.cls, account)
        return CallSite("instance", f"{callee.cls}.{callee.method}", account, result)

    def _client_call(self, call: cst.Call, scope: LexicalScope, callee: v.Service) -> CallSite:
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

    def _imported_call(self, call: cst.Call, scope: LexicalScope, callee: v.Imported) -> CallSite:
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

    def _raw_call(self, call: cst.Call, scope: LexicalScope, account: str, mode: str) -> CallSite:
        verb_expr = call_arg(call, 0, "method")
        path_expr = call_arg(call, 1, "url")
        verb = string_literal(verb_expr)
        path = self.template(path_expr, scope) if path_expr is not None else None
        if account != "installing":
            ambient = self.ambient_key_account(call, scope) if mode == "legacy" else None
            account = self.call_account(call, scope, "legacy") or ambient or account
        return CallSite("raw", account=account, verb=verb.upper() if verb else "?", path=path or "{}")

    def _http_call(self, call: cst.Call, scope: LexicalScope, callee: v.HttpMethod) -> CallSite:
        if callee.verb is None:
            verb_expr, url_expr = call_arg(call, 0, "method"), call_arg(call, 1, "url")
            verb = (string_literal(verb_expr) or "?").upper()
        else:
            verb, url_expr = callee.verb, call_arg(call, 0, "url")
        url = self.template(url_expr, scope) if url_expr is not None else None
        if url is not None and callee.base and url.startswith("/"):
            url = callee.base.rstrip("/") + url
        match = STRIPE_API_URL.match(url or "")
        if match is None:
            return NOTHING
        others = [a.value for a in call.args if a.value is not url_expr]
        texts = " ".join(self.text(e, scope) for e in others)
        installing = ACCOUNT_HEADER_TEXT.search(texts) or OAUTH_KEY_TEXT.search(texts)
        installing = installing or any(self.key_account(key, scope) == "installing" for key in self.http_keys(call, scope))
        account = "installing" if installing else "platform"
        return CallSite("http", account=account, verb=verb, path=match.group("path") or "/")

    def http_keys(self, call: cst.Call, scope: LexicalScope) -> list[Any]:
        """The API keys a plain HTTP call sends: the user of basic auth (``auth=(key, "")``,
        ``auth=httpx.BasicAuth(key, "")``) and what an ``Authorization`` header is built from
        (``f"Bearer {key}"``). A per-account key (``eval_keys``) acts for the installing account."""
        keys: list[Any] = []
        auth = call_kwarg(call, "auth")
        if isinstance(auth, cst.Tuple) and auth.elements:
            keys.append(auth.elements[0].value)
        elif isinstance(auth, cst.Call) and auth.args:
            keys.append(auth.args[0].value)
        for key, value, _ in self.dict_items(call_kwarg(call, "headers"), scope) or []:
            if key.lower() == "authorization" and isinstance(value, cst.FormattedString):
                keys.extend(p.expression for p in value.parts if isinstance(p, cst.FormattedStringExpression))
        return keys

    # --- call arguments -------------------------------------------------------------------------

    def call_items(self, call: cst.Call, scope: LexicalScope, mode: str) -> list[tuple[str, Any, LexicalScope]]:
        """The request parameters and options a call passes, as (key, value, scope).

        Legacy calls take them as keyword arguments; ``StripeClient`` methods take ``params`` and
        ``options`` dicts (positional or keyword). A call on an imported receiver may be either.
        """
        items: list[tuple[str, Any, LexicalScope]] = []
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

    def dict_items(self, expr: Any, scope: LexicalScope, depth: int = 0) -> list[tuple[str, Any, LexicalScope]] | None:
        """Items of a dict we can read: a literal, ``dict(k=v)``, ``RequestOptions(k=v)``, or a
        name bound to one of those in this module."""
        if depth > MAX_DEPTH or expr is None:
            return None
        if isinstance(expr, cst.Dict):
            items: list[tuple[str, Any, LexicalScope]] = []
            for element in expr.elements:
                if isinstance(element, cst.StarredDictElement):
                    items.extend(self.dict_items(element.value, scope, depth + 1) or [])
                elif isinstance(element.key, cst.SimpleString) and literal_text(element.key) is not None:
                    items.append((literal_text(element.key), element.value, scope))
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

    def call_account(self, call: cst.Call, scope: LexicalScope, mode: str) -> str | None:
        """"installing" when the call itself passes ``stripe_account`` / ``stripe_context`` or a
        per-account key (an OAuth token, a parameter: ``eval_keys``) as ``api_key``; else None."""
        for key, value, where in self.call_items(call, scope, mode):
            if key in v.ACCOUNT_OPTIONS:
                return "installing"
            if key == "api_key" and self.key_account(value, where) == "installing":
                return "installing"
        if any(arg.keyword is None and self._event_account(arg.value, scope) for arg in call.args):
            return "installing"  # `stripe.Account.retrieve(event.account)`: the account the event is from
        return None

    def _event_account(self, expr: Any, scope: LexicalScope, depth: int = 0) -> bool:
        """Whether ``expr`` is the account a webhook event comes from (`event.account`,
        `event["account"]`, `event.get("account")`), directly or through a local assigned from it.
        Every backend parser reads such an argument as the installing account (decision 6)."""
        if depth > MAX_DEPTH:
            return False
        if isinstance(expr, cst.Name):
            return any(self._event_account(node, where, depth + 1) for node, where in self.assigned_exprs(expr, scope))
        return isinstance(expr, (cst.Attribute, cst.Subscript, cst.Call)) and EVENT_ACCOUNT.fullmatch(
            self.text(expr, scope).strip()) is not None

    def _client_account(self, call: cst.Call, scope: LexicalScope) -> str:
        """Account of ``StripeClient(key, stripe_account=..., stripe_context=...)``."""
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in v.ACCOUNT_OPTIONS:
                return "installing"
        key = call_arg(call, 0, "api_key")
        if key is not None and OAUTH_KEY_TEXT.search(self.text(key, scope)):
            return "installing"
        if key is not None and self._from_parameter(key, scope):
            # the caller hands the key in: in OAuth / restricted-key apps it is the installing
            # account's; the engine settles "unknown" from the manifest
            return "unknown"
        return "platform"

    def _from_parameter(self, expr: Any, scope: LexicalScope, depth: int = 0) -> bool:
        """Whether a key is a parameter of an enclosing function (``def make(key)``), directly or
        through names and ``self.key = key``. Attributes of other objects (``settings.KEY``,
        ``config.stripe_key``), environment reads and calls are the app's own key."""
        if depth > MAX_DEPTH:
            return False
        if isinstance(expr, (cst.BooleanOperation, cst.IfExp)):
            parts = (expr.left, expr.right) if isinstance(expr, cst.BooleanOperation) else (expr.body, expr.orelse)
            return any(self._from_parameter(part, scope, depth + 1) for part in parts)
        if isinstance(expr, cst.Name):
            holder = scope.holder(expr.value)
            if holder is None:
                return False
            for source in holder.bindings[expr.value]:
                if source.kind == "param" and expr.value != holder.self_name:
                    return True
        elif not (isinstance(expr, cst.Attribute) and isinstance(self.value(expr.value, scope), v.UserObject)):
            return False
        return any(self._from_parameter(node, where, depth + 1) for node, where in self.assigned_exprs(expr, scope))

    def text(self, expr: Any, scope: LexicalScope) -> str:
        """Source text of an expression, plus that of the value a bare name was assigned (so
        ``token = creds.access_token; StripeClient(token)`` mentions the token)."""
        text = self.module.code_for_node(expr)
        if isinstance(expr, cst.Name):
            text += " " + " ".join(self.module.code_for_node(n) for n, _ in self.assigned_exprs(expr, scope))
        return text
