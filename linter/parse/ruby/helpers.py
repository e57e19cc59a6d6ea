"""Class helpers: a method that calls the SDK on a resource class its caller hands in.

    module StripeAccount
      def self.retrieve(klass, connection, id) = klass.retrieve({ id: id }, { stripe_account: ... })
    end
    StripeAccount.retrieve(Stripe::Charge, connection, dispute.charge)   # Charge.retrieve, here

The call inside the helper is on a parameter, so it says no class; each call of the helper does.
A helper handing its parameter on to another (`def each(k, c) = list(k, c).auto_paging_each`) is
one too. In the helper's file the calls are read by the helper's name; a helper callable from
other files (`def self.x`, or a module's `module_function` / `extend self` methods) is exported
under its qualified name, and a call naming an SDK class on a constant of another file
(`StripeAccount.each(Stripe::Customer, ...)`) waits for the linker (``ruby_links``).
"""

from __future__ import annotations

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import ClientExport, PendingCall
from stripe_perm_lint.parse.ruby import values as v
from stripe_perm_lint.parse.ruby.exports import nesting, referenced_method
from stripe_perm_lint.parse.ruby.scope import METHODS, enclosing, parameter_names
from stripe_perm_lint.parse.ruby.syntax import arguments, method_name, text, walk

class ClassHelpers:
    def __init__(self, reader) -> None:
        self.reader = reader  # the ``calls.RubyCallReader``: its evaluator, accounts and facts
        self._found: dict[str, list[tuple[object, int, str, str]]] = {}  # name -> (method, index, SDK method, account)
        self._calls: list = []  # calls on a constant the file cannot follow
        self.exports: list[ClientExport] = []
        self.pending: list[PendingCall] = []
        self.imports: list = []

    def see(self, node, receiver_node, receiver, name: str) -> None:
        if receiver is None and receiver_node.type in ("constant", "scope_resolution", "self"):
            self._calls.append(node)
        elif isinstance(receiver, v.Param) and receiver_node.type == "identifier":
            holder = self.reader.ev.scope.parameter(receiver_node)[0]
            if holder.type in METHODS:  # `klass.retrieve(...)`: a helper whose callers name the class
                found = self.reader.ev.options_account(arguments(node))
                account = found if found in ("installing", "platform") else self.reader._legacy_default(node)
                self._add(holder, receiver.index, name, account)

    def _add(self, holder, index: int, method: str, account: str) -> bool:
        entry = (holder, index, method, account)
        found = self._found.setdefault(text(holder.child_by_field_name("name")), [])
        if entry in found:
            return False
        found.append(entry)
        return True

    def link(self) -> None:
        self._handed_on()
        for entries in self._found.values():
            for holder, index, method, account in entries:
                if _callable_from_outside(holder):
                    owner = nesting(holder)
                    name = text(holder.child_by_field_name("name"))
                    self.exports.append(ClientExport(f"{owner}.{name}" if owner else name, "ruby_legacy", account,
                                                     class_param=(index, method)))
        for call in self._calls + self._bare_calls():
            self._call(call)

    def _handed_on(self) -> None:
        """`def each(k, c) ... list(k, c)` with `list` a helper: `each` is one (a few rounds)."""
        scope = self.reader.ev.scope
        for _ in range(3):
            grew = False
            for name in list(self._found):
                for call in scope.calls_named(name):
                    caller = enclosing(call, METHODS)
                    receiver = call.child_by_field_name("receiver")
                    if caller is None or receiver is not None and receiver.type != "self":
                        continue
                    positional = [a for a in arguments(call) if a.type != "pair"]
                    params = parameter_names(caller)
                    for _, index, method, account in list(self._found[name]):
                        arg = positional[index] if index < len(positional) else None
                        if arg is not None and arg.type == "identifier" and text(arg) in params:
                            grew = self._add(caller, params.index(text(arg)), method, account) or grew
            if not grew:
                return

    def _bare_calls(self) -> list:
        """Calls of this file's helpers without a receiver (`retrieve(Stripe::Charge, conn, id)`)."""
        return [c for name in self._found for c in self.reader.ev.scope.calls_named(name)
                if c.child_by_field_name("receiver") is None]

    def _call(self, call) -> None:
        classes = self._class_args(call)
        if not classes:
            return
        name = method_name(call)
        if name in self._found:
            for _, index, method, account in self._found[name]:
                accessor = f"{dict(classes).get(index)}.{method}"
                if index in dict(classes) and load_catalog().is_api_method("ruby_legacy", accessor):
                    self.reader._emit(call, "ruby_legacy", accessor, account)
            return
        receiver = call.child_by_field_name("receiver")
        binding = referenced_method(receiver, name) if receiver is not None else None
        if binding is not None:
            self.imports.append(binding)
            self.pending.append(PendingCall(binding.local, name, self.reader.pos(call), class_args=classes))

    def _class_args(self, call) -> tuple[tuple[int, str], ...]:
        found = []
        for i, arg in enumerate(a for a in arguments(call) if a.type != "pair"):
            value = self.reader.ev.value(arg) if arg.type in ("constant", "scope_resolution") else None
            if isinstance(value, v.SdkConst) and value.path:
                found.append((i, value.path))
        return tuple(found)


def _callable_from_outside(method) -> bool:
    """`def self.x`, or a method of a module that makes its methods the module's own."""
    if method.type == "singleton_method":
        return True
    owner = enclosing(method, ("class", "module"))
    if owner is None or owner.type != "module":
        return False
    body = owner.child_by_field_name("body")
    for node in body.named_children if body is not None else ():
        if node.type == "identifier" and text(node) == "module_function" or node.type == "call" and (
                method_name(node) == "module_function" and not arguments(node)
                or method_name(node) == "extend" and [a.type for a in arguments(node)] == ["self"]):
            return True
    return False
