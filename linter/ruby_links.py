"""Ruby's constant lookup, for the linker. A Ruby file imports nothing: Rails autoloads a constant
by its name. The Ruby parser exports class-level tables and class helpers under their qualified
names (`Revenue::StripeAccount.retrieve`) and binds each constant path it does not define to the
nesting it is written in (``parse.ruby.exports``). Here that binding becomes an ordinary one (the
file that exports the name, and the name there), looked up as Ruby does: in the innermost nesting
first (`Revenue::BackfillStripe::StripeAccount`, `Revenue::StripeAccount`, `StripeAccount`).
"""

from __future__ import annotations

import dataclasses

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import ClientExport, FileFacts, ImportBinding, PendingCall
from stripe_perm_lint.parse.vocabulary import STRIPE_API_URL


def exported_names(files) -> dict[str, str]:
    """Qualified name -> the Ruby file exporting it (the first by path when two do). A method
    returning a URL is known by its name alone (`#invoices_uri`: the parser cannot say the
    receiver's class), so one that two files define names neither."""
    index: dict[str, str] = {}
    twice = set()
    for path, facts in sorted(files.items()):
        if facts.language != "ruby":
            continue
        for export in (*facts.constant_exports, *facts.client_exports, *facts.base_url_exports):
            if export.name.startswith("#") and index.get(export.name, path) != path:
                twice.add(export.name)
            index.setdefault(export.name, path)
    return {name: path for name, path in index.items() if name not in twice}


def settle_url_methods(files: list[FileFacts]) -> list[FileFacts]:
    """A method returning a Stripe URL that another file requests (`config.invoices_uri`): the
    request is that file's, with its verb and account; the URL's own request of unknown account
    (made nowhere in its file) is dropped, so it is not settled as the platform's as well."""
    index = exported_names({f.path: f for f in files})
    used: dict[str, set[str]] = {}
    for facts in files:
        for pending in facts.pending_base_url_requests if facts.language == "ruby" else ():
            if pending.import_local.startswith("#") and pending.import_local in index:
                used.setdefault(index[pending.import_local], set()).add(pending.import_local)
    out = []
    for facts in files:
        urls = {e.url for e in facts.base_url_exports if e.name in used.get(facts.path, ())}
        paths = {m.group("path") for m in map(STRIPE_API_URL.match, urls) if m is not None}
        kept = tuple(r for r in facts.raw_requests if not (r.account == "unknown" and r.path in paths))
        out.append(facts if len(kept) == len(facts.raw_requests) else dataclasses.replace(facts, raw_requests=kept))
    return out


def ruby_bindings(index: dict[str, str], facts: FileFacts) -> dict[str, ImportBinding]:
    """Each constant-path binding of a Ruby file, resolved to (exporting file, qualified name);
    one that names nothing the app exports is left out (the pending fact stays unresolved)."""
    found = {}
    for binding in facts.imports:
        scopes = binding.module.split("::") if binding.module else []
        for depth in range(len(scopes), -1, -1):
            qualified = "::".join([*scopes[:depth], binding.name])
            if qualified in index:
                found[binding.local] = ImportBinding(binding.local, index[qualified], qualified)
                break
    return found


def helper_call_accessor(export: ClientExport, pending: PendingCall) -> str | None:
    """`Charge.retrieve` for `StripeAccount.retrieve(Stripe::Charge, ...)` of a helper calling
    `retrieve` on its first argument; None when that argument names no class the SDK calls so."""
    index, method = export.class_param
    cls = dict(pending.class_args).get(index)
    accessor = f"{cls}.{method}"
    return accessor if cls and load_catalog().is_api_method("ruby_legacy", accessor) else None
