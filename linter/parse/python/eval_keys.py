"""Whose key a Python call runs with (docs/semantics.md §12): the platform's own secret, or a key
held per installing account.

``stripe.api_key = token_for(account_id)`` inside a function, or ``api_key=api_key`` on a call,
hands the request a key that varies per request: in a Stripe App backend that is the installing
account's key (an OAuth token, a pasted restricted key). A key read from the environment, a
settings object, a module constant or a literal is the developer's own. When the parser cannot
tell, the key is the platform's: that gives the fewest false alarms (a platform call is reported
at info level, never dropped).
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.eval_strings import StringEvaluator
from stripe_perm_lint.parse.python.eval_values import MAX_DEPTH
from stripe_perm_lint.parse.python.scope import LexicalScope
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT

# Reads of the process's own configuration: `os.environ[...]`, `os.getenv(...)`, `config("X")`,
# `settings.STRIPE_KEY`, `get_secret("stripe")`.
ENVIRONMENT_TEXT = re.compile(r"\benviron\b|\bgetenv\b|\bsettings\b|\bconfig\b|\bsecrets?\b", re.IGNORECASE)


class KeyEvaluator(StringEvaluator):
    """Classifies API keys; ``call_order`` (from the binding pass) orders calls and key sets."""

    call_order: dict[int, int] = {}

    def key_account(self, expr: Any, scope: LexicalScope, depth: int = 0) -> str:
        """"installing" for a key that varies per account, else "platform"."""
        return "installing" if self._per_account(expr, scope, depth) else "platform"

    def ambient_key_account(self, call: cst.Call, scope: LexicalScope) -> str | None:
        """"installing" when, earlier in the same function, ``stripe.api_key`` was set to a
        per-account key (the last such statement before the call decides); else None."""
        order = self.call_order.get(id(call))
        if order is None or scope.kind != "function":
            return None
        found = None
        for set_order, receiver, value in scope.key_sets:
            if set_order > order or self.value(receiver, scope) != v.LegacyNS(()):
                continue
            found = self.key_account(value, scope)
        return "installing" if found == "installing" else None

    def _per_account(self, expr: Any, scope: LexicalScope, depth: int) -> bool:
        if depth > MAX_DEPTH or expr is None:
            return False
        text = self.module.code_for_node(expr)
        if OAUTH_KEY_TEXT.search(text):
            return True
        if ENVIRONMENT_TEXT.search(text):
            return False
        if isinstance(expr, cst.Name):
            return self._name_per_account(expr, scope, depth)
        if isinstance(expr, cst.Attribute):
            if isinstance(self.value(expr.value, scope), (v.UserObject, v.ClassRef)):
                # `self.api_key`: what the class assigned it (`self.api_key = api_key`)
                return any(self._per_account(n, w, depth + 1) for n, w in self.assigned_exprs(expr, scope))
            return self._per_account(expr.value, scope, depth + 1)  # `account.stripe_key`
        if isinstance(expr, cst.Subscript):  # `keys[account_id]`, `row["api_key"]`
            index = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
            return any(self._per_account(part, scope, depth + 1) for part in [expr.value, *index])
        if isinstance(expr, cst.Call):  # derived from its inputs: `token_for(account_id)`
            func = expr.func.value if isinstance(expr.func, cst.Attribute) else None
            inputs = [a.value for a in expr.args] + ([func] if func is not None else [])
            return any(self._per_account(part, scope, depth + 1) for part in inputs)
        if isinstance(expr, cst.Await):
            return self._per_account(expr.expression, scope, depth + 1)
        if isinstance(expr, (cst.BooleanOperation, cst.IfExp)):
            parts = (expr.left, expr.right) if isinstance(expr, cst.BooleanOperation) else (expr.body, expr.orelse)
            return any(self._per_account(part, scope, depth + 1) for part in parts)
        return False

    def _name_per_account(self, expr: cst.Name, scope: LexicalScope, depth: int) -> bool:
        """A parameter, a loop variable, or a local assigned from one of those; module-level
        names (constants, imports such as `settings`) are the app's own configuration."""
        holder = scope.holder(expr.value)
        if holder is None or holder.kind != "function":
            return False
        for source in holder.bindings[expr.value]:
            if source.kind == "param" and expr.value != holder.self_name:
                # `create_products(args.key)` in a CLI of the same module passes the developer's
                # own key: a parameter is per-account unless every caller here says otherwise
                passed = self.passed_arguments(source.node, holder)
                return not passed or any(self._per_account(n, w, depth + 1) for n, w in passed)
            if source.kind == "iter":
                return True
            if source.kind == "expr" and self._per_account(source.node, source.scope, depth + 1):
                return True
        return False
