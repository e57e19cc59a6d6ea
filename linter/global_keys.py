"""Ruby's global API key, across the files of a backend (docs/languages.md, "Ruby").

`Stripe.api_key = ENV['STRIPE_SECRET_KEY']` in a Rails initializer is the key of every legacy
call the process makes (`Stripe::Customer.list`), wherever that call is written: Ruby loads every
file into one process and has no import to follow. The Ruby parser reports each global key it
sees set (outside a per-request method) as ``ClientExport("Stripe.api_key", "ruby_legacy",
account)``, and leaves "unknown" the legacy calls whose key its own file does not show. When every
global key of the app is the platform's own, those calls are the platform's; when any is stored
data or an account's key, they stay unknown and the manifest's access type settles them.
"""

from __future__ import annotations

import dataclasses

from stripe_perm_lint.facts import FileFacts

GLOBAL_KEY = "Stripe.api_key"
_GLOBAL_KEY_STYLES = ("ruby_legacy", "ruby_instance")  # the calls that use the global key


def settle_global_keys(files: list[FileFacts]) -> list[FileFacts]:
    accounts = {x.account for f in files for x in f.client_exports if x.name == GLOBAL_KEY and x.style == "ruby_legacy"}
    if accounts != {"platform"}:
        return files
    return [_platform_legacy_calls(f) if f.language == "ruby" else f for f in files]


def _platform_legacy_calls(facts: FileFacts) -> FileFacts:
    if not any(c.account == "unknown" and c.style in _GLOBAL_KEY_STYLES for c in facts.calls):
        return facts
    calls = tuple(dataclasses.replace(c, account="platform") if c.account == "unknown" and c.style in _GLOBAL_KEY_STYLES
                  else c for c in facts.calls)
    return dataclasses.replace(facts, calls=calls)
