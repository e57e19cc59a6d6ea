"""Parse only what can matter: a byte-level test of whether a file could hold Stripe facts by
itself, and the cross-file step that completes the files it let through too cheaply.

A file the test rejects is *skimmed*, not dropped: it is still parsed (so syntax errors are
reported as before) and its imports are recorded, but none of the fact passes runs
(``parse_file(..., skim=True)``: libcst's imports only for Python; for TypeScript a tree-sitter
query for the import and re-export nodes, ``parse.typescript.skim``, instead of the Python walk
over every node). After the first pass, ``files_to_complete``
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
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # ``enabled`` is read by every run, also one the report cache answers
    from stripe_perm_lint.facts import FileFacts

DISABLE_ENV = "STRIPE_PERM_LINT_NO_PREFILTER"

# Case-insensitive words that make a file worth parsing on their own: the SDK and its packages,
# API URLs, webhook and expand vocabulary, the UI SDK's permission helpers and removed members.
# Webhooks and permissions by the names the parsers read (event construction, endpoint
# subscriptions, signing secrets; `isPermissionAuthorized`, `getUserAuthorizedPermissions`),
# not the bare words, which every app with webhooks or user roles of its own is full of.
_WORDS = (b"stripe", b"constructevent", b"construct_event", b"webhookendpoint", b"webhook_endpoint",
          b"webhooksecret", b"webhook_secret", b"webhook_signing", b"webhooksigning", b"wh_secret",
          b"expand", b"permissionauthorized", b"authorizedpermission", b"usercontext", b"raw_request",
          b"rawrequest", b"v1/", b"v2/", b"enabled_events", b"enabledevents")


def enabled() -> bool:
    return os.environ.get(DISABLE_ENV, "") in ("", "0")


def could_matter(data: bytes) -> bool:
    """True when the bytes could hold a Stripe fact by themselves. Generous on purpose: a false
    "parse" costs time, a false "skip" a wrong result."""
    lowered = data.lower()
    if any(word in lowered for word in _WORDS):
        return True
    return _signalled(data)


# A member access (`.customers`, `. checkout`) and a quoted word before a dot (`'invoice.`).
# Finding every such word and looking it up in a set is several times faster than one regular
# expression alternating hundreds of names, which the engine tries at every offset.
_MEMBER = re.compile(rb"\.\s*([A-Za-z_][A-Za-z0-9_]*)")
_QUOTED_PREFIX = re.compile(rb"[\"'`]([A-Za-z_][A-Za-z0-9_]*)\.")


def _signalled(data: bytes) -> bool:
    """Signals from the catalog: a member access naming an SDK resource (``.customers``,
    ``.checkout``, ``.billingPortal``, on a client of any name), a string that starts like a
    known event family (``'invoice.``), and the UI SDK's functions (``getDashboardUserEmail``)."""
    resources, families, functions = _vocabulary()
    return (any(name in data for name in functions)
            or any(word in families for word in _QUOTED_PREFIX.findall(data))
            or any(word in resources for word in _MEMBER.findall(data)))


def could_matter_backend(data: bytes, language: str) -> bool:
    """``could_matter`` for a file of a backend language, which also counts a member of that
    language's SDK tree (`.Customers` in Go and C#, `->customers` in PHP): a Go file's only Stripe
    use can be `payments.Client().Customers.Get(id, nil)`, on a client another package made."""
    if could_matter(data):
        return True
    members = _backend_members(language)
    return any(word in members for word in _MEMBER_OR_ARROW.findall(data))


_MEMBER_OR_ARROW = re.compile(rb"(?:\.|->)\s*([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=None)
def _backend_members(language: str) -> frozenset[bytes]:
    """Every segment but the method's of the accessors of ``language``'s SDK table
    (`Customers.Get` -> `Customers`; `V1.Customers.List` -> `V1`, `Customers`; PHP's
    `customers->retrieve` -> `customers`)."""
    from stripe_perm_lint.catalog import load_catalog

    catalog, found = load_catalog(), set()
    for style in catalog.backend_styles(language):
        for accessor in catalog.language_table(style)["methods"][style]:
            found.update(re.split(r"\.|/|->|::", accessor)[:-1])
    return frozenset(word.encode() for word in found if word.isidentifier() and len(word) > 2)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[bytes], frozenset[bytes], tuple[bytes, ...]]:
    """(SDK resource names, event families, UI SDK functions), as bytes."""
    from stripe_perm_lint.catalog import load_catalog

    catalog = load_catalog()
    resources: set[str] = set()
    for op in catalog.operations:
        for accessor in (*op.node, *op.python, *op.legacy, *op.instance):
            resources.update(accessor.split(".")[:-1])
    families = {event.name.split(".")[0] for event in catalog.events}
    return (frozenset(r.encode() for r in resources if r), frozenset(f.encode() for f in families),
            tuple(sorted(n.encode() for n in catalog.ui_functions)))


# --- cross-file completion ----------------------------------------------------------------------

Resolver = Callable[["FileFacts", str], "str | None"]


def files_to_complete(files: list[FileFacts], skimmed: set[str], resolve: Resolver) -> set[str]:
    """The skimmed files (paths) that must now be parsed fully; ``resolve(importer, module)``
    is the linker's module resolution."""
    by_path = {f.path: f for f in files}
    wanted = _backward(files, skimmed, by_path, resolve) | _forward(files, skimmed, by_path, resolve)
    return wanted & skimmed


def _export_names(facts: FileFacts) -> set[str]:
    """What another module may import from this one that can carry Stripe facts into it."""
    if not (facts.client_exports or facts.constant_exports or facts.request_wrapper_exports
            or facts.base_url_exports or facts.event_source_exports):
        return set()  # most files: asked of each file in every round
    return ({e.name for e in facts.client_exports} | {e.name for e in facts.constant_exports if _names_events(e.values)}
            | {e.name for e in facts.request_wrapper_exports} | {e.name for e in facts.base_url_exports}
            | set(facts.event_source_exports))


def _names_events(values: tuple[str, ...]) -> bool:
    """Whether a constant list (or a table's keys) holds something like an event name. A skimmed
    file can use an imported constant for Stripe in one way only: as the event types it
    dispatches on (`HANDLED.has(event.type)`). As an expand list it would say `expand` and be
    parsed anyway; and every other list (countries, plan names) carries nothing in."""
    families = _event_families()
    return any(value == "*" or value.split(".", 1)[0] in families for value in values if "." in value or value == "*")


@lru_cache(maxsize=1)
def _event_families() -> frozenset[str]:
    from stripe_perm_lint.catalog import load_catalog

    return frozenset(event.name.split(".")[0] for event in load_catalog().events)


def _backward(files, skimmed, by_path, resolve) -> set[str]:
    """Skimmed files that import a Stripe-ish export, followed through re-exports."""
    out: set[str] = set()
    leading = _leading_names(files)
    leads = _Leads(by_path, resolve, leading)
    # Files of one folder import the same modules (a barrel, `../utils`): one answer per folder.
    known: dict[tuple[str, str, str, str], bool] = {}
    for facts in files:
        if facts.path not in skimmed:
            continue
        folder = facts.path.rpartition("/")[0]
        python = facts.language == "python"
        for binding in facts.imports:
            # A name no chain of re-exports can lead to an export is not worth resolving.
            named = leading is None or binding.name in leading
            if not named and not python:
                continue
            key = (folder, facts.language, binding.module, binding.name)
            found = known.get(key)
            if found is None:
                targets = [(binding.module, binding.name)] if named else []
                if python:  # `from app import clients`: maybe a submodule
                    targets.append((_submodule(binding.module, binding.name), "*"))
                resolved = [(resolve(facts, module), name) for module, name in targets]
                found = known[key] = any(path is not None and leads(path, name) for path, name in resolved)
            if found:
                out.add(facts.path)
                break
    return out


def _leading_names(files) -> set[str] | None:
    """The names an import may ask for and reach an export by (None: any name may). A chain of
    re-exports ends at an exported name or at a namespace or default import (`*`, `default`),
    which any export answers; a step back along it asks for the name a module re-exports under
    (`export {a as b} from` asks `a` for `b`; `export * from` keeps the name). Names only, no
    module resolved: most named imports of a large app (components, hooks) fall outside."""
    names = {"*", "default"}
    for facts in files:
        names |= _export_names(facts)
    renames: dict[str, set[str]] = {}  # name asked of the module re-exporting -> names it asks on
    for facts in files:
        for binding in facts.imports:
            if binding.local == "*" and binding.name != "*":
                return None  # asks `binding.name` whatever it is asked for
            if binding.name != "*" and binding.local != binding.name:  # (the same name: nothing new)
                renames.setdefault(binding.name, set()).add(binding.local)
    todo = list(names)
    while todo:
        for local in renames.get(todo.pop(), ()):
            if local not in names:
                names.add(local)
                todo.append(local)
    return names


class _Leads:
    """Whether importing ``name`` from the module at ``path`` reaches a Stripe-ish export, directly
    or through re-exports. Answers are kept for the round: thousands of skimmed files import the
    same few modules (a barrel, a utils folder), and each chain is followed once.

    Re-exports can form cycles (two barrels exporting each other), where a "no" found while a
    module of the cycle is still being searched holds only for now. Tarjan's strongly connected
    components tell when it is final: a "no" is kept for the whole cycle once the search has
    left it; a "yes" is final at once."""

    def __init__(self, by_path, resolve, leading: set[str] | None = None) -> None:
        self.by_path, self.resolve = by_path, resolve
        self.leading = leading  # ``_leading_names``: a name outside leads nowhere
        self.known: dict[tuple[str, str], bool] = {}
        self.names: dict[str, set[str]] = {}

    def __call__(self, path: str, name: str) -> bool:
        return _Search(self).visit((path, name))[0]

    def exports(self, path: str) -> set[str]:
        if path not in self.names:
            self.names[path] = _export_names(self.by_path[path])
        return self.names[path]


class _Search:
    """One question to ``_Leads``: a depth-first search that numbers what it enters."""

    def __init__(self, leads: _Leads) -> None:
        self.leads = leads
        self.order: dict[tuple[str, str], int] = {}  # entered, in order
        self.open: list[tuple[str, str]] = []  # entered, in a cycle not yet left (Tarjan's stack)
        self.in_open: set[tuple[str, str]] = set()

    def visit(self, key: tuple[str, str]) -> tuple[bool, int]:
        """(found, the earliest open module this search reached: its number)."""
        known = self.leads.known.get(key)
        if known is not None:
            return known, len(self.order)
        if key in self.order:  # open: a cycle, no answer this way for now
            return False, self.order[key] if key in self.in_open else len(self.order)
        mine = self.order[key] = len(self.order)
        self.open.append(key)
        self.in_open.add(key)
        found, low = self._search(key)
        if found:
            self.leads.known[key] = True
        elif low == mine:  # the search left this cycle: every "no" in it is final
            while True:
                member = self.open.pop()
                self.in_open.discard(member)
                self.leads.known[member] = False
                if member == key:
                    break
        return found, min(low, mine)

    def _search(self, key: tuple[str, str]) -> tuple[bool, int]:
        path, name = key
        low = self.order[key]
        exports = self.leads.exports(path)
        if name in exports or (name in ("*", "default") and exports):
            return True, low  # a namespace or default import may reach any of them
        facts = self.leads.by_path[path]
        for binding in facts.imports:  # a re-export, or a name imported and exported again
            if binding.local in (name, "*") or name in ("*", "default"):
                asked = name if binding.name == "*" else binding.name
                if self.leads.leading is not None and asked not in self.leads.leading:
                    continue
                target = self.leads.resolve(facts, binding.module)
                if target is None:
                    continue
                found, reached = self.visit((target, asked))
                if found:
                    return True, low
                low = min(low, reached)
        return False, low


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
    """Modules that a fully parsed file's waiting facts import from, and the modules those pass
    the imported name on from (the linker's ``passed_on``: `export {x} from`, `export * from`, a
    name imported and exported again), following that name only: a barrel's other exports, and
    the modules they come from, hold nothing the waiting fact can reach."""
    # Only files of a skimmed file's language can import it: a TypeScript module never leads to
    # a Python one, so a run that skimmed no TypeScript file does not walk their imports.
    languages = {by_path[path].language for path in skimmed}
    todo: list[tuple[str | None, str]] = []
    for facts in files:
        if facts.path in skimmed or facts.language not in languages:
            continue
        waiting = _waiting_locals(facts)
        for binding in facts.imports:
            if binding.local in waiting:
                todo += [(resolve(facts, module), name) for module, name in _targets(binding, facts.language)]
        todo += [(resolve(facts, u.source), ANY) for u in facts.untraced_clients if u.origin == "import"]
    out: set[str] = set()
    seen: set[tuple[str, str]] = set()
    while todo:
        path, name = todo.pop()
        if path is None or (path, name) in seen:
            continue
        seen.add((path, name))
        out.add(path)
        facts = by_path[path]
        if facts.language not in languages:
            continue
        for binding in facts.imports:
            star = binding.local == "*" and binding.name == "*"
            if name == ANY or star or (binding.local == name and binding.name != "*"):
                asked = name if star else binding.name
                todo += [(resolve(facts, module), n) for module, n in _targets(binding, facts.language, asked)]
    return out


# Any name a module exports: a namespace import (`import * as billing`), an untraced import.
ANY = "*"


def _targets(binding, language: str, name: str | None = None) -> list[tuple[str, str]]:
    """(module, name asked of it) an import may lead to: a Python ``from pkg import name`` may
    name a submodule, from which any name may be used."""
    name = binding.name if name is None else name
    if language == "python" and binding.name != "*":
        return [(binding.module, name), (_submodule(binding.module, binding.name), ANY)]
    return [(binding.module, name)]


def _submodule(module: str, name: str) -> str:
    return f"{module}{name}" if module.endswith(".") else f"{module}.{name}"
