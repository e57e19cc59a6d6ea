"""The PHP backend parser (tree-sitter-php, ``language_php``: PHP embedded in HTML, as ``.php``
files are). ``parse(path, text)`` turns one file into ``FileFacts``: stripe-php calls in both
styles (``$stripe->customers->retrieve``, ``\\Stripe\\Customer::retrieve``), raw requests to the
Stripe API (``wp_remote_post``, curl, Guzzle, ``$stripe->rawRequest``), webhook events and their
endpoints. docs/languages.md (## PHP) says what it reads."""

from stripe_perm_lint.parse.php.parser import parse

__all__ = ["parse"]
