"""The TypeScript / TSX / JavaScript parser (tree-sitter): ``parse_typescript(path, source)`` ->
``FileFacts``. How it works is told in ``parser``."""

from stripe_perm_lint.parse.typescript.parser import parse_typescript

__all__ = ["parse_typescript"]
