"""C#'s dependency injection, for the linker (docs/languages.md, "C#").

ASP.NET builds a client once, where the app registers it (`Program.cs`:
`builder.Services.AddSingleton<IStripeClient>(new StripeClient(config["Stripe:SecretKey"]))`), and
hands it to every class that asks for its type. The C# parser reports each registration as a
``ClientExport`` named ``@di:StripeClient`` / ``@di:CustomerService`` with the account the registered
value shows, and each call on a client or service injected by type whose account its file cannot
tell as a ``PendingCall`` on that name, beside the call itself (account "unknown"). Here a call
takes the registration's account when every registration of that name in the app agrees on a
known one; a service the container builds itself (`AddScoped<CustomerService>()`) takes the
registered client's. Otherwise the call stays "unknown" and the manifest's access type settles
it, as before. Test projects are not discovered, so their registrations count for nothing.
"""

from __future__ import annotations

import dataclasses

from stripe_perm_lint.facts import ClientExport, FileFacts
from stripe_perm_lint.parse.csharp.sdk import DI_PREFIX, di_name

_CLIENT = di_name("client", "")


def settle_injected_clients(files: list[FileFacts]) -> list[FileFacts]:
    if not any(f.language == "csharp" and f.pending_calls for f in files):
        return files
    accounts = registered_accounts([x for f in files if f.language == "csharp" for x in f.client_exports
                                    if x.name.startswith(DI_PREFIX)])
    return [_settled(f, accounts) if f.language == "csharp" and f.pending_calls else f for f in files]


def registered_accounts(exports: list[ClientExport]) -> dict[str, str]:
    """`@di:…` name -> the one known account all its registrations agree on."""
    by_name: dict[str, set[str]] = {}
    for export in exports:
        by_name.setdefault(export.name, set()).add(export.account)
    clients = by_name.get(_CLIENT, set())
    client = next(iter(clients)) if len(clients) == 1 else "unknown"
    out = {}
    for name, found in by_name.items():
        # A service registration that shows no account is built from the registered client.
        found = {client if account == "unknown" and name != _CLIENT else account for account in found}
        if len(found) == 1 and found != {"unknown"}:
            out[name] = found.pop()
    return out


def _settled(facts: FileFacts, accounts: dict[str, str]) -> FileFacts:
    found = {(p.position, p.accessor): accounts[p.import_local] for p in facts.pending_calls
             if p.import_local in accounts}
    calls = tuple(dataclasses.replace(c, account=found[(c.position, c.accessor)])
                  if c.account == "unknown" and (c.position, c.accessor) in found else c for c in facts.calls)
    pending = tuple(p for p in facts.pending_calls if not p.import_local.startswith(DI_PREFIX))
    return dataclasses.replace(facts, calls=calls, pending_calls=pending)
