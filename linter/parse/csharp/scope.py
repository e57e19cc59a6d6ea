"""What a name holds in a C# file: a Stripe.net service, a ``StripeClient``, ``RequestOptions``,
and on whose account it acts (docs/semantics.md §6, §12).

Names are looked up as C# does, innermost first: locals and parameters of the enclosing
methods and lambdas, then the fields and properties of the enclosing class (set by an
initializer or in a constructor: dependency injection hands a service or client in as a
constructor parameter typed with the SDK's class, which is how ASP.NET apps get them).
"""

from __future__ import annotations

from dataclasses import dataclass

from stripe_perm_lint.parse.csharp.accounts import ACCOUNT_OPTIONS, global_account, key_account
from stripe_perm_lint.parse.csharp.declarations import (
    constructor_assignment,
    container_filled,
    fields,
    initial,
    returned_values,
    top_level,
)
from stripe_perm_lint.parse.csharp.sdk import CLIENT_TYPES, Sdk, di_name
from stripe_perm_lint.parse.csharp.syntax import CLASSES, FUNCTIONS, enclosing, initializer_entries, text, unwrap, walk
from stripe_perm_lint.parse.csharp.syntax import arguments as _args

@dataclass(frozen=True)
class DotnetValue:
    kind: str  # "service" | "client" | "options" | "event"
    cls: str  # the table's class (`CustomerService`), or the type as written
    account: str  # "installing" | "platform" | "unknown"
    # Named without `Stripe.` in a file that imports no Stripe namespace: it may be the app's own
    # class of that name (only a `global using Stripe;` elsewhere makes it the SDK's).
    inferred: bool = False
    # Handed in by type (dependency injection): the registration it links to (``sdk.di_name``).
    injected: str | None = None


class Scope:
    def __init__(self, sdk: Sdk, namespaces: tuple[str, ...], imports_stripe: bool,
                 declared: frozenset[str] = frozenset(), qualified: frozenset[str] = frozenset()):
        self.sdk = sdk
        self.namespaces = namespaces
        self.imports_stripe = imports_stripe
        # Unqualified, a type the file declares itself is its own; so is a service name it also
        # writes qualified (`new Stripe.CustomerService()` beside the app's own `CustomerService`).
        self.declared = declared
        self.qualified = qualified
        self._members: dict[int, dict] = {}  # class node id -> its fields by name (read once)
        self._returning: set[int] = set()  # methods whose returned value is being read

    def field(self, cls, name: str):
        if cls.id not in self._members:
            self._members[cls.id] = fields(cls)
        return self._members[cls.id].get(name)

    # ---- types
    def held_type(self, written: str) -> tuple[str, str, bool] | None:
        """(kind, class, inferred) a declared type stands for: `CustomerService`, `IStripeClient`,
        `RequestOptions`."""
        written = written.rstrip("?").removeprefix("global::")
        name = written.removeprefix("Stripe.")
        qualified = name != written
        if not qualified and name in self.declared:
            return None
        if name in CLIENT_TYPES:  # names only the SDK uses: written qualified or not, the same
            return "client", name, False
        if name == "RequestOptions":
            return "options", name, False
        if name == "Event":
            return "event", name, False
        if not qualified and name in self.qualified:
            return None
        service = self.sdk.service_class(name, self.namespaces)
        return ("service", service, not qualified and not self.imports_stripe) if service else None

    # ---- values
    def value(self, node) -> DotnetValue | None:
        """What an expression holds, when it is a Stripe.net object the parser can follow."""
        node = unwrap(node)
        if node is None:
            return None
        if node.type in ("object_creation_expression", "implicit_object_creation_expression"):
            return self._created(node)
        if node.type == "identifier":
            return self.lookup(text(node), node)
        if node.type == "member_access_expression" and text(node.child_by_field_name("expression")) == "this":
            return self.member(text(node.child_by_field_name("name")), node)
        if node.type == "member_access_expression":  # `customers.BalanceTransactions`: a nested service
            owner = self.value(node.child_by_field_name("expression"))
            nested = self.sdk.nested.get(owner.cls, {}) if owner is not None and owner.kind == "service" else {}
            name = text(node.child_by_field_name("name"))
            return DotnetValue("service", nested[name], owner.account, owner.inferred, owner.injected) \
                if name in nested else None
        if node.type == "invocation_expression":
            return self._returned(node)
        return None

    def _returned(self, call) -> DotnetValue | None:
        """What a method of the same class returns, by its declared type and the value it
        returns (`StripeClient ClientFor(string id) => new StripeClient(_tokens[id]);`,
        `RequestOptions ForAccount(string acct) => new() { StripeAccount = acct };`)."""
        function = call.child_by_field_name("function")
        if function is not None and function.type == "member_access_expression" \
                and text(function.child_by_field_name("expression")) == "this":
            function = function.child_by_field_name("name")
        cls = enclosing(call, *CLASSES)
        if function is None or function.type != "identifier" or cls is None:
            return None
        method = self.method(cls, text(function))
        typed = self.held_type(text(method.child_by_field_name("returns"))) if method is not None else None
        if typed is None or method.id in self._returning:
            return None
        self._returning.add(method.id)  # a method that returns its own result is not followed forever
        try:
            found = next((v for v in map(self.value, returned_values(method)) if v is not None), None)
        finally:
            self._returning.discard(method.id)
        return found or DotnetValue(*typed[:2], "unknown", typed[2])

    def method(self, cls, name: str):
        body = cls.child_by_field_name("body")
        return next((m for m in body.named_children if m.type == "method_declaration"
                     and text(m.child_by_field_name("name")) == name), None) if body is not None else None

    def _created(self, node) -> DotnetValue | None:
        type_node = node.child_by_field_name("type")
        found = self.held_type(text(type_node)) if type_node is not None else self._target_type(node)
        if found is None:
            return None
        kind, cls, inferred = found
        args = _args(node)
        if kind == "client":
            # `new StripeClient(key)`, or `new StripeClient(new StripeClientOptions { ApiKey = key,
            # StripeAccount = id })` (the options inline or in a variable).
            options = self._client_options(args[0]) if args else None
            entries = initializer_entries(options if options is not None else node)
            if any(name in ACCOUNT_OPTIONS for name, _ in entries):
                return DotnetValue(kind, cls, "installing")
            key = args[0] if args and options is None else next((v for name, v in entries if name == "ApiKey"), None)
            return DotnetValue(kind, cls, key_account(self, key, node, client=True) if key is not None else "platform")
        if kind == "service":
            if not args:  # the process-wide `StripeConfiguration.ApiKey`
                return DotnetValue(kind, cls, global_account(self, node), inferred)
            client = self.value(args[0])  # a service's only constructor argument is its client
            if client is None or client.kind != "client":
                return DotnetValue(kind, cls, "unknown", inferred)
            return DotnetValue(kind, cls, client.account, inferred, client.injected)
        if kind == "options":
            entries = dict(initializer_entries(node))
            if any(name in entries for name in ACCOUNT_OPTIONS):
                return DotnetValue(kind, cls, "installing")
            if "ApiKey" in entries:
                return DotnetValue(kind, cls, key_account(self, entries["ApiKey"], node, client=False))
            return DotnetValue(kind, cls, "platform")
        return DotnetValue(kind, cls, "unknown")

    def _client_options(self, arg):
        arg = unwrap(arg)
        if arg is not None and arg.type == "identifier":
            declared = self.declaration(text(arg), arg)
            arg = unwrap(declared[1]) if declared is not None and declared[1] is not None else None
        if arg is not None and arg.type == "object_creation_expression" \
                and text(arg.child_by_field_name("type")).removeprefix("Stripe.") == "StripeClientOptions":
            return arg
        return None

    def _target_type(self, node):
        """`CustomerService s = new(client);`: the type comes from the declaration."""
        declaration = node.parent.parent if node.parent is not None else None
        if declaration is not None and declaration.type == "variable_declaration":
            return self.held_type(text(declaration.child_by_field_name("type")))
        return None

    # ---- names
    def lookup(self, name: str, at) -> DotnetValue | None:
        declared = self.declaration(name, at)
        if declared is None:
            return None
        where, value, type_text, node = declared
        found = self.value(value) if value is not None else None
        if found is not None:
            return found
        typed = self.held_type(type_text) if type_text else None
        if typed is None:
            return None
        if where == "field":
            assigned = constructor_assignment(node, name)
            found = self.value(assigned) if assigned is not None else None
            if found is not None:
                return found
        # Handed in: a parameter, an injected field. When the container fills it, the app's
        # registration may say whose it is.
        injected = di_name(*typed[:2]) if typed[0] in ("client", "service") and container_filled(where, node) else None
        return DotnetValue(*typed[:2], "unknown", typed[2], injected)

    def member(self, name: str, at) -> DotnetValue | None:
        cls = enclosing(at, *CLASSES)
        declared = self.field(cls, name) if cls is not None else None
        return self.lookup(name, declared[3]) if declared is not None else None

    def declaration(self, name: str, at):
        """("local" | "parameter" | "field", initializer or None, declared type text, node)."""
        function = at
        while True:
            function = enclosing(function, *FUNCTIONS, *CLASSES)
            if function is None:
                return top_level(at, name)
            if function.type in CLASSES:
                return self.field(function, name)
            for node in walk(function):
                if node.type == "parameter" and text(node.child_by_field_name("name")) == name:
                    return "parameter", None, text(node.child_by_field_name("type")), node
                if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name \
                        and enclosing(node, *FUNCTIONS) == function:
                    return "local", initial(node), text(node.parent.child_by_field_name("type")), node


