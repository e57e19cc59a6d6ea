"""TypeScript / TSX / JavaScript parser: one file in, one ``FileFacts`` out.

How it works
  1. One tree-sitter parse (TSX grammar for .tsx/.jsx/.js, TypeScript grammar for .ts).
  2. One walk collects the named nodes in document order.
  3. ``ts_scope`` records every declaration with its lexical scope and ``ts_eval`` evaluates
     expressions over them, so that `stripe` in `stripe.customers.list()` is judged by how it
     was *made* (`new Stripe(...)`, a factory, a typed parameter, an import), never by its name.
  4. A second pass over the same node list turns calls, switches, comparisons and members into
     facts (``_Extractor``). HTTP requests and `StripeResource` live in ``ts_raw``.

No tree-sitter object leaves this module; positions are 1-based (line, character column).
"""

from __future__ import annotations

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from stripe_perm_lint.facts import (
    ApiCall,
    ClientExport,
    ConstantExport,
    EventUse,
    ExpandPath,
    FileFacts,
    ImportBinding,
    ParseProblem,
    PendingCall,
    PermissionReference,
    Position,
    RawRequest,
    RemovedApiUse,
    SdkFunctionUse,
    Unresolved,
)

from stripe_perm_lint.parse.ts_raw import http_request, resource_method_request
from stripe_perm_lint.parse.ts_eval import Scope
from stripe_perm_lint.parse.ts_values import Client, EventType, Func, Pending, PermList, Ui, is_app_module
from stripe_perm_lint.parse.ts_util import (
    EVENT_NAME,
    Positions,
    call_arguments,
    member_parts,
    object_entries,
    property_name,
    string_value,
    text,
    unwrap_types,
)

TS = Language(tree_sitter_typescript.language_typescript())
TSX = Language(tree_sitter_typescript.language_tsx())

_TS_SUFFIXES = (".ts", ".mts", ".cts")

# Syntax errors: an ERROR node is input the grammar could not place (`const x = ;`), a MISSING
# node a token tree-sitter had to invent to recover (the `)` of `if (x {`).
_ERRORS = {
    lang: Query(lang, """
        (ERROR) @error
        (MISSING) @missing
    """)
    for lang in (TS, TSX)
}

# Client members that are SDK helpers, not API operations (single-segment members such as
# `rawRequest`, `setApiKey`, `on`, `getApiField` are never operations and are skipped anyway).
_HELPER_NAMESPACES = frozenset({"webhooks", "errors", "StripeResource"})
# UI-extension SDK functions reported as ``SdkFunctionUse`` (the rules know what they need).
_SDK_FUNCTIONS = frozenset({"getDashboardUserEmail", "fetchStripeSignature"})


def parse_typescript(path: str, source: str) -> FileFacts:
    data = source.encode("utf-8", errors="surrogatepass")
    lang = TS if path.lower().endswith(_TS_SUFFIXES) else TSX
    tree = Parser(lang).parse(data)
    root = tree.root_node
    nodes = _named_nodes(root)

    scope = Scope()
    for node in nodes:
        scope.visit(node)
    scope.finish()

    ex = _Extractor(scope, Positions(data))
    for node in nodes:
        try:
            ex.visit(node)
        except RecursionError:
            # Pathological nesting (thousands of `a || b` or `.a.a.a`): skip that expression only.
            ex.too_deep(node)
    if root.has_error:
        ex.syntax_error(QueryCursor(_ERRORS[lang]).captures(root))
    return ex.facts(path)


def _named_nodes(root: Node) -> list[Node]:
    """Every named node, document order (one cursor walk)."""
    out: list[Node] = []
    cursor = root.walk()
    while True:
        node = cursor.node
        if node.is_named:
            out.append(node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


class _Extractor:
    """Turns the nodes of one file into facts: one method per source shape."""

    def __init__(self, scope: Scope, positions: Positions) -> None:
        self.scope = scope
        self.pos = positions.of
        self.calls: list[ApiCall] = []
        self.raw: list[RawRequest] = []
        self.events: list[EventUse] = []
        self.sdk: list[SdkFunctionUse] = []
        self.perms: list[PermissionReference] = []
        self.removed: list[RemovedApiUse] = []
        self.unresolved: list[Unresolved] = []
        self.client_exports: list[ClientExport] = []
        self.constant_exports: list[ConstantExport] = []
        self.pending: list[PendingCall] = []
        self.problems: list[ParseProblem] = []

    # --- dispatch -----------------------------------------------------------------------------

    def visit(self, node: Node) -> None:
        t = node.type
        if t == "call_expression":
            self._call(node)
        elif t == "switch_statement":
            self._switch(node)
        elif t == "binary_expression":
            self._binary(node)
        elif t == "subscript_expression":
            index = node.child_by_field_name("index")
            if isinstance(self.scope.value(index), EventType):
                self._dispatch_table(node.child_by_field_name("object"), node)
        elif t == "member_expression":
            self._user_context_member(node)
        elif t == "object_pattern":
            self._user_context_pattern(node)
        elif t == "export_statement":
            self._export_statement(node)
        elif t == "assignment_expression":
            self._commonjs_export(node)

    def too_deep(self, node: Node) -> None:
        if not any(p.message.startswith("expression nested") for p in self.problems):
            self.problems.append(ParseProblem("expression nested too deeply to analyse; facts may be incomplete",
                                              self.pos(node)))

    def syntax_error(self, captures: dict[str, list[Node]]) -> None:
        """One problem per file, at the first error: the facts found elsewhere are kept."""
        found = [(n.start_byte, "unexpected input", n) for n in captures.get("error", []) if not _grammar_gap(n)]
        found += [(n.start_byte, f"missing {n.type}", n) for n in captures.get("missing", [])]
        if not found:
            return
        _, what, node = min(found, key=lambda f: f[0])
        self.problems.append(ParseProblem(f"syntax error ({what}); facts may be incomplete", self.pos(node)))

    # --- calls --------------------------------------------------------------------------------

    def _call(self, call: Node) -> None:
        fn = call.child_by_field_name("function")
        if fn is None:
            return
        args = call_arguments(call)
        fv = self.scope.value(fn)
        if isinstance(fv, Client) and fv.segs:
            self._client_call(call, fv, args)
        elif isinstance(fv, Pending) and fv.segs:
            self._pending_call(call, fv, args)
        elif isinstance(fv, Ui):
            self._sdk_call(call, fv.name, args)
        else:
            self._list_method(call, fn, args)
            request = resource_method_request(self.scope, call, fn, args) or http_request(self.scope, call, fn, args)
            if request is not None:
                expand, dynamic, _ = self._expand_in([request.params] if request.params is not None else [])
                if request.query_expand and request.url is not None:
                    expand += tuple(ExpandPath(v, self.pos(request.url)) for v in request.query_expand)
                self.raw.append(RawRequest(request.verb, request.path, self.pos(request.at), request.account,
                                           expand, dynamic))

    def _client_call(self, call: Node, client: Client, args: list[Node]) -> None:
        segs = client.segs
        account = _account(client.installing or self.scope.ui_import or self._passes_account(args), client.installing)
        if segs == ("rawRequest",):
            self._raw_request(call, args, account)
            return
        if len(segs) < 2 or segs[0] in _HELPER_NAMESPACES:
            return
        expand, dynamic, imports = self._expand_in(args)
        self.calls.append(ApiCall("node", ".".join(segs), self.pos(call), account, expand, dynamic, imports))
        self._subscriptions(segs, args)

    def _pending_call(self, call: Node, pending: Pending, args: list[Node]) -> None:
        segs = pending.segs
        if segs[-1] == "rawRequest" and len(segs) <= 2:
            installing = self.scope.ui_import or self._passes_account(args)
            self._raw_request(call, args, "installing" if installing else "platform")
            return
        # `lib.stripe.customers.list()` on a namespace import keeps `stripe` as first segment.
        if len(segs) < 2 or segs[0] in _HELPER_NAMESPACES:
            return
        expand, dynamic, imports = self._expand_in(args)
        account = "installing" if self._passes_account(args) else None
        self.pending.append(PendingCall(pending.local, ".".join(segs), self.pos(call), pending.via_factory,
                                        expand, dynamic, imports, account))
        self._subscriptions(segs, args)

    def _raw_request(self, call: Node, args: list[Node], account: str) -> None:
        """`stripe.rawRequest('GET', '/v1/payouts', params, opts)`."""
        verb_text = string_value(args[0]) if args else None
        verb = verb_text.upper() if verb_text else "?"
        path = "{}"
        if len(args) > 1:
            path = self.scope.static_string(args[1])
        expand, dynamic, _ = self._expand_in(args[2:3])
        self.raw.append(RawRequest(verb, path, self.pos(call), account, expand, dynamic))

    def _passes_account(self, args: list[Node]) -> bool:
        return any(self.scope.has_account_option(a) for a in args)

    def _expand_in(self, args: list[Node]):
        """``expand`` paths of the params objects passed to a call."""
        expand: list[ExpandPath] = []
        imports: list[tuple[str, Position]] = []
        dynamic = False
        for arg in args:
            obj = self.scope.resolve_object(arg)
            if obj is None:
                continue
            for key, value, _ in object_entries(obj):
                if key != "expand" or value is None:
                    continue
                items, imported, dyn = self.scope.resolve_strings(value)
                expand += [ExpandPath(v, self.pos(n)) for v, n in items]
                imports += [(name, self.pos(n)) for name, n in imported]
                dynamic = dynamic or dyn
        return tuple(expand), dynamic, tuple(imports)

    def _subscriptions(self, segs: tuple[str, ...], args: list[Node]) -> None:
        """`stripe.webhookEndpoints.create({enabled_events: [...]})` / `.update(id, {...})`."""
        if segs[-2:] not in (("webhookEndpoints", "create"), ("webhookEndpoints", "update")):
            return
        for arg in args:
            obj = self.scope.resolve_object(arg)
            for key, value, key_node in object_entries(obj) if obj is not None else ():
                if key != "enabled_events" or value is None:
                    continue
                items, imported, dynamic = self.scope.resolve_strings(value)
                for name, node in items:
                    self.events.append(EventUse(name, "subscribed", self.pos(node)))
                if dynamic or imported:
                    self.unresolved.append(Unresolved("enabled_events is not a list of literals", self.pos(value)))

    def _sdk_call(self, call: Node, name: str, args: list[Node]) -> None:
        if name in _SDK_FUNCTIONS:
            self.sdk.append(SdkFunctionUse(name, self.pos(call)))
        elif name == "isPermissionAuthorized":
            for arg in args[:1]:
                found = self.scope.resolve_string(arg)
                if found is not None:
                    self.perms.append(PermissionReference(found[0], self.pos(found[1])))
                else:
                    self.unresolved.append(Unresolved("permission name is not a literal", self.pos(arg)))

    def _list_method(self, call: Node, fn: Node, args: list[Node]) -> None:
        """`perms.includes('x')`, `['a', 'b'].includes(event.type)`, `handlers.get(event.type)`."""
        fn = unwrap_types(fn)
        if fn.type != "member_expression" or not args:
            return
        obj, method = member_parts(fn)
        if method in ("includes", "indexOf"):
            target = self.scope.value(obj)
            if isinstance(target, PermList):
                found = self.scope.resolve_string(args[0])
                if found is not None:
                    self.perms.append(PermissionReference(found[0], self.pos(found[1])))
            elif isinstance(self.scope.value(args[0]), EventType):
                items, _, dynamic = self.scope.resolve_strings(obj)
                for name, node in items:
                    self.events.append(EventUse(name, "handled", self.pos(node)))
                if dynamic:
                    self.unresolved.append(Unresolved("event type compared with a non-literal", self.pos(obj)))
        elif method in ("get", "has") and isinstance(self.scope.value(args[0]), EventType):
            self._dispatch_table(obj, call)

    # --- events -------------------------------------------------------------------------------

    def _switch(self, node: Node) -> None:
        """`switch (event.type) { case 'a': case 'b': ... }`: every case, fall-through included."""
        if not isinstance(self.scope.value(node.child_by_field_name("value")), EventType):
            return
        body = node.child_by_field_name("body")
        for case in body.named_children if body is not None else ():
            if case.type != "switch_case":
                continue
            value = case.child_by_field_name("value")
            if value is not None:
                self._compared(value)

    def _binary(self, node: Node) -> None:
        op_node = node.child_by_field_name("operator")
        op = text(op_node) if op_node is not None else ""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op in ("===", "==", "!==", "!="):
            if isinstance(self.scope.value(left), EventType):
                self._compared(right)
            elif isinstance(self.scope.value(right), EventType):
                self._compared(left)
        elif op == "in" and isinstance(self.scope.value(left), EventType):
            self._dispatch_table(right, node)

    def _compared(self, other: Node | None) -> None:
        if other is None:
            return
        found = self.scope.resolve_string(other)
        if found is not None:
            self.events.append(EventUse(found[0], "handled", self.pos(found[1])))
        else:
            self.unresolved.append(Unresolved("event type compared with a non-literal", self.pos(other)))

    def _dispatch_table(self, table: Node | None, at: Node) -> None:
        """A handler table indexed by an event type: every event-like key is handled.
        `{ 'payout.paid': fn }` or `new Map([['payout.paid', fn]])`, held in a same-file const."""
        keys = self._table_keys(table)
        if keys is None:
            self.unresolved.append(Unresolved("event type used as a key of a table the parser cannot read",
                                              self.pos(at)))
            return
        for name, node in keys:
            self.events.append(EventUse(name, "handled", self.pos(node)))

    def _table_keys(self, table: Node | None) -> list[tuple[str, Node]] | None:
        obj = self.scope.resolve_object(table)
        if obj is not None:
            return [(k, n) for k, _, n in object_entries(obj) if k is not None and EVENT_NAME.match(k)]
        init = self.scope.resolve_init(table)
        if init is None or init.type != "new_expression":
            return None
        ctor = init.child_by_field_name("constructor")
        args = call_arguments(init)
        if ctor is None or text(ctor) != "Map" or not args:
            return None
        entries = unwrap_types(args[0])
        if entries is None or entries.type != "array":
            return None
        keys = []
        for pair in entries.named_children:
            if pair.type == "array" and pair.named_children:
                key = string_value(pair.named_children[0])
                if key is not None and EVENT_NAME.match(key):
                    keys.append((key, pair.named_children[0]))
        return keys

    # --- UI extension props -------------------------------------------------------------------

    def _user_context_member(self, node: Node) -> None:
        """`userContext.email`, `userContext?.email`, `props.userContext.email`."""
        obj, prop = member_parts(node)
        if prop == "email" and _is_user_context(obj):
            self.removed.append(RemovedApiUse("userContext.email", self.pos(node)))

    def _user_context_pattern(self, pattern: Node) -> None:
        """`const { email } = userContext` and `({ userContext: { email } })`."""
        parent = pattern.parent
        if parent is None:
            return
        if parent.type == "pair_pattern":
            if property_name(parent.child_by_field_name("key")) != "userContext":
                return
        elif parent.type == "variable_declarator":
            if parent.child_by_field_name("name") != pattern or not _is_user_context(
                    parent.child_by_field_name("value")):
                return
        else:
            return
        for child in pattern.named_children:
            key_node = child.child_by_field_name("key") if child.type == "pair_pattern" else child
            if key_node is not None and property_name(key_node) == "email" and child.type in (
                    "pair_pattern", "shorthand_property_identifier_pattern"):
                self.removed.append(RemovedApiUse("userContext.email", self.pos(key_node)))
            elif child.type == "object_assignment_pattern":
                left = child.child_by_field_name("left")
                if left is not None and text(left) == "email":
                    self.removed.append(RemovedApiUse("userContext.email", self.pos(left)))

    # --- exports ------------------------------------------------------------------------------

    def _export_statement(self, node: Node) -> None:
        if node.child_by_field_name("source") is not None:
            return  # `export {x} from './y'`: re-exports are not in the facts contract
        decl = node.child_by_field_name("declaration")
        is_default = any(c.type == "default" for c in node.children)
        if decl is not None:
            if decl.type in ("lexical_declaration", "variable_declaration"):
                for declarator in decl.named_children:
                    name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                    if name is not None and name.type == "identifier":
                        self._export_name(text(name), name)
            elif decl.type in ("function_declaration", "generator_function_declaration"):
                name = decl.child_by_field_name("name")
                if is_default:
                    self._export_value("default", Func(decl.id))
                elif name is not None:
                    self._export_name(text(name), name)
            return
        value = node.child_by_field_name("value")
        if value is None and any(c.type == "=" for c in node.children):  # TS `export = stripe`
            is_default, value = True, node.named_children[-1] if node.named_children else None
        if is_default and value is not None:
            self._export_value("default", self.scope.value(value), value)
            return
        for clause in node.named_children:
            if clause.type != "export_clause":
                continue
            for spec in clause.named_children:
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                if name is not None:
                    self._export_name(text(alias), name)

    def _commonjs_export(self, node: Node) -> None:
        """`module.exports = x`, `module.exports = { a, b: c }`, `exports.a = x`, `module.exports.a = x`."""
        left = unwrap_types(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "member_expression":
            return
        chain = text(left).replace(" ", "")
        if chain == "module.exports":
            obj = unwrap_types(right)
            if obj is not None and obj.type == "object":
                for key, value, _ in object_entries(obj):
                    if key is not None and value is not None:
                        self._export_value(key, self.scope.value(value), value)
            else:
                self._export_value("default", self.scope.value(right), right)
        elif chain.startswith(("exports.", "module.exports.")) and chain.count(".") == (
                1 if chain.startswith("exports.") else 2):
            self._export_value(chain.rsplit(".", 1)[1], self.scope.value(right), right)

    def _export_name(self, exported: str, ident: Node) -> None:
        binding = self.scope.lookup(ident)
        if binding is None:
            return
        value = self.scope.binding_value(binding)
        init = binding.init if binding.kind == "const" and binding.path == () else None
        self._export_value(exported, value, init)

    def _export_value(self, name: str, value: object, init: Node | None = None) -> None:
        if isinstance(value, Func):
            value, returns_client = self.scope.returns(value), True
        else:
            returns_client = False
        if isinstance(value, Client) and not value.segs:
            account = _account(value.installing or self.scope.ui_import, value.installing)
            self.client_exports.append(ClientExport(name, "node", account, returns_client))
            return
        if init is not None and not returns_client:
            items, imports, dynamic = self.scope.resolve_strings(init)
            if items and not imports and not dynamic:
                self.constant_exports.append(ConstantExport(name, tuple(v for v, _ in items)))

    # --- result -------------------------------------------------------------------------------

    def facts(self, path: str) -> FileFacts:
        imports = []
        for b in self.scope.bindings:
            if b.kind == "import" and b.module is not None and is_app_module(b.module):
                imports.append(ImportBinding(b.name, b.module, b.imported or "default"))
        return FileFacts(
            path=path,
            language="typescript",
            calls=_sorted(self.calls),
            raw_requests=_sorted(self.raw),
            events=_sorted(self.events),
            sdk_functions=_sorted(self.sdk),
            permission_references=_sorted(self.perms),
            removed_apis=_sorted(self.removed),
            unresolved=_sorted(self.unresolved),
            imports=tuple(dict.fromkeys(imports)),
            client_exports=tuple(dict.fromkeys(self.client_exports)),
            constant_exports=tuple(dict.fromkeys(self.constant_exports)),
            pending_calls=_sorted(self.pending),
            problems=tuple(sorted(self.problems, key=lambda p: p.position)),
        )


def _sorted(items: list) -> tuple:
    """Dedupe (a table indexed twice names its keys once) and sort by position, then by content."""
    return tuple(sorted(dict.fromkeys(items), key=lambda f: (f.position, repr(f))))


def _is_user_context(node: Node | None) -> bool:
    node = unwrap_types(node)
    if node is None:
        return False
    if node.type == "identifier":
        return text(node) == "userContext"
    if node.type == "member_expression":
        return member_parts(node)[1] == "userContext"
    return False


__all__ = ["parse_typescript", "TS", "TSX"]


def _account(installing: bool, provenance: bool | None) -> str:
    """"unknown" for a client known only by its type (a `stripe: Stripe` parameter): where it
    was built, and so whose account it acts on, is decided later by where the file lives."""
    if installing:
        return "installing"
    return "unknown" if provenance is None else "platform"


def _grammar_gap(error: Node) -> bool:
    """ERROR nodes tree-sitter-typescript 0.23 produces for valid TypeScript: a bare `&` in JSX
    text (`<span>Sarah & Michael</span>`) and `export type * from './x'` (TS 5.0). Reporting
    them would flag correct files as unparsable."""
    parent = error.parent
    first = error.children[0] if error.children else None
    if parent is not None and parent.type == "jsx_element" and first is not None and first.type == "&":
        return True
    return parent is not None and parent.type == "export_statement" and error.text == b"type"
