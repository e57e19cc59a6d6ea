"""Go packages of the app's own module: go.mod's `module` line (``parse.go.gomod``), the folder an
import under it names, and calls on a client another package of the app exports (a package-level
client, a function returning one, a struct type with a client field), linked by the linker; a
third-party import, or one whose folder holds no Go file, is never linked. Facts are compared as
the tuples of ``parse_helpers.simplify``."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from parse_helpers import simplify

from stripe_perm_lint.cli import main

from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse.go import parse
from stripe_perm_lint.parse.go.gomod import find_go_modules, module_path, package_folder

STRIPEX = """package stripex

import (
	"os"

	"github.com/stripe/stripe-go/v82/client"
)

var SC = client.New(os.Getenv("STRIPE_SECRET_KEY"), nil)

func ForAccount(accessToken string) *client.API { return client.New(accessToken, nil) }

type Gateway struct{ Merchant *client.API }

func NewGateway(accessToken string) *Gateway { return &Gateway{Merchant: ForAccount(accessToken)} }

func (g *Gateway) Platform() *client.API { return SC }
"""
MODULES = {"backend": "github.com/acme/billing"}


def _linked(files: dict[str, str], modules=MODULES):
    parsed = [parse(path, source) for path, source in files.items()]
    return {f.path: f for f in link_app(parsed, go_modules=modules)}


def test_the_module_line_of_a_go_mod():
    assert module_path("// the billing backend\nmodule github.com/acme/billing // ours\n\ngo 1.22\n") == \
        "github.com/acme/billing"
    assert module_path('module "example.com/quoted"\n') == "example.com/quoted"
    assert module_path("go 1.22\nrequire github.com/stripe/stripe-go/v82 v82.5.1\n") is None
    assert module_path("") is None


def test_an_import_names_a_folder_by_the_nearest_go_mod_above_the_importer():
    modules = {"": "example.com/tools", "backend": "github.com/acme/billing"}
    assert package_folder("backend/cmd/server/main.go", "github.com/acme/billing/internal/stripex", modules) == \
        "backend/internal/stripex"
    assert package_folder("backend/main.go", "github.com/acme/billing", modules) == "backend"
    assert package_folder("tools/gen.go", "example.com/tools/internal/x", modules) == "internal/x"
    # the innermost module decides: backend/ is not part of example.com/tools, nor a prefix match
    assert package_folder("backend/main.go", "example.com/tools/internal/x", modules) is None
    assert package_folder("backend/main.go", "github.com/acme/billing-tools/x", modules) is None
    assert package_folder("backend/main.go", "github.com/acme/billing/x", {}) is None


def test_go_mod_files_in_folders_of_go_sources_and_above(tmp_path: Path):
    (tmp_path / "backend" / "cmd").mkdir(parents=True)
    (tmp_path / "backend" / "go.mod").write_text("module github.com/acme/billing\n")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "go.mod").write_text("module example.com/tools\n")  # no Go source below it
    (tmp_path / "go.mod").write_text("go 1.22\n")  # no module line
    assert find_go_modules(tmp_path, ["backend/cmd/main.go", "src/views/App.tsx"]) == {
        "backend": "github.com/acme/billing"}
    # A backend beside the app (--extra-sources): read up to its own folder, never above it.
    (tmp_path / "app").mkdir()
    assert find_go_modules(tmp_path / "app", ["../backend/cmd/main.go"], ("", "../backend")) == {
        "../backend": "github.com/acme/billing"}
    assert find_go_modules(tmp_path / "app", ["../backend/cmd/main.go"], ("", "../backend/cmd")) == {}


def test_a_go_backend_beside_the_app_links_its_packages(tmp_path: Path):
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "go-packages"
    shutil.copytree(fixture, tmp_path / "app", ignore=shutil.ignore_patterns("expected.txt", "backend"))
    shutil.copytree(fixture / "backend", tmp_path / "backend")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--extra-sources", str(tmp_path / "backend"),
                                       str(tmp_path / "app")])
    assert "/backend/internal/billing/handlers.go:33:15: SPL101 `sc.Customers.Get()` needs `customer_read`" \
        in result.stdout  # linked, not inferred
    assert "inferred" not in result.stdout and "untraced" not in result.stdout
    assert result.stdout.endswith("Checked 1 app: 3 errors, 1 warning, 1 info\n")  # as the fixture


def test_clients_of_another_package_of_the_module_are_linked():
    handlers = """package billing

import (
	"github.com/acme/billing/internal/stripex"
	px "github.com/acme/billing/internal/stripex"
)

func run(token string, gw *stripex.Gateway) {
	stripex.SC.Invoices.List(nil)
	stripex.ForAccount(token).Customers.Get("cus_1", nil)
	sc := px.ForAccount(token)
	sc.Refunds.New(nil)
	gw.Merchant.Payouts.List(nil)
	gw.Platform().Balance.Get(nil)
}
"""
    found = parse("backend/internal/billing/handlers.go", handlers)
    assert simplify(found, ["pending", "import"]) == [
        ("pending", "stripex", "SC.Invoices.List", 9, False, None),
        ("pending", "stripex", "ForAccount.Customers.Get", 10, True, None),
        ("pending", "px", "ForAccount.Refunds.New", 12, True, None),
        ("pending", "stripex", "Gateway.Merchant.Payouts.List", 13, False, None),
        ("pending", "stripex", "Gateway.Platform.Balance.Get", 14, True, None),
        ("import", "px", "github.com/acme/billing/internal/stripex", "*"),
        ("import", "stripex", "github.com/acme/billing/internal/stripex", "*"),
    ]
    linked = _linked({"backend/internal/stripex/client.go": STRIPEX, "backend/internal/billing/handlers.go": handlers})
    billing = linked["backend/internal/billing/handlers.go"]
    assert simplify(billing, ["call", "inferred"]) == [
        ("call", "go_api", "Invoices.List", 9, "platform"),
        ("call", "go_api", "Customers.Get", 10, "installing"),
        ("call", "go_api", "Refunds.New", 12, "installing"),
        ("call", "go_api", "Payouts.List", 13, "installing"),  # NewGateway sets Merchant to ForAccount(…)
        ("call", "go_api", "Balance.Get", 14, "platform"),
    ]
    assert billing.untraced_clients == ()


def test_a_third_party_package_or_an_empty_folder_is_never_linked():
    handlers = """package billing

import (
	"github.com/other/stripex"
	"github.com/acme/billing/internal/payments"
)

func run() {
	stripex.SC.Invoices.List(nil)
	payments.SC.Customers.List(nil)
}
"""
    # The third-party `stripex` has a folder of the same name in the app: it is not that package;
    # internal/payments is under the module path, but no Go file of the app is in that folder.
    linked = _linked({"backend/stripex/client.go": STRIPEX, "backend/internal/billing/handlers.go": handlers},
                     {"backend": "github.com/acme/billing"})
    billing = linked["backend/internal/billing/handlers.go"]
    # Only inferred, by the SDK shape on a receiver named for Stripe (docs/semantics.md §11).
    assert simplify(billing, ["call", "inferred"]) == [
        ("call", "go_api", "Invoices.List", 9, "unknown"), ("inferred", 9)]
    assert [(u.origin, u.name, u.source, u.declared.line, u.position.line) for u in billing.untraced_clients] == [
        ("import", "SC", "github.com/other/stripex", 4, 9),
        ("import", "SC", "github.com/acme/billing/internal/payments", 5, 10),
    ]
    # Without a go.mod nothing is the app's package either.
    alone = _linked({"backend/internal/stripex/client.go": STRIPEX,
                     "backend/internal/billing/handlers.go": handlers.replace("github.com/other/stripex",
                                                                              "github.com/acme/billing/internal/stripex")},
                    {})
    assert [c.inferred for c in alone["backend/internal/billing/handlers.go"].calls] == [True]


def test_the_standard_library_is_no_package_of_the_app():
    source = """package billing

import "net/http"

func run() { http.Client.Customers.List(nil) }
"""
    found = parse("backend/billing/a.go", source)
    assert found.imports == () and found.pending_calls == ()
    assert [(u.origin, u.name) for u in found.untraced_clients] == [("member", "http.Client")]


def test_the_client_field_of_a_struct_another_package_s_function_returns():
    handlers = """package billing

import "github.com/acme/billing/internal/stripex"

func run(token string) {
	gw := stripex.NewGateway(token)
	gw.Merchant.Disputes.List(nil)
	stripex.NewGateway(token).Merchant.Charges.Get("ch_1", nil)
}
"""
    found = parse("backend/internal/billing/handlers.go", handlers)
    assert simplify(found, ["pending"]) == [
        ("pending", "stripex", "NewGateway.Merchant.Disputes.List", 7, True, None),
        ("pending", "stripex", "NewGateway.Merchant.Charges.Get", 8, True, None),
    ]
    assert ("client_export", "NewGateway.Merchant", "go_api", "installing", True) in simplify(
        parse("backend/internal/stripex/client.go", STRIPEX), ["client_export"])
    linked = _linked({"backend/internal/stripex/client.go": STRIPEX, "backend/internal/billing/handlers.go": handlers})
    assert simplify(linked["backend/internal/billing/handlers.go"], ["call"]) == [
        ("call", "go_api", "Disputes.List", 7, "installing"),
        ("call", "go_api", "Charges.Get", 8, "installing"),
    ]


def test_a_file_whose_only_stripe_use_is_another_package_s_client_is_parsed():
    # `payments` names nothing Stripe, nor does anything else in the file: only the client's
    # member (`.Customers`) says it, which the prefilter reads from stripe-go's table.
    from stripe_perm_lint.parse import parse_file

    payments = STRIPEX.replace("package stripex", "package payments")
    handlers = """package billing

import "github.com/acme/billing/internal/payments"

func lookup(token, id string) {
	payments.ForAccount(token).Customers.Get(id, nil)
}
"""
    assert "stripe" not in handlers.lower()
    parsed = [parse_file("backend/internal/payments/client.go", payments),
              parse_file("backend/internal/billing/handlers.go", handlers)]
    linked = {f.path: f for f in link_app(parsed, go_modules=MODULES)}
    assert simplify(linked["backend/internal/billing/handlers.go"], ["call"]) == [
        ("call", "go_api", "Customers.Get", 6, "installing")]
    ordinary = handlers.replace(".Customers.Get(id, nil)", ".Lookup(id)")  # no SDK member: not parsed
    assert parse_file("backend/internal/billing/handlers.go", ordinary).pending_calls == ()
