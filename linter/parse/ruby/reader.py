"""One Ruby file in, its facts out: the readers run over one tree, then events get their endpoints."""

from __future__ import annotations

from stripe_perm_lint.backends import parse_tree
from stripe_perm_lint.facts import ClientExport, FileFacts, Position
from stripe_perm_lint.global_keys import GLOBAL_KEY
from stripe_perm_lint.parse.endpoints import Region, attach
from stripe_perm_lint.parse.positions import Positions
from stripe_perm_lint.parse.ruby.calls import RubyCallReader
from stripe_perm_lint.parse.ruby.evaluator import RubyEvaluator
from stripe_perm_lint.parse.ruby.events import RubyEventReader
from stripe_perm_lint.parse.ruby.exports import constant_exports
from stripe_perm_lint.parse.ruby.raw import VERBS, RawReader
from stripe_perm_lint.parse.ruby.scope import METHODS, FileScope, enclosing
from stripe_perm_lint.parse.ruby.syntax import arguments, constant_path, method_name, string_value, text, walk

# Top-level blocks that receive webhook events: Sinatra / Roda routes, the stripe_event gem's setup.
_EVENT_BLOCK_CALLS = ("configure", "subscribe", "all")


def read_file(path: str, source: str) -> tuple[FileFacts, tuple[str, Position] | None]:
    data = source.encode("utf-8", errors="surrogatepass")
    root = parse_tree("ruby", data).root_node
    pos = Positions(data).of
    scope = FileScope(root)
    ambient = [n for n in walk(root) if n.type == "assignment" and _sets_global_key(n)]
    ev = RubyEvaluator(scope, ambient)
    calls = RubyCallReader(ev, pos)
    calls.read(root)
    raw = RawReader(ev, pos, calls._legacy_default)
    raw.read(root)
    events = RubyEventReader(ev, pos)
    events.read(root)
    events.subscribed(calls.webhook_creations)
    events.finish()
    handled, endpoints, pending_events = attach(path, _regions(root, pos), sorted(set(events.events), key=_order),
                                                calls.calls, [], events.pending)
    facts = FileFacts(
        path=path,
        language="ruby",
        calls=tuple(sorted(set(calls.calls), key=_order)),
        raw_requests=tuple(sorted(set(raw.requests), key=_order)),
        events=tuple(handled),
        unresolved=tuple(sorted(set(calls.unresolved + events.unresolved), key=_order)),
        untraced_clients=tuple(sorted(set(calls.untraced), key=_order)),
        webhook_endpoints=tuple(endpoints),
        client_exports=_global_keys(ev, ambient) + tuple(calls.helpers.exports),
        constant_exports=tuple(constant_exports(scope.constants)),
        imports=tuple(sorted(set(events.imports + calls.helpers.imports + raw.imports), key=repr)),
        base_url_exports=tuple(sorted(set(raw.url_exports), key=repr)),
        pending_base_url_requests=tuple(sorted(set(raw.pending), key=_order)),
        pending_events=tuple(pending_events),
        pending_calls=tuple(calls.helpers.pending),
    )
    return facts, _syntax_error(root, pos)


def _global_keys(ev: RubyEvaluator, assignments) -> tuple[ClientExport, ...]:
    """The global keys this file sets for the whole process (``global_keys``): every
    `Stripe.api_key =` but a per-request one (an account's key inside a method, decision 12)."""
    found = set()
    for assign in assignments:
        key = ev.key_account(assign.child_by_field_name("right"))
        if key in ("platform", "unknown"):
            found.add(ClientExport(GLOBAL_KEY, "ruby_legacy", key))
        elif enclosing(assign, METHODS) is None:  # an account's key for the whole process
            found.add(ClientExport(GLOBAL_KEY, "ruby_legacy", "installing"))
    return tuple(sorted(found, key=lambda x: x.account))


def _order(fact):
    return fact.position, repr(fact)


def _sets_global_key(node) -> bool:
    """`Stripe.api_key = ...`."""
    left = node.child_by_field_name("left")
    if left is None or left.type != "call" or method_name(left) != "api_key":
        return False
    receiver = left.child_by_field_name("receiver")
    return receiver is not None and (constant_path(receiver) or "").removeprefix("::") == "Stripe"


def _regions(root, pos) -> list[Region]:
    """Outermost methods (also those defined in a block, `included do ... end`), and top-level
    blocks that receive events; top-down, so a deep file costs one pass."""
    found, stack = [], [(root, False)]
    while stack:
        node, in_block = stack.pop()
        if node.type in METHODS:
            owner = _owner(node)
            name = text(node.child_by_field_name("name"))
            found.append(_region(f"{owner}.{name}" if owner else name, node, pos))
            continue
        if node.type == "call" and not in_block and _receives_events(node):
            found.append(_region(_block_name(node), node, pos))
            continue
        in_block = in_block or node.type in ("block", "do_block")
        stack.extend((child, in_block) for child in reversed(node.children))
    return sorted(found, key=lambda r: r.start)


def _receives_events(call) -> bool:
    block = call.child_by_field_name("block")
    if block is None:
        return False
    name = method_name(call) or ""
    receiver = call.child_by_field_name("receiver")
    if receiver is None and name in VERBS:  # Sinatra: `post '/webhook' do ... end`
        return True
    return receiver is not None and text(receiver) == "StripeEvent" and name in _EVENT_BLOCK_CALLS


def _block_name(call) -> str:
    args = arguments(call)
    route = string_value(args[0]) if args else None
    if call.child_by_field_name("receiver") is None and route:
        return f"{method_name(call).upper()} {route}"
    return f"StripeEvent.{method_name(call)}"


def _region(name: str, node, pos) -> Region:
    end = node.end_point
    return Region(name, pos(node), Position(end[0] + 1, 10**9), text(node))


def _owner(node) -> str:
    current = node.parent
    while current is not None:
        if current.type in ("class", "module"):
            return constant_path(current.child_by_field_name("name")) or ""
        current = current.parent
    return ""


def _syntax_error(root, pos) -> tuple[str, Position] | None:
    """The first error of a tree with errors: the facts found elsewhere are kept."""
    if not root.has_error:
        return None
    for node in walk(root):
        if node.type == "ERROR" or node.is_missing:
            what = f"missing {node.type}" if node.is_missing else "unexpected input"
            return f"syntax error ({what}); facts may be incomplete", pos(node)
    return "syntax error; facts may be incomplete", Position(1, 1)
