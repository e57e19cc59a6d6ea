"""Java parser: snippet -> simplified facts (the tuples of ``parse_helpers``).

Each case is a whole Java file (dedented); line numbers count from its first line. A case that
expects ``[]`` is a near miss that must produce nothing.
"""

from __future__ import annotations

import textwrap

import pytest
from parse_helpers import simplify

from stripe_perm_lint.facts import EVIDENCE_READS_ACCOUNT, EVIDENCE_RECEIVES
from stripe_perm_lint.parse import parse_file
from stripe_perm_lint.parse.java import parse

DEFAULT = frozenset({"call", "expand", "expand_dynamic", "raw", "event", "unresolved", "problem"})
IMPORTS = """\
import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Subscription;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
"""  # 7 lines: the snippets that use them start at line 8


def case(id: str, code: str, expected: list[tuple], kinds=DEFAULT, imports: bool = True):
    source = (IMPORTS if imports else "") + textwrap.dedent(code).lstrip("\n")
    return pytest.param(source, expected, kinds, id=id)


def run(source: str, kinds=DEFAULT) -> list[tuple]:
    return simplify(parse("backend/App.java", source), kinds)


CLIENTS = [
    case("client-from-environment-is-the-platform", """
        class A {
          void f() throws Exception {
            StripeClient client = new StripeClient(System.getenv("STRIPE_SECRET_KEY"));
            client.customers().list();
            client.v1().customers().retrieve("cus_1");
          }
        }
        """, [("call", "java_client", "customers().list", 11, "platform"),
              ("call", "java_client", "v1().customers().retrieve", 12, "platform")]),
    case("client-built-with-a-parameter-key-is-the-installing-account", """
        class A {
          void f(String accountKey) throws Exception {
            StripeClient client = StripeClient.builder().setApiKey(accountKey).build();
            client.v1().checkout().sessions().create(null);
          }
        }
        """, [("call", "java_client", "v1().checkout().sessions().create", 11, "installing")]),
    case("client-built-with-an-oauth-token-lookup", """
        class A {
          void f(Store store, String id) throws Exception {
            StripeClient client = new StripeClient(store.accessTokenFor(id));
            client.invoices().list();
          }
        }
        """, [("call", "java_client", "invoices().list", 11, "installing")]),
    case("request-options-with-an-account-win-over-the-platform-client", """
        class A {
          private final StripeClient stripe = new StripeClient(System.getenv("STRIPE_SECRET_KEY"));
          void f(String acct) throws Exception {
            RequestOptions options = RequestOptions.builder().setStripeAccount(acct).build();
            stripe.payouts().list(null, options);
            stripe.refunds().create(null, RequestOptions.builder().setIdempotencyKey("k").build());
          }
        }
        """, [("call", "java_client", "payouts().list", 12, "installing"),
              ("call", "java_client", "refunds().create", 13, "platform")]),
    case("options-with-an-oauth-api-key", """
        class A {
          void f(StripeClient client, Tokens tokens) throws Exception {
            client.disputes().list(null, RequestOptions.builder().setApiKey(tokens.oauthToken()).build());
          }
        }
        """, [("call", "java_client", "disputes().list", 10, "installing")]),
    case("constructor-injected-client-is-unknown", """
        class A {
          private final StripeClient stripe;
          A(StripeClient stripe) { this.stripe = stripe; }
          void f() throws Exception { this.stripe.products().list(); stripe.prices().list(); }
        }
        """, [("call", "java_client", "products().list", 11, "unknown"),
              ("call", "java_client", "prices().list", 11, "unknown")]),
    case("client-built-in-the-constructor-from-configuration", """
        class A {
          private final StripeClient stripe;
          A(@Value("${stripe.key}") String key) { this.stripe = new StripeClient(key); }
          void f() throws Exception { stripe.products().list(); }
        }
        """, [("call", "java_client", "products().list", 11, "platform")]),
    case("client-built-in-the-constructor-from-its-key-parameter-is-unknown", """
        class A {
          private final StripeClient stripe;
          A(String apiKey) { this.stripe = new StripeClient(apiKey); }
          void f() throws Exception { stripe.products().list(); }
        }
        """, [("call", "java_client", "products().list", 11, "unknown")]),
    case("service-held-in-a-variable", """
        class A {
          void f(String token) throws Exception {
            var customers = new StripeClient(token).v1().customers();
            customers.search(null);
          }
        }
        """, [("call", "java_client", "v1().customers().search", 11, "installing")]),
    case("near-miss-not-a-stripe-client", """
        class A {
          void f(OtherClient client) throws Exception { client.customers().list(); }
        }
        """, []),
]

LEGACY = [
    case("legacy-with-the-key-from-the-environment", """
        class A {
          static { Stripe.apiKey = System.getenv("STRIPE_SECRET_KEY"); }
          void f() throws Exception {
            Customer.list(null);
            com.stripe.model.checkout.Session.create(null);
          }
        }
        """, [("call", "java_legacy", "Customer.list", 11, "platform"),
              ("call", "java_legacy", "checkout.Session.create", 12, "platform")]),
    case("legacy-with-no-key-in-the-file-is-unknown", """
        class A {
          void f() throws Exception { Customer.retrieve("cus_1"); }
        }
        """, [("call", "java_legacy", "Customer.retrieve", 9, "unknown")]),
    case("legacy-per-request-key-in-a-function-decision-12", """
        class A {
          void f(String accessToken) throws Exception {
            Customer.list(null);
            Stripe.apiKey = accessToken;
            Customer.list(null);
          }
        }
        """, [("call", "java_legacy", "Customer.list", 10, "unknown"),
              ("call", "java_legacy", "Customer.list", 12, "installing")]),
    case("legacy-with-options-and-instance-methods", """
        class A {
          void f(String acct) throws Exception {
            RequestOptions o = RequestOptions.builder().setStripeAccount(acct).build();
            Customer c = Customer.retrieve("cus_1", o);
            c.update(null, o);
            Subscription.retrieve("sub_1", o).cancel();
          }
        }
        """, [("call", "java_legacy", "Customer.retrieve", 11, "installing"),
              ("call", "java_instance", "Customer.update", 12, "installing"),
              ("call", "java_instance", "Subscription.cancel", 13, "installing"),
              ("call", "java_legacy", "Subscription.retrieve", 13, "installing")]),
    case("instance-method-on-an-object-fetched-through-a-client", """
        class A {
          void f(StripeClient client, String acct) throws Exception {
            Customer c = client.customers().retrieve("cus_1", RequestOptions.builder().setStripeAccount(acct).build());
            c.delete();
          }
          void g(Customer given) throws Exception { given.update(null); }
        }
        """, [("call", "java_client", "customers().retrieve", 10, "installing"),
              ("call", "java_instance", "Customer.delete", 11, "installing"),
              ("call", "java_instance", "Customer.update", 13, "unknown")]),
    case("wildcard-import-and-nested-package-import", """
        import com.stripe.model.*;
        import com.stripe.model.billing.Meter;
        class A {
          void f() { Invoice.list(null); Meter.list(null); }
        }
        """, [("call", "java_legacy", "Invoice.list", 11, "unknown"),
              ("call", "java_legacy", "billing.Meter.list", 11, "unknown")]),
    case("near-miss-an-own-class-named-like-a-model", """
        import com.example.Invoice;
        class A { void f() { Invoice.list(null); } }
        """, [], imports=False),
    case("account-retrieved-by-the-events-account", """
        import com.stripe.model.Account;
        class A {
          void f(Event event) throws Exception { Account.retrieve(event.getAccount()); }
        }
        """, [("call", "java_legacy", "Account.retrieve", 10, "installing")]),
    case("connect-oauth-token-is-the-platform", """
        import com.stripe.net.OAuth;
        class A { void f(String acct) throws Exception {
          OAuth.token(null, RequestOptions.builder().setStripeAccount(acct).build()); } }
        """, [("call", "java_legacy", "OAuth.token", 10, "platform")]),
]

EXPAND = [
    case("expand-in-a-params-builder", """
        import com.stripe.param.CustomerRetrieveParams;
        class A {
          void f(StripeClient c, String x) throws Exception {
            c.customers().retrieve("cus_1", CustomerRetrieveParams.builder()
                .addExpand("default_source")
                .addAllExpand(java.util.List.of("invoice_settings.default_payment_method", "test_clock"))
                .addExpand(x)
                .build());
          }
        }
        """, [("call", "java_client", "customers().retrieve", 11, "unknown"), ("expand", "default_source", 12),
              ("expand", "invoice_settings.default_payment_method", 13), ("expand", "test_clock", 13),
              ("expand_dynamic", 11)]),
    case("expand-in-a-map-and-list-filled-before-the-call", """
        import java.util.*;
        class A {
          void f(String acct) throws Exception {
            List<String> expandList = new ArrayList<>();
            expandList.add("latest_invoice");
            Map<String, Object> params = new HashMap<>();
            params.put("expand", expandList);
            params.put("customer", "cus_1");
            Subscription.list(params);
            Map<String, Object> other = new HashMap<>();
            other.put("expand", Arrays.asList("customer"));
            Customer.list(other);
          }
        }
        """, [("call", "java_legacy", "Subscription.list", 16, "unknown"), ("expand", "latest_invoice", 12),
              ("call", "java_legacy", "Customer.list", 19, "unknown"), ("expand", "customer", 18)]),
    case("expand-list-from-elsewhere-is-dynamic", """
        class A {
          void f(java.util.List<String> paths) throws Exception {
            java.util.Map<String, Object> params = new java.util.HashMap<>();
            params.put("expand", paths);
            Customer.list(params);
          }
        }
        """, [("call", "java_legacy", "Customer.list", 12, "unknown"), ("expand_dynamic", 12)]),
]

RAW = [
    case("raw-request-method-of-the-client", """
        import com.stripe.net.ApiResource;
        class A {
          void f(StripeClient client, String id) throws Exception {
            client.rawRequest(ApiResource.RequestMethod.POST, "/v1/customers/" + id, "{}", null);
            client.rawRequest(ApiResource.RequestMethod.GET, String.format("/v1/invoices/%s", id), null, null);
          }
        }
        """, [("raw", "POST", "/v1/customers/{}", 11, "unknown"), ("raw", "GET", "/v1/invoices/{}", 12, "unknown")]),
    case("raw-http-requests-by-url", """
        class A {
          void f(String accessToken, String acct, String id) throws Exception {
            HttpRequest r = HttpRequest.newBuilder(URI.create("https://api.stripe.com/v1/payouts"))
                .header("Stripe-Account", acct).POST(HttpRequest.BodyPublishers.noBody()).build();
            String url = "https://api.stripe.com/v1/refunds/" + id;
            Request req = new Request.Builder().url(url).delete().build();
            HttpResponse<String> res = Unirest.post("https://api.stripe.com/v1/charges")
                .header("Authorization", "Bearer " + accessToken).asString();
            new HttpGet("https://api.stripe.com/v1/balance");
          }
        }
        """, [("raw", "POST", "/v1/payouts", 10, "installing"), ("raw", "DELETE", "/v1/refunds/{}", 12, "unknown"),
              ("raw", "POST", "/v1/charges", 14, "installing"), ("raw", "GET", "/v1/balance", 16, "unknown")]),
    case("raw-url-connection-set-up-over-several-statements", """
        class A {
          void f(String acct) throws Exception {
            URL url = new URL("https://api.stripe.com/v1/customers");
            HttpURLConnection conn = (HttpURLConnection) url.openConnection();
            conn.setRequestMethod("POST");
            conn.setRequestProperty("Stripe-Account", acct);
          }
        }
        """, [("raw", "POST", "/v1/customers", 10, "installing")]),
    case("raw-oauth-token-is-the-platform", """
        class A { void f(String code) throws Exception {
          Unirest.post("https://api.stripe.com/v1/oauth/token").field("code", code).asString(); } }
        """, [("raw", "POST", "/v1/oauth/token", 9, "platform")]),
    case("near-miss-other-hosts", """
        class A { String u = "https://api.stripe.com.example.org/v1/customers"; String d = "https://stripe.com/docs"; }
        """, []),
]

EVENTS = [
    case("switch-on-the-event-type", """
        class A {
          static final String PAID = "invoice.paid";
          void f(String payload, String sig, String secret) throws Exception {
            Event event = Webhook.constructEvent(payload, sig, secret);
            switch (event.getType()) {
              case "customer.created":
              case PAID:
                break;
              default:
                break;
            }
            String type = event.getType();
            String label = switch (type) { case "charge.refunded", "charge.captured" -> "charge"; default -> ""; };
          }
        }
        """, [("event", "customer.created", "handled", 13), ("event", "invoice.paid", "handled", 14),
              ("event", "charge.refunded", "handled", 20), ("event", "charge.captured", "handled", 20)]),
    case("equals-startsWith-contains-and-a-variable", """
        class A {
          void f(Event event, String wanted) {
            if ("payment_intent.succeeded".equals(event.getType())) {}
            if (event.getType().equals("payout.paid")) {}
            if (event.getType().startsWith("customer.subscription.")) {}
            if (event.getType().startsWith("cust")) {}
            if (java.util.Set.of("a.b", "c.d").contains(event.getType())) {}
            if (event.getType().equals(wanted)) {}
          }
        }
        """, [("event", "payment_intent.succeeded", "handled", 10), ("event", "payout.paid", "handled", 11),
              ("event", "customer.subscription.*", "handled", 12), ("event", "a.b", "handled", 14),
              ("event", "c.d", "handled", 14), ("unresolved", "event type matched by a partial prefix", 13),
              ("unresolved", "event type compared with a non-literal", 15)]),
    case("handler-maps-keyed-by-event-type", """
        import java.util.*;
        class A {
          private static final Map<String, Runnable> HANDLERS = Map.of("invoice.paid", () -> {}, "invoice.voided", () -> {});
          private final Map<String, Runnable> more = new HashMap<>();
          A() { more.put("charge.refunded", () -> {}); }
          void f(Event event, Map<String, Runnable> given) {
            HANDLERS.get(event.getType()).run();
            more.getOrDefault(event.getType(), () -> {}).run();
            given.get(event.getType());
          }
        }
        """, [("event", "invoice.paid", "handled", 10), ("event", "invoice.voided", "handled", 10),
              ("event", "charge.refunded", "handled", 12),
              ("unresolved", "event type used as a key of a table the parser cannot read", 16)]),
    case("subscribed-through-enabled-events", """
        import com.stripe.param.WebhookEndpointCreateParams;
        class A {
          void f(StripeClient client, String url) throws Exception {
            client.webhookEndpoints().create(WebhookEndpointCreateParams.builder().setUrl(url)
                .addEnabledEvent(WebhookEndpointCreateParams.EnabledEvent.INVOICE__PAYMENT_FAILED)
                .addAllEnabledEvent(java.util.List.of(WebhookEndpointCreateParams.EnabledEvent.STAR))
                .build());
            java.util.Map<String, Object> params = new java.util.HashMap<>();
            params.put("enabled_events", java.util.Arrays.asList("customer.created"));
          }
        }
        """, [("event", "invoice.payment_failed", "subscribed", 12), ("event", "*", "subscribed", 13),
              ("event", "customer.created", "subscribed", 16)], kinds={"event"}),
    case("an-event-assigned-on-two-branches-one-unreadable", """
        import com.stripe.net.ApiResource;
        class A {
          String f(String payload, String sig, String secret) throws Exception {
            Event event;
            try {
              if (secret != null) {
                event = Webhook.constructEvent(payload, sig, secret);
              } else {
                event = ApiResource.GSON.fromJson(payload, Event.class);
              }
            } catch (Exception e) { event = null; }
            switch (event.getType()) { case "checkout.session.completed" -> { return "ok"; } default -> {} }
            return "";
          }
        }
        """, [("event", "checkout.session.completed", "handled", 19)], kinds={"event"}),
    case("near-miss-a-type-of-something-else", """
        class A { void f(Order order) { if ("invoice.paid".equals(order.getType())) {} } }
        """, []),
]


@pytest.mark.parametrize("source, expected, kinds", CLIENTS + LEGACY + EXPAND + RAW + EVENTS)
def test_java_facts(source, expected, kinds):
    assert sorted(run(source, kinds)) == sorted(expected)


def test_event_endpoint_and_its_evidence():
    source = IMPORTS + textwrap.dedent("""
        class Hooks {
          void receive(String payload, String sig) throws Exception {
            Event event = Webhook.constructEvent(payload, sig, System.getenv("STRIPE_WEBHOOK_SECRET"));
            String account = event.getAccount();
            if ("invoice.paid".equals(event.getType())) {}
          }
        }
        """)
    found = parse("src/Hooks.java", source)
    (event,) = found.events
    assert event.endpoint == "src/Hooks.java:receive"
    assert EVIDENCE_READS_ACCOUNT in event.evidence and EVIDENCE_RECEIVES in event.evidence
    assert "verified with `STRIPE_WEBHOOK_SECRET`" in event.evidence
    assert [e.endpoint for e in found.webhook_endpoints] == ["src/Hooks.java:receive"]


def test_a_file_with_syntax_errors_keeps_what_parsed():
    source = IMPORTS + textwrap.dedent("""
        class A {
          void f() throws Exception {
            StripeClient client = new StripeClient(System.getenv("STRIPE_SECRET_KEY"));
            client.customers().list();
            if (( {
          }
        }
        """)
    found = parse("A.java", source)
    assert ("call", "java_client", "customers().list", 12, "platform") in simplify(found)
    assert found.problems and found.language == "java"


@pytest.mark.parametrize("source", ["", "class {", "}}}((", "package a;\n" + "(" * 3000, "\x00\xff stripe"])
def test_garbage_never_raises(source):
    assert parse_file("A.java", source).language == "java"


def test_files_that_never_say_stripe_are_not_parsed():
    assert parse_file("A.java", "class A { void f(Client c) { c.customers().list(); } }").calls == ()
