"""Parsers: one source file in, one ``FileFacts`` out. Nothing from libcst or tree-sitter leaves here."""
