"""Parsers: one source file in, one ``FileFacts`` out. Nothing from libcst or tree-sitter leaves here."""

from __future__ import annotations

from stripe_perm_lint.discover import PYTHON_SUFFIXES, TS_SUFFIXES
from stripe_perm_lint.facts import FileFacts, ParseProblem, Position


def parse_file(path: str, text: str, debug: bool = False) -> FileFacts:
    """Pick the parser by suffix. A parser bug becomes a problem on that file, not a crash of
    the whole run (``debug`` re-raises it for a traceback)."""
    if path.endswith(PYTHON_SUFFIXES):
        from stripe_perm_lint.parse.python import parse_python as parser

        language = "python"
    elif path.endswith(TS_SUFFIXES):
        from stripe_perm_lint.parse.typescript import parse_typescript as parser

        language = "typescript"
    else:
        return FileFacts(path=path, language="unknown")
    try:
        return parser(path, text)
    except RecursionError:
        problem = "too deeply nested to analyse"
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        if debug:
            raise
        problem = f"internal error while parsing ({type(exc).__name__}: {exc}); rerun with --debug"
    return FileFacts(path=path, language=language, problems=(ParseProblem(problem, Position(1, 1)),))
