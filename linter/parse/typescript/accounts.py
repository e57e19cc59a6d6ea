"""Whose account a stripe-node client acts on, in TypeScript: the platform's (its own secret key),
the installing account's (a UI extension's key, an OAuth token, `stripeAccount` options), or
"unknown" when the client is known only by its type or its key is handed in by the caller.

Used by ``interpreter`` when a client is built, and by ``calls`` and ``exports`` when a fact
reports the account.
"""

from __future__ import annotations

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.declarations import Declarations
from stripe_perm_lint.parse.typescript.literals import resolve_object
from stripe_perm_lint.parse.typescript.syntax import object_entries, text, unwrap_types
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT


def client_account(installing: bool, provenance: bool | None) -> str:
    """"unknown" for a client known only by its type (a `stripe: Stripe` parameter): where it
    was built, and so whose account it acts on, is decided later by where the file lives."""
    if installing:
        return "installing"
    return "unknown" if provenance is None else "platform"


def client_installing(decls: Declarations, args: list[Node]) -> bool | None:
    """Does `new Stripe(key, opts)` act for the installing account? None when the key is a
    parameter of the enclosing function: it comes from outside (an OAuth token or a merchant's
    restricted key in such apps), so the engine decides by the app's access type."""
    for arg in args:
        for ident in _identifiers(arg):
            if ident in ("STRIPE_API_KEY", "createHttpClient"):
                return True
    if args and OAUTH_KEY_TEXT.search(text(args[0])):
        return True
    if len(args) > 1 and has_account_option(decls, args[1]):
        return True
    key = unwrap_types(args[0]) if args else None
    if key is not None and key.type == "identifier":
        binding = decls.lookup(key)
        if binding is not None and binding.kind == "param":
            return None
    return False


def has_account_option(decls: Declarations, node: Node) -> bool:
    """Whether an options object (a literal or a same-file const) passes `stripeAccount` or
    `stripeContext`: the request then acts on that account."""
    obj = resolve_object(decls, node)
    if obj is None:
        return False
    return any(key in ("stripeAccount", "stripeContext") for key, _, _ in object_entries(obj))


def _identifiers(node: Node):
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "property_identifier", "shorthand_property_identifier"):
            yield text(n)
        stack.extend(n.children)
