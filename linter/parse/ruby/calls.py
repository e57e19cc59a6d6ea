"""SDK calls in a Ruby file: `Stripe::Customer.retrieve(id)` (``ruby_legacy``),
`client.v1.customers.retrieve(id)` (``ruby_client``), `invoice.pay` on a fetched object
(``ruby_instance``), with whose account each acts on and the expand paths it asks for.
"""

from __future__ import annotations

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import ApiCall, ClientExport, ExpandPath, PendingCall, Unresolved, UntracedClient
from stripe_perm_lint.parse.ruby import values as v
from stripe_perm_lint.parse.ruby.accounts import pairs_of
from stripe_perm_lint.parse.ruby.evaluator import RubyEvaluator
from stripe_perm_lint.parse.ruby.exports import nesting, referenced_method
from stripe_perm_lint.parse.ruby.scope import METHODS, enclosing
from stripe_perm_lint.parse.ruby.syntax import arguments, method_name, string_value, symbol_value, text, walk
from stripe_perm_lint.parse.untraced import receiver_label

COMPUTED_METHOD = "computed method name on a Stripe client"
DYNAMIC_EXPAND = "expand list built at run time"
# Ruby's own ways of calling a method by name: `Stripe::Customer.send(action, id)`.
_DYNAMIC_SEND = ("send", "public_send", "__send__", "method")
_OAUTH = ("OAuth.", "v1.oauth.")


def is_api_method(style: str, accessor: str) -> bool:
    """Exactly an SDK method that calls the API (no helper such as `Webhook.construct_event`)."""
    return load_catalog().is_api_method(style, accessor)


class RubyCallReader:
    def __init__(self, ev: RubyEvaluator, pos) -> None:
        self.ev = ev
        self.pos = pos
        self.calls: list[ApiCall] = []
        self.unresolved: list[Unresolved] = []
        self.untraced: list[UntracedClient] = []
        self.webhook_creations: list = []  # call nodes of `WebhookEndpoint.create` / `webhook_endpoints.create`
        self._accounts: dict[int, str] = {}  # the account of each call emitted, by its start byte
        # Class helpers (`def self.retrieve(klass, conn, id) = klass.retrieve(...)`): (method node,
        # parameter index, SDK method, account); and calls naming an SDK class on an unknown receiver.
        self._helpers: list[tuple[object, int, str, str]] = []
        self._class_calls: list = []
        self.helper_exports: list[ClientExport] = []
        self.pending: list[PendingCall] = []
        self.imports: list = []

    def read(self, root) -> None:
        for node in walk(root):
            if node.type == "call":
                self._call(node)
        self._link_helpers()

    def _call(self, node) -> None:
        receiver_node = node.child_by_field_name("receiver")
        name = method_name(node)
        if receiver_node is None or name is None:
            return
        receiver = self.ev.value(receiver_node)
        if receiver is None and receiver_node.type in ("constant", "scope_resolution"):
            self._class_calls.append(node)  # `StripeAccount.retrieve(Stripe::Charge, ...)`, maybe
        elif isinstance(receiver, v.Param) and receiver_node.type == "identifier":
            self._helper(node, receiver_node, receiver, name)
        if name in _DYNAMIC_SEND and (isinstance(receiver, v.SdkConst) and receiver.path
                                      or isinstance(receiver, v.ClientChain) and receiver.chain):
            args = arguments(node)  # `Stripe::Customer.public_send(:list, params)` names its method
            name = symbol_value(args[0]) if args and args[0].type in ("simple_symbol", "string") else None
            if name is None:
                if not isinstance(receiver, v.SdkConst) or load_catalog().operation_for_call(
                        "ruby_legacy", f"{receiver.path}.retrieve"):  # a resource class, not `Stripe::Util`
                    self.unresolved.append(Unresolved(COMPUTED_METHOD, self.pos(node)))
                return
        if isinstance(receiver, v.SdkConst) and receiver.path:
            accessor = f"{receiver.path}.{name}"
            if is_api_method("ruby_legacy", accessor):
                account = self._account(node, self._legacy_default(node), accessor)
                self._emit(node, "ruby_legacy", accessor, account)
        elif isinstance(receiver, v.ClientChain) and receiver.chain:
            accessor = f"{receiver.chain}.{name}"
            if is_api_method("ruby_client", accessor):
                self._emit(node, "ruby_client", accessor, self._account(node, receiver.account, accessor), receiver)
        elif isinstance(receiver, v.SdkObject) and receiver.cls:
            accessor = f"{receiver.cls}#{name}"
            if is_api_method("ruby_instance", accessor):
                origin = self._origin_account(receiver)
                self._emit(node, "ruby_instance", accessor, self._account(node, origin))

    # --- class helpers -----------------------------------------------------------------------

    def _helper(self, node, receiver_node, param: v.Param, name: str) -> None:
        """`klass.retrieve(...)` on a method's parameter: a helper whose callers name the class."""
        holder = self.ev.scope.parameter(receiver_node)[0]
        if holder.type not in METHODS:
            return
        found = self.ev.options_account(arguments(node))
        account = found if found in ("installing", "platform") else self._legacy_default(node)
        self._helpers.append((holder, param.index, name, account))

    def _link_helpers(self) -> None:
        """Each call handing an SDK class to a helper is that class's call, at the call: in this
        file by the helper's name, in others through the helper's export (`Revenue::StripeAccount.retrieve`)."""
        by_name: dict[str, list] = {}
        for holder, index, method, account in self._helpers:
            helper = text(holder.child_by_field_name("name"))
            by_name.setdefault(helper, []).append((index, method, account))
            if holder.type == "singleton_method":
                owner = nesting(holder)
                self.helper_exports.append(ClientExport(f"{owner}.{helper}" if owner else helper, "ruby_legacy",
                                                        account, class_param=(index, method)))
        for call in self._class_calls:
            classes = self._class_args(call)
            if not classes:
                continue
            name = method_name(call)
            if name in by_name:
                for index, method, account in by_name[name]:
                    accessor = f"{dict(classes).get(index)}.{method}"
                    if index in dict(classes) and is_api_method("ruby_legacy", accessor):
                        self._emit(call, "ruby_legacy", accessor, account)
                continue
            binding = referenced_method(call.child_by_field_name("receiver"), name)
            if binding is not None:
                self.imports.append(binding)
                self.pending.append(PendingCall(binding.local, name, self.pos(call), class_args=classes))

    def _class_args(self, call) -> tuple[tuple[int, str], ...]:
        found = []
        for i, arg in enumerate(a for a in arguments(call) if a.type != "pair"):
            value = self.ev.value(arg) if arg.type in ("constant", "scope_resolution") else None
            if isinstance(value, v.SdkConst) and value.path:
                found.append((i, value.path))
        return tuple(found)

    # --- accounts ---------------------------------------------------------------------------

    def _account(self, node, default: str, accessor: str = ""):
        if accessor.startswith(_OAUTH):  # the token exchange is the platform's, whatever it sends
            return "platform"
        found = self.ev.options_account(arguments(node))
        if found in ("installing", "platform"):
            return found
        if isinstance(found, v.Param):
            return (default, found)
        return default

    def _legacy_default(self, node) -> str:
        """Whose key a legacy call uses: the global `Stripe.api_key`. Set earlier in the same
        method to a per-account key, the installing account's (docs/semantics.md §12); set in this
        file from the environment or configuration, the platform's; set from stored data (a
        model's `stripe_secret_key`) or not in this file at all, unknown: settled by the
        manifest's `stripe_api_access_type`."""
        method = enclosing(node, METHODS)
        in_method, in_file = None, []
        for assign in self.ev.ambient:
            key = self.ev.key_account(assign.child_by_field_name("right"))
            if method is not None and enclosing(assign, METHODS) == method:
                if assign.end_byte <= node.start_byte:
                    in_method = key
            elif enclosing(assign, METHODS) is None or key not in ("installing", "parameter"):  # §12: per request
                in_file.append(key)
        if in_method is not None:
            return "installing" if in_method in ("installing", "parameter") else in_method
        return "platform" if in_file and all(k == "platform" for k in in_file) else "unknown"

    def _origin_account(self, obj: v.SdkObject) -> str:
        """The account of the SDK call that returned an object (`Stripe::Invoice.retrieve(id, opts)`)."""
        return self._accounts.get(obj.source, "unknown")

    # --- facts ------------------------------------------------------------------------------

    def _emit(self, node, style: str, accessor: str, account, client: v.ClientChain | None = None) -> None:
        options_param = None
        if isinstance(account, tuple):
            account, param = account
            options_param = (param.name, param.index)
        expand, dynamic = self._expand(node)
        position = self.pos(node)
        inferred = client is not None and client.inferred
        self._accounts[node.start_byte] = account
        self.calls.append(ApiCall(style, accessor, position, account, tuple(expand), dynamic,
                                  inferred=inferred, options_param=options_param))
        if accessor.endswith(("WebhookEndpoint.create", "WebhookEndpoint.update", "webhook_endpoints.create",
                              "webhook_endpoints.update")):
            self.webhook_creations.append(node)
        if inferred:  # the chain after the receiver is exactly StripeClient's (`x.v1.customers.list`)
            self.untraced.append(UntracedClient(client.origin, receiver_label(client.receiver), "", None, position,
                                                accessor))

    def _expand(self, node) -> tuple[list[ExpandPath], bool]:
        paths, dynamic = [], False
        for key, _, value in pairs_of(arguments(node)):
            if key != "expand":
                continue
            items = self.ev.value(value)
            if isinstance(items, v.LiteralStrings):
                paths += [ExpandPath(s, self.pos(n)) for s, n in items.items]
            elif value.type == "array" and all(string_value(c) is not None for c in value.named_children):
                paths += [ExpandPath(string_value(c), self.pos(c)) for c in value.named_children]
            else:
                dynamic = True
                self.unresolved.append(Unresolved(DYNAMIC_EXPAND, self.pos(value)))
        return paths, dynamic
