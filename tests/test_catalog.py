"""Tests of the generated permission catalog and its API (stripe_perm_lint.catalog)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from stripe_perm_lint.catalog import (
    Catalog, EventInfo, ExpandResolution, ObjectType, Operation, Permission, Requirement, load_catalog,
)
from stripe_perm_lint.catalog import path_rules
from stripe_perm_lint.catalog.coverage import coverage_report


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def _seed() -> dict:
    return json.loads(files("stripe_perm_lint.catalog.build").joinpath("seed_reference.json").read_text("utf-8"))


# ---------------------------------------------------------------- permissions


def test_every_seed_permission_is_in_the_catalog(cat):
    names = {n for row in _seed()["permission_rows"] for n in row["permissions"]}
    assert len(names) == 137
    assert names <= cat.permission_names
    for name in names:
        assert cat.permission(name).source == "current-page"


@pytest.mark.parametrize("name,source", [
    ("event_read", "current-page"), ("mandate_read", "event-table"), ("mandate_write", "older-edition"),
    ("funding_instruction_read", "event-table"), ("issuing_card_sensitive_read", "event-table"),
    ("elements_write", "older-edition"), ("sku_read", "current-page"), ("sku_write", "current-page"),
])
def test_extra_names_are_valid_with_their_source(cat, name, source):
    assert cat.permission(name).source == source


def test_permission_facts(cat):
    p = cat.permission("customer_read")
    assert isinstance(p, Permission)
    assert (p.product, p.resource, p.access, p.counterpart) == ("Core", "Customers", "read", "customer_write")
    assert p.docs_url.startswith("https://docs.stripe.com/")
    assert cat.permission("balance_read").counterpart is None
    assert cat.permission("no_such_permission") is None


def test_implied_edges_and_grants(cat):
    assert ("balance_read", "current-page") in cat.implied_edges("balance_transaction_source_read")
    assert ("product_read", "older-edition") in cat.implied_edges("checkout_session_write")
    assert cat.grants(["payment_method_read"]) == {"payment_method_read", "source_read"}
    assert cat.grants(["payment_method_read"], include_older_edition=False) == {"payment_method_read"}
    assert "payout_read" in cat.grants(["balance_transaction_source_read"], include_older_edition=False)
    assert {"invoice_read", "credit_note_read"} <= cat.grants(["credit_note_write"])
    assert cat.implied_edges("customer_write") == (("billing_clock_read", "older-edition"),)


# ---------------------------------------------------------------- data integrity


def test_no_operation_is_undecided_and_all_names_are_valid(cat):
    assert len(cat.operations) >= 650
    for op in cat.operations:
        req = op.requirement
        assert bool(req.any_of) != bool(req.no_permission_reason), op.id
        assert set(req.any_of) <= cat.permission_names, op.id
        if req.any_of:
            assert req.canonical in req.any_of and req.access in ("read", "write"), op.id
        assert op.node or op.python or op.legacy or op.instance, op.id


def test_objects_and_events_use_valid_names(cat):
    for obj in cat.object_types:
        assert set(obj.read.any_of) <= cat.permission_names, obj.name
    for ev in cat.events:
        assert set(ev.any_of) <= cat.permission_names, ev.name
        assert ev.recommended is None or ev.recommended in ev.any_of
    for rule in path_rules.RULES:
        assert set(rule.read or ()) | set(rule.write or ()) <= cat.permission_names, rule.prefix


def test_newest_sdks_are_fully_covered(cat):
    latest = [o for o in cat.operations if o.in_latest]
    assert sum(1 for o in latest if o.node) == 650
    assert sum(1 for o in latest if any(p.startswith(("v1.", "v2.", "oauth.")) for p in o.python)) == 650
    assert cat.api_version == "2026-10-28.endive"
    assert cat.sdk_versions == {"node": "23.1.0", "python": "16.1.0"}


# ---------------------------------------------------------------- well-known mappings


READ = "read"
WRITE = "write"


@pytest.mark.parametrize("style,accessor,canonical,any_of", [
    ("node", "customers.list", "customer_read", {"customer_read", "customer_write"}),
    ("node", "customers.create", "customer_write", {"customer_write"}),
    ("node", "customers.del", "customer_write", {"customer_write"}),
    ("node", "checkout.sessions.create", "checkout_session_write", {"checkout_session_write"}),
    ("node", "refunds.create", "charge_write", {"charge_write"}),
    ("node", "refunds.list", "charge_read", {"charge_read", "charge_write"}),
    ("node", "prices.list", "plan_read", {"plan_read", "plan_write"}),
    ("node", "prices.create", "plan_write", {"plan_write"}),
    ("node", "plans.retrieve", "plan_read", {"plan_read", "plan_write"}),
    ("node", "apps.secrets.find", "secret_read", {"secret_read", "secret_write"}),
    ("node", "apps.secrets.list", "secret_read", {"secret_read", "secret_write"}),
    ("node", "apps.secrets.create", "secret_write", {"secret_write"}),
    ("node", "apps.secrets.deleteWhere", "secret_write", {"secret_write"}),
    ("node", "billing.meterEvents.create", "billing_meter_event_write", {"billing_meter_event_write"}),
    ("node", "balance.retrieve", "balance_read", {"balance_read"}),
    ("node", "paymentIntents.incrementAuthorization", "payment_intent_write", {"payment_intent_write"}),
    ("node", "customers.listPaymentMethods", "payment_method_read",
     {"payment_method_read", "payment_method_write", "customer_read", "customer_write"}),
    ("node", "reporting.reportRuns.create", "report_runs_and_report_types_read", {"report_runs_and_report_types_read"}),
    ("node", "invoices.createPreview", "invoice_read", {"invoice_read", "invoice_write"}),
    ("node", "events.list", "event_read", {"event_read"}),
    ("node", "subscriptionItems.createUsageRecord", "usage_record_write", {"usage_record_write"}),
    ("node", "invoices.retrieveUpcoming", "invoice_read", {"invoice_read", "invoice_write"}),
    ("node", "invoices.listUpcomingLineItems", "invoice_read", {"invoice_read", "invoice_write"}),
    ("node", "accounts.retrieve", "connected_account_read", {"connected_account_read"}),
    ("node", "v2.core.events.list", "event_read", {"event_read"}),
    ("python_client", "v1.customers.list", "customer_read", {"customer_read", "customer_write"}),
    ("python_client", "customers.list", "customer_read", {"customer_read", "customer_write"}),
    ("python_client", "v1.customers.retrieve_async", "customer_read", {"customer_read", "customer_write"}),
    ("python_client", "v1.apps.secrets.delete_where", "secret_write", {"secret_write"}),
    ("python_client", "v1.billing.meter_events.create", "billing_meter_event_write", {"billing_meter_event_write"}),
    ("python_legacy", "Customer.list", "customer_read", {"customer_read", "customer_write"}),
    ("python_legacy", "Customer.modify", "customer_write", {"customer_write"}),
    ("python_legacy", "Customer.create_async", "customer_write", {"customer_write"}),
    ("python_legacy", "checkout.Session.create", "checkout_session_write", {"checkout_session_write"}),
    ("python_legacy", "PaymentIntent.increment_authorization", "payment_intent_write", {"payment_intent_write"}),
    ("python_legacy", "Invoice.upcoming", "invoice_read", {"invoice_read", "invoice_write"}),
    ("python_legacy", "SubscriptionItem.create_usage_record", "usage_record_write", {"usage_record_write"}),
    ("python_legacy", "apps.Secret.find", "secret_read", {"secret_read", "secret_write"}),
    ("python_legacy", "Refund.create", "charge_write", {"charge_write"}),
    ("python_legacy", "Price.list", "plan_read", {"plan_read", "plan_write"}),
    ("python_instance", "Customer.save", "customer_write", {"customer_write"}),
    ("python_instance", "Customer.delete", "customer_write", {"customer_write"}),
    ("python_instance", "Customer.refresh", "customer_read", {"customer_read", "customer_write"}),
    ("python_instance", "PaymentIntent.capture", "payment_intent_write", {"payment_intent_write"}),
])
def test_well_known_calls(cat, style, accessor, canonical, any_of):
    op = cat.operation_for_call(style, accessor)
    assert isinstance(op, Operation), accessor
    assert op.requirement.canonical == canonical
    assert set(op.requirement.any_of) == any_of


def test_old_python_nested_method_resolves(cat):
    op = cat.operation_for_call("python_legacy", "Customer.list_sources")
    assert op.verb == "GET" and op.path == "/v1/customers/{customer}/sources"
    assert "customer_read" in op.requirement.any_of


def test_old_only_operations_are_tagged(cat):
    op = cat.operation_for_call("node", "subscriptionItems.createUsageRecord")
    assert op.id == "POST /v1/subscription_items/{subscription_item}/usage_records"
    assert not op.in_latest and "node 8.222.0" in op.sdk_versions
    upcoming = cat.operation_for_http("GET", "/v1/invoices/upcoming")
    assert upcoming.node == ("invoices.retrieveUpcoming",) and not upcoming.in_latest


@pytest.mark.parametrize("accessor,reason_part", [
    ("accounts.update", "connected_account_write"),
    ("identity.verificationSessions.create", "lists no permission"),
    ("v2.core.accounts.create", "v2 Accounts"),
    ("billing.creditGrants.list", "#1031"),
    ("climate.orders.list", "lists no permission"),
])
def test_no_permission_operations_carry_a_reason(cat, accessor, reason_part):
    req = cat.operation_for_call("node", accessor).requirement
    assert req.any_of == () and req.canonical is None and reason_part in req.no_permission_reason


def test_operation_ids_and_shape(cat):
    op = cat.operation_for_call("node", "paymentIntents.incrementAuthorization")
    assert op.id == "POST /v1/payment_intents/{intent}/increment_authorization"
    assert op.api == "v1" and op.object == "payment_intent" and op.return_kind == "object"
    assert "v1.payment_intents.increment_authorization" in op.python
    assert "PaymentIntent.increment_authorization" in op.legacy
    assert cat.operation_for_call("node", "customers.list").return_kind == "list"
    assert cat.operation_for_call("node", "customers.search").return_kind == "search"
    assert cat.operation_for_call("node", "oauth.token").api == "oauth"
    assert cat.operation_for_call("node", "no.such.method") is None
    assert cat.operation_for_call("bogus_style", "customers.list") is None


# ---------------------------------------------------------------- raw HTTP


@pytest.mark.parametrize("verb,path,op_id", [
    ("GET", "/v1/customers/cus_123", "GET /v1/customers/{customer}"),
    ("get", "v1/customers", "GET /v1/customers"),
    ("GET", "/v1/customers/{id}", "GET /v1/customers/{customer}"),
    ("GET", "/v1/customers/{}", "GET /v1/customers/{customer}"),
    ("GET", "/v1/customers/search?query=email:'x'", "GET /v1/customers/search"),
    ("POST", "customers", "POST /v1/customers"),
    ("POST", "apps/secrets", "POST /v1/apps/secrets"),
    ("GET", "apps/secrets/find", "GET /v1/apps/secrets/find"),
    ("POST", "/v1/apps/secrets/delete", "POST /v1/apps/secrets/delete"),
    ("DELETE", "/v1/customers/cus_1", "DELETE /v1/customers/{customer}"),
    ("GET", "https://api.stripe.com/v1/charges/ch_1", "GET /v1/charges/{charge}"),
    ("GET", "/v2/core/events/evt_1", "GET /v2/core/events/{id}"),
])
def test_operation_for_http(cat, verb, path, op_id):
    assert cat.operation_for_http(verb, path).id == op_id


def test_raw_request_aliases_resolve_through_path_rules(cat):
    cards = cat.operation_for_http("GET", "/v1/customers/cus_1/cards")
    assert cards.object is None and "customer_read" in cards.requirement.any_of
    dispute = cat.operation_for_http("POST", "/v1/charges/ch_1/dispute")
    assert dispute.requirement.any_of == ("dispute_write",)
    assert cat.operation_for_http("GET", "/v1/balance/history").requirement.canonical == "balance_read"
    assert cat.operation_for_http("GET", "/v1/nothing_like_this") is None


# ---------------------------------------------------------------- objects and expand


def test_object_types(cat):
    assert cat.object_type("customer").read.canonical == "customer_read"
    assert isinstance(cat.object_type("price"), ObjectType)
    assert cat.object_type("price").read.canonical == "plan_read"
    assert cat.object_type("refund").read.canonical == "charge_read"
    assert cat.object_type("discount").expand_needs_nothing
    assert cat.object_type("nope") is None


def _steps(res: ExpandResolution):
    assert res.error is None, res.error
    return [(t, r.canonical) for t, r in res.steps]


def test_expand_intermediate_objects_count(cat):
    res = cat.resolve_expand("payment_intent", "latest_charge.balance_transaction")
    assert _steps(res) == [("charge", "charge_read"), ("balance_transaction", "balance_read")]


def test_expand_through_lists_and_embedded_objects(cat):
    assert _steps(cat.resolve_expand("subscription", "items.data.price.product")) == [("product", "product_read")]


def test_expand_fields_of_older_api_versions(cat):
    assert _steps(cat.resolve_expand("invoice", "subscription")) == [("subscription", "subscription_read")]
    assert _steps(cat.resolve_expand("payment_intent", "invoice")) == [("invoice", "invoice_read")]
    assert _steps(cat.resolve_expand("charge", "invoice")) == [("invoice", "invoice_read")]


def test_expand_nested_classes(cat):
    res = cat.resolve_expand("invoice", "parent.subscription_details.subscription")
    assert _steps(res) == [("subscription", "subscription_read")]


def test_expand_balance_transaction_source_override(cat):
    res = cat.resolve_expand("balance_transaction", "source")
    assert res.steps[0][1].any_of == ("balance_transaction_source_read",)


def test_expand_non_permissioned_targets_need_nothing(cat):
    assert cat.resolve_expand("apps.secret", "payload") == ExpandResolution((), None)
    assert cat.resolve_expand("invoice", "discounts") == ExpandResolution((), None)
    assert cat.resolve_expand("charge", "application") == ExpandResolution((), None)


def test_expand_polymorphic_is_one_step_with_union(cat):
    res = cat.resolve_expand("customer", "default_source")
    assert len(res.steps) == 1
    assert {"customer_read", "source_read", "connected_account_read"} <= set(res.steps[0][1].any_of)


def test_expand_errors(cat):
    assert cat.resolve_expand("customer", "nope").error == "no field `nope` on `customer`"
    assert "unknown object type" in cat.resolve_expand("nothing", "x").error
    assert "is a list: write `items.data.price`" in cat.resolve_expand("subscription", "items.price").error


def test_lists_and_embedded_objects_may_be_expanded_last(cat):
    # Stripe leaves some lists and objects out unless expanded (customer.tax_ids, checkout line
    # items, customer.cash_balance); the SDK types do not say which, so none is an error.
    subs = cat.resolve_expand("customer", "subscriptions")
    assert subs.error is None and [s[1].canonical for s in subs.steps] == ["subscription_read"]
    assert cat.resolve_expand("customer", "tax_ids").error is None
    assert cat.resolve_expand("checkout.session", "line_items").error is None
    assert cat.resolve_expand("customer", "cash_balance").error is None


# ---------------------------------------------------------------- events, UI functions, helpers


@pytest.mark.parametrize("event,recommended", [
    ("customer.subscription.created", "subscription_read"),
    ("invoice.paid", "invoice_read"),
    ("charge.dispute.created", "dispute_read"),
    ("customer.created", "customer_read"),
    ("payment_intent.succeeded", "payment_intent_read"),
    ("price.updated", "plan_read"),
    ("topup.created", "top_up_read"),
    ("customer.discount.created", "customer_read"),
    ("account.external_account.created", "connected_account_read"),
    ("sigma.scheduled_query_run.created", None),
])
def test_event_recommendations(cat, event, recommended):
    info = cat.event(event)
    assert isinstance(info, EventInfo) and info.recommended == recommended


def test_event_table_and_event_read(cat):
    assert len(cat.events) == 162
    assert cat.event("mandate.updated").any_of == ("checkout_session_read", "mandate_read", "payment_links_read", "setup_intent_read")
    assert cat.event_permission == "event_read"
    assert cat.event("billing.meter.created") is None


def test_ui_functions_and_sdk_helpers(cat):
    assert cat.ui_function_permission("getDashboardUserEmail") == "user_email_read"
    assert cat.ui_function_permission("showToast") is None
    assert cat.is_sdk_helper("node", "webhooks.constructEvent")
    assert cat.is_sdk_helper("node", "webhooks.signature.verifyHeader")
    assert cat.is_sdk_helper("node", "rawRequest")
    assert cat.is_sdk_helper("python_client", "construct_event")
    assert cat.is_sdk_helper("python_legacy", "Webhook.construct_event")
    assert cat.is_sdk_helper("python_legacy", "WebhookSignature.verify_header")
    assert cat.is_sdk_helper("python_instance", "Customer.to_dict")
    assert not cat.is_sdk_helper("node", "customers.list")
    assert not cat.is_sdk_helper("python_instance", "Customer.refresh")


def test_requirement_type_and_coverage_report(cat):
    assert isinstance(cat.operations[0].requirement, Requirement)
    text = coverage_report(cat)
    assert "no Stripe Apps permission" in text and "operations:" in text


def test_path_rules_longest_prefix():
    assert path_rules.match("/v1/customers/{}/payment_methods/{}").prefix == "/v1/customers/{}/payment_methods"
    assert path_rules.match("/v1/customers/{}").prefix == "/v1/customers"
    assert path_rules.match("/v1/account_links").prefix == "/v1/account_links"
    assert path_rules.match("/v1/unknown") is None


def test_oauth_token_exchange_resolves_in_every_shape(cat):
    # Legacy python `stripe.OAuth.token()`, and raw posts to api.stripe.com/v1/oauth/token
    # (which apps use as well as connect.stripe.com/oauth/token).
    assert cat.operation_for_call("python_legacy", "OAuth.token").id == "POST /oauth/token"
    assert cat.operation_for_http("POST", "/v1/oauth/token").id == "POST /oauth/token"
    assert cat.operation_for_http("POST", "/v1/oauth/token").requirement.no_permission_reason


def test_refused_permissions_say_why(cat):
    assert "disallowed" in cat.permission("webhook_write").upload_refused
    assert cat.permission("webhook_read").upload_refused is None


@pytest.mark.parametrize("accessor,op_id", [
    # Account builds its own instance URL (`/v1/account` without an id), EphemeralKey has a custom
    # create on its class URL: both were missed by mixin-based extraction once.
    ("Account.retrieve", "GET /v1/accounts/{account}"),
    ("Account.modify", "POST /v1/accounts/{account}"),
    ("EphemeralKey.create", "POST /v1/ephemeral_keys"),
])
def test_legacy_methods_with_custom_urls(cat, accessor, op_id):
    assert cat.operation_for_call("python_legacy", accessor).id == op_id


def test_class_plumbing_is_not_an_api_call(cat):
    assert cat.is_sdk_helper("python_legacy", "Customer.class_url")
    assert cat.is_sdk_helper("python_legacy", "checkout.Session.construct_from")
    assert not cat.is_sdk_helper("python_legacy", "Customer.retrieve")


@pytest.mark.parametrize("obj,path", [
    ("price", "tiers"), ("price", "currency_options"), ("customer", "invoice_credit_balance"),
    ("issuing.card", "number"), ("issuing.card", "cvc"),  # includable values: documented as expandable
])
def test_includable_values_may_end_an_expand_path(cat, obj, path):
    resolution = cat.resolve_expand(obj, path)
    assert resolution.error is None and resolution.steps == ()


def test_a_value_cannot_be_expanded_through(cat):
    assert "plain value" in cat.resolve_expand("customer", "email.x").error


def test_line_items_need_only_their_parents_permission(cat):
    assert cat.resolve_expand("checkout.session", "line_items").steps == ()
    assert cat.resolve_expand("quote", "line_items").steps == ()


@pytest.mark.parametrize("obj,path,needs", [
    # removed before stripe-python had types (API 2022-11-15); apps pinning stripe-node 8-12 expand them
    ("charge", "dispute", "dispute_read"),
    ("charge", "invoice", "invoice_read"),
    ("payment_intent", "invoice", "invoice_read"),
])
def test_fields_from_older_node_typings(cat, obj, path, needs):
    [(_, req)] = cat.resolve_expand(obj, path).steps
    assert req.canonical == needs


# ---------------------------------------------------------------- runtime vs generator

_RUNTIME_ONLY = """
import sys
from stripe_perm_lint.catalog import api, coverage, load_catalog, lookup, model, path_rules
cat = load_catalog()
assert cat.operation_for_call("node", "customers.list").requirement.canonical == "customer_read"
assert cat.operation_for_http("GET", "/v1/customers/cus_1/cards").object is None  # synthesized from path rules
coverage.coverage_report(cat)
print(sorted(m for m in sys.modules if m.startswith("stripe_perm_lint.catalog.build")))
"""


def test_runtime_never_imports_the_generator(tmp_path):
    out = subprocess.run([sys.executable, "-c", _RUNTIME_ONLY], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_no_runtime_module_imports_the_generator():
    # Also covers imports inside functions the test above does not reach.
    catalog = Path(__file__).resolve().parent.parent / "catalog"
    pattern = re.compile(r"^\s*(from|import)\s+stripe_perm_lint\.catalog\.build\b|^\s*from\s+stripe_perm_lint\.catalog\s+import\s+.*\bbuild\b", re.M)
    offenders = [p.name for p in catalog.glob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert not offenders
