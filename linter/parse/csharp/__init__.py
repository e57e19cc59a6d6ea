"""The C# backend parser (Stripe.net), on tree-sitter-c-sharp: ``parse(path, text) -> FileFacts``.

``sdk`` reads the committed method table, ``syntax`` holds tree helpers, ``scope`` binds names to
services and clients, ``calls`` reads SDK calls (with their account and expand list), ``urls``
raw requests, ``registrations`` dependency-injection registrations, ``events`` handled and
subscribed events; ``parser`` puts them together.
"""

from stripe_perm_lint.parse.csharp.parser import parse

__all__ = ["parse"]
