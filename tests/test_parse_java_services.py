"""Java parser: stripe-java services typed by their class (`com.stripe.service.CustomerService` as
a field or parameter), whose calls are the client calls of the service's chain."""

from __future__ import annotations

import textwrap

import pytest
from parse_helpers import simplify

from stripe_perm_lint.parse.java import parse


def run(code: str) -> list[tuple]:
    return simplify(parse("src/Sync.java", textwrap.dedent(code).lstrip("\n")), {"call"})


@pytest.mark.parametrize("code, expected", [
    pytest.param("""
        import com.stripe.service.CustomerService;
        class Sync {
          private final CustomerService customers;
          Sync(CustomerService customers) { this.customers = customers; }
          void run(String id) throws Exception { customers.retrieve(id); }
        }
        """, [("call", "java_client", "customers().retrieve", 5, "unknown")], id="field-from-constructor"),
    pytest.param("""
        import com.stripe.service.checkout.SessionService;
        class Sync {
          void run(SessionService sessions, String id) throws Exception { sessions.lineItems().list(id); }
        }
        """, [("call", "java_client", "checkout().sessions().lineItems().list", 3, "unknown")], id="namespaced-parameter"),
    pytest.param("""
        import com.stripe.service.*;
        class Sync {
          void run(CustomerBalanceTransactionService txns, String id) throws Exception { txns.list(id); }
        }
        """, [("call", "java_client", "customers().balanceTransactions().list", 3, "unknown")], id="wildcard-sub-service"),
    pytest.param("""
        class Sync {
          void run(com.stripe.service.InvoiceService invoices, String id) throws Exception { invoices.pay(id); }
        }
        """, [("call", "java_client", "invoices().pay", 2, "unknown")], id="written-out"),
    # Near misses: a service class of the app's own, and stripe-java's name without its import.
    pytest.param("""
        import com.example.billing.CustomerService;
        class Sync {
          void run(CustomerService customers, String id) throws Exception { customers.retrieve(id); }
        }
        """, [], id="own-class-of-the-same-name"),
    pytest.param("""
        import com.stripe.StripeClient;
        class Sync {
          void run(CustomerService customers, String id) throws Exception { customers.retrieve(id); }
        }
        """, [], id="not-imported"),
])
def test_services_typed_by_their_class(code, expected):
    assert run(code) == expected
