"""Parsers: one source file in, one ``FileFacts`` out. Nothing from libcst or tree-sitter leaves here.

One subpackage per language (``python``: libcst, ``typescript``: tree-sitter), each exposing its
``parse_<language>(path, source)``, and one per backend language of ``stripe_perm_lint.backends``
(tree-sitter), each exposing ``parse(path, source)``; ``vocabulary`` holds what they share (event-name patterns,
unresolved reasons); ``guard`` refuses input a parser cannot survive before it is imported.
"""

from __future__ import annotations

import dataclasses
import traceback
from typing import Callable

from stripe_perm_lint.backends import BY_LANGUAGE, parser_of
from stripe_perm_lint.discover import language_of
from stripe_perm_lint.facts import FileFacts, ParseProblem, Position
from stripe_perm_lint.parse.comments import suppression_comments
from stripe_perm_lint.parse.guard import python_nesting_problem
from stripe_perm_lint.parse.stripe_urls import scan_stripe_urls


def parse_file(
    path: str, text: str, debug: bool = False, report: Callable[[str], None] | None = None, skim: bool = False
) -> FileFacts:
    """Pick the parser by suffix. A parser bug becomes a problem on that file, not a crash of
    the whole run: ``report`` gets one line naming the file (and, with ``debug``, the traceback)
    for the user to pass on. Suppression comments are read whether or not the parser succeeded.
    ``skim``: a file the prefilter finds nothing in is only skimmed (``stripe_perm_lint.prefilter``)."""
    facts = _parse(path, text, debug, report, skim)
    try:
        found = suppression_comments(facts.language, path, text)
    except Exception as exc:  # noqa: BLE001 - the file's facts stand; its findings just stay visible
        _report_bug(report, f"while reading the suppression comments of {path}", exc, debug)
        return facts
    return dataclasses.replace(facts, suppressions=found) if found else facts


def _parse(path: str, text: str, debug: bool, report: Callable[[str], None] | None, skim: bool) -> FileFacts:
    language = language_of(path)
    if language == "python":
        from stripe_perm_lint.parse.python import parse_python as parser

        refused = python_nesting_problem(text)
        if refused:
            return FileFacts(path=path, language=language, problems=(ParseProblem(*refused),))
    elif language == "typescript":
        from stripe_perm_lint.parse.typescript import parse_typescript as parser
    elif language in BY_LANGUAGE:
        # The same prefilter, with the language's SDK members, but a backend file it rejects is
        # not parsed at all: nothing links into these languages' files from another (their SDKs
        # are reached through names that say "stripe" or through a client's members; a handler
        # table keyed by event names shows those names).
        from stripe_perm_lint import prefilter

        if not prefilter.could_matter_backend(text.encode("utf-8", errors="surrogatepass"), language):
            return FileFacts(path=path, language=language)
        parser = parser_of(language)
    elif language != "unknown":  # a language with no parser yet: its Stripe URLs only
        return scan_stripe_urls(path, text, language)
    else:
        return FileFacts(path=path, language=language)
    if skim:  # a file the prefilter finds nothing in: only what the cross-file step needs
        from stripe_perm_lint import prefilter

        skim = not prefilter.could_matter(text.encode("utf-8", errors="surrogatepass"))
    if skim and language == "typescript":
        from stripe_perm_lint.parse.typescript.skim import skim_typescript as parser
    try:
        return parser(path, text, skim=True) if skim and language == "python" else parser(path, text)
    except RecursionError:
        problem = "too deeply nested to analyse"
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        problem = f"internal error while parsing ({type(exc).__name__}: {exc}); please report it"
        _report_bug(report, f"while parsing {path}", exc, debug)
    return FileFacts(path=path, language=language, problems=(ParseProblem(problem, Position(1, 1)),))


def _report_bug(report: Callable[[str], None] | None, what: str, exc: Exception, debug: bool) -> None:
    if report is not None:
        report(f"internal error {what}: {type(exc).__name__}: {exc}; please report it" + (
            "\n" + traceback.format_exc().rstrip() if debug else " (rerun with --debug for the traceback)"
        ))
