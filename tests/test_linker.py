"""Cross-file joins: calls on imported clients and imported expand lists."""

from __future__ import annotations

from stripe_perm_lint.facts import (
    ApiCall, ClientExport, ConstantExport, FileFacts, ImportBinding, PendingCall, Position,
)
from stripe_perm_lint.linker import link_app, resolve_module

P = Position(3, 5)


def _by_path(*files):
    return {f.path: f for f in files}


def test_ts_module_resolution():
    files = _by_path(*(FileFacts(p, "typescript") for p in ("src/lib/stripe.ts", "src/lib/index.tsx", "src/util.js")))
    assert resolve_module("src/views/A.tsx", "../lib/stripe", "typescript", files) == "src/lib/stripe.ts"
    assert resolve_module("src/views/A.tsx", "../lib/stripe.js", "typescript", files) == "src/lib/stripe.ts"
    assert resolve_module("src/views/A.tsx", "../lib", "typescript", files) == "src/lib/index.tsx"
    assert resolve_module("src/A.tsx", "./util", "typescript", files) == "src/util.js"
    assert resolve_module("src/A.tsx", "stripe", "typescript", files) is None
    assert resolve_module("src/A.tsx", "./missing", "typescript", files) is None


def test_python_module_resolution():
    files = _by_path(*(FileFacts(p, "python") for p in ("backend/app/billing.py", "backend/app/clients/__init__.py")))
    assert resolve_module("backend/app/views.py", ".billing", "python", files) == "backend/app/billing.py"
    assert resolve_module("backend/app/api/routes.py", "..billing", "python", files) == "backend/app/billing.py"
    assert resolve_module("backend/app/views.py", "app.billing", "python", files) == "backend/app/billing.py"
    assert resolve_module("backend/app/views.py", "app.clients", "python", files) == "backend/app/clients/__init__.py"
    assert resolve_module("backend/app/views.py", "requests", "python", files) is None


def test_pending_calls_become_calls_only_when_the_import_is_a_client():
    lib = FileFacts(
        "src/lib/stripe.ts", "typescript",
        client_exports=(ClientExport("stripe", "node", "installing"), ClientExport("getStripe", "node", "platform", True)),
        constant_exports=(ConstantExport("EXPAND", ("customer", "latest_charge")),),
    )
    api = FileFacts("src/lib/api.ts", "typescript")  # an own REST client: exports no Stripe client
    view = FileFacts(
        "src/views/A.tsx", "typescript",
        imports=(
            ImportBinding("stripe", "../lib/stripe", "stripe"),
            ImportBinding("getStripe", "../lib/stripe", "getStripe"),
            ImportBinding("EXPAND", "../lib/stripe", "EXPAND"),
            ImportBinding("api", "../lib/api", "default"),
        ),
        pending_calls=(
            PendingCall("stripe", "customers.list", Position(5, 1), expand_imports=(("EXPAND", Position(5, 30)),)),
            PendingCall("getStripe", "invoices.list", Position(6, 1), via_factory=True),
            PendingCall("getStripe", "payouts.list", Position(7, 1), via_factory=True, account="installing"),
            PendingCall("api", "customers.list", Position(8, 1)),
        ),
    )
    linked = {f.path: f for f in link_app([lib, api, view])}["src/views/A.tsx"]
    calls = [(c.accessor, c.position.line, c.account, tuple(e.path for e in c.expand)) for c in linked.calls]
    assert calls == [
        ("customers.list", 5, "installing", ("customer", "latest_charge")),
        ("invoices.list", 6, "platform", ()),
        ("payouts.list", 7, "installing", ()),
    ]


def test_unknown_imported_expand_list_is_dynamic():
    view = FileFacts(
        "a.py", "python",
        imports=(ImportBinding("FIELDS", "settings", "FIELDS"),),
        calls=(ApiCall("python_client", "v1.customers.list", P, expand_imports=(("FIELDS", P),)),),
    )
    [linked] = link_app([view])
    assert linked.calls[0].expand_dynamic and linked.calls[0].expand == ()


def test_names_passed_on_by_a_package_or_barrel_module_are_followed():
    client = FileFacts("backend/app/stripe_client.py", "python",
                       client_exports=(ClientExport("client", "python_client", "installing"),),
                       constant_exports=(ConstantExport("EXPAND", ("customer",)),))
    package = FileFacts("backend/app/__init__.py", "python",
                        imports=(ImportBinding("client", ".stripe_client", "client"),
                                 ImportBinding("EXPAND", ".stripe_client", "EXPAND")))
    view = FileFacts(
        "backend/views.py", "python",
        imports=(ImportBinding("client", "app", "client"), ImportBinding("EXPAND", "app", "EXPAND")),
        pending_calls=(PendingCall("client", "v1.invoices.list", P, expand_imports=(("EXPAND", P),)),),
    )
    linked = {f.path: f for f in link_app([client, package, view])}["backend/views.py"]
    [c] = linked.calls
    assert (c.style, c.accessor, [e.path for e in c.expand]) == ("python_client", "v1.invoices.list", ["customer"])


def test_a_cycle_of_reexports_ends():
    a = FileFacts("a.py", "python", imports=(ImportBinding("client", ".b", "client"),))
    b = FileFacts("b.py", "python", imports=(ImportBinding("client", ".a", "client"),))
    view = FileFacts("c.py", "python", imports=(ImportBinding("client", ".a", "client"),),
                     pending_calls=(PendingCall("client", "customers.list", P),))
    assert {f.path: f for f in link_app([a, b, view])}["c.py"].calls == ()


def test_the_ui_extension_is_the_manifests_views_and_what_they_import() -> None:
    from stripe_perm_lint.facts import FileFacts, ImportBinding
    from stripe_perm_lint.manifest import Manifest
    from stripe_perm_lint.ui_extension import in_ui_extension, ui_extension_files

    files = [
        FileFacts("src/views/Report.tsx", "typescript", imports=(ImportBinding("f", "../lib/format", "f"),)),
        FileFacts("src/lib/format.ts", "typescript", imports=(ImportBinding("g", "./deep", "g"),)),
        FileFacts("src/lib/deep.ts", "typescript"),
        FileFacts("src/server/api.ts", "typescript", imports=(ImportBinding("f", "../lib/format", "f"),)),
    ]
    ui = ui_extension_files(Manifest("stripe-app.json", view_components=("Report",)), files)
    assert ui == {"src/views/Report.tsx", "src/lib/format.ts", "src/lib/deep.ts"}
    assert not in_ui_extension("src/server/api.ts", ui)
    # No view names a file here (or the manifest has none): the scaffold folders decide.
    assert ui_extension_files(Manifest("stripe-app.json", view_components=("Missing",)), files) is None
    assert in_ui_extension("src/server/api.ts", None) and not in_ui_extension("server/api.ts", None)


def test_pending_events_become_handled_events_only_for_stripe_event_names():
    from stripe_perm_lint.facts import EventUse, PendingEvents, Unresolved

    consts = FileFacts(
        "app/constants.py", "python",
        constant_exports=(
            ConstantExport("EVENTS", ("invoice.paid", "customer.subscription.deleted")),
            ConstantExport("HANDLERS", ("payout.paid", "not_an_event"), keys=True),
            ConstantExport("TIERS", ("free", "pro")),
            ConstantExport("MADE_UP", ("foo.bar",)),
        ),
    )
    hook = FileFacts(
        "app/hook.py", "python",
        imports=(
            ImportBinding("EVENTS", ".constants", "EVENTS"),
            ImportBinding("HANDLERS", ".constants", "HANDLERS"),
            ImportBinding("TIERS", ".constants", "TIERS"),
            ImportBinding("MADE_UP", ".constants", "MADE_UP"),
            ImportBinding("constants", "app", "constants"),
            ImportBinding("gone", ".missing", "gone"),
        ),
        pending_events=(
            PendingEvents("EVENTS", None, Position(5, 1)),
            PendingEvents("HANDLERS", None, Position(6, 1), what="table"),
            PendingEvents("TIERS", None, Position(7, 1)),
            PendingEvents("MADE_UP", None, Position(8, 1)),
            PendingEvents("constants", "EVENTS", Position(9, 1)),
            PendingEvents("gone", None, Position(10, 1)),
            PendingEvents("TIERS", None, Position(11, 1), untraced=True),
            PendingEvents("EVENTS", None, Position(12, 1), untraced=True),
        ),
    )
    linked = {f.path: f for f in link_app([consts, hook, FileFacts("app/__init__.py", "python")])}["app/hook.py"]
    assert [(e.name, e.position.line) for e in linked.events] == [
        ("customer.subscription.deleted", 5), ("invoice.paid", 5), ("payout.paid", 6),
        ("customer.subscription.deleted", 9), ("invoice.paid", 9),
        ("customer.subscription.deleted", 12), ("invoice.paid", 12),
    ]
    assert all(isinstance(e, EventUse) and e.kind == "handled" for e in linked.events)
    assert [(u.what, u.position.line) for u in linked.unresolved] == [
        ("event type compared with a non-literal", 7),
        ("event type compared with a non-literal", 8),
        ("event type compared with a non-literal", 10),
    ]
    assert all(isinstance(u, Unresolved) for u in linked.unresolved) and linked.pending_events == ()


def test_an_imported_table_is_never_an_expand_list():
    consts = FileFacts("src/c.ts", "typescript", constant_exports=(ConstantExport("T", ("invoice.paid",), keys=True),))
    view = FileFacts(
        "src/v.ts", "typescript", imports=(ImportBinding("T", "./c", "T"), ImportBinding("stripe", "./s", "stripe")),
        pending_calls=(PendingCall("stripe", "customers.list", P, expand_imports=(("T", P),)),),
    )
    lib = FileFacts("src/s.ts", "typescript", client_exports=(ClientExport("stripe", "node"),))
    [call] = {f.path: f for f in link_app([consts, view, lib])}["src/v.ts"].calls
    assert call.expand == () and call.expand_dynamic


def test_calls_of_an_imported_request_wrapper_become_raw_requests():
    from stripe_perm_lint.facts import PendingRequest, RequestWrapperExport
    lib = FileFacts("server/stripe.ts", "typescript", request_wrapper_exports=(
        RequestWrapperExport("stripeRequest", 1, None, "GET", 2, "unknown", "/v1"),
    ))
    other = FileFacts("server/log.ts", "typescript")
    user = FileFacts(
        "server/sync.ts", "typescript",
        imports=(ImportBinding("stripeRequest", "./stripe", "stripeRequest"), ImportBinding("log", "./log", "log")),
        pending_requests=(
            PendingRequest("stripeRequest", None, (None, "/invoices"), (None, None), Position(4, 1), "installing"),
            PendingRequest("stripeRequest", None, (None, "/customers/{}", None), (None, None, "POST"), Position(5, 1)),
            PendingRequest("log", None, ("/v1/invoices",), (None,), Position(6, 1)),
        ),
    )
    linked = {f.path: f for f in link_app([lib, other, user])}["server/sync.ts"]
    assert [(r.verb, r.path, r.position.line, r.account) for r in linked.raw_requests] == [
        ("GET", "/v1/invoices", 4, "installing"),
        ("POST", "/v1/customers/{}", 5, "unknown"),
    ]
    assert linked.pending_requests == ()


def test_factory_field_calls_link_to_the_field_export():
    """`const { client } = await getStripeClient(id)` / `(await getStripeClient(id)).client`: the
    pending call `client.accounts.retrieve` on the factory resolves to `getStripeClient.client`."""
    lib = FileFacts(
        "lib/stripe-client.ts", "typescript",
        client_exports=(ClientExport("getStripeClient.client", "node", "installing", True),
                        ClientExport("Ctx.client", "node", "unknown")),  # a type member: not a factory
    )
    user = FileFacts(
        "lib/auth.ts", "typescript",
        imports=(ImportBinding("getStripeClient", "./stripe-client", "getStripeClient"),
                 ImportBinding("Ctx", "./stripe-client", "Ctx")),
        pending_calls=(
            PendingCall("getStripeClient", "client.accounts.retrieve", Position(4, 1), via_factory=True),
            PendingCall("getStripeClient", "other.customers.list", Position(5, 1), via_factory=True),
            PendingCall("getStripeClient", "client", Position(6, 1), via_factory=True),
            PendingCall("Ctx", "client.products.list", Position(7, 1)),
            PendingCall("Ctx", "client.prices.list", Position(8, 1), via_factory=True),
        ),
    )
    linked = {f.path: f for f in link_app([lib, user])}["lib/auth.ts"]
    assert [(c.accessor, c.position.line, c.account) for c in linked.calls] == [
        ("accounts.retrieve", 4, "installing"),
        ("products.list", 7, "unknown"),
    ]


def test_the_suffix_index_resolves_imports_exactly_as_trying_each_candidate():
    from itertools import product

    from stripe_perm_lint.modules import AppFiles, _resolve_ts_base

    paths = ["src/a.ts", "src/a.tsx", "src/a/index.ts", "src/b.js", "src/b/index.tsx", "src/c/index.mjs",
             "src/c/index.ts", "src/d.d.ts", "src/e.cts", "lib/f.jsx", "index.ts", "src/g.json"]
    plain = {p: None for p in paths}
    indexed = AppFiles(plain)
    bases = [f"{folder}{name}{ext}" for folder, name, ext in product(
        ("src/", "lib/", "", "src/../src/"), ("a", "b", "c", "d", "d.d", "e", "f", "g", "index", "missing"),
        ("", ".js", ".ts", ".mjs", ".jsx", ".json"))]
    assert [_resolve_ts_base(b, indexed) for b in bases] == [_resolve_ts_base(b, plain) for b in bases]
    assert _resolve_ts_base("src/a", indexed) == "src/a.ts" and _resolve_ts_base("src/c", indexed) == "src/c/index.ts"


def test_the_project_root_alias_resolves_as_trying_each_root_in_turn():
    from itertools import product

    from stripe_perm_lint.modules import AppFiles, resolve_module

    paths = ["src/lib/stripe.ts", "lib/stripe.ts", "apps/web/src/lib/stripe.ts", "apps/web/lib/stripe/index.ts",
             "apps/web/app/api/route.ts", "apps/web/src/app/page.tsx", "packages/ui/src/lib/stripe.tsx",
             "src/src/lib/stripe.ts", "apps/web/lib/db.ts", "apps/web/src/index.ts", "index.ts"]
    plain = {p: None for p in paths}
    indexed = AppFiles(plain)
    importers = ["apps/web/app/api/route.ts", "apps/web/src/app/page.tsx", "packages/ui/src/x.ts", "root.ts",
                 "src/src/deep/file.ts"]
    modules = [f"{a}{r}" for a, r in product(("@/", "~/"), ("lib/stripe", "lib/db", "src/lib/stripe", "index",
                                                            "lib", "missing/x", "lib/stripe.js", "./lib/stripe"))]
    for importer, module in product(importers, modules):
        assert resolve_module(importer, module, "typescript", indexed) == resolve_module(importer, module, "typescript", plain), (importer, module)
    # the shallowest root first, and under its `src/` before the folder itself
    assert resolve_module("apps/web/app/api/route.ts", "@/lib/stripe", "typescript", indexed) == "src/lib/stripe.ts"
