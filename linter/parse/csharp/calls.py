"""Stripe.net calls in one C# file: service methods (`service.Get(id)`, `_customers.ListAsync()`,
`new CustomerService(client).Create(...)`), the client's service tree
(`client.V1.Customers.GetAsync(id)`) and its raw requests (`client.RawRequestAsync(HttpMethod.Post,
"/v1/...")`), each with whose account it acts on and its expand list."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from stripe_perm_lint.facts import ApiCall, ExpandPath, PendingCall, RawRequest, UntracedClient
from stripe_perm_lint.parse.csharp.accounts import ACCOUNT_OPTIONS
from stripe_perm_lint.parse.csharp.scope import Scope
from stripe_perm_lint.parse.csharp.sdk import CLIENT_STYLE, STYLE
from stripe_perm_lint.parse.csharp.syntax import (
    FUNCTIONS,
    NodeIndex,
    arguments,
    callee_parts,
    collection_items,
    enclosing,
    initializer_entries,
    string_value,
    template,
    text,
    unwrap,
    walk,
)
from stripe_perm_lint.parse.positions import Positions
from stripe_perm_lint.parse.stripe_urls import request_account

RAW_METHODS = ("RawRequest", "RawRequestAsync")
# OAuth token exchange is the platform's own business (docs/semantics.md §6).
PLATFORM_SERVICES = ("OAuthTokenService", "V1.OAuth")


@dataclass
class DotnetCallFacts:
    calls: list[ApiCall] = field(default_factory=list)
    raw: list[RawRequest] = field(default_factory=list)
    untraced: list[UntracedClient] = field(default_factory=list)
    # A call on a client or service injected by type whose account is unknown here: it waits on
    # the app's registration of that type (``csharp_links``), under the ``sdk.di_name`` name.
    pending: list[PendingCall] = field(default_factory=list)

    def add(self, call: ApiCall, held) -> None:
        self.calls.append(call)
        if call.account == "unknown" and held.injected is not None:
            self.pending.append(PendingCall(held.injected, call.accessor, call.position))


def read_calls(index: NodeIndex, scope: Scope, positions: Positions, event_names: set[str]) -> DotnetCallFacts:
    out = DotnetCallFacts()
    for node in index.of("invocation_expression"):
        parts = callee_parts(node)
        if parts is None:
            continue
        receiver, method = parts
        chain = _chain(receiver)
        if chain is not None and chain[0] is not None:
            _client_call(node, chain, method, scope, positions, event_names, out)
            continue
        held = scope.value(receiver)
        if held is None:
            continue
        if held.kind == "client" and method in RAW_METHODS:
            _raw_call(node, held.account, positions, out)
        elif held.kind == "service" and f"{held.cls}.{method}" in scope.sdk.methods:
            accessor = f"{held.cls}.{method}"
            call = _api_call(STYLE, accessor, node, held.account, scope, positions, event_names)
            out.add(dataclasses.replace(call, inferred=held.inferred), held)
    return out


def _client_call(node, chain, method, scope, positions, event_names, out: DotnetCallFacts) -> None:
    """`client.V1.Customers.GetAsync(...)`: exact names of the client's service tree only."""
    root, names = chain
    accessor = ".".join(names + [method])
    if accessor not in scope.sdk.client_methods:
        return
    held = scope.value(root)
    if held is not None and held.kind == "client":
        out.add(_api_call(CLIENT_STYLE, accessor, node, held.account, scope, positions, event_names), held)
        return
    # The receiver as named: `_stripeClient`, `this.stripe`, or the function giving it (`GetStripeClient()`).
    receiver = text(root.child_by_field_name("function") if root.type == "invocation_expression" else root)
    if held is not None or root.type not in ("identifier", "member_access_expression", "invocation_expression"):
        return
    origin = "member" if receiver.startswith(("this.", "_")) else "unknown"
    if "stripe" in receiver.lower():
        # A client the file never declares (a base class's member, a partial class): its
        # chain is exactly an SDK method and its name says Stripe (docs/semantics.md §11).
        call = _api_call(CLIENT_STYLE, accessor, node, "unknown", scope, positions, event_names)
        out.calls.append(dataclasses.replace(call, inferred=call.account == "unknown"))
    # Listed either way; counted only when its name says Stripe (`_gateway.Client`: not counted).
    out.untraced.append(UntracedClient(origin, receiver, "", None, positions.of(node), accessor))


def _chain(node) -> tuple[object, list[str]] | None:
    """`_client.V1.Customers` -> (`_client`, ["V1", "Customers"]): the client's service tree from
    its `V1` / `V2`, and what holds the client (`this.client`, `_gateway.Client`,
    `new StripeClient(key)`)."""
    accesses = []  # (member access, its name), outermost first
    node = unwrap(node)
    while node is not None and node.type == "member_access_expression":
        accesses.append((node, text(node.child_by_field_name("name"))))
        node = unwrap(node.child_by_field_name("expression"))
    for depth in range(len(accesses) - 1, -1, -1):  # the innermost `V1` / `V2`
        access, name = accesses[depth]
        if name in ("V1", "V2"):
            return unwrap(access.child_by_field_name("expression")), [n for _, n in reversed(accesses[:depth + 1])]
    return None


def _api_call(style, accessor, node, account, scope: Scope, positions, event_names) -> ApiCall:
    args = arguments(node)
    account = _call_account(args, account, scope, event_names)
    if accessor.startswith(PLATFORM_SERVICES):
        account = "platform"
    expand, dynamic = _expand(args, scope, positions)
    return ApiCall(style, accessor, positions.of(node), account, tuple(expand), dynamic)


def _call_account(args, account: str, scope: Scope, event_names: set[str]) -> str:
    """A per-request account or key wins over the client's (`new RequestOptions { StripeAccount
    = id }`, a `RequestOptions` variable); so does acting on the event's own account
    (`service.Get(stripeEvent.Account)`, decision 6)."""
    for arg in args:
        held = scope.value(arg)
        if held is not None and held.kind == "options" and held.account != "platform":
            return held.account
        value = unwrap(arg)
        if value is not None and value.type == "member_access_expression" \
                and text(value.child_by_field_name("name")) == "Account" \
                and text(value.child_by_field_name("expression")) in event_names:
            return "installing"
    return account


def _expand(args, scope: Scope, positions: Positions) -> tuple[list[ExpandPath], bool]:
    """The expand list of the call's options: `new CustomerGetOptions { Expand = new List<string>
    { "x" } }` inline, or an options variable with `options.AddExpand("x")` /
    `options.Expand.Add("x")` in the same method."""
    found: list[ExpandPath] = []
    dynamic = False
    for arg in args:
        value = unwrap(arg)
        creations, name = [], None
        if value is not None and value.type == "object_creation_expression":
            creations.append(value)
        elif value is not None and value.type == "identifier":
            name = text(value)
            declared = scope.declaration(name, value)
            if declared is not None and declared[1] is not None and unwrap(declared[1]).type == "object_creation_expression":
                creations.append(unwrap(declared[1]))
        for creation in creations:
            if text(creation.child_by_field_name("type")).endswith("RequestOptions"):
                continue
            for key, item in initializer_entries(creation):
                if key == "Expand":
                    dynamic |= _literal_list(item, positions, found)
        if name is not None:
            dynamic |= _expand_statements(name, enclosing(value, *FUNCTIONS), positions, found)
    return found, dynamic


def _literal_list(node, positions: Positions, out: list[ExpandPath]) -> bool:
    """Adds the strings of `new List<string> { "a" }`, `new[] { "a" }`, `["a"]`; True when it
    is anything else (built at run time)."""
    items = collection_items(node)
    if items is None:
        return True
    dynamic = False
    for item in items:
        value = string_value(item)
        if value is None:
            dynamic = True
        else:
            out.append(ExpandPath(value, positions.of(unwrap(item))))
    return dynamic


def _expand_statements(name: str, function, positions: Positions, out: list[ExpandPath]) -> bool:
    dynamic = False
    for node in walk(function) if function is not None else ():
        if node.type == "invocation_expression":
            parts = callee_parts(node)
            if parts and text(parts[0]) in (name, f"{name}.Expand") and parts[1] in ("AddExpand", "Add", "AddRange"):
                if parts[1] == "Add" and text(parts[0]) == name:
                    continue  # `options.Add(...)`: not the expand list
                for arg in arguments(node):
                    value = string_value(arg)
                    if value is None:
                        dynamic |= _literal_list(arg, positions, out) if parts[1] == "AddRange" else True
                    else:
                        out.append(ExpandPath(value, positions.of(unwrap(arg))))
        elif node.type == "assignment_expression" and text(node.child_by_field_name("left")) == f"{name}.Expand":
            dynamic |= _literal_list(node.child_by_field_name("right"), positions, out)
    return dynamic


def _raw_call(node, account: str, positions: Positions, out: DotnetCallFacts) -> None:
    """`client.RawRequestAsync(HttpMethod.Post, "/v1/...", content, new RawRequestOptions {...})`."""
    args = arguments(node)
    if len(args) < 2:
        return
    verb_text = text(unwrap(args[0]))
    verb = verb_text.rsplit(".", 1)[-1].upper() if verb_text.startswith(("HttpMethod.", "System.Net.Http.HttpMethod.")) else "?"
    path = template(args[1])
    if path is None:
        path = "{}"
    path = "/".join("{}" if "{}" in part else part for part in path.split("?", 1)[0].split("/"))
    if len(args) > 3:
        options = unwrap(args[3])
        if options is not None and any(k in ACCOUNT_OPTIONS for k, _ in initializer_entries(options)):
            account = "installing"
    out.raw.append(RawRequest(verb, path, positions.of(node), request_account(path, account)))
