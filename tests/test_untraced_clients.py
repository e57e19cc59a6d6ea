"""Untraced clients (docs/semantics.md §11): receivers used like Stripe clients whose origin no
parser or linker could trace, from both languages, and how one app's facts are summarised."""

from __future__ import annotations

import pytest

from stripe_perm_lint.facts import ClientExport, FileFacts, ImportBinding, PendingCall, Position, UntracedClient
from stripe_perm_lint.linker import link_app
from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.untraced import UntracedSummary, could_need, summarise_untraced

from parse_helpers import facts


def untraced(source: str, path: str) -> list[tuple]:
    return [(u.origin, u.name, u.source, u.declared.line if u.declared else None, u.position.line)
            for u in facts(source, path).untraced_clients]


TS = """import { stripe } from '@acme/billing';
import { client } from '@acme/payments';

export async function run(deps, db, stripeData) {
  await stripe.customers.someWrapper();
  await client.invoices.list();
  await deps.stripe.charges.list();
  const c = container.resolve('stripe');
  await c.payouts.list();
  await db.customers.find();
  await deps.github.customers.list();
  stripeData.charges.filter((c) => c.paid);
  await stripe.webhooks.constructEvent('', '', '');
}
"""


def test_typescript_receivers_used_like_stripe_clients():
    assert untraced(TS, "src/run.ts") == [
        ("import", "stripe", "@acme/billing", 1, 5),
        ("import", "client", "@acme/payments", 2, 6),
        ("parameter", "deps.stripe", "", 4, 7),
        ("container", "c", "", 8, 9),
    ]


PY = """from shared.stripe_client import client
from shared import billing


def sync(stripe_client, db, stripe_rows):
    client.customers.list()
    billing.stripe.invoices.list()
    stripe_client.payouts.list_since(days=1)
    db.customers.find()
    stripe_rows.charges.append(1)


class Job:
    def run(self):
        self.stripe.customers.list()
"""


def test_python_receivers_used_like_stripe_clients():
    assert untraced(PY, "backend/sync.py") == [
        ("import", "client", "shared.stripe_client", 1, 6),
        ("import", "billing", "shared", 2, 7),
        ("parameter", "stripe_client", "", 5, 8),
        ("member", "self.stripe", "", None, 15),
    ]


@pytest.mark.parametrize("source,path", [
    ("import Stripe from 'stripe';\nconst stripe = new Stripe(process.env.KEY!);\nstripe.customers.list();\n", "a.ts"),
    ("import { loadStripe } from '@stripe/stripe-js';\nconst stripe = await loadStripe('pk');\nstripe.paymentIntents.retrieve('x');\n", "a.ts"),
    ("import stripe\nstripe.Customer.list()\n", "a.py"),
    ("from stripe import StripeClient\nclient = StripeClient('k')\nclient.customers.list()\n", "a.py"),
])
def test_traced_clients_are_not_untraced(source, path):
    assert facts(source, path).untraced_clients == ()


def _use(line: int, origin: str = "import", name: str = "stripe", source: str = "./lib/stripe") -> UntracedClient:
    return UntracedClient(origin, name, source, Position(1, 10), Position(line, 3))


def test_linker_drops_a_client_it_resolves_and_an_import_of_an_app_file():
    lib = FileFacts("src/lib/stripe.ts", "typescript", client_exports=(ClientExport("stripe", "node"),))
    crm = FileFacts("src/lib/crm.ts", "typescript")
    view = FileFacts(
        "src/view.ts", "typescript",
        imports=(ImportBinding("stripe", "./lib/stripe", "stripe"), ImportBinding("crm", "./lib/crm", "crm")),
        pending_calls=(PendingCall("stripe", "customers.list", Position(4, 3)),),
        untraced_clients=(_use(4), _use(5, name="crm", source="./lib/crm"), _use(6, source="@acme/billing")),
    )
    linked = {f.path: f for f in link_app([lib, crm, view])}
    assert linked["src/view.ts"].untraced_clients == (_use(6, source="@acme/billing"),)


def test_summary_is_one_entry_per_import_per_app_and_per_receiver_per_file():
    a = FileFacts("a.ts", "typescript", untraced_clients=(
        _use(3, source="@acme/billing"), _use(4, source="@acme/billing"),
        UntracedClient("parameter", "deps.stripe", "", Position(2, 1), Position(5, 1)),
        UntracedClient("parameter", "deps.stripe", "", Position(8, 1), Position(9, 1)),
    ))
    b = FileFacts("b.ts", "typescript", untraced_clients=(
        UntracedClient("import", "stripe", "@acme/billing", Position(1, 10), Position(7, 3)),
        UntracedClient("container", "c.get('stripe')", "", None, Position(6, 4)),
    ))
    rows = [(s.path, s.line, s.origin, s.name, s.source, s.uses) for s in summarise_untraced([b, a])]
    assert rows == [
        ("a.ts", 1, "import", "stripe", "@acme/billing", 3),
        ("a.ts", 2, "parameter", "deps.stripe", "", 2),
        ("b.ts", 6, "container", "c.get('stripe')", "", 1),
    ]


def _client(language: str, *chains: str) -> UntracedSummary:
    return UntracedSummary("a", 1, 1, "parameter", "stripe", "", 1, language, chains)


@pytest.mark.parametrize("language,chains,permission,expected", [
    ("typescript", ("invoices.list",), "invoice_read", True),  # the exact method needs it
    ("typescript", ("invoices.list",), "invoice_write", True),  # a write meets a read need
    ("typescript", ("invoices.list",), "customer_read", False),
    ("typescript", ("payouts.syncAll",), "payout_read", True),  # a method of the payouts resource needs it
    ("typescript", ("payouts.syncAll",), "invoice_read", False),
    ("python", ("Payout.sync_all",), "payout_read", True),  # legacy class
    ("python", ("v1.customers.list",), "customer_read", True),  # StripeClient service
    ("python", ("balance_transactions.list",), "payout_read", False),
])
def test_an_untraced_client_could_need_what_its_calls_name(language, chains, permission, expected):
    assert could_need(_client(language, *chains), permission, load_catalog()) is expected


def test_calls_counted_as_inferred_explain_no_unused_permission():
    from stripe_perm_lint.facts import ApiCall

    a = FileFacts("a.ts", "typescript", calls=(ApiCall("node", "products.list", Position(3, 1), inferred=True),),
                  untraced_clients=(
                      UntracedClient("parameter", "stripe", "", Position(1, 1), Position(3, 1), "products.list"),
                      UntracedClient("parameter", "stripe", "", Position(1, 1), Position(4, 1), "payouts.sync"),
                  ))
    (client,) = summarise_untraced([a])
    assert client.uses == 2 and client.chains == ("payouts.sync",)
    assert could_need(client, "payout_read", load_catalog())
    assert not could_need(client, "product_read", load_catalog())
