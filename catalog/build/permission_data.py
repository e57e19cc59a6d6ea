"""Hand-kept permission facts that no machine-readable Stripe source carries.

Sources: `shared/reference/stripe-apps-domain.md` §2.3 (implied permissions), §2.4 (names),
§5.2 (UI-extension functions) and docs/semantics.md §4 (valid names).
"""

from __future__ import annotations

CURRENT, EVENT_TABLE, OLDER = "current-page", "event-table", "older-edition"

# Valid names that are not in the current object table (docs/semantics.md §4). Each with its source and
# the facts we know about it; `event_read` is on the current page (Core | Events row) already.
EXTRA_NAMES = {
    "mandate_read": (EVENT_TABLE, "Mandates", "Payments", "Named by the event table (mandate.updated) and the older edition; not on the current page."),
    "mandate_write": (OLDER, "Mandates", "Payments", "Older edition only; not on the current page."),
    "funding_instruction_read": (EVENT_TABLE, "Funding Instructions", "Payments", "Named by the event table (topup.*); not on the current page."),
    "issuing_card_sensitive_read": (EVENT_TABLE, "Issuing Card Sensitive Data", "Issuing", "Named by the event table (issuing_personalization_design.*); not on the current page."),
    "elements_write": (OLDER, "Elements", "Payments", "Older edition: needed with Stripe.js Elements, the customer portal and the hosted invoice page; not on the current page."),
    "sku_read": (OLDER, "SKUs", "Orders", "Older edition name (legacy Orders API)."),
    "sku_write": (OLDER, "SKUs", "Orders", "Older edition name (legacy Orders API)."),
}

# Names that exist but that `stripe apps upload` refuses for apps, with what it answers.
# Source: stripe-apps-domain.md §2.4 and §3 (PostHog/posthog PR #89693, 2026; OBSERVED).
UPLOAD_REFUSED = {
    "webhook_write": "`stripe apps upload` answers \"requesting webhook_write permission is disallowed\"",
}

_BTS_CURRENT = ("application_fee_read", "balance_read", "capital_for_platforms_financing_transaction_read",
                "payout_read", "transfer_read")


def _both(resource: str) -> tuple[str, str]:
    return (f"{resource}_read", f"{resource}_write")


# (permission, granted, source). A grant listed by both editions keeps "current-page".
IMPLIED_EDGES: list[tuple[str, str, str]] = [
    *[("balance_transaction_source_read", g, CURRENT) for g in _BTS_CURRENT],
    *[(p, g, OLDER) for p in _both("checkout_session")
      for g in ("mandate_read", "payment_intent_read", "payment_links_read", "product_read", "setup_intent_read", "sku_read")],
    *[(p, "invoice_read", OLDER) for p in _both("credit_note")],
    *[(p, "billing_clock_read", OLDER) for p in _both("customer")],
    *[(p, "credit_note_read", OLDER) for p in _both("invoice")],
    *[(p, g, OLDER) for p in _both("payment_intent") for g in ("product_read", "sku_read")],
    *[(p, g, OLDER) for p in _both("payment_links") for g in ("mandate_read", "product_read", "sku_read")],
    *[(p, "source_read", OLDER) for p in _both("payment_method")],
    *[(p, g, OLDER) for p in _both("quote") for g in ("product_read", "sku_read")],
    *[(p, "mandate_read", OLDER) for p in _both("setup_intent")],
    # The two older copies disagree on payout_write; the guiding rule (docs/semantics.md) asks for
    # the reading with the fewest false alarms, so both are kept (switch older edges off to drop them).
    *[(p, g, OLDER) for p in _both("transfer") for g in ("payout_read", "payout_write")],
    # "Plans, Prices and, implicitly, Products": plan_* is the Prices permission; Products read.
    *[(p, "product_read", OLDER) for p in _both("plan")],
]

# UI-extension SDK functions (`@stripe/ui-extension-sdk/utils`) that need a permission (§5.2).
UI_FUNCTIONS = {"getDashboardUserEmail": "user_email_read"}

# SDK members that are not API operations and need no permission, per call style. A trailing
# ".*" matches any member below that prefix; a leading "*." matches that last member on any class.
SDK_HELPERS = {
    "node": [
        "webhooks.*", "rawRequest", "parseThinEvent", "parseEventNotification", "parseEventNotificationAsync",
        "setApiKey", "setAppInfo", "setTimeout", "setMaxNetworkRetries", "setHttpAgent", "setHost", "setPort",
        "setProtocol", "setApiVersion", "setTelemetryEnabled", "setClientId", "getClientId", "getTelemetryEnabled",
        "getMaxNetworkRetries", "getApiField", "getConstant", "getClientUserAgent", "getClientUserAgentSeeded",
        "getUname", "getInitialNetworkRetryDelay", "getMaxNetworkRetryDelay", "on", "off", "once",
        "createFetchHttpClient", "createNodeHttpClient", "createSubtleCryptoProvider", "createNodeCryptoProvider",
        "createEmptyPaymentMethodRequest", "errors.*", "StripeResource.*", "HttpClient.*", "HttpClientResponse.*",
        "CryptoProvider.*", "Decimal.*", "_requestSender.*", "_emitter.*", "oauth.authorizeUrl",
        "testHelpers.*.autoPagingEach", "VERSION", "PACKAGE_VERSION", "API_VERSION", "StripeContext.*",
        "_api.*", "_platformFunctions.*",
    ],
    "python_client": [
        "construct_event", "parse_thin_event", "parse_event_notification", "raw_request", "raw_request_async",
        "deserialize", "oauth.authorize_url", "v1", "v2", "oauth",
    ],
    "python_legacy": [
        "Webhook.*", "WebhookSignature.*", "Event.construct_from", "StripeObject.*", "StripeClient",
        "StripeClient.*", "set_app_info", "util.*", "error.*", "http_client.*", "OAuth.authorize_url",
        "ListObject.*", "SearchResultObject.*", "RequestOptions", "api_key", "api_version", "api_base",
        "default_http_client", "enable_telemetry", "log", "max_network_retries", "proxy", "verify_ssl_certs",
        "app_info", "client_id", "connect_api_base", "upload_api_base", "ca_bundle_path", "StripeError",
        "CardError", "InvalidRequestError", "AuthenticationError", "APIConnectionError", "RateLimitError",
        "SignatureVerificationError", "PermissionError", "IdempotencyError", "APIError", "new_default_http_client",
        "HTTPClient", "RequestsClient", "UrlFetchClient", "HTTPXClient", "AIOHTTPClient", "PycurlClient",
        "Urllib2Client", "convert_to_stripe_object", "stripe_object.*", "ThinEvent.*", "EventNotification.*",
        # Class-level plumbing every resource class has ("*." matches the last segment of any class).
        "*.class_url", "*.construct_from", "*._construct_from", "*.refresh_from", "*.OBJECT_NAME",
    ],
    "python_instance": [
        "to_dict", "to_dict_recursive", "get", "keys", "items", "values", "serialize", "auto_paging_iter",
        "auto_paging_iter_async", "next_page", "previous_page", "next_page_async", "previous_page_async",
        "is_empty", "construct_from", "refresh_from", "request", "instance_url", "class_url", "pop", "update",
        "setdefault", "copy", "last_response", "stripe_id", "api_key", "stripe_account", "stripe_version",
        "to_json", "data", "has_more", "url", "get_value", "fetch_related_object", "fetch_event",
    ],
}
