"""Join facts across the files of one app.

Parsers see one file at a time, so a call on an imported client arrives as a ``PendingCall`` and
an imported expand list as an ``expand_imports`` name. Once every file is parsed, this module
resolves each import to the app file it names and turns what it finds into ordinary facts. An
import that resolves to an app file with no client in it (a REST client of your own) is dropped:
it is not a Stripe client. One that resolves to nothing the linker can read (a workspace package,
a folder outside the app) counts only as docs/semantics.md §11 allows: an exact SDK chain on a
name that says Stripe, marked inferred.
"""

from __future__ import annotations

import dataclasses
import posixpath
from typing import Iterator

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.csharp_links import settle_injected_clients
from stripe_perm_lint.global_keys import settle_global_keys
from stripe_perm_lint.modules import Aliases, AppFiles, resolve_module
from stripe_perm_lint.facts import (
    ApiCall, BaseUrlExport, ClientExport, ConstantExport, EventUse, ExpandPath, FileFacts, ImportBinding, PendingCall,
    PendingEvents, Position, RequestWrapperExport, Unresolved,
)
from stripe_perm_lint.flows import account_parameters, based_request, link_event_sources, with_passed_account
from stripe_perm_lint.go_links import GoPackages, settle_wrapper_requests
from stripe_perm_lint.java_links import bean_clients, java_bindings
from stripe_perm_lint.parse.go.gomod import GoModules
from stripe_perm_lint.parse.wrappers import wrapper_name, wrapper_request
from stripe_perm_lint.php_links import php_bindings, static_methods
from stripe_perm_lint.ruby_links import exported_names, helper_call_accessor, ruby_bindings, settle_url_methods
from stripe_perm_lint.parse.vocabulary import EVENT_NAME

MAX_HOPS = 5
# Languages without imports: their bindings come from an index of the whole app, built once
# (Ruby: qualified constant -> file, ``ruby_links``; PHP: `Class::method` -> file, ``php_links``;
# Java: Spring's `StripeClient` bean -> a file whose `@Bean` factory makes it, ``java_links``).
_BINDINGS = {
    "ruby": (exported_names, lambda index, facts, files: ruby_bindings(index, facts)),
    "php": (static_methods, php_bindings),
    "java": (bean_clients, java_bindings),
}
# Browser Stripe.js: its `stripe` is no API client (`stripe.confirmPayment`).
_BROWSER_STRIPE = ("@stripe/stripe-js", "@stripe/react-stripe-js")  # re-export chains followed; a cycle of re-exports ends here


def link_app(files: list[FileFacts], aliases: Aliases | None = None,
             go_modules: GoModules | None = None) -> list[FileFacts]:
    """``go_modules``: the module path of each go.mod folder (``parse.go.gomod``), for Go imports."""
    files = settle_global_keys(files)  # Ruby: `Stripe.api_key` set in one file, used in all
    files = settle_url_methods(files)  # Ruby: a URL one file's method returns, another requests
    files = settle_injected_clients(files)  # C#: a client registered for dependency injection, used by type
    go = GoPackages(files, go_modules or {})
    files = settle_wrapper_requests(files, go)  # Go: a wrapper's own request, when others call it
    linker = _Linker(AppFiles((f.path, f) for f in files), aliases, go)
    linker.installing_params = account_parameters(linker, files)
    return [linker.link(f) for f in files]


class _Linker:
    def __init__(self, by_path: dict[str, FileFacts], aliases: Aliases | None, go: GoPackages) -> None:
        self.by_path = by_path
        self.aliases = aliases
        self.go = go
        # (path, function, parameter index) of the options parameters some caller passes an account
        self.installing_params: set[tuple[str, str, int]] = set()
        self.resolved: dict[tuple[str, str, str], str | None] = {}
        self.indexes: dict[str, dict[str, str]] = {}  # by language: ``_BINDINGS``' index, built once

    def resolve(self, importer: FileFacts, module: str) -> FileFacts | None:
        # What an import names depends on the importer's folder only (relative paths, the tsconfig
        # above it, the project roots above it): files of one folder share the answer.
        key = (posixpath.dirname(importer.path), module, importer.language)
        if key not in self.resolved:
            self.resolved[key] = resolve_module(importer.path, module, importer.language, self.by_path, self.aliases)
        path = self.resolved[key]
        return self.by_path[path] if path is not None else None

    def link(self, facts: FileFacts) -> FileFacts:
        if (not facts.pending_calls and not facts.pending_events and not facts.pending_requests
                and not facts.untraced_clients
                and not facts.pending_base_url_requests and not any(e.via for e in facts.events)
                and not any(c.expand_imports or c.options_param for c in facts.calls)):
            return facts
        imports = {b.local: b for b in facts.imports}
        if facts.language in _BINDINGS:
            build, bindings = _BINDINGS[facts.language]
            if facts.language not in self.indexes:
                self.indexes[facts.language] = build(self.by_path)
            imports = bindings(self.indexes[facts.language], facts, self.by_path)
        if facts.pending_requests or facts.pending_base_url_requests:
            facts = self.link_requests(facts, imports)
        if facts.pending_events:
            facts = self.link_events(facts, imports)
        if any(e.via for e in facts.events):
            facts = link_event_sources(self, facts, imports)
        calls = [self.with_imported_expand(c, facts, imports) for c in facts.calls]
        traced: set[Position] = set()
        for pending in facts.pending_calls:
            call = self.resolve_pending(pending, facts, imports)
            if call is not None:
                # What the imported type says beats the call inferred from its shape alone, and the
                # same call whose account the file alone could not tell (Java: Spring's client).
                calls = [c for c in calls if not (c.position == call.position and (
                    c.inferred or c.account == "unknown" and c.accessor == call.accessor))]
                calls.append(call)
                if not call.inferred:  # an inferred call's client is still untraced
                    traced.add(call.position)
        calls = [with_passed_account(c, facts.path, self.installing_params) for c in calls]
        calls.sort(key=lambda c: (c.position, c.accessor))
        # A receiver imported from a file of the app was traced there: that file's code shows how
        # the value is made, and it is no client the parsers know (the app's own REST client).
        untraced = tuple(u for u in facts.untraced_clients if u.position not in traced
                         and not (u.origin == "import" and self.resolve(facts, u.source) is not None))
        return dataclasses.replace(facts, calls=tuple(calls), untraced_clients=untraced)

    def imported(self, facts: FileFacts, imports: dict[str, ImportBinding], local: str,
                 member: str | None) -> tuple[FileFacts, str] | None:
        """The module and exported name an imported local (or a namespace import's member) names."""
        binding = imports.get(local)
        target = self.resolve(facts, binding.module) if binding is not None else None
        name = member if binding is not None and binding.name == "*" else (binding.name if binding else None)
        if target is None or not name or name == "*":
            return None
        return target, name

    def resolve_pending(self, pending: PendingCall, facts: FileFacts, imports) -> ApiCall | None:
        binding = imports.get(pending.import_local)
        if binding is None:
            return None
        if facts.language == "go":  # a package is a folder: the first of its files that says
            found = (self.call_in(pending, binding, target, facts, imports) for target in self.go.files(facts, binding))
            return next((call for call in found if call is not None), None)
        target = self.resolve(facts, binding.module)
        if target is None:  # a package or a file outside the app: maybe a client all the same (§11)
            return self.inferred_call(pending, binding, facts, imports)
        return self.call_in(pending, binding, target, facts, imports)

    def call_in(self, pending: PendingCall, binding: ImportBinding, target: FileFacts, facts: FileFacts,
                imports) -> ApiCall | None:
        accessor, export_name = pending.accessor, binding.name
        if export_name == "*":  # namespace import: the first segment names the export
            export_name, _, accessor = accessor.partition(".")
        export = self.find_export(target, export_name, pending.via_factory)
        if export is None:  # `ctx.stripe` typed by `Ctx`; `(await getStripeClient()).client`
            export, accessor = self.find_type_member(target, export_name, accessor, pending.via_factory)
        if export is not None and export.class_param is not None:  # a Ruby class helper
            accessor = helper_call_accessor(export, pending)
            return self.call_from(pending, "ruby_legacy", accessor, export.account, facts, imports) if accessor else None
        if export is None or not accessor:
            return None
        # A call naming the account, or whose options are of unknown origin (a `Stripe.RequestOptions`
        # parameter), says more than a platform client; an installing one stays installing.
        account = export.account if export.account == "installing" else (pending.account or export.account)
        return self.call_from(pending, export.style, accessor, account, facts, imports)

    def call_from(self, pending: PendingCall, style: str, accessor: str, account: str, facts: FileFacts, imports,
                  inferred: bool = False) -> ApiCall:
        expand, dynamic = self.expand_from_imports(
            pending.expand, pending.expand_dynamic, pending.expand_imports, facts, imports
        )
        return ApiCall(style=style, accessor=accessor, position=pending.position, account=account, expand=expand,
                       expand_dynamic=dynamic, inferred=inferred, options_param=pending.options_param)

    def inferred_call(self, pending: PendingCall, binding: ImportBinding, facts: FileFacts, imports) -> ApiCall | None:
        """A call on a name imported from a module the linker cannot read (a workspace package, a
        folder outside the app, an alias no tsconfig in the app maps): counted, as inferred, when
        its chain is exactly an SDK method and the import is named for Stripe (docs/semantics.md
        §11). Its account is the call's own (`stripeAccount`) or settled like any unknown client."""
        if binding.module.startswith(_BROWSER_STRIPE) or binding.name == "*":
            return None
        # The receiver's own name, as §11 asks: `platform_client` from `shared.stripe_clients` is
        # not named for Stripe (it stays an untraced client in the summary).
        if not any("stripe" in n.lower() for n in (pending.import_local, binding.name)):
            return None
        catalog = load_catalog()
        styles = ("node",) if facts.language != "python" else ("python_client", "python_legacy")
        for style in styles:
            if catalog.is_api_method(style, pending.accessor):
                return self.call_from(pending, style, pending.accessor, pending.account or "unknown", facts, imports,
                                      inferred=True)
        return None

    def link_requests(self, facts: FileFacts, imports: dict[str, ImportBinding]) -> FileFacts:
        """Calls of an imported request wrapper become raw requests at the call (§6)."""
        raw = list(facts.raw_requests)
        for pending in facts.pending_requests:
            binding = imports.get(pending.import_local)
            name = wrapper_name(binding, pending) if binding is not None else None
            if not name or name == "*":
                continue
            # A Go package is a folder of files (``go_links``); any other module, one file.
            targets = self.go.files(facts, binding) if facts.language == "go" else [self.resolve(facts, binding.module)]
            wrapper = next(filter(None, (self.find_wrapper(t, name) for t in targets if t is not None)), None)
            if wrapper is None:
                continue
            request = wrapper_request(wrapper, pending.args, pending.arg_methods, pending.position, pending.account,
                                      pending.keywords)
            if request is not None:
                raw.append(request)
        for base_request in facts.pending_base_url_requests:
            found = self.imported(facts, imports, base_request.import_local, base_request.member)
            base = self.find_base_url(*found) if found is not None else None
            if base is not None:
                raw.append(based_request(base, base_request))
        raw = sorted(dict.fromkeys(raw), key=lambda r: (r.position, repr(r)))
        return dataclasses.replace(facts, raw_requests=tuple(raw), pending_requests=(), pending_base_url_requests=())

    def find_base_url(self, target: FileFacts, name: str, depth: int = 0) -> BaseUrlExport | None:
        for export in target.base_url_exports:
            if export.name == name:
                return export
        for origin, origin_name in self.passed_on(target, name, depth):
            found = self.find_base_url(origin, origin_name, depth + 1)
            if found is not None:
                return found
        return None

    def find_wrapper(self, target: FileFacts, name: str, depth: int = 0) -> RequestWrapperExport | None:
        for export in target.request_wrapper_exports:
            if export.name == name:
                return export
        for origin, origin_name in self.passed_on(target, name, depth):
            found = self.find_wrapper(origin, origin_name, depth + 1)
            if found is not None:
                return found
        return None

    def find_export(self, target: FileFacts, name: str, via_factory: bool, depth: int = 0) -> ClientExport | None:
        for export in target.client_exports:
            if export.name == name and export.returns_client == via_factory:
                return export
        for origin, origin_name in self.passed_on(target, name, depth):
            found = self.find_export(origin, origin_name, via_factory, depth + 1)
            if found is not None:
                return found
        return None

    def find_type_member(
        self, target: FileFacts, type_name: str, accessor: str, via_factory: bool = False
    ) -> tuple[ClientExport | None, str]:
        """A value typed by an imported type (`ctx: Ctx`; `ctx.stripe.customers.list()` arrives as
        accessor `stripe.customers.list` on `Ctx`): the exporting file names the members typed as
        clients `Ctx.stripe`. Returns that export and the accessor after the member path. With
        ``via_factory``, a field of what an imported factory returns (`getStripeClient.client`)."""
        segs = accessor.split(".")
        for i in range(1, len(segs)):
            export = self.find_export(target, ".".join([type_name, *segs[:i]]), via_factory)
            if export is not None:
                return export, ".".join(segs[i:])
        return None, accessor

    def link_events(self, facts: FileFacts, imports: dict[str, ImportBinding]) -> FileFacts:
        """Imported event sets and handler tables become handled events at the comparison (the
        names live in another file; the comparison is where the code handles them)."""
        events, unresolved = list(facts.events), list(facts.unresolved)
        for pending in facts.pending_events:
            names = self.imported_event_names(pending, facts, imports)
            if names:
                events.extend(EventUse(n, pending.kind, pending.position, pending.endpoint, pending.evidence)
                              for n in names)
            elif not pending.untraced:
                unresolved.append(Unresolved(pending.what, pending.position))
        key = lambda f: (f.position, repr(f))  # noqa: E731
        return dataclasses.replace(
            facts,
            events=tuple(sorted(dict.fromkeys(events), key=key)),
            unresolved=tuple(sorted(dict.fromkeys(unresolved), key=key)),
            pending_events=(),
        )

    def imported_event_names(self, pending: PendingEvents, facts: FileFacts, imports) -> list[str]:
        """The Stripe event names of the constant an import names: the same evidence as an
        untraced comparison (``untraced_events``): a list's values all event-shaped, a table's
        event-shaped keys, and at least one event the catalog knows. Else nothing."""
        binding = imports.get(pending.import_local)
        if binding is None:
            return []
        target, name = self.resolve(facts, binding.module), binding.name
        if name == "*":
            name = pending.member or ""
        elif pending.member is not None:  # Python `from app import constants`: `constants.X`
            sub = binding.module + ("" if binding.module.endswith(".") else ".") + binding.name
            target, name = self.resolve(facts, sub), pending.member
        constant = self.find_constant(target, name, keys=None) if target is not None and name else None
        if constant is None:
            return []
        names = [n for n in constant.values if EVENT_NAME.match(n)]
        if not constant.keys and len(names) != len(constant.values):
            return []
        catalog = load_catalog()
        return names if any(catalog.event(n) for n in names) else []

    def find_constant(
        self, facts: FileFacts, name: str, depth: int = 0, keys: bool | None = False
    ) -> ConstantExport | None:
        """An exported constant; ``keys`` False: a list only (expand), None: a list or a table's keys."""
        for constant in facts.constant_exports:
            if constant.name == name and (keys is None or constant.keys == keys):
                return constant
        for origin, origin_name in self.passed_on(facts, name, depth):
            found = self.find_constant(origin, origin_name, depth + 1, keys)
            if found is not None:
                return found
        return None

    def passed_on(self, target: FileFacts, name: str, depth: int) -> Iterator[tuple[FileFacts, str]]:
        """Where a module gets a name it only passes on: `from .client import stripe` in a package
        `__init__.py`, `export {stripe} from './client'` or `export * from './client'` in a TS barrel."""
        if depth >= MAX_HOPS:
            return
        for binding in target.imports:
            star = binding.local == "*" and binding.name == "*"
            if (binding.local == name and binding.name != "*") or star:
                origin = self.resolve(target, binding.module)
                if origin is not None:
                    yield origin, (name if star else binding.name)

    def with_imported_expand(self, call: ApiCall, facts: FileFacts, imports) -> ApiCall:
        if not call.expand_imports:
            return call
        expand, dynamic = self.expand_from_imports(call.expand, call.expand_dynamic, call.expand_imports, facts, imports)
        return dataclasses.replace(call, expand=expand, expand_dynamic=dynamic, expand_imports=())

    def expand_from_imports(
        self,
        expand: tuple[ExpandPath, ...],
        dynamic: bool,
        names: tuple[tuple[str, Position], ...],
        facts: FileFacts,
        imports: dict[str, ImportBinding],
    ) -> tuple[tuple[ExpandPath, ...], bool]:
        """Imported constant lists become expand paths at the position where the name is used
        (the strings live in another file; the call site is where the user acts)."""
        paths = list(expand)
        for local, position in names:
            binding = imports.get(local)
            target = self.resolve(facts, binding.module) if binding is not None else None
            found = self.find_constant(target, binding.name) if target is not None else None
            if found is None:
                dynamic = True
            else:
                paths.extend(ExpandPath(v, position) for v in found.values)
        return tuple(paths), dynamic
