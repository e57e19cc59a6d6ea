"""The Go parser (tree-sitter-go): ``parse(path, source)`` -> ``FileFacts``.

One pass builds the file's declarations (``scope.FileModel``); then every call is read as an
SDK call (``calls``), a raw request (``requests``) or an event test (``events``), and every
comparison, switch, index and keyed element as an event use. Webhook endpoints are the file's
top-level functions and methods (``Server.handleWebhook``), with the evidence
``parse.endpoints`` reads from their text.

Across files: Go shares package-level names among the files of one folder, so a client in a
package-level variable, a struct field typed as a client, or a function returning one is a
``ClientExport``, and a call on a name this file does not declare is a ``PendingCall`` on an
``ImportBinding`` to module ``"."`` (the same package), which the linker resolves in the
folder's other Go files. A call through an import that may be a package of the app's own module
is pending on the import path (``ImportBinding(local, path, "*")``), which the linker maps to a
folder by the app's go.mod (``gomod``). Request wrappers (``wrappers``) are exported by name, and
their calls become raw requests here or ``PendingRequest``s, resolved the same ways.
"""

from __future__ import annotations

from stripe_perm_lint.backends import parse_tree
from stripe_perm_lint.facts import ClientExport, FileFacts, ParseProblem, Position
from stripe_perm_lint.parse.endpoints import Region, attach
from stripe_perm_lint.parse.go.calls import CallReader
from stripe_perm_lint.parse.go.events import GoEventReader
from stripe_perm_lint.parse.go.requests import RequestReader
from stripe_perm_lint.parse.go.scope import FileModel
from stripe_perm_lint.parse.go.syntax import arguments, text, walk_types
from stripe_perm_lint.parse.go.values import GoClient, GoEvaluator, Event, Struct
from stripe_perm_lint.parse.go.wrappers import GoWrappers
from stripe_perm_lint.parse.positions import Positions
from stripe_perm_lint.parse.tree import walk

_EVENT_NODES = ("binary_expression", "expression_switch_statement", "index_expression", "keyed_element")


class _Facts:
    def __init__(self) -> None:
        self.calls, self.raw, self.events, self.unresolved, self.pending, self.untraced = [], [], [], [], [], []
        self.pending_requests: list = []
        self.imports: set = set()


def parse(path: str, source: str) -> FileFacts:
    data = source.encode("utf-8", errors="surrogatepass")
    root = parse_tree("go", data).root_node
    positions = Positions(data)
    model = FileModel(root)
    ev = GoEvaluator(model, positions.of)
    out = _Facts()
    calls, requests, events = CallReader(ev, out), RequestReader(ev, out), GoEventReader(ev, out)
    wrappers = GoWrappers(requests)
    wrappers.read_calls(out)  # first: a wrapper called here makes no request of its own
    for chain, call in model.calls:
        fn = model.function_at(call)
        calls.read(call, fn)
        if not wrappers.is_inner(call):
            requests.read(chain, call, fn)
        events.call(chain, call, fn)
    for node in walk_types(root, *_EVENT_NODES):
        events.node(node, model.function_at(node))
    requests.unread_urls(root)
    regions = [_region(ev, f) for f in model.functions]
    handled, endpoints, _ = attach(path, regions, out.events, out.calls, out.pending)
    return FileFacts(
        path=path,
        language="go",
        calls=tuple(sorted(set(out.calls), key=lambda c: (c.position, c.accessor))),
        raw_requests=tuple(sorted(set(out.raw), key=lambda r: (r.position, r.path))),
        events=tuple(sorted(set(handled), key=lambda e: (e.position, e.name, e.kind))),
        unresolved=tuple(sorted(set(out.unresolved), key=lambda u: (u.position, u.what))),
        imports=tuple(sorted(out.imports, key=lambda b: b.local)),
        client_exports=_exports(ev, model),
        pending_calls=tuple(sorted(set(out.pending), key=lambda p: (p.position, p.accessor))),
        request_wrapper_exports=wrappers.exports(),
        pending_requests=tuple(sorted(set(out.pending_requests), key=lambda p: (p.position, repr(p)))),
        webhook_endpoints=tuple(sorted(endpoints, key=lambda e: (e.position, e.endpoint))),
        untraced_clients=tuple(sorted(set(out.untraced), key=lambda u: (u.position, u.name))),
        problems=_problems(root, positions),
    )


def _region(ev: GoEvaluator, fn) -> Region:
    """A top-level function or method, with the functions it hands an event to."""
    hands = set()
    for chain, call in ev.m.calls_in(fn):
        if chain and any(isinstance(ev.value(a, fn), Event) for a in arguments(call) if a.type == "identifier"):
            hands.add(chain[-1])
    end = fn.node.end_point
    return Region(fn.name, ev.pos(fn.node), Position(end[0] + 1, 10**9), text(fn.node), hands_to=tuple(sorted(hands)))


def _exports(ev: GoEvaluator, model: FileModel) -> tuple[ClientExport, ...]:
    """The clients other files of the package may use: package-level variables, struct fields
    typed as a client (`Server.stripe`), functions returning one, and the client fields of the
    struct a function returns (`NewGateway.Merchant`, for `stripex.NewGateway(tok).Merchant`)."""
    found = []
    for name in model.globals.names:
        value = ev.value_of_name(name)
        if isinstance(value, GoClient):
            found.append(ClientExport(name, value.style, value.account))
    for type_name, fields in model.structs.items():
        for field, kind in fields.items():
            value = ev.type_value(kind, (type_name, field))
            if isinstance(value, GoClient):
                found.append(ClientExport(f"{type_name}.{field}", value.style, value.account))
    for function in model.functions:  # `getStripe()`, and methods: `App.clientFor`
        value = ev.returned(function)
        if isinstance(value, GoClient):
            found.append(ClientExport(function.name, value.style, value.account, returns_client=True))
        elif isinstance(value, Struct):  # `NewGateway()` returning a `*Gateway`: its client fields
            for field, kind in model.structs.get(value.name, {}).items():
                client = ev.type_value(kind, (value.name, field))
                if isinstance(client, GoClient):
                    found.append(ClientExport(f"{function.name}.{field}", client.style, client.account, True))
    return tuple(sorted(set(found), key=lambda e: e.name))


def _problems(root, positions: Positions) -> tuple[ParseProblem, ...]:
    """One problem per file, at the first error tree-sitter recovered from: the facts found
    elsewhere in the file are kept."""
    if not root.has_error:
        return ()
    for node in walk_types(root, "ERROR"):
        return (ParseProblem("syntax error (unexpected input); facts may be incomplete", positions.of(node)),)
    missing = next((n for n in walk(root) if n.is_missing), None)
    at = positions.of(missing) if missing is not None else Position(1, 1)
    return (ParseProblem("syntax error (missing input); facts may be incomplete", at),)
