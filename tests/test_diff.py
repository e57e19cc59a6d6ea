"""Declared against required, on hand-built facts (no parser involved): the semantics of
docs/semantics.md §1, §2, §6 and §8 in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from stripe_perm_lint.app import App, Options
from stripe_perm_lint.context import RuleContext
from stripe_perm_lint.diff import required_permissions
from stripe_perm_lint.facts import ApiCall, EventUse, ExpandPath, FileFacts, Position
from stripe_perm_lint.finding import Location
from stripe_perm_lint.manifest import DeclaredPermission, Manifest

P = Position(1, 1)


def app_with(declared, calls=(), events=(), options=Options()):
    manifest = Manifest(
        path="stripe-app.json",
        permissions=tuple(DeclaredPermission(n, Location("stripe-app.json", i + 1, 1)) for i, n in enumerate(declared)),
    )
    facts = FileFacts("src/a.ts", "typescript", calls=tuple(calls), events=tuple(events))
    return App(root=Path("/app"), manifest=manifest, files=(facts,), options=options)


def call(accessor, account="installing", expand=()):
    return ApiCall("node", accessor, P, account, tuple(ExpandPath(e, P) for e in expand))


def test_write_meets_a_read_and_is_credited(catalog):
    d = RuleContext(app_with(["customer_write"], [call("customers.list")]), catalog).diff
    assert d.missing == () and [n.canonical for n in d.serves["customer_write"]] == ["customer_read"]


def test_every_meeting_permission_is_used_and_the_broader_one_is_outranked(catalog):
    d = RuleContext(app_with(["customer_read", "customer_write"], [call("customers.list")]), catalog).diff
    assert d.serves["customer_read"] and d.serves["customer_write"]  # neither is unused
    assert not d.outranked["customer_read"] and d.outranked["customer_write"]  # the write is redundant


def test_an_implication_is_a_use_but_outranked_by_the_exact_permission(catalog):
    d = RuleContext(app_with(["product_read", "quote_read"], [call("products.list")]), catalog).diff
    assert d.serves["quote_read"] and d.outranked["quote_read"] and not d.outranked["product_read"]
    alone = RuleContext(app_with(["quote_read"], [call("products.list")]), catalog).diff
    assert alone.missing == () and alone.serves["quote_read"] and not alone.outranked["quote_read"]


def test_implied_permissions_meet_needs(catalog):
    app = app_with(["balance_transaction_source_read"], [call("balance.retrieve"), call("payouts.list")])
    assert RuleContext(app, catalog).diff.missing == ()


def test_older_edition_implications_can_be_switched_off(catalog):
    calls = [call("products.list")]
    assert RuleContext(app_with(["plan_read"], calls), catalog).diff.missing == ()
    strict = app_with(["plan_read"], calls, options=Options(include_older_edition=False))
    assert [n.canonical for n in RuleContext(strict, catalog).diff.missing] == ["product_read"]


def test_platform_calls_need_nothing_unless_counted(catalog):
    calls = [call("invoices.list", account="platform")]
    assert RuleContext(app_with([], calls), catalog).diff.missing == ()
    counted = app_with([], calls, options=Options(platform_calls="count"))
    assert [n.canonical for n in RuleContext(counted, catalog).diff.missing] == ["invoice_read"]
    d = RuleContext(app_with(["invoice_read"], calls), catalog).diff
    assert not d.serves["invoice_read"] and d.platform_serves["invoice_read"]


def test_events_need_event_read_and_one_of_their_row(catalog):
    events = [EventUse("invoice.paid", "handled", P)]
    missing = RuleContext(app_with([], events=events), catalog).diff.missing
    assert sorted(n.canonical for n in missing) == ["event_read", "invoice_read"]
    # any permission of the row will do (credit_note_read is in invoice.paid's row)
    assert RuleContext(app_with(["event_read", "credit_note_read"], events=events), catalog).diff.missing == ()


def test_required_lists_canonical_names_for_reads_writes_events_and_expands(catalog):
    app = app_with(
        [],
        [call("customers.list"), call("customers.update"), call("paymentIntents.retrieve", expand=["customer"])],
        [EventUse("customer.subscription.updated", "handled", P)],
    )
    assert required_permissions(RuleContext(app, catalog).analysis) == [
        "customer_read", "customer_write", "event_read", "payment_intent_read", "subscription_read",
    ]


@pytest.mark.parametrize("declared", [["secret_read"], ["secret_write"]])
def test_secret_store_reads_take_either_name(catalog, declared):
    assert RuleContext(app_with(declared, [call("apps.secrets.find")]), catalog).diff.missing == ()


def test_secret_store_writes_need_secret_write(catalog):
    missing = RuleContext(app_with(["secret_read"], [call("apps.secrets.create")]), catalog).diff.missing
    assert [n.canonical for n in missing] == ["secret_write"]


def test_unknown_declared_names_are_not_declared(catalog):
    d = RuleContext(app_with(["customers_read"], [call("customers.list")]), catalog).diff
    assert d.declared == frozenset() and [n.canonical for n in d.missing] == ["customer_read"]


@pytest.mark.parametrize(
    "path, access_type, settled",
    [
        ("src/lib/repo.ts", "platform", "installing"),  # UI-extension code
        ("ui/src/views/App.tsx", "platform", "installing"),  # v2 workspace UI
        ("server/helpers.ts", "platform", "platform"),  # a backend helper
        ("server/helpers.ts", "oauth", "installing"),  # per-account OAuth clients
        ("backend/sync.py", "restricted_api_key", "installing"),
    ],
)
def test_unknown_accounts_settle_by_folder_and_access_type(path, access_type, settled):
    from stripe_perm_lint.app_loader import settle_accounts

    facts = FileFacts(path, "typescript", calls=(call("customers.list", account="unknown"), call("invoices.list")))
    out = settle_accounts(facts, access_type)
    assert [c.account for c in out.calls] == [settled, "installing"]


def test_a_declared_write_meets_an_events_read(catalog):
    # docs/semantics.md §1 and §2: any-of, write covers read, for event rows as for calls
    events = [EventUse("charge.dispute.created", "handled", P), EventUse("payout.paid", "handled", P)]
    d = RuleContext(app_with(["event_read", "dispute_write", "payout_write"], events=events), catalog).diff
    assert d.missing == () and d.serves["dispute_write"] and d.serves["payout_write"]


def test_event_families_need_every_row_of_the_family(catalog):
    events = [EventUse("customer.subscription.*", "handled", P)]
    missing = RuleContext(app_with(["event_read"], events=events), catalog).diff.missing
    assert [n.canonical for n in missing] == ["subscription_read"]
    assert RuleContext(app_with(["event_read", "subscription_read"], events=events), catalog).diff.missing == ()
