"""SDK calls in a Go file, in stripe-go's three styles (catalog/build/lang_go.py):

- `customer.Get(id, params)` on an imported resource package: ``go_legacy`` `customer.Get`
  (`checkout/session.New` for `github.com/stripe/stripe-go/v82/checkout/session`, whatever its
  local name);
- `sc.Customers.Get(id, params)` on a `*client.API`: ``go_api`` `Customers.Get`;
- `sc.V1Customers.Retrieve(ctx, id, params)` on a `*stripe.Client`: ``go_client`` `V1Customers.Retrieve`.

The account is the call's own when its params name one (`StripeAccount`), else its client's;
a legacy call uses the global `stripe.Key`, the process's own unless the function sets it to a
per-account key first. A receiver declared in another file of the package becomes a
``PendingCall`` the linker resolves; one of unknown origin is an ``UntracedClient``, and its
call is counted as inferred when the receiver is named for Stripe (docs/semantics.md §11).
"""

from __future__ import annotations

from stripe_perm_lint.facts import ApiCall, ImportBinding, PendingCall, UntracedClient
from stripe_perm_lint.parse.go import table
from stripe_perm_lint.parse.go.scope import Function
from stripe_perm_lint.parse.go.syntax import arguments, text
from stripe_perm_lint.parse.go.values import GoClient, GoEvaluator, Event, Params, GoPending, Struct, Untraced
from stripe_perm_lint.parse.untraced import names_stripe, receiver_label

CLIENT_STYLES = ("go_api", "go_client")
SAME_PACKAGE = "."  # ImportBinding.module of a name another file of the package declares


class CallReader:
    def __init__(self, ev: GoEvaluator, out) -> None:
        self.ev = ev
        self.m = ev.m
        self.out = out

    def read(self, call, fn: Function | None) -> None:
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "selector_expression":
            return
        method = text(callee.child_by_field_name("field"))
        operand = callee.child_by_field_name("operand")
        if operand.type == "identifier" and text(operand) in self.m.sdk and not self.ev.bindings(text(operand), fn):
            self._legacy(call, self.m.sdk[text(operand)], method, fn)
            return
        value = self.ev.value(operand, fn)
        if isinstance(value, GoClient) and value.package:  # `customer.Client{Key: token}.List(params)`
            accessor = f"{value.package}.{method}"
            if table.is_method("go_legacy", accessor):
                params = self.params(call, fn)
                self._emit("go_legacy", accessor, call, "installing" if params.account else value.account, params)
        elif operand.type == "selector_expression":
            field = text(operand.child_by_field_name("field"))
            self._on_client(call, operand.child_by_field_name("operand"), f"{field}.{method}", fn)

    def params(self, call, fn: Function | None) -> Params:
        """The call's params, merged; `account` also when an argument is the event's account
        (`account.GetByID(event.Account, nil)`: decision 6 reads `event.account` as the installing one)."""
        args = arguments(call)
        found = [v for v in (self.ev.value(a, fn) for a in args) if isinstance(v, Params)]
        account = any(p.account for p in found) or any(self._event_account(a, fn) for a in args)
        return Params(account, tuple(e for p in found for e in p.expand), any(p.dynamic for p in found))

    def _event_account(self, node, fn: Function | None) -> bool:
        return node.type == "selector_expression" and text(node.child_by_field_name("field")) == "Account" \
            and isinstance(self.ev.value(node.child_by_field_name("operand"), fn), Event)

    def _legacy(self, call, package: str, method: str, fn: Function | None) -> None:
        accessor = f"{package}.{method}"
        if package in ("", "client", "webhook") or not table.is_method("go_legacy", accessor):
            return
        params = self.params(call, fn)
        account = "installing" if params.account else self.global_key_account(fn)
        self._emit("go_legacy", accessor, call, account, params)

    def global_key_account(self, fn: Function | None) -> str:
        """`stripe.Key = token` in the calling function makes its legacy calls act for whoever the
        key belongs to (docs/semantics.md §12); the key set anywhere else is the process's own."""
        root = next((local for local, package in self.m.sdk.items() if package == ""), None)
        for value, where in self.m.member_values.get((root, "Key"), []) if root else ():
            if where is fn and fn is not None and self.ev.key_account(value, fn) == "installing":
                return "installing"
        return "platform"

    def _on_client(self, call, receiver, accessor: str, fn: Function | None) -> None:
        styles = [s for s in CLIENT_STYLES if table.is_method(s, accessor)]
        if not styles:
            return
        value = self.ev.value(receiver, fn)
        params = self.params(call, fn)
        if isinstance(value, GoClient):
            if value.style in styles:
                self._emit(value.style, accessor, call, "installing" if params.account else value.account, params)
        elif isinstance(value, GoPending):
            # Another file of the package, by the name itself; or a package of the app's module
            # (an import path), whose member the accessor starts with (`SC.Invoices.List`).
            self.out.imports.add(ImportBinding(value.local, value.package, "*") if value.package
                                 else ImportBinding(value.local, SAME_PACKAGE, value.local))
            self.out.pending.append(PendingCall(
                value.local, ".".join(value.members + tuple(accessor.split("."))), self.ev.pos(call),
                via_factory=value.factory, expand=params.expand, expand_dynamic=params.dynamic, account="installing" if params.account else None))
            # Untraced until the linker finds it in another file of the package (then dropped).
            self._untraced(call, receiver, value, styles[0], accessor, params)
        else:
            self._untraced(call, receiver, value, styles[0], accessor, params)

    def _untraced(self, call, receiver, value, style: str, accessor: str, params: Params) -> None:
        label = receiver_label(text(receiver))
        name, source = label, ""
        if isinstance(value, Untraced):
            origin, declared = value.origin, value.declared
        elif isinstance(value, GoPending) and value.package:  # named by what the package exports
            origin, declared = "import", self.m.packages[value.local][1]
            name, source = (value.members or (value.local,))[0], value.package
        else:
            member = receiver.type == "selector_expression" or isinstance(value, Struct) or \
                (isinstance(value, GoPending) and value.members)
            origin = "member" if member else "unknown"
            declared = None
        position = self.ev.pos(call)
        self.out.untraced.append(UntracedClient(origin, name, source, self.ev.pos(declared) if declared else None,
                                                position, accessor))
        if names_stripe(label):
            self._emit(style, accessor, call, "installing" if params.account else "unknown", params, inferred=True)

    def _emit(self, style: str, accessor: str, call, account: str, params: Params, inferred: bool = False) -> None:
        self.out.calls.append(ApiCall(style, accessor, self.ev.pos(call), account, params.expand, params.dynamic,
                                      inferred=inferred))
