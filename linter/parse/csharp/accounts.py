"""Whose account a Stripe.net key acts for (docs/semantics.md §6, §12): a client's key, a
per-request `ApiKey`, and `StripeConfiguration.ApiKey` set inside a method."""

from __future__ import annotations

import re

from stripe_perm_lint.parse.csharp.syntax import FUNCTIONS, text, unwrap, walk
from stripe_perm_lint.parse.csharp.syntax import arguments as _args
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT

# A key that is the process's own: configuration, the environment, a literal, options bound from
# configuration (`_settings.Value.SecretKey`).
_OWN_KEY = re.compile(r"Configuration|[cC]onfig\b|[cC]onfig\[|Environment\.|EnvReader|GetEnvironmentVariable"
                      r"|[sS]ettings|[oO]ptions\.Value|SecretKey|Secret_Key|SECRET_KEY|GetValue|^\"|^@\"|^\$\"")
ACCOUNT_OPTIONS = ("StripeAccount", "StripeContext")


def key_account(scope, key, at, client: bool) -> str:
    """Whose account an API key acts for: an OAuth token or a per-account lookup, the
    installing account's; configuration, the environment or a literal, the platform's; a
    parameter: for a client, unknown (settled by the app's access type, §6), for a request
    or `StripeConfiguration.ApiKey` inside a method, the installing account's (§12)."""
    key = unwrap(key)
    written = text(key)
    if OAUTH_KEY_TEXT.search(written):
        return "installing"
    if _OWN_KEY.search(written):
        return "platform"
    if key.type == "identifier":
        declared = scope.declaration(written, at)
        if declared is not None and declared[0] == "parameter":
            return "unknown" if client else "installing"
        if declared is not None and declared[1] is not None:
            return key_account(scope, declared[1], declared[1], client)
        return "unknown"
    if key.type in ("element_access_expression", "invocation_expression") and _args(key):
        return "installing"  # `keys[accountId]`, `TokenFor(accountId)`: one key per account
    return "unknown"

def global_account(scope, at) -> str:
    """The account of a service built without a client: `StripeConfiguration.ApiKey`, set in
    the enclosing method before it to a per-account key (installing), else the process's key."""
    function = _outermost_function(at)
    for node in walk(function) if function is not None else ():
        if node.start_byte > at.start_byte:
            break
        if node.type == "assignment_expression" and text(node.child_by_field_name("left")).endswith(
                "StripeConfiguration.ApiKey"):
            return key_account(scope, node.child_by_field_name("right"), node, client=False)
    return "platform"


def _outermost_function(node):
    found = None
    while node is not None:
        if node.type in FUNCTIONS:
            found = node
        node = node.parent
    return found
