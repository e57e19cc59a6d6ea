"""What a Java expression holds (``values``), read from the syntax of the file alone: clients
built with a key from the environment or from a per-account credential, request options,
params with expand lists, webhook events, fetched model objects."""

from __future__ import annotations

import dataclasses
import re

from stripe_perm_lint.parse.java import values as v
from stripe_perm_lint.parse.java.scope import JavaFileNames, JavaScope
from stripe_perm_lint.parse.java.syntax import arguments, chain, name_of, string_value, text, unparen
from stripe_perm_lint.parse.java.table import service_chains
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT

# An argument naming the account a key is looked up for: `keys.forAccount(accountId)`.
_PER_ACCOUNT = re.compile(r"account|acct|merchant|tenant|shop|install", re.IGNORECASE)
_CONFIG_READS = ("getenv", "getProperty", "getRequiredProperty")
_EVENT_SOURCES = ("constructEvent", "parseThinEvent", "parseEventNotification")


class JavaEvaluator:
    def __init__(self, names: JavaFileNames) -> None:
        self.names = names
        # The account of a `Stripe.apiKey` set once for the process (``JavaFile._global_key``).
        self.global_key = "unknown"

    # --- credentials ---------------------------------------------------------------------------
    def credential(self, node, scope: JavaScope) -> str:
        """Whose key ``node`` is: the installing account's (an OAuth token, a parameter, a lookup
        by account), the platform's (a literal, the environment, configuration) or unknown."""
        node = unparen(node)
        if node is None:
            return "unknown"
        written = text(node)
        if OAUTH_KEY_TEXT.search(written):
            return "installing"
        if node.type == "string_literal":
            return "platform"
        if node.type == "identifier":
            name = written
            if name in scope.locals:
                found = scope.locals[name]
                return found.account if isinstance(found, v.JavaCredential) else "unknown"
            if name in scope.parameters:
                if scope.parameters[name].configured:
                    return "platform"
                return "unknown" if scope.constructor else "installing"
            return self._field_credential(name)
        if node.type == "field_access" and text(node.child_by_field_name("object")) == "this":
            return self._field_credential(text(node.child_by_field_name("field")))
        if node.type == "method_invocation":
            args = arguments(node)
            if any(_PER_ACCOUNT.search(text(a)) or (a.type == "identifier" and text(a) in scope.parameters)
                   for a in args if a.type != "string_literal"):
                return "installing"
            if name_of(node) in _CONFIG_READS or all(a.type == "string_literal" for a in args):
                return "platform"
        return "unknown"

    def _field_credential(self, name: str) -> str:
        found = self.names.fields.get(name)
        if found is None:
            return "unknown"
        if found.configured or isinstance(found.value, v.JavaCredential) and found.value.account == "platform":
            return "platform"
        if isinstance(found.value, v.JavaCredential):
            return found.value.account
        init = found.node.child_by_field_name("value")
        return self.credential(init, JavaScope()) if init is not None else "unknown"

    # --- values ---------------------------------------------------------------------------------
    def value(self, node, scope: JavaScope):
        node = unparen(node)
        if node is None:
            return None
        if node.type == "identifier":
            name = text(node)
            if name in scope.locals:
                return scope.locals[name]
            if name in scope.parameters:
                return self.typed(scope.parameters[name].type, "unknown", scope.parameters[name].injected)
            return self._field(name)
        if node.type == "field_access" and text(node.child_by_field_name("object")) == "this":
            return self._field(text(node.child_by_field_name("field")))
        if node.type == "object_creation_expression":
            kind = text(node.child_by_field_name("type")).split("<", 1)[0]
            if self.names.is_stripe(kind, "com.stripe.StripeClient"):
                args = arguments(node)
                return v.JavaClient(self.credential(args[0], scope) if args else "unknown")
            if kind.rsplit(".", 1)[-1] in ("HashMap", "LinkedHashMap", "TreeMap", "ArrayList", "LinkedList"):
                return v.JavaParams()
            return None
        if node.type == "method_invocation":
            return self._call_value(node, scope)
        if node.type == "string_literal":
            return v.JavaCredential("platform")
        return None

    def _field(self, name: str):
        found = self.names.fields.get(name)
        if found is None:
            return None
        if found.value is not None:
            return found.value
        init = found.node.child_by_field_name("value")
        if init is not None:
            found.value = self.value(init, JavaScope()) or False
            return found.value or None
        return self.typed(found.type, "unknown", found.injected)  # injected (Spring) or set elsewhere

    def typed(self, kind: str, account: str, injected: bool = False):
        """The value of a name known only by its declared type; ``injected``: Spring's bean."""
        if self.names.is_stripe(kind, "com.stripe.StripeClient"):
            return v.JavaClient(account, injected=injected)
        service = self.names.service_chain(kind)
        if service is not None:  # `CustomerService customers`: a service of a client this file does not show
            return v.JavaClient(account, service)
        if self.names.is_stripe(kind, "com.stripe.net.RequestOptions"):
            return v.JavaOptions(account)
        model = self.names.model_class(kind)
        if model == "Event":
            return v.JavaEvent()
        return v.JavaModel(model, account) if model else None

    def _call_value(self, node, scope: JavaScope):
        root, calls = chain(node)
        name = name_of(node)
        receiver = self.value(node.child_by_field_name("object"), scope) if node.child_by_field_name("object") else None
        if isinstance(receiver, v.JavaEvent) and name == "getType":
            return v.JavaEventType()
        if name in _EVENT_SOURCES and (isinstance(receiver, v.JavaClient) or self._is_class(root, "com.stripe.net.Webhook")):
            return v.JavaEvent()
        # The builder first: its own setters (`setMaxNetworkRetries`) are no client services.
        if self._is_class(root, "com.stripe.StripeClient") and calls and name_of(calls[0]) == "builder":
            keys = [arguments(c)[0] for c in calls if name_of(c) == "setApiKey" and arguments(c)]
            account = self.credential(keys[-1], scope) if keys else "unknown"
            if any(name_of(c) == "setStripeAccount" for c in calls):
                account = "installing"
            return v.JavaClient(account)
        if isinstance(receiver, v.JavaClient):
            step = f"{receiver.chain}.{name}()" if receiver.chain else f"{name}()"
            return dataclasses.replace(receiver, chain=step) if step in service_chains() else None
        if isinstance(receiver, v.JavaParams) and name in ("build",):
            return receiver
        root_text = text(root)
        if self._is_class(root, "com.stripe.net.RequestOptions") or self._is_class(root, "com.stripe.net.RawRequestOptions"):
            return self.options(calls, scope)
        if calls and name_of(calls[0]) == "builder" and root_text.endswith("Params"):
            return self.params_of(calls, scope)
        if root_text in ("List", "Arrays", "Set", "Map") and len(calls) == 1:
            return None
        model = self.names.model_class(root_text) if root.type in ("identifier", "field_access", "scoped_identifier") else None
        if model and len(calls) >= 1 and name_of(calls[0]) in ("retrieve", "create"):
            account = self.legacy_account(calls[0], scope)
            return v.JavaModel(model, account) if node == calls[0] else None
        return None

    def _is_class(self, node, qualified: str) -> bool:
        return node is not None and node.type in ("identifier", "field_access", "scoped_identifier") and \
            self.names.is_stripe(text(node), qualified)

    # --- options, params, accounts ----------------------------------------------------------------
    def options(self, calls: list, scope: JavaScope) -> v.JavaOptions:
        account = ""
        for call in calls:
            args = arguments(call)
            if name_of(call) in ("setStripeAccount", "setStripeContext") and args:
                return v.JavaOptions("installing")
            if name_of(call) == "setApiKey" and args:
                account = self.credential(args[0], scope)
        return v.JavaOptions(account)

    def params_of(self, calls: list, scope: JavaScope) -> v.JavaParams:
        params = v.JavaParams()
        for call in calls:
            args = arguments(call)
            if name_of(call) == "addExpand" and args:
                self.add_paths(params, [args[0]], scope)
            elif name_of(call) == "addAllExpand" and args:
                self.add_list(params, args[0], scope)
        return params

    def add_list(self, params: v.JavaParams, node, scope: JavaScope) -> None:
        node = unparen(node)
        if node.type == "method_invocation" and name_of(node) in ("of", "asList", "singletonList", "listOf"):
            self.add_paths(params, arguments(node), scope)
            return
        found = self.value(node, scope)
        if isinstance(found, v.JavaParams):
            params.paths.extend(found.paths)
            params.dynamic |= found.dynamic
        else:
            params.dynamic = True

    def add_paths(self, params: v.JavaParams, nodes: list, scope: JavaScope) -> None:
        for item in nodes:
            literal = string_value(unparen(item))
            if literal is None and unparen(item).type == "identifier":
                literal = self.names.constants.get(text(item))
            if literal is None:
                params.dynamic = True
            else:
                params.paths.append((literal, item))

    def option_values(self, args: list, scope: JavaScope) -> list[v.JavaOptions]:
        return [found for found in (self.value(a, scope) for a in args) if isinstance(found, v.JavaOptions)]

    def legacy_account(self, call, scope: JavaScope) -> str:
        """A model class's static call: its request options, else the `Stripe.apiKey` set before
        it in this function (decision 12), else the file's global key."""
        start = call.start_point
        local = [account for position, account in scope.key_assignments if position < start]
        base = local[-1] if local else self.global_key
        return v.combined_account(base, self.option_values(arguments(call), scope))
