"""The C# parser (Stripe.net): call shapes, whose account, expand, raw requests, events, and files
that do not parse. Facts are simplified to the tuples of ``parse_helpers``."""

from __future__ import annotations

import pytest

from parse_helpers import simplify
from stripe_perm_lint.discover import is_source, skipped_dir
from stripe_perm_lint.facts import EVIDENCE_READS_ACCOUNT, EVIDENCE_RECEIVES
from stripe_perm_lint.parse import parse_file
from stripe_perm_lint.parse.csharp import parse


def cs(body: str, usings: str = "using Stripe;") -> list[tuple]:
    """The facts of ``body`` (class members) inside a controller class, line 1 being its first line.
    The calls that wait on a dependency-injection registration are ``test_csharp_links``' subject."""
    source = f"{usings}\npublic class Api {{\n{body}\n}}\n"
    shift = usings.count("\n") + 2
    return [fact[:-2] + (fact[-2] - shift,) + fact[-1:] if fact[0] in ("call", "raw") else _shift(fact, shift)
            for fact in simplify(parse("Api.cs", source)) if fact[0] != "pending"]


def _shift(fact: tuple, shift: int) -> tuple:
    return fact[:-1] + (fact[-1] - shift,)


# ---- call shapes ------------------------------------------------------------------------------


def test_service_in_a_local_inline_and_by_its_async_and_paging_methods():
    assert cs("""void M() {
    var service = new CustomerService();
    service.Get("cus_1");
    new CustomerService().ListAsync();
    foreach (var c in service.ListAutoPaging()) {}
}""") == [("call", "dotnet", "CustomerService.Get", 3, "platform"),
          ("call", "dotnet", "CustomerService.ListAsync", 4, "platform"),
          ("call", "dotnet", "CustomerService.ListAutoPaging", 5, "platform")]


def test_namespaced_services_by_using_and_fully_qualified():
    assert cs("""void M() {
    new SessionService().Create(new SessionCreateOptions());
    var portal = new Stripe.BillingPortal.SessionService();
    portal.Create(null);
    new AlertService().List();
}""", usings="using Stripe;\nusing Stripe.Checkout;") == [
        ("call", "dotnet", "Checkout.SessionService.Create", 2, "platform"),
        ("call", "dotnet", "BillingPortal.SessionService.Create", 4, "platform"),
        # imported by a `global using Stripe.Billing;` elsewhere: the only class of that name
        ("call", "dotnet", "Billing.AlertService.List", 5, "platform")]


def test_injected_services_fields_constructor_and_method_parameters_are_of_unknown_origin():
    assert cs("""private readonly InvoiceService _invoices;
public Api(InvoiceService invoices) { _invoices = invoices; }
public PayoutService Payouts { get; set; }
void M(RefundService refunds) {
    _invoices.List();
    this._invoices.Get("in_1");
    Payouts.List();
    refunds.Create(null);
}""") == [("call", "dotnet", "InvoiceService.List", 5, "unknown"),
          ("call", "dotnet", "InvoiceService.Get", 6, "unknown"),
          ("call", "dotnet", "PayoutService.List", 7, "unknown"),
          ("call", "dotnet", "RefundService.Create", 8, "unknown")]


def test_primary_constructor_parameter():
    facts = simplify(parse("A.cs", "using Stripe;\npublic class A(CustomerService customers) {\n"
                                   "  void M() { customers.Delete(\"cus_1\"); }\n}\n"))
    assert facts == [("call", "dotnet", "CustomerService.Delete", 3, "unknown"),
                     ("pending", "@di:CustomerService", "CustomerService.Delete", 3, False, None)]


def test_client_service_tree_and_services_built_with_a_client():
    assert cs("""private readonly StripeClient _client = new StripeClient(Environment.GetEnvironmentVariable("STRIPE_SECRET_KEY"));
void M(string accessToken, IStripeClient injected) {
    _client.V1.Customers.GetAsync("cus_1");
    this._client.V1.Checkout.Sessions.Create(null);
    var tenant = new StripeClient(accessToken);
    new CustomerService(tenant).Update("cus_1", null);
    injected.V2.Core.Accounts.Create(null);
    _client.V1.Customers.Frobnicate();
    new PriceService(base.StripeClient).List();
}""") == [("call", "dotnet_client", "V1.Customers.GetAsync", 3, "platform"),
          ("call", "dotnet_client", "V1.Checkout.Sessions.Create", 4, "platform"),
          ("call", "dotnet", "CustomerService.Update", 6, "installing"),
          ("call", "dotnet_client", "V2.Core.Accounts.Create", 7, "unknown"),
          ("call", "dotnet", "PriceService.List", 9, "unknown")]


def test_a_client_the_file_never_declares_is_inferred_when_its_name_says_stripe():
    found = parse("A.cs", "public partial class A {\n void M() {\n  _stripeClient.V1.Invoices.List();\n"
                          "  _gateway.Client.V1.Invoices.List();\n  _gateway.Client.V1.Invoices.Frob();\n }\n}\n")
    assert simplify(found) == [("call", "dotnet_client", "V1.Invoices.List", 3, "unknown"), ("inferred", 3)]
    assert [(u.origin, u.name, u.chain) for u in found.untraced_clients] == [
        ("member", "_stripeClient", "V1.Invoices.List"), ("member", "_gateway.Client", "V1.Invoices.List")]


def test_clients_and_options_a_method_of_the_class_returns():
    found = parse("Billing.cs", """using Stripe;
public class Billing {
    private StripeClient ClientFor(string id) => new StripeClient(_tokens.KeyFor(id));
    private RequestOptions ForAccount(string acct) { return new RequestOptions { StripeAccount = acct }; }
    private StripeClient Loop() => Loop();
    void M(string id) {
        ClientFor(id).V1.Customers.List();
        new CustomerService().Get("c", null, ForAccount(id));
        this.Loop().V1.Customers.List();
        GetStripeClient().V1.Invoices.List();
        BuildGithub().V1.Invoices.List();
    }
}
""")
    assert simplify(found) == [("call", "dotnet_client", "V1.Customers.List", 7, "installing"),
                               ("call", "dotnet", "CustomerService.Get", 8, "installing"),
                               ("call", "dotnet_client", "V1.Customers.List", 9, "unknown"),
                               ("call", "dotnet_client", "V1.Invoices.List", 10, "unknown"), ("inferred", 10)]
    assert [(u.origin, u.name) for u in found.untraced_clients] == [("unknown", "GetStripeClient"), ("unknown", "BuildGithub")]


def test_nested_services_and_methods_of_older_majors():
    assert cs("""void M(CustomerService customers) {
    new CustomerService().BalanceTransactions.List("cus_1");
    customers.TaxIds.Create("cus_1", null);
    new InvoiceService().UpcomingAsync(new UpcomingInvoiceOptions());
}""") == [("call", "dotnet", "CustomerBalanceTransactionService.List", 2, "platform"),
          ("call", "dotnet", "CustomerTaxIdService.Create", 3, "unknown"),
          ("call", "dotnet", "InvoiceService.UpcomingAsync", 4, "platform")]


def test_the_apps_own_classes_of_an_sdk_name_are_not_the_sdks():
    # The app's CustomerService wraps Stripe's, which it names qualified.
    assert simplify(parse("CustomerService.cs", """using Stripe;
namespace Shop.Services;
public class CustomerService {
    public Customer Get(string id) => new Stripe.CustomerService().Get(id);
}
public class Orders { void M(CustomerService customers) { customers.Get("c"); } }
""")) == [("call", "dotnet", "CustomerService.Get", 4, "platform")]
    assert simplify(parse("Orders.cs", """using Stripe;
public class Orders {
    void M(CustomerService customers) { customers.Get("c"); new Stripe.CustomerService().Delete("c"); }
    void N(StripeClient client) { new Stripe.StripeClient("k"); client.V1.Customers.List(); }
}
""")) == [("call", "dotnet", "CustomerService.Delete", 3, "platform"),
          ("call", "dotnet_client", "V1.Customers.List", 4, "unknown")]


def test_an_sdk_service_name_in_a_file_that_imports_no_stripe_namespace_is_inferred():
    # Only a `global using Stripe;` elsewhere makes it the SDK's (this file still says Stripe).
    assert simplify(parse("Billing.cs", """namespace Shop;
// Stripe billing
public class Billing { void M(InvoiceService invoices) { invoices.List(); } }
""")) == [("call", "dotnet", "InvoiceService.List", 3, "unknown"), ("inferred", 3)]


def test_helpers_and_non_sdk_members_are_not_calls():
    assert cs("""void M(CustomerService customers) {
    customers.ToString();
    new OAuthTokenService().AuthorizeUrl(null);
    EventUtility.ValidateSignature(json, sig, secret);
}""") == []


# ---- whose account ----------------------------------------------------------------------------


def test_request_options_with_an_account_or_a_key_act_for_the_installing_account():
    assert cs("""void M(string acct, string token, RequestOptions passed) {
    var s = new CustomerService();
    s.Get("a", null, new RequestOptions { StripeAccount = acct });
    var perAccount = new RequestOptions { StripeAccount = acct };
    s.Get("b", null, perAccount);
    s.Get("c", null, new RequestOptions { ApiKey = token });
    s.Get("d", null, new RequestOptions { ApiKey = Configuration["Stripe:SecretKey"], IdempotencyKey = "k" });
    s.Get("e", null, passed);
}""") == [("call", "dotnet", "CustomerService.Get", 3, "installing"),
          ("call", "dotnet", "CustomerService.Get", 5, "installing"),
          ("call", "dotnet", "CustomerService.Get", 6, "installing"),
          ("call", "dotnet", "CustomerService.Get", 7, "platform"),
          ("call", "dotnet", "CustomerService.Get", 8, "unknown")]


def test_configuration_api_key_inside_a_method_follows_the_key():
    assert cs("""void Platform() {
    StripeConfiguration.ApiKey = _configuration["Stripe:SecretKey"];
    new ChargeService().List();
}
void ForAccount(string accountKey) {
    new ChargeService().List();
    StripeConfiguration.ApiKey = accountKey;
    new ChargeService().List();
}""") == [("call", "dotnet", "ChargeService.List", 3, "platform"),
          ("call", "dotnet", "ChargeService.List", 6, "platform"),
          ("call", "dotnet", "ChargeService.List", 8, "installing")]


def test_acting_on_the_events_own_account_and_oauth_on_the_platform():
    assert cs("""void M(Event stripeEvent, string code, string acct) {
    new AccountService().Get(stripeEvent.Account);
    new OAuthTokenService().Create(new OAuthTokenCreateOptions { Code = code }, new RequestOptions { StripeAccount = acct });
}""") == [("call", "dotnet", "AccountService.Get", 2, "installing"),
          ("call", "dotnet", "OAuthTokenService.Create", 3, "platform")]


def test_client_keys_oauth_token_lookup_literal_and_client_options():
    assert cs("""void M(Tokens tokens, string id) {
    new StripeClient(tokens.KeyFor(id)).V1.Products.List();
    new StripeClient("sk_test_123").V1.Products.List();
    new StripeClient(creds.AccessToken).V1.Products.List();
    new StripeClient(new StripeClientOptions { ApiKey = _config["Stripe:SecretKey"], StripeAccount = id }).V1.Products.List();
    var own = new StripeClientOptions { ApiKey = _config["Stripe:SecretKey"] };
    new StripeClient(own).V1.Products.List();
}""") == [("call", "dotnet_client", "V1.Products.List", 2, "installing"),
          ("call", "dotnet_client", "V1.Products.List", 3, "platform"),
          ("call", "dotnet_client", "V1.Products.List", 4, "installing"),
          ("call", "dotnet_client", "V1.Products.List", 5, "installing"),
          ("call", "dotnet_client", "V1.Products.List", 7, "platform")]


# ---- expand -----------------------------------------------------------------------------------


def test_expand_inline_added_and_dynamic():
    assert cs("""void M(List<string> wanted) {
    var s = new SubscriptionService();
    s.Get("sub", new SubscriptionGetOptions { Expand = new List<string> { "customer", "latest_invoice" } });
    var o = new SubscriptionListOptions();
    o.AddExpand("data.default_payment_method");
    o.Expand.Add("data.schedule");
    s.List(o);
    s.List(new SubscriptionListOptions { Expand = wanted });
}""") == [("call", "dotnet", "SubscriptionService.Get", 3, "platform"),
          ("expand", "customer", 3), ("expand", "latest_invoice", 3),
          ("call", "dotnet", "SubscriptionService.List", 7, "platform"),
          ("expand", "data.default_payment_method", 5), ("expand", "data.schedule", 6),
          ("call", "dotnet", "SubscriptionService.List", 8, "platform"), ("expand_dynamic", 8)]


# ---- raw requests -----------------------------------------------------------------------------


def test_raw_requests_through_the_sdk_and_http_client():
    assert cs("""const string StripeBase = "https://api.stripe.com/v1/";
async Task M(StripeClient client, HttpClient http, string id, string accessToken) {
    await client.RawRequestAsync(HttpMethod.Post, "/v1/tax/calculations", "{}");
    await http.PostAsync($"https://api.stripe.com/v1/customers/{id}/balance_transactions", null);
    var url = "https://api.stripe.com/v1/subscriptions/" + id;
    await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url));
    await http.GetStringAsync(StripeBase + "payouts?limit=3");
}
async Task Token(HttpClient http) {
    await http.PostAsync("https://api.stripe.com/v1/oauth/token", null);
}""") == [("raw", "POST", "/v1/tax/calculations", 3, "unknown"),
          ("raw", "POST", "/v1/customers/{}/balance_transactions", 4, "installing"),
          ("raw", "DELETE", "/v1/subscriptions/{}", 5, "installing"),
          ("raw", "GET", "/v1/payouts", 7, "installing"),
          ("raw", "POST", "/v1/oauth/token", 10, "platform")]


def test_a_stripe_account_header_makes_a_raw_request_the_installing_accounts():
    assert cs("""async Task M(HttpClient http, string acct) {
    http.DefaultRequestHeaders.Add("Stripe-Account", acct);
    await http.GetAsync("https://api.stripe.com/v1/disputes");
}""") == [("raw", "GET", "/v1/disputes", 3, "installing")]


# ---- events -----------------------------------------------------------------------------------

WEBHOOK = """[HttpPost]
public async Task<IActionResult> Receive() {
    var json = await new StreamReader(HttpContext.Request.Body).ReadToEndAsync();
    var stripeEvent = EventUtility.ConstructEvent(json, Request.Headers["Stripe-Signature"], Environment.GetEnvironmentVariable("STRIPE_WEBHOOK_SECRET"));
    if (stripeEvent.Type == EventTypes.InvoicePaid) { }
    if ("payout.paid" == stripeEvent.Type) { }
    switch (stripeEvent.Type) {
        case Events.ChargeSucceeded:
        case "customer.created":
            Log(stripeEvent.Account);
            break;
    }
    var kind = stripeEvent.Type switch { "invoice.voided" => 1, _ => 0 };
    if (stripeEvent.Type is "charge.refunded" or "charge.captured") { }
    if (stripeEvent.Type.StartsWith("customer.subscription.")) { }
    if (stripeEvent.Type.Equals("price.created")) { }
    if (stripeEvent.Type == configured) { }
    return Ok();
}"""


def test_handled_events_by_comparison_switch_pattern_and_prefix():
    assert cs(WEBHOOK) == [
        ("event", "invoice.paid", "handled", 5), ("event", "payout.paid", "handled", 6),
        ("event", "charge.succeeded", "handled", 8), ("event", "customer.created", "handled", 9),
        ("event", "invoice.voided", "handled", 13), ("event", "charge.refunded", "handled", 14),
        ("event", "charge.captured", "handled", 14), ("event", "customer.subscription.*", "handled", 15),
        ("event", "price.created", "handled", 16), ("unresolved", "event type compared with a non-literal", 17)]


def test_the_endpoint_that_constructs_the_event_says_so():
    found = parse("Hooks.cs", f"using Stripe;\npublic class Hooks {{\n{WEBHOOK}\n}}\n")
    assert {e.endpoint for e in found.events} == {"Hooks.cs:Hooks.Receive"}
    evidence = found.events[0].evidence
    assert EVIDENCE_READS_ACCOUNT in evidence and EVIDENCE_RECEIVES in evidence
    assert "verified with `STRIPE_WEBHOOK_SECRET`" in evidence
    assert [w.endpoint for w in found.webhook_endpoints] == ["Hooks.cs:Hooks.Receive"]


def test_dispatch_tables_and_subscriptions():
    assert cs("""static readonly Dictionary<string, Func<Event, Task>> Handlers = new() {
    ["invoice.payment_failed"] = OnFailed,
    { EventTypes.CustomerDeleted, OnDeleted },
};
static readonly Dictionary<string, int> NotEvents = new() { ["usd"] = 1 };
void Setup(List<string> chosen) {
    new WebhookEndpointService().Create(new WebhookEndpointCreateOptions {
        EnabledEvents = new List<string> { "payment_intent.succeeded", EventTypes.ChargeRefunded },
    });
    new WebhookEndpointService().Create(new WebhookEndpointCreateOptions { EnabledEvents = chosen });
}""") == [("call", "dotnet", "WebhookEndpointService.Create", 7, "platform"),
          ("call", "dotnet", "WebhookEndpointService.Create", 10, "platform"),
          ("event", "invoice.payment_failed", "handled", 2), ("event", "customer.deleted", "handled", 3),
          ("event", "payment_intent.succeeded", "subscribed", 8), ("event", "charge.refunded", "subscribed", 8),
          ("unresolved", "enabled_events is not a list of literals", 10)]


def test_event_types_looked_up_in_a_list_of_names():
    assert cs("""private static readonly HashSet<string> Billing = new() { "invoice.paid", EventTypes.InvoiceVoided };
void M(Event stripeEvent, List<string> configured) {
    if (Billing.Contains(stripeEvent.Type)) { }
    if (new[] { "payout.paid", "payout.failed" }.Contains(stripeEvent.Type)) { }
    if (configured.Contains(stripeEvent.Type)) { }
}""") == [("event", "invoice.paid", "handled", 1), ("event", "invoice.voided", "handled", 1),
          ("event", "payout.paid", "handled", 4), ("event", "payout.failed", "handled", 4),
          ("unresolved", "event type used as a key of a table the parser cannot read", 5)]


def test_dotted_names_and_types_that_are_no_events_are_not_read():
    assert cs("""static readonly Dictionary<string, string> Settings = new() { ["ui.theme"] = "dark" };
void M(PaymentMethod method, Notification evt, string kind) {
    if (method.Type == kind) { }
    if (evt.Type == kind) { }
    if (evt.Type.StartsWith(kind)) { }
}""") == []


def test_minimal_api_route_is_the_endpoint():
    found = parse("Program.cs", 'using Stripe;\nvar app = builder.Build();\napp.MapPost("/webhooks", async (HttpRequest req) => {\n'
                                '  var e = EventUtility.ParseEvent(await new StreamReader(req.Body).ReadToEndAsync());\n'
                                '  if (e.Type == "invoice.paid") { }\n});\n')
    assert [(e.name, e.endpoint) for e in found.events] == [("invoice.paid", "Program.cs:/webhooks")]


# ---- robustness and dispatch ------------------------------------------------------------------


def test_a_file_with_syntax_errors_still_yields_what_parsed():
    source = ("using Stripe;\npublic class A {\n void M() {\n  new CustomerService().Get(\"cus\");\n"
              "  if (x == ) { var = ; }\n  new PayoutService().List();\n")
    assert [f[:3] for f in simplify(parse("A.cs", source))] == [
        ("call", "dotnet", "CustomerService.Get"), ("call", "dotnet", "PayoutService.List")]


@pytest.mark.parametrize("source", ["", "stripe", "}}}{{{ stripe", "class { StripeClient ( . V1 .", "\x00stripe\ufeff"])
def test_garbage_never_raises(source):
    assert parse("A.cs", source).language == "csharp"


def test_the_dispatcher_parses_cs_files_and_skips_those_that_never_say_stripe():
    source = "public class A { void M() { new CustomerService().Get(\"x\"); } }"
    assert parse_file("A.cs", source).calls == ()  # never says "stripe": not parsed at all
    assert len(parse_file("A.cs", "using Stripe;\n" + source).calls) == 1


def test_dotnet_test_code_is_not_discovered():
    assert not is_source("CustomerServiceTests.cs") and not is_source("WebhookTest.cs") and is_source("Webhook.cs")
    for folder in ("Api.Tests", "Api.Test", "Api.UnitTests", "Api.IntegrationTests", "Api.Specs", "tests", "test"):
        assert skipped_dir(folder), folder
    assert not skipped_dir("Contests") and not skipped_dir("Api")
