"""Whose key and whose account a Ruby expression names: API keys (an OAuth token, a parameter,
the environment, stored data), request options (`stripe_account:`, `api_key:`), and the account a
`Stripe::StripeClient.new(...)` is built for. Part of ``evaluator.RubyEvaluator`` (a mixin: it
uses the evaluator's ``scope`` and ``value``)."""

from __future__ import annotations

import re

from stripe_perm_lint.parse.ruby import values as v
from stripe_perm_lint.parse.ruby.syntax import arguments, key_name, method_name, pairs, text
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT

MAX_DEPTH = 8
# The process's own configuration: environment, Rails credentials and config, settings gems.
_CONFIG_TEXT = re.compile(r"\bENV\b|credentials|Rails\.(?:configuration|application\.config)|\bSettings\b|\bFigaro\b")
STRINGISH = ("string", "chained_string", "simple_symbol", "delimited_symbol")


class AccountReading:
    def client_account(self, new_call) -> str:
        """Whose account `Stripe::StripeClient.new(key, stripe_account: x)` acts on."""
        args = arguments(new_call)
        for name, _, _ in _pairs_of(args):
            if name in v.ACCOUNT_OPTIONS:
                return "installing"
        key = next((a for a in args if a.type != "pair"), None)
        key = key if key is not None else next((val for n, _, val in _pairs_of(args) if n == "api_key"), None)
        # The key is a question of its own: how deep the client was reached does not limit it.
        found = self.key_account(key) if key is not None else "platform"
        return {"parameter": "unknown"}.get(found, found)

    def key_account(self, node, depth: int = 0) -> str:
        """Whose key ``node`` is: "installing" (an OAuth token, a key derived from a parameter:
        `account.secret_key`, `keys[account_id]`), "parameter" (handed in as it is), "platform"
        (the environment, configuration, a literal) or "unknown" (stored data: a model's
        `stripe_secret_key`, whose account the code does not say)."""
        if node is None or depth > MAX_DEPTH:
            return "unknown"
        source = text(node)
        if OAUTH_KEY_TEXT.search(source):
            return "installing"
        if _CONFIG_TEXT.search(source) or node.type in STRINGISH:
            return "platform"
        if node.type == "identifier":
            assigned = self.scope.local_value(node)
            if assigned is not None:
                return self.key_account(assigned, depth + 1)
            return "parameter" if self.scope.parameter(node) is not None else "unknown"
        if node.type == "instance_variable":
            found = [self.key_account(n, depth + 1) for n in self.scope.ivar_values(node)]
            return _strongest(found)
        if node.type in ("call", "element_reference", "binary", "conditional", "parenthesized_statements"):
            # derived from its inputs: `account.stripe_secret_key`, `keys[account_id]`, `token_for(acct)`
            found = [self.key_account(c, depth + 1) for c in node.named_children
                     if c.type not in ("argument_list", "identifier") or c == node.child_by_field_name("receiver")]
            found += [self.key_account(a, depth + 1) for a in arguments(node)] if node.type == "call" else []
            if "installing" in found or "parameter" in found:
                return "installing"
            if found and all(f == "platform" for f in found):
                return "platform"
        return "unknown"

    def options_account(self, args, depth: int = 0) -> str | v.Param | None:
        """The account the request options among ``args`` make a call act on: "installing" for
        `stripe_account:` / `stripe_context:` or a per-account `api_key:`, "platform" for the
        platform's own `api_key:`, a ``Param`` when the options are a parameter of the method,
        else None."""
        own_key = False
        for name, _, value in _pairs_of(args):
            if name in v.ACCOUNT_OPTIONS:
                return "installing"
            if name == "api_key":
                key = self.key_account(value, depth + 1)
                if key in ("installing", "parameter"):
                    return "installing"
                own_key = own_key or key == "platform"
        if own_key:  # `api_key: ENV['STRIPE_SECRET_KEY']`: the platform's own key, whatever the global one
            return "platform"
        for arg in args:
            if arg.type != "pair" and isinstance(self.value(arg), v.EventAccount):
                return "installing"  # `Stripe::Account.retrieve(event.account)`: the event's account
            if depth >= MAX_DEPTH:
                continue
            bound = self._bound_hash(arg)
            if bound is not None:
                found = self.options_account([bound], depth + 1)
                if found:
                    return found
            elif arg.type == "identifier" and self.scope.local_value(arg) is None and arg is args[-1] and len(args) > 1 \
                    and self.scope.parameter(arg) is not None:
                return v.Param(text(arg), self.scope.parameter(arg)[1])
        return None

    def _bound_hash(self, node):
        """The literal hash a name holds: a local, a constant, or what a method of this file returns
        (`def request_options; { stripe_account: ... }; end`, `def options(conn) = { stripe_account: ... }`)."""
        if node.type == "identifier":
            bound = self.scope.local_value(node)
            if bound is None and self.scope.parameter(node) is None and text(node) in self.scope.methods:
                bound = returned(self.scope.methods[text(node)][-1])
        elif node.type == "constant":
            bound = self.scope.constants.get(text(node), [None])[-1]
        elif node.type == "call" and node.child_by_field_name("receiver") is None:
            # `request_options` or `options(connection)`: the hash it returns names the account option
            found = self.scope.methods.get(method_name(node) or "")
            bound = returned(found[-1]) if found else None
        else:
            return None
        while bound is not None and bound.type == "call" and method_name(bound) in ("freeze", "merge"):
            bound = bound.child_by_field_name("receiver")
        return bound if bound is not None and bound.type == "hash" else None



def _pairs_of(args):
    """(key, key node, value) of bare keyword arguments and of literal hashes among ``args``."""
    for arg in args:
        if arg.type == "pair":
            yield key_name(arg.child_by_field_name("key")), arg, arg.child_by_field_name("value")
        elif arg.type == "hash":
            yield from pairs(arg)


def _strongest(found: list[str]) -> str:
    return next((f for f in ("installing", "parameter", "unknown") if f in found), "platform" if found else "unknown")


def returned(method):
    """The last expression of a method body (`@stripe ||= Stripe::StripeClient.new(...)`; the
    expression of an endless `def x = ...`)."""
    body = method.child_by_field_name("body")
    if body is not None and body.type != "body_statement":  # `def self.fetch(id) = Stripe::Charge.retrieve(id)`
        return body
    statements = [c for c in (body.named_children if body is not None else []) if c.type not in _NOT_VALUES]
    if not statements:
        return None
    last = statements[-1]
    if last.type in ("assignment", "operator_assignment"):
        return last.child_by_field_name("right")
    return last


def returned_values(method) -> list:
    """Everything a method may return: the value of each explicit `return x` in its body (also
    one inside a block, which returns from the method: `secrets.each { |s| return construct(s) }`,
    but not one of a nested `def` or lambda), then its last expression."""
    found = []
    body = method.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in ("method", "singleton_method", "lambda"):
            continue
        if node.type == "return":
            args = node.named_children[0].named_children if node.named_children else []
            if len(args) == 1:
                found.append(args[0])
            continue
        stack.extend(reversed(node.named_children))
    last = returned(method)
    return found + ([last] if last is not None else [])


_NOT_VALUES = ("comment", "rescue", "else", "ensure")


def pairs_of(args):
    return list(_pairs_of(args))
