"""Backend languages beyond Python and TypeScript: Ruby, Go, PHP, C#, Java.

Each has a tree-sitter grammar from PyPI and a parser subpackage exposing
``parse(path: str, text: str) -> FileFacts`` that emits the same language-neutral facts as the
Python and TypeScript parsers (``ApiCall`` with a style of its SDK, ``RawRequest``, ``EventUse``...).
The method tables those styles resolve through are ``catalog/languages/<language>.json``
(docs/languages.md says how a language is added).

Registering a language here is all the rest of the linter needs: discovery reads its files,
the dispatcher (``parse.parse_file``) prefilters and parses them in the worker pool, suppression
comments are read from its grammar's comment nodes, and the cache's identity covers its grammar.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # a run answered from the report cache never loads the fact classes
    from stripe_perm_lint.facts import FileFacts


@dataclass(frozen=True)
class Backend:
    language: str  # ``FileFacts.language``: "ruby"
    label: str  # how the report names it: "Ruby"
    suffixes: tuple[str, ...]
    parser_module: str  # exposes ``parse(path, text) -> FileFacts``
    grammar_module: str  # the PyPI grammar's import name, ``tree_sitter_ruby``
    grammar_function: str = "language"  # tree-sitter-php ships ``language_php`` (and ``language_php_only``)
    comment_types: tuple[str, ...] = ("comment",)  # node types holding comments in that grammar


# Filled in as each parser lands; the order is the report's.
BACKENDS: tuple[Backend, ...] = (
    Backend("java", "Java", (".java",), "stripe_perm_lint.parse.java", "tree_sitter_java",
            comment_types=("line_comment", "block_comment")),
    Backend("go", "Go", (".go",), "stripe_perm_lint.parse.go", "tree_sitter_go"),
    Backend(language="php", label="PHP", suffixes=(".php",), parser_module="stripe_perm_lint.parse.php",
            grammar_module="tree_sitter_php", grammar_function="language_php"),
    Backend("csharp", "C#", (".cs",), "stripe_perm_lint.parse.csharp", "tree_sitter_c_sharp"),
    Backend("ruby", "Ruby", (".rb", ".rake"), "stripe_perm_lint.parse.ruby", "tree_sitter_ruby"),
)

BY_LANGUAGE = {b.language: b for b in BACKENDS}
SUFFIXES = {suffix: b for b in BACKENDS for suffix in b.suffixes}


def backend_for(path: str) -> Backend | None:
    dot = path.rfind(".")
    return SUFFIXES.get(path[dot:].lower()) if dot >= 0 else None


@functools.cache
def grammar(language: str):
    """The tree-sitter ``Language`` of a registered backend, loaded once per process."""
    from tree_sitter import Language

    backend = BY_LANGUAGE[language]
    module = importlib.import_module(backend.grammar_module)
    return Language(getattr(module, backend.grammar_function)())


def parse_tree(language: str, data: bytes):
    from tree_sitter import Parser

    return Parser(grammar(language)).parse(data)


def parser_of(language: str) -> Callable[[str, str], FileFacts]:
    return importlib.import_module(BY_LANGUAGE[language].parser_module).parse
