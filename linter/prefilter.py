"""Parse only what can matter: a byte-level test of whether a file could hold Stripe facts by
itself, and the cross-file step that completes the files it let through too cheaply.

A Python file the test rejects is *skimmed*, not dropped: libcst still parses it (so syntax
errors are reported as before) and its imports are recorded, but none of the fact passes runs
(``parse_file(..., skim=True)``; TypeScript files are always parsed in full, a skim saved little). After the first pass, ``files_to_complete``
names the skimmed files whose facts could still matter through another module, and the engine
parses those fully, until nothing more is asked (a fixpoint):

- *backward*: a skimmed file imports a name that another module exports as something Stripe-ish
  (a client or factory, a request wrapper, a base URL, an event source, a constant table),
  directly or through re-exports: its calls on that name may be Stripe calls;
- *forward*: a fully parsed file has a fact waiting on an import (a pending call, event table,
  request, base URL, account argument, imported expand list, an event ``via``, an untraced
  import): the module that import leads to, and every module that one re-exports from, must
  show its exports.

``STRIPE_PERM_LINT_NO_PREFILTER=1`` parses every file fully (the tests run every fixture both
ways and compare).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Callable, Iterable

from stripe_perm_lint.facts import FileFacts

DISABLE_ENV = "STRIPE_PERM_LINT_NO_PREFILTER"

# Case-insensitive words that make a file worth parsing on their own: the SDK and its packages,
# API URLs, webhook and expand vocabulary, the UI SDK's permission helpers and removed members.
_WORDS = (b"stripe", b"webhook", b"expand", b"permission", b"usercontext", b"raw_request", b"rawrequest",
          b"v1/", b"v2/", b"enabled_events", b"enabledevents")


def enabled() -> bool:
    return os.environ.get(DISABLE_ENV, "") in ("", "0")


def could_matter(data: bytes) -> bool:
    """True when the bytes could hold a Stripe fact by themselves. Generous on purpose: a false
    "parse" costs time, a false "skip" a wrong result."""
    lowered = data.lower()
    if any(word in lowered for word in _WORDS):
        return True
    return _signals().search(data) is not None


@lru_cache(maxsize=1)
def _signals() -> re.Pattern[bytes]:
    """Byte patterns from the catalog: a member access naming an SDK resource (``.customers``,
    ``.checkout``, ``.billingPortal``, on a client of any name), a string that starts like a
    known event family (``'invoice.``), and the UI SDK's functions (``getDashboardUserEmail``)."""
    from stripe_perm_lint.catalog import load_catalog

    catalog = load_catalog()
    resources: set[str] = set()
    for op in catalog.operations:
        for accessor in (*op.node, *op.python, *op.legacy, *op.instance):
            resources.update(accessor.split(".")[:-1])
    families = {event.name.split(".")[0] for event in catalog.events}
    ui = set(catalog.ui_functions)
    member = rb"\.\s*(?:" + b"|".join(re.escape(r.encode()) for r in sorted(resources) if r) + rb")\b"
    event = rb"[\"'`](?:" + b"|".join(re.escape(f.encode()) for f in sorted(families)) + rb")\."
    names = b"|".join(re.escape(n.encode()) for n in sorted(ui))
    return re.compile(b"|".join(p for p in (member, event, names) if p))


# --- cross-file completion ----------------------------------------------------------------------

Resolver = Callable[[FileFacts, str], "str | None"]


def files_to_complete(files: list[FileFacts], skimmed: set[str], resolve: Resolver) -> set[str]:
    """The skimmed files (paths) that must now be parsed fully; ``resolve(importer, module)``
    is the linker's module resolution."""
    by_path = {f.path: f for f in files}
    wanted = _backward(files, skimmed, by_path, resolve) | _forward(files, skimmed, by_path, resolve)
    return wanted & skimmed


def _exports_something(facts: FileFacts) -> bool:
    return bool(facts.client_exports or facts.constant_exports or facts.request_wrapper_exports
                or facts.base_url_exports or facts.event_source_exports)


def _export_names(facts: FileFacts) -> set[str]:
    return ({e.name for e in facts.client_exports} | {e.name for e in facts.constant_exports}
            | {e.name for e in facts.request_wrapper_exports} | {e.name for e in facts.base_url_exports}
            | set(facts.event_source_exports))


def _backward(files, skimmed, by_path, resolve) -> set[str]:
    """Skimmed files that import a Stripe-ish export, followed through re-exports."""
    out: set[str] = set()
    for facts in files:
        if facts.path not in skimmed:
            continue
        for binding in facts.imports:
            targets = [(resolve(facts, binding.module), binding.name)]
            if facts.language == "python":  # `from app import clients`: maybe a submodule
                targets.append((resolve(facts, _submodule(binding.module, binding.name)), "*"))
            if any(t is not None and _leads_to_export(by_path, resolve, t, n, set()) for t, n in targets):
                out.add(facts.path)
                break
    return out


def _leads_to_export(by_path, resolve, path: str, name: str, seen: set) -> bool:
    if (path, name) in seen:
        return False
    seen.add((path, name))
    facts = by_path[path]
    if name in ("*", "default") and _exports_something(facts):
        return True  # a namespace or default import may reach any of them
    if name in _export_names(facts):
        return True
    for binding in facts.imports:  # a re-export, or a name imported and exported again
        if binding.local in (name, "*") or name in ("*", "default"):
            target = resolve(facts, binding.module)
            asked = name if binding.name == "*" else binding.name
            if target is not None and _leads_to_export(by_path, resolve, target, asked, seen):
                return True
    return False


def _waiting_locals(facts: FileFacts) -> set[str]:
    """Local names of imports that a fact of this file waits on."""
    names = {p.import_local for p in facts.pending_calls}
    names |= {p.import_local for p in facts.pending_events}
    names |= {p.import_local for p in facts.pending_requests}
    names |= {p.import_local for p in facts.pending_base_url_requests}
    names |= {a.import_local for a in facts.account_arguments if a.import_local is not None}
    names |= {e.via for e in facts.events if e.via}
    names |= {name for c in facts.calls for name, _ in c.expand_imports}
    names |= {name for c in facts.pending_calls for name, _ in c.expand_imports}
    return names


def _forward(files, skimmed, by_path, resolve) -> set[str]:
    """Modules that a fully parsed file's waiting facts import from, and what those re-export."""
    # Only files of a skimmed file's language can import it (Python is skimmed, TypeScript is not):
    # walking the imports of thousands of TypeScript files for a few skimmed Python modules costs
    # more than the skimming saves.
    languages = {by_path[path].language for path in skimmed}
    start: list[str] = []
    for facts in files:
        if facts.path in skimmed or facts.language not in languages:
            continue
        waiting = _waiting_locals(facts)
        untraced = {u.source for u in facts.untraced_clients if u.origin == "import"}
        modules = {m for b in facts.imports if b.local in waiting for m in _modules_of(b, facts.language)}
        start += [t for t in _resolved(facts, modules | untraced, resolve) if t is not None]
    out: set[str] = set()
    while start:
        path = start.pop()
        if path in out:
            continue
        out.add(path)
        facts = by_path[path]
        if facts.language not in languages:
            continue
        every = {m for b in facts.imports for m in _modules_of(b, facts.language)}
        start += [t for t in _resolved(facts, every, resolve) if t is not None]
    return out


def _submodule(module: str, name: str) -> str:
    return f"{module}{name}" if module.endswith(".") else f"{module}.{name}"


def _modules_of(binding, language: str) -> list[str]:
    """The modules an import may lead to: a Python ``from pkg import name`` may name a submodule."""
    if language == "python" and binding.name != "*":
        return [binding.module, _submodule(binding.module, binding.name)]
    return [binding.module]


def _resolved(facts: FileFacts, modules: Iterable[str], resolve: Resolver) -> list[str | None]:
    return [resolve(facts, module) for module in sorted(modules)]
