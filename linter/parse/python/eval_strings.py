"""Static strings of the Python parser: literals, constant lists and URL templates.

Built on ``ValueEvaluator`` because reading a string means following the names and class
constants it was assigned from (``assigned_exprs``). Used for ``expand`` / ``enabled_events``
lists, event-type comparisons and the URLs of raw requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.parse.vocabulary import STRIPE_API_URL

from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.eval_values import MAX_DEPTH, ValueEvaluator
from stripe_perm_lint.parse.python.scope import LexicalScope
from stripe_perm_lint.parse.python.call_syntax import literal_text


@dataclass
class Strings:
    """A statically read list of strings (an ``expand`` or ``enabled_events`` value)."""

    items: list[tuple[str, cst.CSTNode]]
    imports: list[tuple[str, cst.Name]]
    dynamic: bool = False


class StringEvaluator(ValueEvaluator):
    """Strings, string lists and URL templates read from the source without running it."""

    def string(self, expr: Any, scope: LexicalScope, depth: int = 0) -> tuple[str, Any] | None:
        """A string literal, or a name / class constant bound to one: (value, literal node)."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            value = literal_text(expr)
            return (value, expr) if value is not None else None
        if isinstance(expr, cst.Attribute) and expr.attr.value == "value":  # ``Kind.PAID.value``
            found = self.string(expr.value, scope, depth + 1)
            if found is not None:
                return found
        if isinstance(expr, (cst.Name, cst.Attribute)):
            for node, where in self.assigned_exprs(expr, scope):
                found = self.string(node, where, depth + 1)
                if found is not None:
                    return found
        return None

    def strings(self, expr: Any, scope: LexicalScope, depth: int = 0) -> Strings:
        """A list/tuple/set of string literals, following same-module constants, ``+`` and
        ``*spread``; names imported from app modules are left for the linker."""
        out = Strings([], [])
        if depth > MAX_DEPTH:
            out.dynamic = True
        elif isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            for element in expr.elements:
                if isinstance(element, cst.StarredElement):
                    _merge(out, self.strings(element.value, scope, depth + 1))
                else:
                    found = self.string(element.value, scope, depth + 1)
                    if found is None:
                        out.dynamic = True
                    else:
                        out.items.append(found)
        elif isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            _merge(out, self.strings(expr.left, scope, depth + 1))
            _merge(out, self.strings(expr.right, scope, depth + 1))
        elif isinstance(expr, cst.Call) and get_full_name_for_node(expr.func) in COPIES and expr.args:
            _merge(out, self.strings(expr.args[0].value, scope, depth + 1))
        elif isinstance(expr, cst.Name) and isinstance(self.lookup(expr.value, scope), v.Imported):
            out.imports.append((expr.value, expr))
        elif isinstance(expr, (cst.Name, cst.Attribute)):
            candidates = self.assigned_exprs(expr, scope)
            if not candidates:
                out.dynamic = True
            else:
                node, where = candidates[0]
                _merge(out, self.strings(node, where, depth + 1))
        else:
            out.dynamic = True
        return out

    def template(self, expr: Any, scope: LexicalScope, resolve: bool = True, depth: int = 0) -> str | None:
        """A URL or path with ``{}`` for the parts not known statically. Names are resolved only
        at the start (a base URL constant); later substitutions are ids and stay ``{}``."""
        if depth > MAX_DEPTH or expr is None:
            return None
        if literal_text(expr) is not None:
            return literal_text(expr)
        if isinstance(expr, cst.FormattedString):
            parts = []
            for index, part in enumerate(expr.parts):
                if isinstance(part, cst.FormattedStringText):
                    parts.append(part.value)
                else:
                    found = self.template(part.expression, scope, index == 0, depth + 1)
                    parts.append(found if index == 0 and found is not None else "{}")
            return "".join(parts)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            left = self.template(expr.left, scope, resolve, depth + 1)
            right = self.template(expr.right, scope, False, depth + 1)
            if left is None and right is None:
                return None
            return (left if left is not None else "{}") + (right if right is not None else "{}")
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Modulo):
            left = self.template(expr.left, scope, resolve, depth + 1)
            return re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[sdirf]", "{}", left) if left is not None else None
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "format":
            base = self.template(expr.func.value, scope, resolve, depth + 1)
            return re.sub(r"\{[^{}]*\}", "{}", base) if base is not None else None
        fallback = _env_fallback(expr)  # `os.getenv("STRIPE_API_BASE", "https://api.stripe.com/v1")`
        if fallback is not None:
            found = self.template(fallback, scope, resolve, depth + 1)
            return found if found is not None and STRIPE_API_URL.match(found) else None
        if resolve and isinstance(expr, (cst.Name, cst.Attribute)):
            for node, where in self.assigned_exprs(expr, scope):
                found = self.template(node, where, True, depth + 1)
                if found is not None:
                    return found
        return None


def _env_fallback(expr: Any) -> Any:
    """The default of an environment read (``os.getenv(k, d)``, ``os.environ.get(k, d)``,
    ``os.environ.get(k) or d``): only a Stripe URL counts (checked by the caller), as the base
    a deployment may override for a proxy or a mock."""
    if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
        return expr.right
    if isinstance(expr, cst.Call) and len(expr.args) >= 2:
        name = get_full_name_for_node(expr.func) or ""
        if name in ("os.getenv", "getenv", "os.environ.get", "environ.get", "config", "env"):
            return expr.args[1].value
    return None


COPIES = ("list", "tuple", "set", "frozenset")  # `frozenset({"invoice.paid", ...})`


def _merge(into: Strings, other: Strings) -> None:
    into.items.extend(other.items)
    into.imports.extend(other.imports)
    into.dynamic = into.dynamic or other.dynamic
