"""Spring's ``StripeClient`` bean, for the linker. Java files import classes, not the values a
framework hands them: a component receives the client Spring made by calling a `@Bean` factory,
perhaps in another file, matched by type. The Java parser exports the account of each such
factory's client under ``BEAN_CLIENT`` and leaves each call on an injected client (a component's
constructor parameter or field, an `@Autowired` one) waiting on that name; here that name becomes an
ordinary binding to a file that exports it, when every factory of the app agrees on one known
account. When they disagree (one bean per account, chosen by `@Qualifier`) or there is none, the
calls keep the "unknown" account the parser gave them, which the manifest's access type settles."""

from __future__ import annotations

from stripe_perm_lint.facts import FileFacts, ImportBinding
from stripe_perm_lint.parse.java.spring import BEAN_CLIENT, BEAN_MODEL


def bean_clients(files) -> dict[str, str]:
    """``BEAN_CLIENT`` (and ``BEAN_MODEL``, its twin for methods of fetched objects) -> the first
    Java file (by path) that exports it, when all the app's beans of ``StripeClient`` hold one
    known account's key; else empty. Test code is never among
    ``files`` (discovery skips it), so a test configuration's bean does not count."""
    accounts: set[str] = set()
    first = None
    for path, facts in sorted(files.items()):
        beans = {e.account for e in facts.client_exports if e.name == BEAN_CLIENT} if facts.language == "java" else set()
        accounts |= beans
        first = first or (path if beans else None)
    return {BEAN_CLIENT: first, BEAN_MODEL: first} if len(accounts) == 1 and "unknown" not in accounts else {}


def java_bindings(index: dict[str, str], facts: FileFacts, files) -> dict[str, ImportBinding]:
    waiting = {p.import_local for p in facts.pending_calls}
    return {name: ImportBinding(name, path, name) for name, path in index.items() if name in waiting}
