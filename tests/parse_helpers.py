"""Helpers shared by the parser tests (``test_parse_python.py``, ``test_parse_typescript.py``):
parse a snippet in either language, and simplify its facts to tuples that read at a glance.

One vocabulary of tuples serves both languages, so a case reads the same whichever parser it
tests (the facts are language-neutral, and so are their tests):

  ("call", style, accessor, line, account)        ApiCall
  ("inferred", line)                              follows a call recognised by its shape alone
  ("expand", path, line)                          an ExpandPath of the call, raw request or
  ("expand_import", name, line)                   pending call just before it; an imported
  ("expand_dynamic", line)                        expand constant; an expand built at run time
  ("raw", verb, path, line, account)              RawRequest
  ("event", name, kind, line)                     EventUse
  ("sdk", name, line) / ("perm", name, line) / ("removed", name, line)
  ("unresolved", what, line)                      Unresolved
  ("pending", local, accessor, line, via_factory, account)
  ("pending_events", local, member, line, untraced)  PendingEvents
  ("import", local, module, name)                 ImportBinding
  ("client_export", name, style, account, returns_client) / ("constant_export", name, values)
  ("table_export", name, keys)                    ConstantExport of a table's keys
  ("problem", line)                               ParseProblem
"""

from __future__ import annotations

from collections.abc import Collection

from stripe_perm_lint.discover import PYTHON_SUFFIXES, TS_SUFFIXES
from stripe_perm_lint.facts import FileFacts
from stripe_perm_lint.parse.python import parse_python
from stripe_perm_lint.parse.typescript import parse_typescript


def facts(source: str, path: str) -> FileFacts:
    """The facts of one file, by the parser its suffix picks. Unlike ``parse_file`` a parser bug
    raises here, so a test sees it."""
    if path.endswith(PYTHON_SUFFIXES):
        return parse_python(path, source)
    if path.endswith(TS_SUFFIXES):
        return parse_typescript(path, source)
    raise ValueError(f"no parser for {path}")


def simplify(found: FileFacts, kinds: Collection[str] | None = None) -> list[tuple]:
    """The facts as tuples (see the module docstring), in the order ``FileFacts`` holds them;
    only those whose first element is in ``kinds`` when it is given."""
    out: list[tuple] = []

    def expand(use) -> None:
        out.extend(("expand", e.path, e.position.line) for e in use.expand)
        out.extend(("expand_import", name, pos.line) for name, pos in getattr(use, "expand_imports", ()))
        if use.expand_dynamic:
            out.append(("expand_dynamic", use.position.line))

    for c in found.calls:
        out.append(("call", c.style, c.accessor, c.position.line, c.account))
        if c.inferred:
            out.append(("inferred", c.position.line))
        expand(c)
    for r in found.raw_requests:
        out.append(("raw", r.verb, r.path, r.position.line, r.account))
        expand(r)
    out += [("event", e.name, e.kind, e.position.line) for e in found.events]
    out += [("sdk", s.name, s.position.line) for s in found.sdk_functions]
    out += [("perm", p.permission, p.position.line) for p in found.permission_references]
    out += [("removed", r.name, r.position.line) for r in found.removed_apis]
    out += [("unresolved", u.what, u.position.line) for u in found.unresolved]
    for p in found.pending_calls:
        out.append(("pending", p.import_local, p.accessor, p.position.line, p.via_factory, p.account))
        expand(p)
    out += [("pending_events", p.import_local, p.member, p.position.line, p.untraced) for p in found.pending_events]
    out += [("import", i.local, i.module, i.name) for i in found.imports]
    out += [("client_export", x.name, x.style, x.account, x.returns_client) for x in found.client_exports]
    out += [("constant_export", x.name, x.values) for x in found.constant_exports if not x.keys]
    out += [("table_export", x.name, x.values) for x in found.constant_exports if x.keys]
    out += [("problem", p.position.line) for p in found.problems]
    return out if kinds is None else [fact for fact in out if fact[0] in kinds]
