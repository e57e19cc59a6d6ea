"""Calls in TypeScript: Stripe API calls, raw and HTTP requests, UI-extension SDK functions.

A call is judged by what its callee evaluates to (``interpreter``): a ``NodeClient`` member chain
is an API call, a ``Pending`` one (a receiver imported from another app file) is left for the
linker, a ``Ui`` function is an SDK use. Anything else may still be a raw request (``raw``) or a
list method on permissions or event types. A call can also handle events
(``handlers.get(event.type)``) or subscribe to them (``webhookEndpoints.create``): those facts are
left to ``events.EventFacts``.
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.facts import (
    AccountArgument,
    ApiCall,
    ExpandPath,
    PendingBaseUrlRequest,
    PendingCall,
    PendingRequest,
    PermissionReference,
    Position,
    RawRequest,
    SdkFunctionUse,
    Unresolved,
)
from stripe_perm_lint.parse.typescript.accounts import client_account
from stripe_perm_lint.parse.typescript.events import EventFacts
from stripe_perm_lint.parse.typescript.fact_lists import FactLists
from stripe_perm_lint.parse.typescript.inferred import inferred_accessor, untraced_client
from stripe_perm_lint.parse.typescript.interpreter import Interpreter
from stripe_perm_lint.parse.typescript.literals import resolve_object, resolve_string, resolve_strings, static_string
from stripe_perm_lint.parse.typescript.raw import http_request, resource_method_request
from stripe_perm_lint.parse.typescript.request_options import RequestOptions, function_name
from stripe_perm_lint.parse.typescript.wrappers import (
    Wrappers, call_account, call_args, ends_with_parameter, looks_like_path,
)
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.wrappers import wrapper_request
from stripe_perm_lint.parse.typescript.untraced_events import untraced_event_type
from stripe_perm_lint.parse.typescript.syntax import call_arguments, member_parts, object_entries, string_value, unwrap_types
from stripe_perm_lint.parse.typescript.values import EventType, Func, NodeClient, Pending, PermList, Ui
from stripe_perm_lint.parse.vocabulary import NON_LITERAL_EVENT, NON_LITERAL_PERMISSION

# Client members that are SDK helpers, not API operations (single-segment members such as
# `rawRequest`, `setApiKey`, `on`, `getApiField` are never operations and are skipped anyway).
_HELPER_NAMESPACES = frozenset({"webhooks", "errors", "StripeResource"})
# UI-extension SDK functions reported as ``SdkFunctionUse`` (the rules know what they need).
_SDK_FUNCTIONS = frozenset({"getDashboardUserEmail", "fetchStripeSignature"})


class CallFacts:
    """Facts from call expressions: one method per kind of callee. Event uses found in calls
    (`handlers.get(event.type)`, `webhookEndpoints.create`) go through ``EventFacts``."""

    def __init__(self, ev: Interpreter, out: FactLists, events: EventFacts, wrappers: Wrappers | None = None,
                 options: RequestOptions | None = None) -> None:
        self.ev = ev
        self.options = options or RequestOptions(ev, [])
        self.wrappers = wrappers or Wrappers()
        self.decls = ev.decls
        self.out = out
        self.pos = out.pos
        self.event_facts = events

    def call_expression(self, call: Node) -> None:
        fn = call.child_by_field_name("function")
        if fn is None:
            return
        args = call_arguments(call)
        fv = self.ev.value(fn)
        if fv is None or isinstance(fv, Pending):  # a client nobody traced is reported as such
            found = untraced_client(self.ev, fn, call, self.pos)
            if found is not None:
                self.out.untraced.append(found)
        if isinstance(fv, (Pending, Func)):
            self._account_arguments(fv, args)
        if isinstance(fv, NodeClient) and fv.segs:
            self._client_call(call, fv, args)
        elif isinstance(fv, Pending) and fv.segs:
            self._pending_call(call, fv, args)
            self._list_method(call, fn, args)  # `RELEVANT_EVENTS.has(event.type)` on an import
        elif isinstance(fv, Ui):
            self._sdk_call(call, fv.name, args)
        elif isinstance(fv, Func) and fv.node_id in self.wrappers.by_function:
            self._wrapper_call(call, self.wrappers.by_function[fv.node_id], args)
        elif isinstance(fv, Pending) and not fv.via_factory and not fv.typed:
            self._pending_request(call, fv, args)
        elif fv is None and (accessor := inferred_accessor(self.ev, fn)) is not None:
            self._inferred_call(call, accessor, args)
        else:
            self._list_method(call, fn, args)
            request = resource_method_request(self.ev, call, fn, args) or http_request(self.ev, call, fn, args)
            if request is not None and call.id not in self.wrappers.inner_calls:
                expand, dynamic, _ = self._expand_in([request.params] if request.params is not None else [])
                if request.query_expand and request.url is not None:
                    expand += tuple(ExpandPath(v, self.pos(request.url)) for v in request.query_expand)
                if request.base_import is not None:  # the base URL lives in another module
                    if ends_with_parameter(self.ev, call, request):
                        return  # a wrapper around an imported base: not read yet (its calls are not either)
                    local, member = request.base_import
                    self.out.pending_base_urls.append(PendingBaseUrlRequest(
                        local, member, request.path, request.verb, self.pos(request.at), request.account, expand, dynamic))
                    return
                account = request_account(request.path, request.account)
                self.out.raw.append(RawRequest(request.verb, request.path, self.pos(request.at), account, expand, dynamic))

    def _wrapper_call(self, call: Node, wrapper, args: list[Node]) -> None:
        """`stripeRequest(cred, '/v1/invoices', {method: 'POST'})` of a same-file wrapper."""
        strings, methods = call_args(self.ev, args)
        account = "installing" if self.decls.ui_import else call_account(args)
        request = wrapper_request(wrapper, strings, methods, self.pos(call), account)
        if request is not None:
            self.out.raw.append(request)

    def _pending_request(self, call: Node, pending: Pending, args: list[Node]) -> None:
        """A call of an imported function with a path-like argument: maybe a wrapper (linker)."""
        strings, methods = call_args(self.ev, args)
        if not any(looks_like_path(s) for s in strings):
            return
        account = "installing" if self.decls.ui_import else call_account(args)
        self.out.pending_requests.append(PendingRequest(pending.local, None, strings, methods, self.pos(call), account))

    def _account_arguments(self, function: Pending | Func, args: list[Node]) -> None:
        """`listInvoices(stripe, { stripeAccount })` of an imported function: the options
        parameter there acts for the installing account (``AccountArgument``, the linker). An
        options parameter handed on (`listInvoices(stripe, opts)`) is recorded too, also to a
        function of this module, so that callers in other modules reach the end of the chain."""
        if isinstance(function, Pending):
            if function.via_factory or function.typed or len(function.segs) > 1:
                return
            local, member = function.local, (function.segs[0] if function.segs else None)
        else:
            node = self.decls.nodes.get(function.node_id)
            local, member = None, function_name(node) if node is not None else None
            if member is None:
                return
        for index, arg in enumerate(args):
            options = self.options.of([arg])
            if options.installing and local is not None:
                self.out.account_arguments.append(AccountArgument(local, member, index))
            elif not options.installing and options.param is not None:
                self.out.account_arguments.append(AccountArgument(local, member, index, options.param))

    def _client_call(self, call: Node, client: NodeClient, args: list[Node]) -> None:
        segs = client.segs
        options = self.options.of(args)
        installing = client.installing or self.decls.ui_import or options.installing
        account = client_account(installing, client.installing)
        if account == "platform" and options.unknown:
            account = "unknown"
        if segs == ("rawRequest",):
            self._raw_request(call, args, account)
            return
        if len(segs) < 2 or segs[0] in _HELPER_NAMESPACES:
            return
        expand, dynamic, imports = self._expand_in(args)
        self.out.calls.append(ApiCall("node", ".".join(segs), self.pos(call), account, expand, dynamic, imports,
                                      options_param=options.param))
        self.event_facts.subscriptions(segs, args)

    def _inferred_call(self, call: Node, accessor: str, args: list[Node]) -> None:
        """A Stripe-shaped call on a client whose origin is unknown (``inferred``): its account is
        unknown too, unless the call itself names the account."""
        options = self.options.of(args)
        installing = self.decls.ui_import or options.installing
        expand, dynamic, imports = self._expand_in(args)
        self.out.calls.append(ApiCall("node", accessor, self.pos(call), "installing" if installing else "unknown",
                                      expand, dynamic, imports, inferred=True, options_param=options.param))
        self.event_facts.subscriptions(tuple(accessor.split(".")), args)

    def _pending_call(self, call: Node, pending: Pending, args: list[Node]) -> None:
        segs = pending.segs
        if segs[-1] == "rawRequest" and len(segs) <= 2:
            installing = self.decls.ui_import or self.options.of(args).installing
            self._raw_request(call, args, "installing" if installing else "platform")
            return
        # `lib.stripe.customers.list()` on a namespace import keeps `stripe` as first segment.
        if len(segs) < 2 or segs[0] in _HELPER_NAMESPACES:
            return
        expand, dynamic, imports = self._expand_in(args)
        options = self.options.of(args)
        account = "installing" if options.installing else ("unknown" if options.unknown else None)
        self.out.pending.append(PendingCall(pending.local, ".".join(segs), self.pos(call), pending.via_factory,
                                            expand, dynamic, imports, account, options.param))
        # A receiver typed by an imported type may still be a client the type does not declare
        # (`stripe: any`): inferred as a fallback, which the linker drops when the type resolves.
        accessor = inferred_accessor(self.ev, call.child_by_field_name("function")) if pending.typed else None
        if accessor is not None:
            self._inferred_call(call, accessor, args)
        else:
            self.event_facts.subscriptions(segs, args)

    def _raw_request(self, call: Node, args: list[Node], account: str) -> None:
        """`stripe.rawRequest('GET', '/v1/payouts', params, opts)`."""
        verb_text = string_value(args[0]) if args else None
        verb = verb_text.upper() if verb_text else "?"
        path = "{}"
        if len(args) > 1:
            path = static_string(self.decls, args[1])
        expand, dynamic, _ = self._expand_in(args[2:3])
        self.out.raw.append(RawRequest(verb, path, self.pos(call), request_account(path, account), expand, dynamic))

    def _expand_in(self, args: list[Node]):
        """``expand`` paths of the params objects passed to a call."""
        expand: list[ExpandPath] = []
        imports: list[tuple[str, Position]] = []
        dynamic = False
        for arg in args:
            obj = resolve_object(self.decls, arg)
            if obj is None:
                continue
            for key, value, _ in object_entries(obj):
                if key != "expand" or value is None:
                    continue
                items, imported, dyn = resolve_strings(self.decls, value)
                expand += [ExpandPath(v, self.pos(n)) for v, n in items]
                imports += [(name, self.pos(n)) for name, n in imported]
                dynamic = dynamic or dyn
        return tuple(expand), dynamic, tuple(imports)

    def _sdk_call(self, call: Node, name: str, args: list[Node]) -> None:
        if name in _SDK_FUNCTIONS:
            self.out.sdk.append(SdkFunctionUse(name, self.pos(call)))
        elif name == "isPermissionAuthorized":
            for arg in args[:1]:
                found = resolve_string(self.decls, arg)
                if found is not None:
                    self.out.perms.append(PermissionReference(found[0], self.pos(found[1])))
                else:
                    self.out.unresolved.append(Unresolved(NON_LITERAL_PERMISSION, self.pos(arg)))

    def _list_method(self, call: Node, fn: Node, args: list[Node]) -> None:
        """`perms.includes('x')`, `['a', 'b'].includes(event.type)`, `handlers.get(event.type)`,
        `event.type.startsWith('invoice.')`."""
        fn = unwrap_types(fn)
        if fn.type != "member_expression" or not args:
            return
        obj, method = member_parts(fn)
        if method in ("includes", "indexOf"):
            target = self.ev.value(obj)
            if isinstance(target, PermList):
                found = resolve_string(self.decls, args[0])
                if found is not None:
                    self.out.perms.append(PermissionReference(found[0], self.pos(found[1])))
            elif isinstance(subject := self.ev.value(args[0]), EventType):
                if self.event_facts.imported(obj, call, NON_LITERAL_EVENT, untraced=subject.via is not None):
                    return
                items, imported, dynamic = resolve_strings(self.decls, obj)
                for name, node in items:
                    self.event_facts.handled(name, node, subject.via)
                if dynamic or imported:
                    self.event_facts.unresolved(NON_LITERAL_EVENT, obj, subject.via)
            elif untraced_event_type(self.ev, args[0]):
                if not self.event_facts.imported(obj, call, NON_LITERAL_EVENT, untraced=True):
                    self.event_facts.untraced_list(resolve_strings(self.decls, obj)[0])
        elif method in ("get", "has") and isinstance(subject := self.ev.value(args[0]), EventType):
            self.event_facts.dispatch_table(obj, call, via=subject.via)
        elif method in ("get", "has") and untraced_event_type(self.ev, args[0]):
            self.event_facts.dispatch_table(obj, call, untraced=True)
        elif method == "startsWith" and isinstance(subject := self.ev.value(obj), EventType):
            self.event_facts.prefix(args[0], subject.via)
