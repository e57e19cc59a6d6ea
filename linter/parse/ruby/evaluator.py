"""What a Ruby expression holds (``values``): SDK constants, clients and their services, objects
and events SDK calls return, API keys, request options, literal strings. Followed through locals,
instance variables (`@stripe` set in `initialize`), constants, memoised getters (`def stripe;
@stripe ||= Stripe::StripeClient.new(...)`) and parameters, to a fixed depth.
"""

from __future__ import annotations

import dataclasses
import re

from stripe_perm_lint.parse.ruby import values as v
from stripe_perm_lint.parse.ruby.accounts import MAX_DEPTH, AccountReading, returned_values
from stripe_perm_lint.parse.ruby.scope import FileScope, enclosing
from stripe_perm_lint.parse.ruby.syntax import arguments, constant_path, method_name, string_value, symbol_value, text

_EVENT_NAME_TEXT = re.compile(r"^(?:@)?(?:[a-z_]*_)?(?:event|evt)$")
_LIST_ACCESS = ("data", "auto_paging_each", "each", "to_a")
_ITERATORS = ("each", "auto_paging_each", "map", "each_with_index", "select", "find", "filter_map")


class RubyEvaluator(AccountReading):
    def __init__(self, scope: FileScope, ambient) -> None:
        self.scope = scope
        self.ambient = ambient  # `Stripe.api_key = ...` statements: (node, account) per method
        self._cache: dict[tuple[int, int, str], object] = {}
        self._passed: dict[tuple[int, int], v.ClientChain | None] = {}  # (method, index) -> client callers pass
        self._cut = False  # the evaluation under way hit the depth limit: its answer is not kept

    # --- values ---------------------------------------------------------------------------

    def value(self, node, depth: int = 0):
        if node is None:
            return None
        if depth > MAX_DEPTH:
            self._cut = True
            return None
        key = (node.start_byte, node.end_byte, node.type)
        if key in self._cache:
            return self._cache[key]
        outer, self._cut = self._cut, False
        self._cache[key] = None  # a cycle (`a = a.foo`) ends here
        found = self._value(node, depth)
        if self._cut:  # cut short by the depth limit: another path may reach it from nearer
            del self._cache[key]
        else:
            self._cache[key] = found
        self._cut = self._cut or outer
        return found

    def _value(self, node, depth: int):
        kind = node.type
        if kind in ("constant", "scope_resolution"):
            path = constant_path(node)
            if path is None:
                return None
            path = path.removeprefix("::")
            if path == "Stripe" or path.startswith("Stripe::"):
                return v.SdkConst(path[len("Stripe::"):] if path != "Stripe" else "")
            if kind == "constant" and path in self.scope.constants:
                return self.value(self.scope.constants[path][-1], depth + 1)
            return None
        if kind == "identifier":
            return self._name(node, depth)
        if kind == "instance_variable":
            found = [self.value(n, depth + 1) for n in self.scope.ivar_values(node)]
            found = [v.RubyUntraced("member", text(node)) if isinstance(f, v.Param) else f for f in found]
            found = [f for f in found if f is not None]
            return found[-1] if found else (None if self.scope.ivar_values(node) else v.RubyUntraced("member", text(node)))
        if kind in ("parenthesized_statements", "begin"):  # `begin ... rescue ... end`: its body's value
            children = [c for c in node.named_children if c.type not in ("comment", "rescue", "else", "ensure")]
            return self.value(children[-1], depth + 1) if children else None
        if kind in ("array", "string_array"):
            items = [(string_value(c) if c.type != "bare_string" else text(c), c) for c in node.named_children]
            return v.LiteralStrings(tuple(items)) if items and all(s is not None for s, _ in items) else None
        if kind == "call" and method_name(node) == "freeze":
            return self.value(node.child_by_field_name("receiver"), depth + 1)
        if kind == "call":
            return self.call_value(node, depth)
        if kind == "element_reference":
            receiver = self.value(node.named_children[0], depth + 1) if node.named_children else None
            keys = [symbol_value(k) for k in node.named_children[1:]]
            if isinstance(receiver, v.RubyEvent) and keys == ["type"]:
                return v.TypeOfEvent()
            if isinstance(receiver, v.RubyEvent) and keys == ["account"]:
                return v.EventAccount()
            if isinstance(receiver, (v.Param, v.RubyUntraced)) and keys == ["type"] \
                    and _EVENT_NAME_TEXT.match(text(node.named_children[0]).lower()):
                return v.TypeOfEvent(unverified=True)
            if isinstance(receiver, v.RubyEvent) and keys in (["data"], ["object"]):
                return None
            return None
        return None

    def _name(self, node, depth: int):
        assigned = self.scope.local_value(node)
        if assigned is not None:
            return self.value(assigned, depth + 1)
        param = self.scope.parameter(node)
        if param is not None:
            holder, index = param
            if holder.type in ("block", "do_block") and self._event_block(holder):
                return v.RubyEvent()
            if holder.type in ("block", "do_block") and index == 0:
                listed = self._listed(holder, depth)
                if listed is not None:
                    return listed
            return self.passed_client(node, depth) or v.Param(text(node), index)
        getter = self.scope.methods.get(text(node))
        if getter:  # a method of the file called without receiver: its last expression
            return self.method_value(getter[-1], depth)
        return v.RubyUntraced("unknown", text(node))

    def method_value(self, method, depth: int):
        """What a method of the file returns: the first of its return values that is known."""
        for node in returned_values(method):
            found = self.value(node, depth + 1)
            if found is not None:
                return found
        return None

    def _listed(self, block, depth: int):
        """`Stripe::Invoice.list(...).each do |invoice|`: an element of an SDK list."""
        call = block.parent
        receiver = call.child_by_field_name("receiver") if call is not None and call.type == "call" else None
        if receiver is None or method_name(call) not in _ITERATORS:
            return None
        found = self.value(receiver, depth + 1)
        return found if isinstance(found, v.SdkObject) else None

    def _event_block(self, block) -> bool:
        """`StripeEvent.subscribe 'x' do |event|`, `events.all do |event|`: the gem hands it an event."""
        call = block.parent
        if call is None or call.type != "call":
            return False
        receiver = call.child_by_field_name("receiver")
        return method_name(call) in ("subscribe", "all") and receiver is not None and (
            text(receiver) == "StripeEvent" or self.stripe_event_config(receiver))

    def stripe_event_config(self, node) -> bool:
        """The block parameter of `StripeEvent.configure do |events|`."""
        if node.type != "identifier":
            return False
        param = self.scope.parameter(node)
        if param is None or param[0].type not in ("block", "do_block"):
            return False
        call = param[0].parent
        return call is not None and call.type == "call" and method_name(call) == "configure" \
            and text(call.child_by_field_name("receiver") or call) == "StripeEvent"

    def call_value(self, node, depth: int):
        """What a call returns, when it is the SDK's; the facts it makes are ``calls.CallReader``'s."""
        receiver_node = node.child_by_field_name("receiver")
        name = method_name(node) or ""
        if receiver_node is None:
            if name in self.scope.methods and not arguments(node):
                return self.method_value(self.scope.methods[name][-1], depth)
            return v.RubyUntraced("unknown", name) if not arguments(node) else None
        receiver = self.value(receiver_node, depth + 1)
        if receiver is None and receiver_node.type in ("constant", "scope_resolution", "self") \
                and name in self.scope.methods and not arguments(node):
            # `Seeds.client` / `self.client`: a module or class method of this file, its last expression
            return self.method_value(self.scope.methods[name][-1], depth)
        if isinstance(receiver, v.SdkConst):
            return self._const_call(node, receiver, name, depth)
        if isinstance(receiver, v.ClientChain):
            return self.client_member(node, receiver, name, depth)
        if isinstance(receiver, v.SdkObject) and name in _LIST_ACCESS:
            return receiver  # `list.data`, `list.auto_paging_each`: the same objects
        if isinstance(receiver, v.RubyEvent) and name == "type":
            return v.TypeOfEvent()
        if isinstance(receiver, v.RubyEvent) and name == "account":
            return v.EventAccount()
        if isinstance(receiver, v.TypeOfEvent) and name in ("to_s", "to_sym", "downcase", "freeze"):
            return receiver
        if receiver is None and name in ("v1", "v2") and receiver_node.type in ("identifier", "call", "constant"):
            # `StripeGateway.client.v1...`: a client from another file (Rails autoloads it)
            receiver = v.RubyUntraced("unknown", text(receiver_node))
        if isinstance(receiver, (v.RubyUntraced, v.Param)) and name in ("v1", "v2"):
            passed = self.passed_client(receiver_node, depth) if isinstance(receiver, v.Param) else None
            if passed is not None:
                return v.ClientChain(passed.account, name)
            if isinstance(receiver, v.Param) and self._typed_client(receiver_node):
                return v.ClientChain("unknown", name)  # known by its type: settled like any such client
            origin = receiver.origin if isinstance(receiver, v.RubyUntraced) else "parameter"
            return v.ClientChain("unknown", name, inferred=True, origin=origin, receiver=text(receiver_node))
        if isinstance(receiver, (v.Param, v.RubyUntraced)) and name == "type" \
                and _EVENT_NAME_TEXT.match(text(receiver_node).lower()):
            return v.TypeOfEvent(unverified=True)  # `def handle(event) ... event.type`: origin unknown
        return None

    def passed_client(self, node, depth: int) -> v.ClientChain | None:
        """The client callers in this file hand to a parameter: `Billing.new(client)` for
        `def initialize(client)`, `sync(client)` for `def sync(client)`; the installing account's
        when any caller passes one of those."""
        param = self.scope.parameter(node) if node.type == "identifier" else None
        if node.type == "instance_variable":
            sources = [n for n in self.scope.ivar_values(node) if n.type == "identifier"]
            param = self.scope.parameter(sources[-1]) if sources else None
        if param is None or param[0].type not in ("method",):
            return None
        holder, index = param
        key = (holder.start_byte, index)
        if key in self._passed:
            return self._passed[key]
        outer, self._cut = self._cut, False
        self._passed[key] = None  # a caller handing on its own parameter ends here
        found = self._callers_client(holder, index, depth)
        if self._cut:
            del self._passed[key]
        else:
            self._passed[key] = found
        self._cut = self._cut or outer
        return found

    def _callers_client(self, holder, index: int, depth: int) -> v.ClientChain | None:
        name = text(holder.child_by_field_name("name"))
        owner = enclosing(holder, ("class",))
        owner_name = (constant_path(owner.child_by_field_name("name")) or "") if owner is not None else ""
        found = []
        constructor = owner_name.rsplit("::", 1)[-1] + ".new"
        for call in self.scope.calls_named(constructor if name == "initialize" else name):
            args = [a for a in arguments(call) if a.type != "pair"]
            if index < len(args):
                value = self.value(args[index], depth + 1)
                if isinstance(value, v.ClientChain) and not value.chain:
                    found.append(value)
        if not found:
            return None
        return next((c for c in found if c.account == "installing"), found[0])

    def _typed_client(self, node) -> bool:
        param = self.scope.parameter(node) if node.type == "identifier" else None
        return param is not None and param[0].type in ("method", "singleton_method") \
            and self.scope.declared_type(param[0], text(node)) in ("Stripe::StripeClient", "T.nilable(Stripe::StripeClient)")

    def _const_call(self, node, receiver: v.SdkConst, name: str, depth: int):
        path = receiver.path
        if path == "StripeClient" and name == "new":
            return v.ClientChain(self.client_account(node))
        if path in ("Webhook", "Event") and name in ("construct_event", "construct_event_without_verification",
                                                    "construct_from", "retrieve"):
            return v.RubyEvent()
        if path == "" and name == "api_key":
            return None
        return v.SdkObject(path, node.start_byte)  # the account of its call is the call reader's to say

    def client_member(self, node, client: v.ClientChain, name: str, depth: int):
        if name in ("parse_event_notification", "construct_event"):
            return v.RubyEvent()
        return dataclasses.replace(client, chain=f"{client.chain}.{name}" if client.chain else name)
