"""SDK calls in a Ruby file: `Stripe::Customer.retrieve(id)` (``ruby_legacy``),
`client.v1.customers.retrieve(id)` (``ruby_client``), `invoice.pay` on a fetched object
(``ruby_instance``), with whose account each acts on and the expand paths it asks for.
"""

from __future__ import annotations

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import ApiCall, ExpandPath, Unresolved, UntracedClient
from stripe_perm_lint.parse.ruby import values as v
from stripe_perm_lint.parse.ruby.accounts import pairs_of
from stripe_perm_lint.parse.ruby.evaluator import RubyEvaluator
from stripe_perm_lint.parse.ruby.helpers import ClassHelpers
from stripe_perm_lint.parse.ruby.scope import METHODS, enclosing
from stripe_perm_lint.parse.ruby.syntax import arguments, method_name, string_value, symbol_value, walk
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
        self.helpers = ClassHelpers(self)  # `StripeAccount.retrieve(Stripe::Charge, ...)`

    def read(self, root) -> None:
        for node in walk(root):
            if node.type == "call":
                self._call(node)
        self.helpers.link()

    def _call(self, node) -> None:
        receiver_node = node.child_by_field_name("receiver")
        name = method_name(node)
        if receiver_node is None or name is None:
            return
        receiver = self.ev.value(receiver_node)
        self.helpers.see(node, receiver_node, receiver, name)
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
