"""Ruby's constant lookup, for the linker. A Ruby file imports nothing: Rails autoloads a constant
by its name. The Ruby parser exports class-level tables and class helpers under their qualified
names (`Revenue::StripeAccount.retrieve`) and binds each constant path it does not define to the
nesting it is written in (``parse.ruby.exports``). Here that binding becomes an ordinary one (the
file that exports the name, and the name there), looked up as Ruby does: in the innermost nesting
first (`Revenue::BackfillStripe::StripeAccount`, `Revenue::StripeAccount`, `StripeAccount`).
"""

from __future__ import annotations

from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.facts import ClientExport, FileFacts, ImportBinding, PendingCall


def exported_names(files) -> dict[str, str]:
    """Qualified name -> the Ruby file exporting it (the first by path when two do)."""
    index: dict[str, str] = {}
    for path, facts in sorted(files.items()):
        if facts.language != "ruby":
            continue
        for export in (*facts.constant_exports, *facts.client_exports):
            index.setdefault(export.name, path)
    return index


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
