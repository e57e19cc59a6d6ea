"""Values that cross the app's modules through functions, joined once every file is parsed.

Three kinds, each recorded by the parser on both sides and matched here for the linker:
request options naming an account, passed *into* a function of another module
(``AccountArgument`` -> ``ApiCall.options_param``, docs/semantics.md §6); a webhook event
returned *out of* a verifying helper (``EventUse.via`` -> ``FileFacts.event_source_exports``);
and a Stripe base URL exported as a constant (``PendingBaseUrlRequest`` -> ``BaseUrlExport``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import (
    ApiCall, BaseUrlExport, EventUse, FileFacts, ImportBinding, PendingBaseUrlRequest, RawRequest,
)
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.vocabulary import EVENT_NAME, STRIPE_API_URL

if TYPE_CHECKING:
    from stripe_perm_lint.linker import _Linker

# (path, function, parameter index): an options parameter some caller fills with an account.
OptionsParameter = tuple[str, str, int]


def account_parameters(linker: _Linker, files: list[FileFacts]) -> set[OptionsParameter]:
    """The options parameters to which a caller in another module passes `stripeAccount` /
    `stripeContext`, directly or through a chain of helpers handing the options on."""
    found: set[OptionsParameter] = set()
    handed_on: list[tuple[OptionsParameter, OptionsParameter]] = []  # (from, to)
    for facts in files:
        imports = {b.local: b for b in facts.imports}
        for argument in facts.account_arguments:
            if argument.import_local is None:  # a function of the same module
                target = (facts, argument.member) if argument.member else None
            else:
                target = linker.imported(facts, imports, argument.import_local, argument.member)
            owner = _options_owner(linker, *target) if target is not None else None
            if owner is None:
                continue
            to = (owner[0].path, owner[1], argument.index)
            if argument.from_param is None:
                found.add(to)
            else:
                handed_on.append(((facts.path, *argument.from_param), to))
    changed = True
    while changed:  # each pass extends the chains by one helper; the set only grows
        changed = False
        for source, to in handed_on:
            if source in found and to not in found:
                found.add(to)
                changed = True
    return found


def _options_owner(linker: _Linker, target: FileFacts, name: str, depth: int = 0) -> tuple[FileFacts, str] | None:
    """The module whose function ``name`` takes request options as a parameter (uses them in a
    call, or hands them on), and its name there: ``target``, or the module a barrel passes the
    name on from."""
    if any(c.options_param and c.options_param[0] == name for c in (*target.calls, *target.pending_calls)) or any(
            a.from_param and a.from_param[0] == name for a in target.account_arguments):
        return target, name
    for origin, origin_name in linker.passed_on(target, name, depth):
        found = _options_owner(linker, origin, origin_name, depth + 1)
        if found is not None:
            return found
    return None


def with_passed_account(call: ApiCall, path: str, installing_params: set[OptionsParameter]) -> ApiCall:
    """A call whose options parameter a caller in another module fills with an account acts for
    the installing account."""
    if call.options_param is None or call.account == "installing":
        return call
    if (path, *call.options_param) not in installing_params:
        return call
    return dataclasses.replace(call, account="installing")


def based_request(base: BaseUrlExport, pending: PendingBaseUrlRequest) -> RawRequest:
    """The request to an imported base URL, joined with the rest written at the call as the code
    joins them (a parameter right after the base reads as in the base's own module)."""
    url = base.url + pending.rest
    match = STRIPE_API_URL.match(url)
    path = (match.group("path") if match is not None else None) or "/"
    return RawRequest(pending.verb, path, pending.position, request_account(path, pending.account),
                      pending.expand, pending.expand_dynamic)


def link_event_sources(linker: _Linker, facts: FileFacts, imports: dict[str, ImportBinding]) -> FileFacts:
    """Events compared with the type of what an imported function returns (``EventUse.via``): kept
    when that function returns a webhook event. When the import leads to no module of the app,
    kept when the names are Stripe's, as for an event of unknown origin (``untraced_events``)."""
    by_source: dict[str, list[EventUse]] = {}
    for event in facts.events:
        if event.via:
            by_source.setdefault(event.via, []).append(event)
    kept = [e for e in facts.events if not e.via]
    for local, events in by_source.items():
        binding = imports.get(local)
        target = linker.resolve(facts, binding.module) if binding is not None else None
        if target is not None:
            keep = binding.name != "*" and _returns_event(linker, target, binding.name)
        else:
            names = [e.name for e in events]
            keep = all(EVENT_NAME.match(n) for n in names) and any(load_catalog().event(n) for n in names)
        if keep:
            kept += [dataclasses.replace(e, via=None) for e in events]
    return dataclasses.replace(facts, events=tuple(sorted(dict.fromkeys(kept), key=lambda f: (f.position, repr(f)))))


def _returns_event(linker: _Linker, target: FileFacts, name: str, depth: int = 0) -> bool:
    if name in target.event_source_exports:
        return True
    return any(_returns_event(linker, origin, origin_name, depth + 1)
               for origin, origin_name in linker.passed_on(target, name, depth))
