"""Whose account a stripe-php call acts on (docs/semantics.md §6, §12): read from the API key a
client or ``\\Stripe\\Stripe::setApiKey`` is given, and from per-request options
(``['stripe_account' => $acct]``, ``'api_key' =>``, ``'stripe_context' =>``)."""

from __future__ import annotations

from stripe_perm_lint.parse.php.syntax import array_entries
from stripe_perm_lint.parse.php.values import PhpArray, PhpEventAccount, PhpEvaluator, PhpScope
from stripe_perm_lint.parse.stripe_urls import ACCOUNT_HEADER
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT

ACCOUNT_OPTIONS = ("stripe_account", "stripe_context")
# Where a process keeps its own secret: the environment, configuration, WordPress options.
_OWN_SECRET_CALLS = frozenset({"getenv", "env", "config", "get_option", "get_site_option", "constant"})
_OWN_SECRET_VARIABLES = ("$_ENV", "$_SERVER")


def key_origin(node, scope: PhpScope, ev: PhpEvaluator, depth: int = 0) -> str:
    """Where an API key comes from: "installing" (an OAuth token, an account's key), "platform"
    (the environment, configuration, a constant, a literal), "parameter" (the enclosing function
    is given it), or "unknown"."""
    src = ev.src
    if node is None or depth > 4:
        return "unknown"
    if OAUTH_KEY_TEXT.search(src.text(node)):
        return "installing"
    kind = node.type
    if kind in ("string", "encapsed_string", "name", "qualified_name", "class_constant_access_expression"):
        return "platform"
    if kind == "subscript_expression" and src.text(node).startswith(_OWN_SECRET_VARIABLES):
        return "platform"
    if kind == "function_call_expression":
        name = src.text(node.child_by_field_name("function")).lstrip("\\").lower()
        return "platform" if name in _OWN_SECRET_CALLS else "unknown"
    if kind == "variable_name":
        name = src.text(node)
        if name in scope.sources:
            return key_origin(scope.sources[name], scope, ev, depth + 1)
        return "parameter" if name in scope.params else "unknown"
    if kind in ("member_access_expression", "scoped_property_access_expression"):
        return "unknown"
    if kind == "binary_expression":  # `$a ?? getenv('X')`: the first side that says something
        for side in ("left", "right"):
            found = key_origin(node.child_by_field_name(side), scope, ev, depth + 1)
            if found != "unknown":
                return found
    return "unknown"


def client_account(args: list, scope: PhpScope, ev: PhpEvaluator) -> str:
    """`new StripeClient($key)` / `new StripeClient(['api_key' => $k, 'stripe_account' => $a])`.
    A key passed in as a parameter leaves the client's origin unknown (§6)."""
    if not args:
        return "unknown"
    config = ev.value(args[0], scope)
    if isinstance(config, PhpArray):
        entries = {key: value for key, _, value in array_entries(config.node, ev.src) if key}
        if any(option in entries for option in ACCOUNT_OPTIONS):
            return "installing"
        key = entries.get("api_key")
        origin = key_origin(key, scope, ev) if key is not None else "unknown"
    else:
        origin = key_origin(args[0], scope, ev)
    return "unknown" if origin == "parameter" else origin


def legacy_key_account(node, scope: PhpScope, ev: PhpEvaluator, in_function: bool) -> str:
    """`\\Stripe\\Stripe::setApiKey(X)`: a per-account key inside a function (a parameter
    included, §12) makes the legacy calls after it act for the installing account; the
    process's own key, or any key set at file level, is the platform's."""
    origin = key_origin(node, scope, ev)
    if not in_function:
        return "installing" if origin == "installing" else "platform"
    return "installing" if origin in ("installing", "parameter") else origin


def options_account(args: list, scope: PhpScope, ev: PhpEvaluator) -> str | None:
    """"installing" when an argument is request options naming an account or an API key that is
    not the process's own, or passes the id of the account an event came from; else None."""
    for arg in args:
        held = ev.value(arg, scope)
        if isinstance(held, PhpEventAccount):
            return "installing"
        if not isinstance(held, PhpArray):
            continue
        for key, _, value in array_entries(held.node, ev.src):
            if key in ACCOUNT_OPTIONS:
                return "installing"
            if key == "api_key" and key_origin(value, scope, ev) in ("installing", "parameter"):
                return "installing"
    return None


def header_account(texts: list[str]) -> bool:
    """A raw request's headers name an account (`Stripe-Account`) or an OAuth token."""
    return any(ACCOUNT_HEADER.search(t) or OAUTH_KEY_TEXT.search(t) for t in texts)

