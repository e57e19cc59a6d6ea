"""The Java backend parser (tree-sitter-java): stripe-java's ``StripeClient`` services, legacy
model classes, request options, expand lists, raw requests and webhook events, as facts.
docs/languages.md (## Java) says what it reads."""

from stripe_perm_lint.parse.java.parser import parse

__all__ = ["parse"]
