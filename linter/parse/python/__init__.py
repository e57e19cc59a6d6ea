"""The Python parser (libcst): ``parse_python(path, source)`` -> ``FileFacts``.

``parser`` turns call sites, comparisons and decorators into facts; what an expression *is* is
decided by the evaluator (``eval_values``, ``eval_strings``, ``eval_keys``, ``eval_calls``) over
the bindings that ``scope`` collects; ``values`` holds the small values it answers with;
``exports`` lists what a module offers the others (clients, client fields, constant lists).
"""

from stripe_perm_lint.parse.python.parser import parse_python

__all__ = ["parse_python"]
