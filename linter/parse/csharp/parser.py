"""One C# file in, its ``FileFacts`` out (language "csharp").

Linking stays within the file: services and clients held in locals, fields, properties and
constructor or method parameters typed with the SDK's classes (ASP.NET's dependency injection
hands them in typed, which is how a service is known; its account is then "unknown" and settled
by the app's access type, docs/semantics.md §6, unless the app's dependency-injection
registration says whose: ``registrations``, ``csharp_links``). A file with syntax errors yields
what parsed.
"""

from __future__ import annotations

from stripe_perm_lint.backends import parse_tree
from stripe_perm_lint.facts import FileFacts, Position
from stripe_perm_lint.parse.csharp.calls import read_calls
from stripe_perm_lint.parse.csharp.events import DotnetEventReader, event_variables
from stripe_perm_lint.parse.csharp.registrations import read_registrations
from stripe_perm_lint.parse.csharp.scope import Scope
from stripe_perm_lint.parse.csharp.sdk import sdk
from stripe_perm_lint.parse.csharp.syntax import CLASSES, FUNCTIONS, NodeIndex, callee_parts, string_value, text
from stripe_perm_lint.parse.csharp.urls import read_requests
from stripe_perm_lint.parse.endpoints import Region, attach
from stripe_perm_lint.parse.positions import Positions

LANGUAGE = "csharp"
# Minimal-API routes (`app.MapPost("/webhook", async (HttpRequest req) => ...)`): their handler
# is the endpoint, named by its route.
ROUTE_METHODS = ("MapPost", "MapGet", "MapPut", "MapDelete", "MapPatch", "MapMethods")


def parse(path: str, text_: str) -> FileFacts:
    data = text_.encode("utf-8", errors="surrogatepass")
    index = NodeIndex(parse_tree(LANGUAGE, data).root_node)
    positions = Positions(data)
    namespaces, imports_stripe = _stripe_namespaces(index)
    scope = Scope(sdk(), namespaces, imports_stripe, *_own_and_qualified_types(index))
    names = event_variables(index)
    found = read_calls(index, scope, positions, names)
    reader = DotnetEventReader(scope, positions, names)
    reader.read(index)
    raw = found.raw + read_requests(index, positions)
    events, endpoints, _ = attach(path, _regions(index, positions), reader.events, found.calls, [])
    return FileFacts(
        path=path,
        language=LANGUAGE,
        calls=tuple(sorted(found.calls, key=lambda c: (c.position, c.accessor))),
        raw_requests=tuple(sorted(raw, key=lambda r: (r.position, r.path))),
        events=tuple(sorted(set(events), key=lambda e: (e.position, e.name, e.kind))),
        unresolved=tuple(sorted(set(reader.unresolved), key=lambda u: (u.position, u.what))),
        untraced_clients=tuple(found.untraced),
        client_exports=tuple(read_registrations(index, scope)),
        pending_calls=tuple(found.pending),
        webhook_endpoints=tuple(endpoints),
    )


def _stripe_namespaces(index: NodeIndex) -> tuple[tuple[str, ...], bool]:
    """`using Stripe.Checkout;` -> "Checkout": where a service's simple name is looked up; and
    whether the file imports Stripe's types at all (`using Stripe;`, or it is itself in `Stripe`)."""
    out, imports = [], False
    for node in index.of("using_directive"):
        if node.child_by_field_name("name") is None:  # not an alias (`using Sessions = ...;`)
            written = text(node.named_children[-1]).removeprefix("global::") if node.named_children else ""
            imports |= written == "Stripe" or written.startswith("Stripe.")
            if written.startswith("Stripe."):
                out.append(written.removeprefix("Stripe."))
    for node in index.of("namespace_declaration", "file_scoped_namespace_declaration"):
        imports |= text(node.child_by_field_name("name")).split(".")[0] == "Stripe"
    return tuple(out), imports


def _own_and_qualified_types(index: NodeIndex) -> tuple[frozenset[str], frozenset[str]]:
    """The types the file declares (an app's own `class CustomerService`), and those it names
    qualified with `Stripe.` (`new Stripe.CustomerService()`)."""
    declared = {text(n.child_by_field_name("name")) for n in index.of(
        "class_declaration", "interface_declaration", "record_declaration", "struct_declaration")}
    qualified = {text(n.child_by_field_name("name")) for n in index.of("qualified_name", "member_access_expression")
                 if text(n).removeprefix("global::").startswith("Stripe.") and text(n).count(".") == 1}
    return frozenset(declared), frozenset(qualified)


def _regions(index: NodeIndex, positions: Positions) -> list[Region]:
    """Every method of a class (`StripeWebhookController.Index`), every route handler of a
    minimal API (named by its route) and every local function of the top-level statements."""
    out = []
    for node in index.of("method_declaration", "constructor_declaration", "local_function_statement", "lambda_expression"):
        name = None
        if node.type in ("method_declaration", "constructor_declaration") and _outer_function(node) is None:
            cls = node.parent.parent if node.parent is not None else None
            owner = text(cls.child_by_field_name("name")) if cls is not None and cls.type in CLASSES else ""
            name = f"{owner}.{text(node.child_by_field_name('name'))}" if owner else text(node.child_by_field_name("name"))
        elif node.type == "local_function_statement" and _outer_function(node) is None:
            name = text(node.child_by_field_name("name"))
        elif node.type == "lambda_expression" and _outer_function(node) is None:
            name = _route_of(node)
        if name:
            end = node.end_point
            out.append(Region(name, positions.of(node), Position(end[0] + 1, 10**9), text(node)))
    return out


def _outer_function(node):
    node = node.parent
    while node is not None and node.type not in FUNCTIONS:
        node = node.parent
    return node


def _route_of(lambda_node) -> str | None:
    call = lambda_node.parent.parent.parent if lambda_node.parent is not None and lambda_node.parent.parent else None
    if call is None or call.type != "invocation_expression":
        return None
    parts = callee_parts(call)
    if parts is None or parts[1] not in ROUTE_METHODS:
        return None
    args = call.child_by_field_name("arguments").named_children
    route = string_value(args[0]) if args else None
    return route
