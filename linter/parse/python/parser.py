"""Python source -> ``FileFacts``: Stripe API calls, raw requests, webhook events, cross-file links.

One libcst parse and at most two walks: bindings (``scope``, which also records the call
sites, comparisons, ``match`` statements, subscripts and decorators to look at), then
positions, computed only when the file has a fact to place. What an expression *is* (a client,
an event, a fetched ``Customer``...) is decided by the evaluator (``eval_values``,
``eval_strings``, ``eval_calls``); this module turns call sites and comparisons into facts,
naming events and unresolved reasons as ``parse.vocabulary`` does for every language.
The analysed code is never imported or run.
"""

from __future__ import annotations

import ast
import warnings
from typing import Any

import libcst as cst

from stripe_perm_lint.facts import (
    ApiCall,
    EventUse,
    ExpandPath,
    FileFacts,
    ImportBinding,
    ParseProblem,
    PendingCall,
    PendingEvents,
    PendingRequest,
    Position,
    RawRequest,
    Unresolved,
    UntracedClient,
)
from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.positions import StatementPositions
from stripe_perm_lint.parse.python.eval_calls import CallSite, Evaluator
from stripe_perm_lint.parse.python.eval_values import is_helper_class
from stripe_perm_lint.parse.python.eval_strings import Strings
from stripe_perm_lint.parse.python.inferred import inferred_call, untraced_client
from stripe_perm_lint.parse.python.wrappers import call_account as wrapper_call_account
from stripe_perm_lint.parse.python.wrappers import call_args as wrapper_call_args
from stripe_perm_lint.parse.python.wrappers import exported_wrappers, find_wrappers, imported_wrapper
from stripe_perm_lint.parse.python.event_reader import EventReader
from stripe_perm_lint.parse.wrappers import looks_like_path, wrapper_request
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.python.exports import client_exports, constant_exports
from stripe_perm_lint.parse.endpoints import Region
from stripe_perm_lint.parse.endpoints import attach as attach_endpoints
from stripe_perm_lint.parse.endpoints import compared_like_stripe
from stripe_perm_lint.parse.python.scope import BindingCollector, LexicalScope
from stripe_perm_lint.parse.python.walk import walk
from stripe_perm_lint.parse.vocabulary import DYNAMIC_ENABLED_EVENTS

API_STYLES = {"legacy": "python_legacy", "instance": "python_instance", "client": "python_client"}

# Calls whose ``enabled_events`` are webhook subscriptions.
SUBSCRIBING = ("WebhookEndpoint.create", "WebhookEndpoint.modify", "webhook_endpoints.create", "webhook_endpoints.update")


def parse_python(path: str, source: str, skim: bool = False) -> FileFacts:
    """Parse one Python file; a syntax error becomes the file's only fact. Never raises for
    bad input (a parser bug is caught by ``parse_file``). ``skim``: only the imports
    (``stripe_perm_lint.prefilter``), without the tree walk the facts need."""
    if source.startswith("\ufeff"):  # libcst takes the BOM for a stray character
        source = source[1:]
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return FileFacts(path=path, language="python", problems=(_syntax_problem(source, error),))
    except cst.CSTValidationError as error:  # parsed, but not valid Python (`"a" b"b"`)
        return FileFacts(path=path, language="python", problems=(_invalid_problem(source, error),))
    if skim:
        return skimmed_imports(path, module)
    bindings = BindingCollector(module)
    walk(module, bindings)
    collector = FactCollector(module, bindings, source)
    collector.run()
    return collector.facts(path)


def skimmed_imports(path: str, module: cst.Module) -> FileFacts:
    """The imports of a file the prefilter skims, as the full pass records them: imports are
    statements, so a walk over statement bodies (no expressions) finds every one."""
    bindings = BindingCollector(module)
    for stmt in _statements(module.body):
        if isinstance(stmt, cst.Import):
            bindings.visit_Import(stmt)
        elif isinstance(stmt, cst.ImportFrom):
            bindings.visit_ImportFrom(stmt)
    imports = tuple(dict.fromkeys(ImportBinding(r.local, r.module, r.name) for r in bindings.imports))
    return FileFacts(path=path, language="python", imports=imports, skimmed=True)


def _statements(body: Any) -> Any:
    """Every statement in ``body``, nested blocks included, in source order."""
    for stmt in body:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            yield from stmt.body
            continue
        yield stmt
        for part in ("body", "handlers", "orelse", "finalbody", "cases"):
            inner = getattr(stmt, part, None)
            if inner is None:
                continue
            for block in inner if isinstance(inner, (list, tuple)) else (inner,):
                if isinstance(block, cst.If):  # `elif`
                    yield from _statements((block,))
                elif isinstance(block, (cst.SimpleStatementSuite, cst.SimpleStatementLine)):
                    yield from block.body
                else:
                    yield from _statements(block.body if not isinstance(block.body, cst.BaseSuite) else block.body.body)


def _invalid_problem(source: str, error: cst.CSTValidationError) -> ParseProblem:
    """libcst built the tree, then found a node invalid (`"a" b"b"`); CPython's parser says where."""
    return _cpython_problem(source) or ParseProblem(f"syntax error: {error}", Position(1, 1))


def _syntax_problem(source: str, error: cst.ParserSyntaxError) -> ParseProblem:
    """libcst's native parser reports the token *after* the error and always column 0; CPython's
    own parser points at the offending token."""
    message = error.message.removeprefix("parser error: ")
    fallback = ParseProblem(f"syntax error: {message}", Position(max(error.raw_line, 1), error.raw_column + 1))
    return _cpython_problem(source) or fallback


def _cpython_problem(source: str) -> ParseProblem | None:
    """Where CPython's parser (``ast.parse`` only parses, it runs nothing) places the error."""
    try:
        with warnings.catch_warnings():  # the analysed code's own SyntaxWarnings are not ours to print
            warnings.simplefilter("ignore")
            ast.parse(source)
    except SyntaxError as exact:
        if exact.lineno:
            return ParseProblem(f"syntax error: {exact.msg}", Position(exact.lineno, max(exact.offset or 1, 1)))
    except (ValueError, RecursionError, MemoryError):  # null bytes, absurd nesting
        pass
    return None



class FactCollector:
    """Turns the call sites, comparisons, ``match`` statements, subscripts and decorators recorded
    by the binding pass into facts."""

    def __init__(self, module: cst.Module, bindings: BindingCollector, source: str) -> None:
        self.module = module
        # The text as parsed: ``module.code`` would render the whole tree again on every use.
        self.source = source
        self.ev = Evaluator(module, bindings.calls_by_name, bindings.call_order, bindings.comprehension_names)
        self.bindings = bindings
        self._positions = StatementPositions(module, source)
        # the top-level statement of the site being read, and the statements below it that hold it
        self._where: tuple = (None, ())
        self.scope: LexicalScope = bindings.root
        self.calls: list[ApiCall] = []
        self.raw: list[RawRequest] = []
        self.events: set[EventUse] = set()
        self.unresolved: set[Unresolved] = set()
        self.pending: list[PendingCall] = []
        self.pending_events: list[PendingEvents] = []
        self.pending_requests: list[PendingRequest] = []
        self.untraced: list[UntracedClient] = []
        self.wrappers, self.wrapper_inner = (
            find_wrappers(self.ev, bindings.sites) if "api.stripe.com" in source or "getenv" in source
            else ({}, set()))
        # event types of unverified payloads (``json.loads(body)``), by scope: reported only
        # when the names compared there say Stripe (``events.compared_like_stripe``)
        self.unverified: dict[int, list[EventUse]] = {}
        self._unverified_site = False
        self.event_reader = EventReader(self)

    def run(self) -> None:
        handlers = {
            cst.Call: self.visit_Call,
            cst.Comparison: self.event_reader.visit_Comparison,
            cst.Match: self.event_reader.visit_Match,
            cst.Subscript: self.event_reader.visit_Subscript,
            cst.Decorator: self.event_reader.visit_Decorator,
            cst.Attribute: self.visit_Reference,
        }
        for node, scope in self.bindings.sites:
            self.scope = scope
            self._where = (self.bindings.site_top.get(id(node)), self.bindings.site_chain.get(id(node), ()))
            self._unverified_site = False
            handlers[type(node)](node)

    def pos(self, node: cst.CSTNode) -> Position:
        # Positions cost code generation: only the statements holding a fact pay for it.
        start = self._positions.range_of(node, *self._where).start
        return Position(start.line, start.column + 1)

    # --- calls --------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        site = self.ev.call_site(node, self.scope)
        if id(node) in self.bindings.getattr_references:  # ``Resource(method=getattr(client.customers, m))``
            for found in v.options(site.result):
                self._reference(node, found)
        if site.kind == "choice":  # ``getattr(client, name).list()``: a call per literal name
            for option in site.extra:
                self._choice_call(node, option)
        elif site.kind in API_STYLES:
            self._api_call(node, site)
        elif site.kind == "pending":
            self._pending_call(node, site)
            self._inferred_call(node)
        elif site.kind == "http" and id(node) in self.wrapper_inner:
            pass  # the request inside a wrapper: its calls are the facts
        elif site.kind is None and self._wrapper_call(node):
            pass
        elif site.kind in ("raw", "http"):
            self._raw_request(node, site)
        elif site.kind == "dict_get" and node.args:
            if self.event_reader.is_event_type(node.args[0].value):
                self.event_reader.table_keys(site.extra)
        elif site.kind is None:
            self._inferred_call(node)
            self.event_reader.dispatch_call(node)

    def _choice_call(self, node: cst.Call, site: CallSite) -> None:
        """One option of a call through a computed name (no inferred twin: the client is known)."""
        if site.kind in API_STYLES:
            self._api_call(node, site)
        elif site.kind == "pending":
            self._pending_call(node, site)
        elif site.kind in ("raw", "http"):
            self._raw_request(node, site)

    def _raw_request(self, node: cst.Call, site: CallSite) -> None:
        # ``client.raw_request("get", path, expand=[...])`` passes params as keyword arguments
        found = self._expand(node, "legacy") if site.kind == "raw" else Strings([], [])
        expand, dynamic, _ = self._expand_fields(found)
        account = request_account(site.path, site.account or "platform")
        self.raw.append(RawRequest(site.verb, site.path, self.pos(node), account, expand, dynamic))

    def _wrapper_call(self, node: cst.Call) -> bool:
        """`stripe_request(token, "/v1/invoices", method="POST")`: of a wrapper in this module, a
        raw request; of an imported function, maybe one (``PendingRequest``, for the linker)."""
        callee = self.ev.value(node.func, self.scope)
        if isinstance(callee, v.FunctionRef) and id(callee.node) in self.wrappers:
            args, keywords = wrapper_call_args(self.ev, node, self.scope)
            request = wrapper_request(self.wrappers[id(callee.node)], args, (), self.pos(node),
                                      wrapper_call_account(self.ev, node, self.scope, callee), keywords)
            if request is not None:
                self.raw.append(request)
            return True
        target = imported_wrapper(self.ev, node, self.scope, callee)
        if target is not None:
            args, keywords = wrapper_call_args(self.ev, node, self.scope)
            if any(looks_like_path(a) for a in args + tuple(k for _, k in keywords)):
                local, member, account = target
                self.pending_requests.append(PendingRequest(local, member, args, (), self.pos(node), account, keywords))
        return False

    def _api_call(self, node: cst.Call, site: CallSite) -> None:
        mode = "legacy" if site.kind in ("legacy", "instance") else "client"
        expand, dynamic, imports = self._expand_fields(self._expand(node, mode))
        style = API_STYLES[site.kind]
        position = self.pos(node)
        self.calls.append(ApiCall(style, site.accessor, position, site.account or "platform", expand, dynamic, imports))
        if site.accessor.endswith(SUBSCRIBING):
            self._subscriptions(node, mode, position)

    def _inferred_call(self, node: cst.Call) -> None:
        """A Stripe-shaped call on a client whose origin is unknown (docs/semantics.md §11): its
        account is the installing one when the call passes ``stripe_account`` / ``stripe_context``,
        else unknown (settled from the manifest, §6). The linker drops it when a pending call at
        the same position resolves exactly. Its client is reported as untraced either way."""
        receiver = untraced_client(self.ev, node.func, self.scope, self.module.code_for_node)
        if receiver is not None:
            origin, name, source, declared, chain = receiver
            where = self.pos(declared) if declared is not None else None
            self.untraced.append(UntracedClient(origin, name, source, where, self.pos(node), chain))
        found = inferred_call(self.ev, node.func, self.scope)
        if found is None:
            return
        style, accessor = found
        mode = "legacy" if style == "python_legacy" else "pending"
        account = self.ev.call_account(node, self.scope, mode) or "unknown"
        expand, dynamic, imports = self._expand_fields(self._expand(node, mode))
        position = self.pos(node)
        self.calls.append(ApiCall(style, accessor, position, account, expand, dynamic, imports, inferred=True))
        if accessor.endswith(SUBSCRIBING):
            self._subscriptions(node, mode, position)

    def visit_Reference(self, node: cst.Attribute) -> None:
        """An SDK method used as a value is a use of it: the code will call it."""
        for found in v.options(self.ev.value(node, self.scope)):
            self._reference(node, found)

    def _reference(self, node: cst.Attribute | cst.Call, found: Any) -> None:
        if isinstance(found, v.Service) and len(found.path) >= 2:
            style, accessor = "python_client", ".".join(found.path[:-1] + (v.strip_async(found.path[-1]),))
        elif isinstance(found, v.LegacyMethod) and not is_helper_class(found.cls):
            style, accessor = "python_legacy", f"{found.cls}.{found.method}"
        else:
            return
        if load_catalog().operation_for_call(style, accessor) is None:
            return  # `client.v1.customers` is a service, `stripe.checkout.Session` a class
        account = found.account if isinstance(found, v.Service) else "platform"
        passed_to = self.bindings.reference_in.get(id(node))  # `partial(stripe.Charge.list, stripe_account=a)`
        if account != "installing" and passed_to is not None:
            account = self.ev.call_account(passed_to, self.scope, "legacy") or account
        self.calls.append(ApiCall(style, accessor, self.pos(node), account))

    def _pending_call(self, node: cst.Call, site: CallSite) -> None:
        imported: v.Imported = site.extra
        expand, dynamic, imports = self._expand_fields(self._expand(node, "pending"))
        self.pending.append(
            PendingCall(
                imported.local, site.accessor, self.pos(node), imported.via_factory, expand, dynamic, imports, site.account
            )
        )
        if site.accessor.endswith(SUBSCRIBING):
            self._subscriptions(node, "pending", self.pos(node))

    def _expand(self, node: cst.Call, mode: str) -> Strings:
        """The ``expand`` list a call passes (kwarg for legacy calls, ``params`` key for clients)."""
        out = Strings([], [])
        for key, value, where in self.ev.call_items(node, self.scope, mode):
            if key == "expand":
                found = self.ev.strings(value, where)
                out.items += found.items
                out.imports += found.imports
                out.dynamic = out.dynamic or found.dynamic
        return out

    def _expand_fields(self, found: Strings) -> tuple[tuple[ExpandPath, ...], bool, tuple[tuple[str, Position], ...]]:
        paths = tuple(ExpandPath(text, self.pos(literal)) for text, literal in found.items)
        imports = tuple((name, self.pos(node)) for name, node in found.imports)
        return paths, found.dynamic, imports

    def _subscriptions(self, node: cst.Call, mode: str, position: Position) -> None:
        for key, value, where in self.ev.call_items(node, self.scope, mode):
            if key != "enabled_events":
                continue
            found = self.ev.strings(value, where)
            for text, literal in found.items:
                self.events.add(EventUse(text, "subscribed", self.pos(literal)))
            if found.dynamic or found.imports:
                self.unresolved.add(Unresolved(DYNAMIC_ENABLED_EVENTS, position))

    # --- handled events -----------------------------------------------------------------------

    # --- result -------------------------------------------------------------------------------

    def facts(self, path: str) -> FileFacts:
        events, endpoints = list(self.events | self._stripe_payload_events()), []
        lowered = self.source.lower()
        if "event" in lowered or "webhook" in lowered:  # may hold a webhook endpoint or handler (docs/semantics.md §10)
            events, endpoints, self.pending_events = attach_endpoints(
                path, self._regions(), events, self.calls, self.pending, self.pending_events)
        return FileFacts(
            path=path,
            language="python",
            calls=tuple(sorted(self.calls, key=lambda c: (c.position, c.style, c.accessor))),
            raw_requests=tuple(sorted(self.raw, key=lambda r: (r.position, r.verb, r.path))),
            events=tuple(sorted(events, key=lambda e: (e.position, e.name, e.kind))),
            webhook_endpoints=tuple(endpoints),
            unresolved=tuple(sorted(self.unresolved, key=lambda u: (u.position, u.what))),
            imports=tuple(dict.fromkeys(ImportBinding(r.local, r.module, r.name) for r in self.bindings.imports)),
            client_exports=client_exports(self.ev, self.bindings.root),
            constant_exports=constant_exports(self.ev, self.bindings.root),
            pending_calls=tuple(sorted(self.pending, key=lambda p: (p.position, p.accessor))),
            pending_events=tuple(sorted(set(self.pending_events), key=lambda p: (p.position, p.import_local))),
            request_wrapper_exports=exported_wrappers(self.ev, self.wrappers, self.bindings.root),
            pending_requests=tuple(sorted(self.pending_requests, key=lambda p: (p.position, repr(p)))),
            untraced_clients=tuple(sorted(set(self.untraced), key=lambda u: (u.position, repr(u)))),
        )

    def _regions(self) -> list[Region]:
        """Webhook endpoints and handlers may be: every top-level function (a Flask / FastAPI view,
        a Django function view) and every method of a top-level class (``WebhookView.post``)."""
        found = []
        for top, stmt in enumerate(self.module.body):
            if isinstance(stmt, cst.FunctionDef):
                found.append(self._region(stmt.name.value, stmt, top))
            elif isinstance(stmt, cst.ClassDef):
                for item in stmt.body.body:
                    if isinstance(item, cst.FunctionDef):
                        found.append(self._region(f"{stmt.name.value}.{item.name.value}", item, top, stmt))
        return found

    def _region(self, name: str, node: cst.FunctionDef, top: int, method_of: cst.ClassDef | None = None) -> Region:
        # Every function of a file that mentions events is a region: its span comes from ``ast``
        # where it can, sparing the code generation of every definition for positions.
        line, column, last = self._positions.definition(node, top, method_of)
        return Region(name, Position(line, column + 1), Position(last, 10**9), self.module.code_for_node(node))

    def _stripe_payload_events(self) -> set[EventUse]:
        out: set[EventUse] = set()
        for uses in self.unverified.values():
            if compared_like_stripe([use.name for use in uses]):
                out.update(uses)
        return out
