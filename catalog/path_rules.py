"""Path prefix -> Stripe Apps permission: the hand-kept judgement layer of the catalog.

How a rule applies (`requirement()` at the end; see README "Path rules"):

* paths are normalised (`{param}` -> `{}`), and the rule with the **longest segment-wise prefix**
  wins; `{}` in a rule matches any id segment;
* GET uses `read`, POST/DELETE use `write`; `OP_OVERRIDES` changes the access of single operations
  (documented or decided read-like POSTs);
* a read's any-of set is completed with the `_write` counterpart of each `_read` name (docs/semantics.md §1:
  write covers read); the first name of the tuple is the canonical one;
* `None` for the needed access means "no Stripe Apps permission exists" and `reason` says why;
* every operation must match a rule: the build fails on an unmatched one, so a new Stripe
  endpoint shows up in review instead of passing silently.

Names must be valid (`permissions.json`); the build and the tests enforce that.
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    prefix: str
    read: tuple[str, ...] | None
    write: tuple[str, ...] | None
    reason: str | None = None  # why the missing side (or both) has no app permission
    note: str | None = None  # judgement calls: why this reading


def pair(prefix: str, base: str, note: str | None = None) -> Rule:
    return Rule(prefix, (f"{base}_read",), (f"{base}_write",), None, note)


def read_only(prefix: str, names: tuple[str, ...], reason: str, note: str | None = None) -> Rule:
    return Rule(prefix, names, None, reason, note)


def none(prefix: str, reason: str) -> Rule:
    return Rule(prefix, None, None, reason)


# Reasons, reused so the coverage report can group by them.
NO_APP_PERMISSION = "the Stripe Apps permissions reference lists no permission for this API"
PUBLIC_DATA = "public reference data; the permissions reference lists no permission for it"
PLATFORM_ONLY = "platform-level endpoint (Connect OAuth, account sessions, ephemeral keys): called with the platform's own key, no app permission exists"
NO_ACCOUNT_WRITE = "no connected_account_write exists; only connected_account_read (stripe/stripe-apps#1027)"
BILLING_CREDITS = "no permission for billing credits, alerts or feedback (users report the gap, stripe/stripe-apps#1031)"
TREASURY = "only treasury_transaction_read / recipient_verification_read are listed for Treasury and Money Management; restricted-key names such as financial_account_read are not app permissions"
V2_ACCOUNTS = "v2 Accounts, account links/tokens and vault are undocumented for apps (v2_account_card_creator_* depends on the account configuration, not on the endpoint)"
WRITE_NONE = "only a read permission exists for this resource"
RETIRED = "retired API with no app permission"

_ISSUING = ("authorization", "card", "cardholder", "dispute", "token", "transaction")

RULES: tuple[Rule, ...] = (
    # ---- payments core
    pair("/v1/charges", "charge", "Charges and Refunds share one pair"),
    pair("/v1/charges/{}/dispute", "dispute", "raw-request alias of /v1/disputes"),
    pair("/v1/refunds", "charge", "Refunds are covered by the charge pair (current page: Charges and Refunds)"),
    pair("/v1/test_helpers/refunds", "charge"),
    pair("/v1/payment_intents", "payment_intent"),
    pair("/v1/setup_intents", "setup_intent"),
    pair("/v1/setup_attempts", "setup_intent", "attempts of a SetupIntent"),
    pair("/v1/payment_methods", "payment_method"),
    pair("/v1/payment_method_configurations", "payment_method_configurations"),
    pair("/v1/payment_method_domains", "payment_method_domain"),
    pair("/v1/apple_pay/domains", "apple_pay_domain"),
    Rule("/v1/confirmation_tokens", ("confirmation_token_read", "confirmation_token_client_read"), None, WRITE_NONE,
         "client confirmation tokens are the same objects read from the client side"),
    Rule("/v1/test_helpers/confirmation_tokens", None, ("confirmation_token_client_write",), None,
         "test-mode endpoint creating a token as the client would"),
    pair("/v1/disputes", "dispute"),
    Rule("/v1/mandates", ("mandate_read", "setup_intent_read", "checkout_session_read", "payment_links_read"), None, WRITE_NONE,
         "mandate_read is not on the current page; the event table's mandate.updated row accepts these too"),
    pair("/v1/tokens", "token"),
    pair("/v1/sources", "source"),
    pair("/v1/reviews", "review"),
    pair("/v1/payment_records", "payment_records"),
    pair("/v1/payment_attempt_records", "payment_records", "assumed to share payment_records_*"),
    read_only("/v1/radar/early_fraud_warnings", ("charge_read",), WRITE_NONE, "event table maps radar.early_fraud_warning.* to charge_read"),
    read_only("/v1/issuer_fraud_records", ("charge_read",), WRITE_NONE, "predecessor of early fraud warnings"),
    none("/v1/radar/value_lists", NO_APP_PERMISSION),
    none("/v1/radar/value_list_items", NO_APP_PERMISSION),
    none("/v1/radar/payment_evaluations", NO_APP_PERMISSION),
    # ---- customers
    pair("/v1/customers", "customer"),
    pair("/v1/test_helpers/customers", "customer"),
    pair("/v1/customer_cash_balance_transactions", "customer"),
    Rule("/v1/customers/{}/sources", ("customer_read", "source_read"), ("customer_write", "source_write"), None,
         "cards/bank accounts on a customer: customer_* or source_*; either is accepted"),
    Rule("/v1/customers/{}/cards", ("customer_read", "source_read"), ("customer_write", "source_write"), None, "raw-request alias of sources"),
    Rule("/v1/customers/{}/bank_accounts", ("customer_read", "source_read"), ("customer_write", "source_write"), None, "raw-request alias of sources"),
    pair("/v1/customers/{}/subscriptions", "subscription", "raw-request alias of /v1/subscriptions"),
    Rule("/v1/customers/{}/payment_methods", ("payment_method_read", "customer_read"), None, WRITE_NONE,
         "contested: payment_method_read or customer_read; both accepted (fewest false alarms)"),
    Rule("/v1/customers/{}/tax_ids", ("customer_read",), ("customer_write",), None, "no tax-id permission exists; tax IDs live on the customer"),
    Rule("/v1/tax_ids", ("customer_read", "tax_settings_read"), ("customer_write", "tax_settings_write"), None,
         "top-level tax IDs belong to a customer or to the account: customer_* or tax_settings_*"),
    Rule("/v1/customers/{}/funding_instructions", None, ("customer_write",), None,
         "POST retrieves or creates bank-transfer instructions; the event table also names funding_instruction_read"),
    pair("/v1/customer_sessions", "customer_session"),
    pair("/v1/billing_portal", "customer_portal"),
    # ---- billing
    pair("/v1/invoices", "invoice"),
    pair("/v1/invoiceitems", "invoice", "invoice items follow invoice_*"),
    pair("/v1/invoice_payments", "invoice"),
    pair("/v1/invoice_rendering_templates", "invoice"),
    pair("/v1/credit_notes", "credit_note"),
    pair("/v1/credit_note_line_items", "credit_note"),
    pair("/v1/subscriptions", "subscription"),
    pair("/v1/subscription_items", "subscription"),
    pair("/v1/subscription_schedules", "subscription"),
    pair("/v1/subscription_items/{}/usage_records", "usage_record", "legacy metered billing; current page row Usage Records"),
    pair("/v1/subscription_items/{}/usage_record_summaries", "usage_record"),
    pair("/v1/usage_records", "usage_record"),
    pair("/v1/prices", "plan", "Prices use the plan pair (current page: Billing | Prices)"),
    pair("/v1/plans", "plan"),
    pair("/v1/products", "product"),
    Rule("/v1/products/{}/features", ("product_read", "entitlement_read"), ("product_write",), None,
         "product features belong to the product; entitlement_read also accepted for reads"),
    pair("/v1/product_catalog/trial_offers", "product", "assumed to follow the product pair"),
    pair("/v2/commerce/product_catalog/imports", "product_catalog_import"),
    read_only("/v1/entitlements", ("entitlement_read",), WRITE_NONE),
    pair("/v1/coupons", "coupon"),
    pair("/v1/promotion_codes", "promotion_code"),
    pair("/v1/quotes", "quote"),
    pair("/v1/test_helpers/test_clocks", "billing_clock"),
    pair("/v1/billing/meters", "billing_meter"),
    Rule("/v1/billing/meters/{}/event_summaries", ("billing_meter_event_read", "billing_meter_read"), None, WRITE_NONE,
         "summaries aggregate meter events: billing_meter_event_read or billing_meter_read"),
    Rule("/v1/billing/meter_events", None, ("billing_meter_event_write",), WRITE_NONE),
    Rule("/v1/billing/meter_event_adjustments", None, ("billing_meter_event_write",), WRITE_NONE),
    pair("/v2/billing/meter_events", "billing_meter_event"),
    pair("/v2/billing/meter_event_adjustments", "billing_meter_event"),
    pair("/v2/billing/meter_event_session", "billing_meter_event", "session token for the high-throughput stream"),
    pair("/v2/billing/meter_event_stream", "billing_meter_event", "host meter-events.stripe.com"),
    none("/v1/billing/alerts", BILLING_CREDITS),
    none("/v1/billing/credit_grants", BILLING_CREDITS),
    none("/v1/billing/credit_balance_summary", BILLING_CREDITS),
    none("/v1/billing/credit_balance_transactions", BILLING_CREDITS),
    none("/v1/billing/feedback_options", BILLING_CREDITS),
    # ---- checkout and links
    pair("/v1/checkout/sessions", "checkout_session"),
    pair("/v1/payment_links", "payment_links"),
    pair("/v1/shipping_rates", "shipping_rate"),
    # ---- orders (legacy API, older SDKs only)
    pair("/v1/orders", "order"),
    pair("/v1/order_returns", "order"),
    pair("/v1/skus", "sku"),
    # ---- tax
    pair("/v1/tax_rates", "tax_rate"),
    none("/v1/tax_codes", PUBLIC_DATA),
    pair("/v1/tax/settings", "tax_settings"),
    pair("/v1/tax/registrations", "tax_settings", "registrations share the Tax Settings, Registrations row"),
    pair("/v1/tax/calculations", "tax_calculations_and_transactions"),
    pair("/v1/tax/transactions", "tax_calculations_and_transactions"),
    read_only("/v1/tax/associations", ("tax_calculations_and_transactions_read",), WRITE_NONE, "associations link calculations to transactions"),
    none("/v1/tax/locations", NO_APP_PERMISSION + " (tax_locations_* is a restricted-key name, not on the page)"),
    # ---- balance and money movement
    read_only("/v1/balance", ("balance_read",), WRITE_NONE),
    read_only("/v1/balance_transactions", ("balance_read",), WRITE_NONE, "expanding `source` needs balance_transaction_source_read"),
    read_only("/v1/balance_settings", ("balance_read",), WRITE_NONE, "settings of the balance; no balance write permission exists"),
    pair("/v1/payouts", "payout"),
    pair("/v1/transfers", "transfer", "includes reversals"),
    pair("/v1/topups", "top_up"),
    pair("/v1/application_fees", "application_fee", "includes fee refunds"),
    # ---- Connect
    read_only("/v1/accounts", ("connected_account_read",), NO_ACCOUNT_WRITE),
    read_only("/v1/account", ("connected_account_read",), NO_ACCOUNT_WRITE, "the calling account itself"),
    Rule("/v1/accounts/{}/login_links", None, ("edit_link_write",), WRITE_NONE),
    Rule("/v1/account_links", None, ("account_link_write",), WRITE_NONE),
    none("/v1/account_sessions", PLATFORM_ONLY),
    none("/v1/ephemeral_keys", PLATFORM_ONLY),
    none("/oauth", PLATFORM_ONLY),
    none("/v1/country_specs", PUBLIC_DATA),
    none("/v1/exchange_rates", PUBLIC_DATA),
    # ---- platform
    read_only("/v1/events", ("event_read",), WRITE_NONE),
    pair("/v1/webhook_endpoints", "webhook", "upload refuses webhook_write for most apps"),
    pair("/v1/files", "file", "uploads go to files.stripe.com"),
    pair("/v1/file_links", "file"),
    pair("/v1/apps/secrets", "secret", "Secret Store: reads accept secret_read or secret_write; writes need secret_write"),
    none("/v1/apps/installs", NO_APP_PERMISSION),
    Rule("/v1/reporting", ("report_runs_and_report_types_read",), ("report_runs_and_report_types_read",), None,
         "documented: creating a report run needs only the read permission"),
    none("/v1/sigma", NO_APP_PERMISSION),
    # ---- issuing
    *[pair(f"/v1/issuing/{x}s", f"issuing_{x}") for x in _ISSUING],
    Rule("/v1/issuing/cards/{}/details", ("issuing_card_read", "issuing_card_sensitive_read"), None, WRITE_NONE,
         "card number and CVC; issuing_card_sensitive_read (event table) accepted too"),
    pair("/v1/issuing/personalization_designs", "issuing_card", "event table maps issuing_personalization_design.* to issuing_card_read"),
    read_only("/v1/issuing/physical_bundles", ("issuing_card_read",), WRITE_NONE),
    none("/v1/issuing/settlements", NO_APP_PERMISSION),
    *[Rule(f"/v1/test_helpers/issuing/{x}", None, (f"issuing_{y}_write",), None, "test-mode endpoint: write permission of the resource")
      for x, y in (("authorizations", "authorization"), ("cards", "card"), ("transactions", "transaction"),
                   ("personalization_designs", "card"))],
    # ---- terminal
    pair("/v1/terminal/readers", "terminal_reader"),
    pair("/v1/terminal/locations", "terminal_location"),
    pair("/v1/terminal/configurations", "terminal_configuration"),
    Rule("/v1/terminal/connection_tokens", None, ("terminal_connection_token_write",), WRITE_NONE),
    none("/v1/terminal/onboarding_links", NO_APP_PERMISSION),
    Rule("/v1/test_helpers/terminal/readers", None, ("terminal_reader_write",), None, "test-mode endpoint on a reader"),
    # ---- products without an app permission
    none("/v1/identity", NO_APP_PERMISSION),
    none("/v1/financial_connections", NO_APP_PERMISSION),
    none("/v1/linked_accounts", NO_APP_PERMISSION),
    none("/v1/link_account_sessions", NO_APP_PERMISSION),
    none("/v1/climate", NO_APP_PERMISSION),
    none("/v1/forwarding", NO_APP_PERMISSION),
    none("/v1/three_d_secure", NO_APP_PERMISSION),
    none("/v1/3d_secure", RETIRED),
    none("/v1/recipients", RETIRED),
    none("/v1/bitcoin", RETIRED),
    none("/v1/reserve", NO_APP_PERMISSION),
    # ---- treasury / money management
    none("/v1/treasury", TREASURY),
    read_only("/v1/treasury/transactions", ("treasury_transaction_read",), WRITE_NONE),
    read_only("/v1/treasury/transaction_entries", ("treasury_transaction_read",), WRITE_NONE),
    none("/v1/test_helpers/treasury", TREASURY),
    none("/v2/money_management", TREASURY),
    read_only("/v2/money_management/recipient_verifications", ("recipient_verification_read",), WRITE_NONE),
    none("/v2/test_helpers", TREASURY),
    # ---- v2 core
    read_only("/v2/core/events", ("event_read",), WRITE_NONE, "v2 thin events; assumed to follow event_read"),
    pair("/v2/core/event_destinations", "webhook", "the current page names Event Destinations under webhook_*"),
    none("/v2/core/accounts", V2_ACCOUNTS),
    none("/v2/core/account_links", V2_ACCOUNTS),
    none("/v2/core/account_tokens", V2_ACCOUNTS),
    none("/v2/core/vault", V2_ACCOUNTS),
)

# Single operations whose access differs from the verb. Keys use normalised paths.
OP_OVERRIDES: dict[tuple[str, str], tuple[str, str]] = {
    ("POST", "/v1/reporting/report_runs"): ("read", "documented: creating a report run needs only report_runs_and_report_types_read"),
    ("POST", "/v1/invoices/create_preview"): ("read", "read-like POST: previews an invoice without creating one (successor of GET /v1/invoices/upcoming)"),
    ("POST", "/v1/tax/calculations"): ("read", "read-like POST: computes tax and stores nothing on the account; the read permission is accepted (fewest false alarms)"),
    ("POST", "/v1/apps/secrets/delete"): ("write", "deleteWhere / delete_where removes a secret"),
    ("POST", "/v1/customers/{}/funding_instructions"): ("write", "returns existing instructions or creates them"),
    # Decided as writes although they look like reads: they change server-side state.
    ("POST", "/v1/payment_method_domains/{}/validate"): ("write", "re-runs domain validation and updates its status: a write"),
}


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def match(path: str) -> Rule | None:
    """Longest segment-wise prefix rule for a normalised path (`{}` placeholders)."""
    segs = _segments(path)
    best, best_len = None, -1
    for rule in RULES:
        rsegs = _segments(rule.prefix)
        if len(rsegs) > len(segs) or len(rsegs) <= best_len:
            continue
        if all(r == s or r == "{}" for r, s in zip(rsegs, segs)):
            best, best_len = rule, len(rsegs)
    return best


def requirement(verb: str, norm: str, valid: frozenset[str]) -> dict:
    """Requirement dict (the JSON shape of `model.Requirement`) for one operation, by the rules above.

    `valid` is the set of permission names; the build calls this for every SDK operation, the
    runtime for raw requests to paths no SDK method uses (`lookup.HttpIndex`)."""
    rule = match(norm)
    if rule is None:
        raise ValueError(f"no path rule matches {verb} {norm}: add one to path_rules.RULES")
    access = "read" if verb == "GET" else "write"
    notes = [rule.note] if rule.note else []
    override = OP_OVERRIDES.get((verb, norm))
    if override:
        access = override[0]
        notes.append(override[1])
    names = rule.read if access == "read" else rule.write
    req = {"access": access, "any_of": [], "canonical": None, "no_permission_reason": None,
           "note": "; ".join(notes) or None}
    if not names:
        req["no_permission_reason"] = rule.reason or NO_APP_PERMISSION
        return req
    any_of = set(names)
    if access == "read":  # docs/semantics.md §1: the write counterpart of a read name covers the read
        any_of |= {n[: -len("_read")] + "_write" for n in names if n.endswith("_read")} & valid
    unknown = any_of - valid
    if unknown:
        raise ValueError(f"{verb} {norm}: rule uses names not in the catalog: {sorted(unknown)}")
    req["any_of"], req["canonical"] = sorted(any_of), names[0]
    return req
