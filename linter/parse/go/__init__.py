"""The Go parser (tree-sitter-go): ``parse(path, source)`` -> ``FileFacts``. How it works is
told in ``parser``."""

from stripe_perm_lint.parse.go.parser import parse

__all__ = ["parse"]
