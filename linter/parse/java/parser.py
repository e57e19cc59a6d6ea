"""One Java file in, its ``FileFacts`` out (tree-sitter-java).

The file is read once for its names (imports, constants, fields and what its constructors
assign them), then each function in source order: locals are bound as they are declared, so a
client, its request options and its params are known at each call. Calls of stripe-java become
``ApiCall`` facts (``java_client``: `client.v1().customers().retrieve`; ``java_legacy``:
`Customer.retrieve`; ``java_instance``: `customer.update`), requests by path ``RawRequest``,
webhook event types ``EventUse``. A client a class receives from Spring is known here by its
type only: its calls are "unknown" and also wait, as ``PendingCall``s on ``spring.BEAN_CLIENT``,
for the account of the app's ``@Bean`` factories of ``StripeClient`` (each exported under that
name), which ``stripe_perm_lint.java_links`` gives them when the factories agree.
"""

from __future__ import annotations

import dataclasses

from stripe_perm_lint.backends import parse_tree
from stripe_perm_lint.facts import (
    ApiCall, ClientExport, ExpandPath, FileFacts, ParseProblem, PendingCall, Position, RawRequest,
)
from stripe_perm_lint.parse import endpoints
from stripe_perm_lint.parse.java import values as v
from stripe_perm_lint.parse.java.evaluate import JavaEvaluator
from stripe_perm_lint.parse.java.events import JavaEventReader
from stripe_perm_lint.parse.java.raw import url_requests
from stripe_perm_lint.parse.java.spring import BEAN_CLIENT, BEAN_MODEL, is_bean
from stripe_perm_lint.parse.java.scope import JavaScope, function_parameters, read_file_names, type_name
from stripe_perm_lint.parse.java.syntax import FUNCTIONS, arguments, enclosing, name_of, path_text, text, walk
from stripe_perm_lint.parse.java.table import is_method
from stripe_perm_lint.parse.positions import Positions
from stripe_perm_lint.parse.stripe_urls import request_account

_PLATFORM_ONLY = frozenset({"OAuth.token", "OAuth.deauthorize", "oauth().token", "oauth().deauthorize"})


def parse(path: str, text_: str) -> FileFacts:
    data = text_.encode("utf-8", errors="surrogatepass")
    tree = parse_tree("java", data)
    return JavaFile(path, data, tree.root_node).facts()


# What a local keeps when another assignment gives it nothing this file can read.
_STRIPE_VALUES = (v.JavaEvent, v.JavaModel, v.JavaClient, v.JavaOptions)


class JavaFile:
    def __init__(self, path: str, data: bytes, root) -> None:
        self.path, self.root = path, root
        self.pos = Positions(data).of
        self.names = read_file_names(root)
        self.ev = JavaEvaluator(self.names)
        self.calls: list[ApiCall] = []
        self.pending: list[PendingCall] = []  # calls on Spring's client, waiting for its bean's account
        self.beans: set[str] = set()  # the account of the client each `@Bean` factory returns
        self.raw: list[RawRequest] = []
        self.call_accounts: dict[int, str] = {}  # node id of each SDK call -> its account
        self.waiting: set[int] = set()  # node ids of the calls waiting for the bean's account
        self.events = JavaEventReader(self)

    def facts(self) -> FileFacts:
        functions = [n for n in walk(self.root) if n.type in FUNCTIONS]
        self.ev.global_key = self._global_key(functions)
        for function in functions:
            if function.type == "constructor_declaration":
                self._assign_fields(function)
        for node in walk(self.root):  # field initializers and static blocks
            if node.type in ("field_declaration", "static_initializer") and enclosing(node, FUNCTIONS) is None:
                self.visit(node, JavaScope())
        for function in functions:
            body = function.child_by_field_name("body")
            if body is None:
                continue
            # Spring, not a caller, passes a `@Bean` factory's arguments: as a constructor's, once at startup.
            scope = JavaScope(function_parameters(function), constructor=function.type != "method_declaration" or is_bean(function))
            self.visit(body, scope)
            if is_bean(function) and self.names.is_stripe(type_name(function.child_by_field_name("type")), "com.stripe.StripeClient"):
                self.beans.add(self._bean_account(function, scope))
        self.raw += url_requests(self)
        regions = [self._region(f) for f in functions if enclosing(f, FUNCTIONS) is None]
        events, hooks, _ = endpoints.attach(self.path, regions, self.events.uses, self.calls, [])
        problems = (ParseProblem("syntax errors: only the parts that parsed were read", self.pos(self._first_error())),) \
            if self.root.has_error else ()
        key = lambda fact: (fact.position, repr(fact))  # noqa: E731 - one sort order for every list
        return FileFacts(
            path=self.path, language="java", calls=tuple(sorted(set(self.calls), key=key)),
            raw_requests=tuple(sorted(set(self.raw), key=key)), events=tuple(sorted(set(events), key=key)),
            unresolved=tuple(sorted(set(self.events.unresolved), key=key)), webhook_endpoints=tuple(hooks),
            problems=problems, pending_calls=tuple(sorted(self.pending, key=key)),
            client_exports=tuple(ClientExport(name, style, account) for account in sorted(self.beans)
                                 for name, style in ((BEAN_CLIENT, "java_client"), (BEAN_MODEL, "java_instance"))),
        )

    def _first_error(self):
        return next((n for n in walk(self.root) if n.type == "ERROR" or n.is_missing), self.root)

    def _region(self, function) -> endpoints.Region:
        return endpoints.Region(text(function.child_by_field_name("name")), self.pos(function),
                                Position(function.end_point[0] + 1, function.end_point[1] + 1), text(function))

    # --- the file's names -------------------------------------------------------------------------
    def _global_key(self, functions) -> str:
        """The account of `Stripe.apiKey` set once for the process (a static block, `main`, a
        `@PostConstruct`): the platform's when it comes from configuration."""
        found = "unknown"
        for node in walk(self.root):
            if node.type == "assignment_expression" and self._is_api_key(node.child_by_field_name("left")):
                function = enclosing(node, FUNCTIONS)
                scope = JavaScope(parameters=function_parameters(function)) if function is not None else JavaScope()
                account = self.ev.credential(node.child_by_field_name("right"), scope)
                if account == "platform" or (account != "installing" and function is None):
                    found = "platform"
        return found

    def _bean_account(self, function, scope: JavaScope) -> str:
        """Whose key the client a `@Bean` factory returns holds: "unknown" unless its returns agree."""
        returns = [n for n in walk(function.child_by_field_name("body")) if n.type == "return_statement"
                   and n.named_children and enclosing(n, FUNCTIONS + ("lambda_expression",)).id == function.id]
        accounts = {found.account if isinstance(found := self.ev.value(r.named_children[0], scope), v.JavaClient)
                    else "unknown" for r in returns}
        return accounts.pop() if len(accounts) == 1 else "unknown"

    def _is_api_key(self, node) -> bool:
        return text(node) in ("Stripe.apiKey", "com.stripe.Stripe.apiKey")

    def _assign_fields(self, constructor) -> None:
        """`this.client = client` / `this.client = new StripeClient(key)` in a constructor."""
        scope = JavaScope(function_parameters(constructor), constructor=True)
        for node in walk(constructor):
            if node.type != "assignment_expression":
                continue
            left = node.child_by_field_name("left")
            name = text(left.child_by_field_name("field")) if left.type == "field_access" else text(left)
            found = self.names.fields.get(name)
            if found is None or (left.type == "identifier" and name in scope.parameters):
                continue
            right = node.child_by_field_name("right")
            value = self.ev.value(right, scope)
            if found.type == "String":
                value = v.JavaCredential(self.ev.credential(right, scope))
            elif isinstance(value, v.JavaOptions) or value is None:
                value = value or self.ev.typed(found.type, "unknown")
            found.value = value if value is not None else found.value

    # --- functions in source order ----------------------------------------------------------------
    def visit(self, node, scope: JavaScope) -> None:
        kind = node.type
        if kind in FUNCTIONS or kind == "class_body" and node.parent is not None and node.parent.type != "object_creation_expression":
            return  # read on its own
        if kind == "local_variable_declaration":
            self._declare(node, scope)
            return
        for child in node.children:
            self.visit(child, scope)
        if kind == "assignment_expression":
            self._assign(node, scope)
        elif kind == "method_invocation":
            self.on_call(node, scope)
        elif kind == "switch_expression":
            self.events.on_switch(node, scope)

    def _declare(self, node, scope: JavaScope) -> None:
        kind = type_name(node.child_by_field_name("type"))
        for declarator in node.children_by_field_name("declarator"):
            value_node = declarator.child_by_field_name("value")
            name = text(declarator.child_by_field_name("name"))
            if value_node is not None:
                self.visit(value_node, scope)
            found = self.ev.value(value_node, scope) if value_node is not None else None
            if found is None and value_node is not None and value_node.id in self.call_accounts:
                # `Customer c = client.customers().retrieve(id, options)`: `c.update(...)` goes
                # through the same client, for the same account.
                found = self.ev.typed(kind, self.call_accounts[value_node.id])
                if isinstance(found, v.JavaModel) and value_node.id in self.waiting:
                    found = dataclasses.replace(found, injected=True)  # for the bean's account too
            if found is None and kind == "String" and value_node is not None:
                found = v.JavaCredential(self.ev.credential(value_node, scope))
            scope.locals[name] = found if found is not None else self.ev.typed(kind, "unknown")

    def _assign(self, node, scope: JavaScope) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if self._is_api_key(left):
            account = self.ev.credential(right, scope)
            if account == "installing":
                scope.key_assignments.append((node.start_point, account))
        elif left.type == "identifier" and (text(left) in scope.locals or text(left) in scope.parameters):
            found = self.ev.value(right, scope)
            if found is None and isinstance(scope.locals.get(text(left)), _STRIPE_VALUES):
                return  # `event = null`, `event = GSON.fromJson(...)` on another branch: still that event
            scope.locals[text(left)] = found if found is not None else v.JavaCredential(self.ev.credential(right, scope))

    # --- calls ------------------------------------------------------------------------------------
    def on_call(self, node, scope: JavaScope) -> None:
        name, args = name_of(node), arguments(node)
        receiver_node = node.child_by_field_name("object")
        receiver = self.ev.value(receiver_node, scope) if receiver_node is not None else None
        if isinstance(receiver, v.JavaClient):
            accessor = f"{receiver.chain}.{name}" if receiver.chain else name
            if is_method("java_client", accessor):
                self._emit("java_client", accessor, node, receiver.account, args, scope)
                if receiver.injected:
                    self._wait_for_bean(BEAN_CLIENT, node, args, scope)
            elif name == "rawRequest" and receiver.chain in ("", "v1()") and len(args) >= 2:
                self._raw_request(node, receiver.account, args, scope)
        elif isinstance(receiver, v.JavaModel):
            accessor = f"{receiver.cls}.{name}"
            if is_method("java_instance", accessor):
                self._emit("java_instance", accessor, node, receiver.account, args, scope)
                if receiver.injected:
                    self._wait_for_bean(BEAN_MODEL, node, args, scope)
        elif isinstance(receiver, v.JavaParams):
            self._fill_params(receiver, name, args, scope)
        elif receiver_node is not None and receiver_node.type in ("identifier", "field_access", "scoped_identifier"):
            model = self.names.model_class(text(receiver_node))
            if model and is_method("java_legacy", f"{model}.{name}"):
                self._emit("java_legacy", f"{model}.{name}", node, self.ev.legacy_account(node, scope), args, scope)
        self.events.on_call(node, name, args, receiver, scope)

    def _emit(self, style: str, accessor: str, node, base: str, args: list, scope: JavaScope) -> None:
        account = v.combined_account(base, self.ev.option_values(args, scope))
        if any(self._is_event_account(a, scope) for a in args):
            account = "installing"  # `Account.retrieve(event.getAccount())`: the account that sent the event
        if accessor in _PLATFORM_ONLY:
            account = "platform"  # Connect OAuth: how the platform obtains a per-account token
        params = v.JavaParams()
        for arg in args:
            found = self.ev.value(arg, scope)
            if isinstance(found, v.JavaParams):
                params.paths += found.paths
                params.dynamic |= found.dynamic
        expand = tuple(ExpandPath(p, self.pos(n)) for p, n in params.paths)
        self.calls.append(ApiCall(style, accessor, self.pos(node), account or "unknown", expand, params.dynamic))
        self.call_accounts[node.id] = account or "unknown"

    def _wait_for_bean(self, name: str, node, args: list, scope: JavaScope) -> None:
        """A call on Spring's client (``name``: ``BEAN_CLIENT``), or on what it fetched
        (``BEAN_MODEL``), that nothing else gives an account (no per-request options with a key or
        an account) acts for the account of the app's bean, once the linker knows it."""
        call = self.calls[-1]  # the one ``_emit`` just made
        if call.account == "unknown" and not any(o.account for o in self.ev.option_values(args, scope)):
            self.waiting.add(node.id)
            self.pending.append(PendingCall(name, call.accessor, call.position, expand=call.expand,
                                            expand_dynamic=call.expand_dynamic))

    def _is_event_account(self, node, scope: JavaScope) -> bool:
        return node.type == "method_invocation" and name_of(node) == "getAccount" and \
            isinstance(self.ev.value(node.child_by_field_name("object"), scope), v.JavaEvent)

    def _fill_params(self, params: v.JavaParams, name: str, args: list, scope: JavaScope) -> None:
        """`params.put("expand", List.of(...))`, `expandList.add("customer")`, `builder.addExpand(x)`."""
        key = path_text(args[0], self.names.constants) if args else None
        if name == "put" and len(args) == 2 and key == "expand":
            self.ev.add_list(params, args[1], scope)
        elif name == "add" and len(args) == 1:
            self.ev.add_paths(params, args, scope)
        elif name == "addExpand" and args:
            self.ev.add_paths(params, args[:1], scope)
        elif name == "addAllExpand" and args:
            self.ev.add_list(params, args[0], scope)

    def _raw_request(self, node, account: str, args: list, scope: JavaScope) -> None:
        verb = text(args[0]).rsplit(".", 1)[-1].upper()
        path = path_text(args[1], self.names.constants)
        if path is None:
            path = "{}"
        account = v.combined_account(account, self.ev.option_values(args[2:], scope)) or "unknown"
        self.raw.append(RawRequest(verb if verb in ("GET", "POST", "DELETE", "PUT", "PATCH") else "?", path,
                                   self.pos(node), request_account(path, account)))


