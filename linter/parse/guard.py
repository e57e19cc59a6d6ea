"""Cheap checks that refuse what a parser cannot survive, before the parser sees it.

libcst's native parser overflows its stack (SIGSEGV, no exception) on a few thousand nested
brackets, as generated data files have. CPython itself refuses more than 200 nested brackets
("too many nested parentheses"), so such a file is not valid Python: refusing it loses nothing.
Other shapes that crash or stall a parser (extremely long operator chains) are caught by the
worker process that parses (``stripe_perm_lint.workers``), not here.
"""

from __future__ import annotations

import re

from stripe_perm_lint.facts import Position

# CPython's tokenizer limit (MAXLEVEL in Parser/tokenizer.h).
PYTHON_MAX_NESTING = 200

# Comments, strings (triple-quoted first) and brackets: the only tokens that matter for nesting.
_PY_TOKENS = re.compile(
    r"""\#[^\n]*|'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|[()\[\]{}]"""
)
_OPENERS = frozenset("([{")
_CLOSERS = frozenset(")]}")


def python_nesting_problem(text: str) -> tuple[str, Position] | None:
    """A message and the position of the first bracket past the limit, or None when the file
    nests no deeper than CPython allows."""
    depth = 0
    for match in _PY_TOKENS.finditer(text):
        token = match.group()
        if token in _OPENERS:
            depth += 1
            if depth > PYTHON_MAX_NESTING:
                return _too_deep(text, match.start())
        elif token in _CLOSERS:
            depth = max(depth - 1, 0)
    return None


def _too_deep(text: str, offset: int) -> tuple[str, Position]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    message = (
        f"brackets nested more than {PYTHON_MAX_NESTING} levels deep: not valid Python (CPython refuses "
        f"it with 'too many nested parentheses'), so the file is not analysed"
    )
    return message, Position(line, column)
