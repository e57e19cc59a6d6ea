"""What a Go expression stands for, as far as Stripe use goes: a client of stripe-go and whose
account it acts on, a params struct (its account option and expand list), a webhook event and
its type, a string, or a value declared in another file of the package (``Pending``).

The evaluator reads the bindings of ``scope.FileModel``; each lookup is depth-limited, so a
cycle of assignments (`a = b; b = a`) ends in "unknown" rather than a loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stripe_perm_lint.facts import ExpandPath
from stripe_perm_lint.parse.go import table
from stripe_perm_lint.parse.go.scope import GoBinding, FileModel, Function
from stripe_perm_lint.parse.go.syntax import arguments, elements, keyed, selector_chain, string_value, text, walk_types
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT

MAX_DEPTH = 12
# Where a key is the process's own: the environment, a config struct, a flag.
_OWN_KEY = re.compile(r"(?i)getenv|lookupenv|environ|\benv\b|conf|cfg|setting|viper|flag\.|secretkey|secret_key")
BUILTINS = frozenset({"make", "new", "len", "cap", "append", "copy", "delete", "panic", "recover", "print",
                      "println", "min", "max", "clear", "string", "int", "int64", "float64", "byte", "rune",
                      "error", "bool", "any"})
_PER_ACCOUNT = re.compile(r"(?i)acct|account|connected|tenant|merchant|install")


@dataclass(frozen=True)
class GoClient:
    style: str  # "go_api" (`*client.API`), "go_client" (`*stripe.Client`) or "go_legacy" (below)
    account: str
    package: str = ""  # a resource package's own `Client` (`customer.Client{Key: token}`): its path


@dataclass(frozen=True)
class Params:
    account: bool = False  # `StripeAccount` / `StripeContext` is set
    expand: tuple[ExpandPath, ...] = ()
    dynamic: bool = False


@dataclass(frozen=True)
class Event:  # a `stripe.Event`
    pass


@dataclass(frozen=True)
class GoEventType:  # its `Type`
    pass


@dataclass(frozen=True)
class Struct:
    name: str  # a value of a named struct type, declared in this file or another of the package


@dataclass(frozen=True)
class Str:
    value: str
    node: object


@dataclass(frozen=True)
class GoPending:
    """A name this file does not declare (`sc`, a package-level var of another file), or a member
    of a struct type declared elsewhere (`Server` + `stripe`): the linker resolves it. With
    ``package`` (an import path), ``local`` is an import that may be an app package (`stripex`),
    and ``members`` start with what it exports (`SC`, `ForAccount`, a type `Gateway`)."""

    local: str
    members: tuple[str, ...] = ()
    factory: bool = False  # what a function (or the last member, a method) returns
    package: str = ""  # the import path


@dataclass(frozen=True)
class Untraced:
    origin: str  # facts.UNTRACED_ORIGINS
    name: str
    declared: object | None = None


def merge_accounts(accounts: list[str]) -> str:
    found = set(accounts)
    return found.pop() if len(found) == 1 else ("installing" if "installing" in found else "unknown")


class GoEvaluator:
    def __init__(self, model: FileModel, position) -> None:
        self.m = model
        self.pos = position
        self._returns: dict[int, object] = {}

    # --- names ------------------------------------------------------------------------------
    def bindings(self, name: str, fn: Function | None) -> list[GoBinding]:
        if fn is not None and name in fn.names:
            return fn.names[name]
        return self.m.globals.names.get(name, [])

    def value(self, node, fn: Function | None, depth: int = 0):
        if node is None or depth > MAX_DEPTH:
            return None
        kind = node.type
        if kind in ("parenthesized_expression", "unary_expression"):
            inner = node.child_by_field_name("operand") or (node.named_children[0] if node.named_children else None)
            return self.value(inner, fn, depth + 1)
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            return Str(string_value(node), node)
        if kind == "identifier":
            return self._name(text(node), fn, depth)
        if kind == "selector_expression":
            return self._member(node, fn, depth)
        if kind == "call_expression":
            return self._call(node, fn, depth)
        if kind == "composite_literal":
            return self._literal(node, fn, depth)
        return None

    def value_of_name(self, name: str):
        """A package-level name's value."""
        return self._name(name, None, 0)

    def name_value(self, name: str, fn: Function | None):
        return self._name(name, fn, 0)

    def returned(self, function: Function):
        return self._returned(function, 0)

    def _name(self, name: str, fn: Function | None, depth: int):
        found = self.bindings(name, fn)
        if not found:
            if fn is not None and fn.receiver and fn.receiver[0] == name:
                return Struct(fn.receiver[1])
            if name in self.m.packages:  # `stripex` of an import that may be the app's own
                return GoPending(name, package=self.m.packages[name][0])
            if name in self.m.sdk or name in self.m.std or name in ("nil", "true", "false", "_"):
                return None
            return GoPending(name)
        is_global = fn is None or name not in fn.names
        values = [self._binding(b, name, fn if not is_global else None, depth) for b in found]
        if is_global:  # `var sc *client.API` set in `init()`: what its assignments say
            values += [self.value(v, f, depth + 1) for v, f in self.m.global_assignments.get(name, [])]
        values = [v for v in values if v is not None]
        clients = [v for v in values if isinstance(v, GoClient)]
        if clients:
            known = [c.account for c in clients if c.account != "unknown"] + self._init_keys(name, depth)
            known = known or ["unknown"]
            return GoClient(clients[0].style, merge_accounts(known), clients[0].package)
        params = [v for v in values if isinstance(v, Params)]
        if params:
            return self._params_of(name, fn, params)
        return values[0] if values else None

    def _init_keys(self, name: str, depth: int) -> list[str]:
        """`sc := &client.API{}; sc.Init(key, nil)`: the accounts of the keys it is initialised with."""
        found = []
        for chain, call in self.m.calls_by_head.get(name, []):
            if chain == [name, "Init"] and arguments(call):
                found.append(self.key_account(arguments(call)[0], self.m.function_at(call), depth + 1))
        return [a for a in found if a != "unknown"]

    def _binding(self, binding: GoBinding, name: str, fn: Function | None, depth: int):
        if binding.param is not None:
            typed = self.type_value(binding.type)
            if isinstance(typed, GoClient):
                return GoClient(typed.style, self.param_key_account(name, fn, depth), typed.package)
            return typed if typed is not None else Untraced("parameter", name, binding.type)
        if binding.value is not None:
            found = self.value(binding.value, fn, depth + 1)
            if binding.index and not isinstance(found, Event):  # `x, err := f()`: only events travel
                return None
            return found
        return self.type_value(binding.type)

    def type_value(self, node, member: tuple[str, str] | None = None):
        if node is None:
            return None
        if node.type == "pointer_type" and node.named_children:
            return self.type_value(node.named_children[0], member)
        if node.type == "qualified_type":
            package = self.m.sdk.get(text(node.child_by_field_name("package")))
            name = text(node.child_by_field_name("name"))
            style = {("client", "API"): "go_api", ("", "Client"): "go_client"}.get((package, name))
            if style:
                return GoClient(style, self._member_account(member))
            if name == "Client" and package in table.resource_packages():
                return GoClient("go_legacy", self._member_account(member), package)
            if package == "" and name == "Event":
                return Event()
            if package == "" and name.endswith("Params"):
                return Params()
            qualifier = text(node.child_by_field_name("package"))
            if package is None and qualifier in self.m.packages:  # `*stripex.Gateway`: its fields there
                return GoPending(qualifier, (name,), package=self.m.packages[qualifier][0])
            return None
        if node.type == "type_identifier":
            return Struct(text(node))
        return None

    def _member_account(self, member: tuple[str, str] | None) -> str:
        """A struct field typed as a client: what the literals and assignments of this file put in it."""
        if member is None:
            return "unknown"
        found = [self.value(v, f, 1) for v, f in self.m.member_values.get(member, [])]
        accounts = [c.account for c in found if isinstance(c, GoClient) and c.account != "unknown"]
        return merge_accounts(accounts) if accounts else "unknown"

    # --- members and calls ------------------------------------------------------------------
    def _member(self, node, fn: Function | None, depth: int):
        operand, field = node.child_by_field_name("operand"), text(node.child_by_field_name("field"))
        if operand.type == "identifier" and text(operand) in self.m.sdk and not self.bindings(text(operand), fn):
            if self.m.sdk[text(operand)] == "" and field.startswith("EventType"):
                name = table.event_type_constant(field)
                return Str(name, node) if name else None
            return None
        base = self.value(operand, fn, depth + 1)
        if isinstance(base, Event) and field == "Type":
            return GoEventType()
        if isinstance(base, Struct):
            fields = self.m.structs.get(base.name)
            if fields is None:
                return GoPending(base.name, (field,))
            return self.type_value(fields.get(field), (base.name, field))
        if isinstance(base, GoPending):  # after a factory: a field of the struct it returns
            return GoPending(base.local, base.members + (field,), base.factory, base.package)
        return None

    def _call(self, node, fn: Function | None, depth: int):
        callee = node.child_by_field_name("function")
        args = arguments(node)
        chain = selector_chain(callee) or []
        package = self.m.sdk.get(chain[0]) if len(chain) == 2 and not self.bindings(chain[0], fn) else None
        last = chain[-1] if chain else ""
        if package == "client" and last == "New" and args:
            return GoClient("go_api", self.key_account(args[0], fn, depth + 1))
        if package == "" and last == "NewClient" and args:
            return GoClient("go_client", self.key_account(args[0], fn, depth + 1))
        if last.startswith("ConstructEvent") and (package == "webhook" or len(chain) >= 2):
            return Event()
        if package == "" and last in ("String", "EventType") and args:
            return self.value(args[0], fn, depth + 1)
        if chain == ["string"] and args:  # `string(event.Type)`
            return self.value(args[0], fn, depth + 1)
        if len(chain) == 1 and chain[0] in self.m.by_name:  # a function of this file: what it returns
            return self._returned(self.m.by_name[chain[0]], depth)
        if len(chain) == 1 and callee.type == "identifier" and chain[0] not in BUILTINS \
                and not self.bindings(chain[0], fn) and chain[0] not in self.m.std:
            return GoPending(chain[0], factory=True)  # `getStripe()` of another file of the package
        if len(chain) >= 2 and package is None:
            owner = self.value(callee.child_by_field_name("operand"), fn, depth + 1)
            if isinstance(owner, Struct) and len(chain) == 2:  # `a.clientFor(id)`: a method of the receiver's type
                method = self.m.by_name.get(f"{owner.name}.{last}")
                return self._returned(method, depth) if method is not None else GoPending(owner.name, (last,), True)
            if isinstance(owner, GoPending) and owner.package and not owner.factory:  # `stripex.ForAccount(tok)`
                return GoPending(owner.local, owner.members + (last,), True, owner.package)
        return None

    def _returned_uncached(self, function: Function, depth: int):
        result = function.node.child_by_field_name("result")
        typed = self.type_value(result.named_children[0] if result is not None and result.type == "parameter_list"
                                and result.named_children else result)
        if not isinstance(typed, GoClient):
            return typed if isinstance(typed, (Event, Struct)) else None
        returned = [self.value(r.named_children[0].named_children[0] if r.named_children[0].type == "expression_list"
                               else r.named_children[0], function, depth + 1)
                    for r in walk_types(function.node, "return_statement") if r.named_children]
        accounts = [c.account for c in returned if isinstance(c, GoClient) and c.account != "unknown"]
        return GoClient(typed.style, merge_accounts(accounts) if accounts else "unknown", typed.package)

    def _returned(self, function: Function, depth: int):
        """What a function of the file returns, read once (every call of it asks the same)."""
        key = id(function)
        if key not in self._returns:
            self._returns[key] = None  # a recursive function reads as unknown while it is read
            self._returns[key] = self._returned_uncached(function, depth)
        return self._returns[key]

    def _literal(self, node, fn: Function | None, depth: int):
        kind = node.child_by_field_name("type")
        if kind is None:
            return None
        if kind.type == "type_identifier":
            return Struct(text(kind))
        typed = self.type_value(kind)
        if isinstance(typed, Params):
            return self.params_literal(node, fn)
        if isinstance(typed, GoClient) and typed.package:  # `customer.Client{B: backend, Key: token}`
            keys = [keyed(e)[1] for e in elements(node) if e.type == "keyed_element" and text(keyed(e)[0]) == "Key"]
            return GoClient("go_legacy", self.key_account(keys[0], fn, depth + 1) if keys else "platform", typed.package)
        if isinstance(typed, GoClient):  # `&client.API{}` then `sc.Init(key, nil)`
            return GoClient(typed.style, "unknown")
        return typed if isinstance(typed, Event) else None

    # --- params -----------------------------------------------------------------------------
    def params_literal(self, node, fn: Function | None) -> Params:
        """`&stripe.CustomerParams{Params: stripe.Params{StripeAccount: ...}, Expand: ...}`."""
        account, expand, dynamic = False, [], False
        for element in elements(node):
            if element.type != "keyed_element":
                continue
            key, value = keyed(element)
            name = text(key) if key is not None else ""
            if name in ("StripeAccount", "StripeContext"):
                account = True
            elif name == "Expand":
                found, unreadable = self.expand_list(value, fn)
                expand += found
                dynamic = dynamic or unreadable
            elif name in ("Params", "ListParams") and isinstance(inner := self.value(value, fn), Params):
                account, expand, dynamic = account or inner.account, expand + list(inner.expand), dynamic or inner.dynamic
        return Params(account, tuple(expand), dynamic)

    def expand_list(self, node, fn: Function | None) -> tuple[list[ExpandPath], bool]:
        """`[]*string{stripe.String("a")}`, `stripe.StringSlice([]string{"a"})`: the literal paths,
        and whether a part could not be read."""
        if node is not None and node.type == "call_expression" and (selector_chain(
                node.child_by_field_name("function")) or [""])[-1] == "StringSlice" and arguments(node):
            node = arguments(node)[0]
        if node is None or node.type != "composite_literal":
            return [], True
        found, dynamic = [], False
        for element in elements(node):
            value = self.value(element, fn)
            if isinstance(value, Str):
                found.append(ExpandPath(value.value, self.pos(value.node)))
            else:
                dynamic = True
        return found, dynamic

    def _params_of(self, name: str, fn: Function | None, literals: list[Params]) -> Params:
        """A params variable with what the function does to it: `params.SetStripeAccount(acct)`,
        `params.StripeAccount = stripe.String(acct)`, `params.AddExpand("customer")`."""
        account = any(p.account for p in literals)
        expand = [e for p in literals for e in p.expand]
        dynamic = any(p.dynamic for p in literals)
        for owner in (name, f"{name}.Params", f"{name}.ListParams"):
            for field in ("StripeAccount", "StripeContext"):
                account = account or (owner, field) in self.m.member_values
            for value, function in self.m.member_values.get((owner, "Expand"), []):
                found, unreadable = self.expand_list(value, function)
                expand += found
                dynamic = dynamic or unreadable
        scope = fn.node if fn is not None else self.m.root
        for chain, call in self.m.calls_by_head.get(name, []):
            if len(chain) < 2 or not scope.start_byte <= call.start_byte < scope.end_byte:
                continue
            if chain[-1] in ("SetStripeAccount", "SetStripeContext", "SetStripeContextFrom"):
                account = True
            elif chain[-1] == "AddExpand" and arguments(call):
                value = self.value(arguments(call)[0], fn)
                if isinstance(value, Str):
                    expand.append(ExpandPath(value.value, self.pos(value.node)))
                else:
                    dynamic = True
        return Params(account, tuple(expand), dynamic)

    # --- keys -------------------------------------------------------------------------------
    def key_account(self, node, fn: Function | None, depth: int = 0) -> str:
        """Whose account a client built with the API key ``node`` acts on (docs/semantics.md §6):
        an OAuth token or a per-account lookup is the installing account's; a literal, the
        environment or a config struct is the process's own; a parameter is settled by its callers."""
        if node is None or depth > MAX_DEPTH:
            return "unknown"
        source = text(node)
        if OAUTH_KEY_TEXT.search(source):
            return "installing"
        if node.type in ("interpreted_string_literal", "raw_string_literal") or _OWN_KEY.search(source):
            return "platform"
        if node.type == "call_expression" or node.type == "index_expression":
            return "installing" if _PER_ACCOUNT.search(source) else "unknown"
        if node.type == "identifier":
            found = self.bindings(source, fn)
            if any(b.param is not None for b in found):
                return self.param_key_account(source, fn, depth)
            accounts = [self.key_account(b.value, fn if fn and source in fn.names else None, depth + 1)
                        for b in found if b.value is not None]
            return merge_accounts(accounts) if accounts else "unknown"
        return "unknown"

    def param_key_account(self, name: str, fn: Function | None, depth: int) -> str:
        """A key (or client) parameter: what every caller of the function in this file passes."""
        if fn is None:
            return "unknown"
        index = next((b.param for b in fn.names.get(name, []) if b.param is not None), None)
        short = fn.name.rsplit(".", 1)[-1]
        passed = []
        for chain, call in self.m.calls_by_last.get(short, []):
            args = arguments(call)
            if chain and chain[-1] == short and index is not None and index < len(args):
                arg = args[index]
                caller = self.m.function_at(call)
                value = self.value(arg, caller, depth + 1)
                passed.append(value.account if isinstance(value, GoClient) else self.key_account(arg, caller, depth + 1))
        if passed:
            return merge_accounts(passed)
        return "installing" if _PER_ACCOUNT.search(name) else "unknown"
