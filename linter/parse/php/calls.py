"""stripe-php calls: ``$stripe->customers->retrieve(...)`` on a client or service the walk traced
(``php_client``), ``\\Stripe\\Customer::retrieve(...)`` (``php_legacy``), their account, expand
lists and ``enabled_events``; a chain of the SDK's exact shape on an untraced receiver whose
name says Stripe is counted as inferred (docs/semantics.md §11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stripe_perm_lint.facts import (
    AccountArgument, ApiCall, EventUse, ExpandPath, PendingCall, RawRequest, Unresolved, UntracedClient,
)
from stripe_perm_lint.parse.php.accounts import legacy_key_account, options_account
from stripe_perm_lint.parse.php.syntax import FUNCTIONS, array_entries, arguments, member_name, string_value
from stripe_perm_lint.parse.php.values import (
    PhpArray, PhpClient, PhpImported, PhpObject, PhpScope, PhpService, PhpText, untraced,
)
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.untraced import names_stripe
from stripe_perm_lint.parse.vocabulary import DYNAMIC_ENABLED_EVENTS, EVENT_NAME

if TYPE_CHECKING:
    from stripe_perm_lint.parse.php.parser import PhpWalker

COMPUTED_MEMBER = "computed method name on a Stripe client"
# What an untraced client may hang off: a variable, or a call whose result it is
# (`Cashier::stripe()`, `$this->stripeService->client()`).
_ROOTS = frozenset({"variable_name", "function_call_expression", "member_call_expression", "scoped_call_expression"})
_SUBSCRIBING = frozenset({"webhookEndpoints->create", "webhookEndpoints->update",
                          "WebhookEndpoint::create", "WebhookEndpoint::update"})


class PhpCallReader:
    def __init__(self, walker: "PhpWalker") -> None:
        self.w = walker
        self.found: list[ApiCall] = []
        self.arguments: list[AccountArgument] = []  # callers in this file passing an account on
        self.pending: list[PendingCall] = []  # calls on a client another file's function returns

    def member_call(self, node, scope: PhpScope) -> None:
        w = self.w
        receiver = node.child_by_field_name("object")
        name = member_name(node, w.src)
        held = w.value(receiver, scope)
        base, chain, computed, root = self._chain(receiver, scope)
        if name is None or computed:
            if isinstance(held, (PhpClient, PhpService)) or isinstance(base, (PhpClient, PhpService)):
                self._unresolved(COMPUTED_MEMBER, node)
            elif name is None:  # `$this->{'on_' . str_replace('.', '_', $event->type)}($event)`
                w.events.computed_handler(node.child_by_field_name("name"), scope)
            return
        args = arguments(node)
        if isinstance(held, PhpClient):
            if name == "rawRequest":
                self._raw_request(node, args, held, scope)
            return
        if isinstance(held, PhpService):
            accessor = "->".join(held.chain + (name,))
            self._add("php_client", accessor, node, args, scope, held.client.account)
            return
        if isinstance(held, PhpObject):  # `$invoice->pay()`: only the SDK's instance methods call
            accessor = f"{held.cls}->{name}"
            if not held.collection and accessor in w.table["methods"].get("php_instance", {}):
                self._add("php_instance", accessor, node, args, scope, held.account)
            return
        if isinstance(held, PhpImported) and held.chain:
            self._pending(held, name, node, args, scope)
        if untraced(held) and base is None and root is not None and len(chain) >= 1:
            self._inferred(node, root, chain + [name], args, scope)

    def _pending(self, held: PhpImported, name: str, node, args, scope: PhpScope) -> None:
        """`stripe_client()->customers->retrieve()`, `$c = StripeFactory::forAccount($id); $c->...`:
        an SDK method on what another file's function returns; the linker makes it a call when
        that function returns a client (its account, unless the call names one)."""
        w = self.w
        accessor = "->".join(held.chain + (name,))
        if not w.emit or accessor not in w.table["methods"].get("php_client", {}):
            return
        expand, dynamic = self._expand(args, scope)
        self.pending.append(PendingCall(held.local, accessor, w.pos(node), via_factory=True, expand=expand,
                                        expand_dynamic=dynamic, account=options_account(args, scope, w.ev)))

    def _chain(self, receiver, scope: PhpScope):
        """The receiver's traced root (a client or service, else None), the member names after
        its root, whether one of them is computed (`$stripe->$resource`), and the root node."""
        names, computed, current = [], False, receiver
        while current.type in ("member_access_expression", "nullsafe_member_access_expression"):
            name = member_name(current, self.w.src)
            computed = computed or name is None
            names.insert(0, name or "?")
            held = self.w.ev.value(current.child_by_field_name("object"), scope)
            if isinstance(held, (PhpClient, PhpService)):
                return held, names, computed, None
            current = current.child_by_field_name("object")
        return None, names, computed, current if current.type in _ROOTS else None

    def _inferred(self, node, root, chain: list[str], args, scope: PhpScope) -> None:
        """`$stripe->customers->retrieve()` on a `$stripe` nobody traced, `Cashier::stripe()->...`:
        the exact SDK shape on a receiver whose name says Stripe (docs/semantics.md §11). Unlike
        the other languages, a bare receiver must say it too: `$user->invoices->all()` is a
        Laravel relation, a collection's `all()`, not an API call."""
        w = self.w
        label = w.src.text(root)
        if label == "$this":
            label, chain = f"$this->{chain[0]}", chain[1:]
        accessor = "->".join(chain)
        if accessor not in w.table["methods"].get("php_client", {}) or not names_stripe(label):
            return
        origin = "member" if label.startswith("$this->") else "parameter" if label in scope.params else "unknown"
        label = " ".join(label.split())
        if w.emit:
            w.untraced.append(UntracedClient(origin, label, "", None, w.pos(node), accessor))
        self._add("php_client", accessor, node, args, scope, "unknown", inferred=True)

    def scoped_call(self, node, scope: PhpScope) -> None:
        w = self.w
        cls = w.src.class_name(node.child_by_field_name("scope"))
        name = member_name(node, w.src)
        if cls is None or not cls.startswith("Stripe\\"):
            return
        if name is None:
            self._unresolved(COMPUTED_MEMBER, node)
            return
        args = arguments(node)
        if self.is_set_api_key(node):
            in_function = any(True for _ in _enclosing(node))
            if in_function and args:
                scope.legacy_account = legacy_key_account(args[0], scope, w.ev, True)
            return
        accessor = cls[len("Stripe") + 1:] + "::" + name
        if accessor in w.table["methods"].get("php_legacy", {}):
            account = scope.legacy_account or w.file_legacy or "unknown"
            self._add("php_legacy", accessor, node, args, scope, account)

    def is_set_api_key(self, node) -> bool:
        cls = self.w.src.class_name(node.child_by_field_name("scope"))
        return cls == "Stripe\\Stripe" and member_name(node, self.w.src) == "setApiKey"

    def _add(self, style, accessor, node, args, scope: PhpScope, account: str, inferred: bool = False) -> None:
        w = self.w
        if not w.emit:
            return
        account = options_account(args, scope, w.ev) or account
        expand, dynamic = self._expand(args, scope)
        # Options handed in by the caller (`function listFor($id, array $opts)`): the linker makes
        # the call the installing account's when a caller in the file passes an account there.
        handed = next((i for i in (scope.param_index(a, w.src.text(a)) for a in args[1:]) if i is not None), None)
        options_param = (scope.owner, handed) if handed is not None and account != "installing" else None
        w.calls.found.append(ApiCall(style, accessor, w.pos(node), account, expand, dynamic, inferred=inferred,
                                     options_param=options_param))
        if accessor in _SUBSCRIBING:
            self._enabled_events(args, scope)

    def account_arguments(self, node, scope: PhpScope) -> None:
        """`listFor($id, ['stripe_account' => $acct])`, `$this->listFor(...)`, `self::listFor(...)`:
        a call of a function or method of this file passing request options naming an account,
        or handing on its own options parameter (``from_param``)."""
        w = self.w
        if not w.emit:
            return
        if node.type == "function_call_expression":
            name = w.src.text(node.child_by_field_name("function")).lstrip("\\")
        elif node.type == "member_call_expression" and w.src.text(node.child_by_field_name("object")) == "$this":
            name = member_name(node, w.src)
        elif node.type == "scoped_call_expression" and w.src.text(node.child_by_field_name("scope")) in ("self", "static"):
            name = member_name(node, w.src)
        else:
            return
        for index, arg in enumerate(arguments(node)):
            handed = scope.param_index(arg, w.src.text(arg))
            if handed is not None:
                self.arguments.append(AccountArgument(None, name, index, (scope.owner, handed)))
            elif name and options_account([arg], scope, w.ev) == "installing":
                self.arguments.append(AccountArgument(None, name, index))

    def _params(self, args, scope: PhpScope):
        for arg in args:
            held = self.w.ev.value(arg, scope)
            if isinstance(held, PhpArray):
                yield held.node

    def _expand(self, args, scope: PhpScope) -> tuple[tuple[ExpandPath, ...], bool]:
        found, dynamic = [], False
        for array in self._params(args, scope):
            for key, _, value in array_entries(array, self.w.src):
                if key != "expand":
                    continue
                held = self.w.ev.value(value, scope)
                if not isinstance(held, PhpArray):
                    dynamic = True
                    continue
                for _, _, item in array_entries(held.node, self.w.src):
                    text = string_value(item, self.w.src)
                    if text is None:
                        dynamic = True
                    else:
                        found.append(ExpandPath(text, self.w.pos(item)))
        return tuple(found), dynamic

    def _enabled_events(self, args, scope: PhpScope) -> None:
        w = self.w
        for array in self._params(args, scope):
            for key, _, value in array_entries(array, w.src):
                if key != "enabled_events":
                    continue
                held = w.ev.value(value, scope)
                if not isinstance(held, PhpArray):
                    self._unresolved(DYNAMIC_ENABLED_EVENTS, value)
                    continue
                for _, _, item in array_entries(held.node, w.src):
                    name = w.events.event_name(item, scope)
                    if name is not None and (name == "*" or EVENT_NAME.match(name)):
                        w.events.subscribed.append(EventUse(name, "subscribed", w.pos(item)))
                    else:
                        self._unresolved(DYNAMIC_ENABLED_EVENTS, item)

    def _raw_request(self, node, args, client: PhpClient, scope: PhpScope) -> None:
        """`$stripe->rawRequest('post', '/v1/customers', $params, $opts)`."""
        w = self.w
        if not w.emit or len(args) < 2:
            return
        verb = string_value(args[0], w.src)
        path = w.ev.value(args[1], scope)
        if not isinstance(path, PhpText):
            return
        account = options_account(args[2:], scope, w.ev) or client.account
        w.http.found.append(RawRequest(verb.upper() if verb else "?", path.text.split("?", 1)[0], w.pos(node),
                                       request_account(path.text, account)))

    def _unresolved(self, what: str, node) -> None:
        if self.w.emit:
            self.w.unresolved.append(Unresolved(what, self.w.pos(node)))


def _enclosing(node):
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS:
            yield current
        current = current.parent
