"""The Go parser (stripe_perm_lint.parse.go): each SDK call shape, whose account a call acts on,
expand lists, raw requests, webhook events and endpoints, linking across the files of a package,
untraced clients, and files that do not parse. Facts are compared as the tuples of
``parse_helpers.simplify``."""

from __future__ import annotations

from parse_helpers import simplify

from stripe_perm_lint.discover import SKIP_DIRS, is_source
from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse import parse_file
from stripe_perm_lint.parse.go import parse

HEADER = """package billing

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	stripe "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/client"
	"github.com/stripe/stripe-go/v82/webhook"
)
"""
LINES = HEADER.count("\n")  # the snippet after the header starts on line LINES + 1


def facts(body: str, kinds=None, header: str = HEADER, path: str = "billing/a.go"):
    return simplify(parse(path, header + body), kinds)


def test_legacy_calls_are_named_by_the_package_path_not_the_local_name():
    header = """package main

import (
	cust "github.com/stripe/stripe-go/v76/customer"
	"github.com/stripe/stripe-go/v82/checkout/session"
	"github.com/stripe/stripe-go/invoice"
	"example.com/internal/customer"
)
"""
    body = """
func run() {
	cust.Get("cus_1", nil)
	session.New(nil)
	invoice.List(nil)
	cust.Iterate(nil)
	customer.Get("the app's own customer package", nil)
}
"""
    assert facts(body, ["call"], header) == [
        ("call", "go_legacy", "customer.Get", 11, "platform"),
        ("call", "go_legacy", "checkout/session.New", 12, "platform"),
        ("call", "go_legacy", "invoice.List", 13, "platform"),
    ]


def test_client_api_and_stripe_client_styles_with_the_account_of_their_key():
    body = """
func run(ctx context.Context, accessToken string) {
	platform := client.New(os.Getenv("STRIPE_SECRET_KEY"), nil)
	platform.Customers.Get("cus_1", nil)
	merchant := client.New(accessToken, nil)
	merchant.Invoices.List(nil)
	sc := stripe.NewClient("sk_test_123")
	sc.V1Charges.Retrieve(ctx, "ch_1", nil)
	api := &client.API{}
	api.Init(accessToken, nil)
	api.Payouts.List(nil)
}
"""
    assert facts(body, ["call"]) == [
        ("call", "go_api", "Customers.Get", LINES + 4, "platform"),
        ("call", "go_api", "Invoices.List", LINES + 6, "installing"),
        ("call", "go_client", "V1Charges.Retrieve", LINES + 8, "platform"),
        ("call", "go_api", "Payouts.List", LINES + 11, "installing"),
    ]


def test_a_resource_package_s_own_client_struct_with_its_key():
    header = HEADER.replace('"github.com/stripe/stripe-go/v82/client"', 'stripecharge "github.com/stripe/stripe-go/v82/charge"')
    body = """
func chargesOf(accessToken string) stripecharge.Client {
	return stripecharge.Client{B: stripe.GetBackend(stripe.APIBackend), Key: accessToken}
}

func run(accessToken string) {
	c := chargesOf(accessToken)
	c.List(&stripe.ChargeListParams{})
	stripecharge.Client{B: stripe.GetBackend(stripe.APIBackend), Key: os.Getenv("STRIPE_SECRET_KEY")}.Get("ch_1", nil)
}
"""
    assert facts(body, ["call"], header) == [
        ("call", "go_legacy", "charge.List", LINES + 8, "installing"),
        ("call", "go_legacy", "charge.Get", LINES + 9, "platform"),
    ]


def test_a_client_known_by_its_type_is_unknown_unless_the_file_s_callers_say():
    body = """
func sync(sc *client.API) { sc.Customers.List(nil) }

func report(key string) {
	sc := stripe.NewClient(key)
	sc.V1Payouts.List(context.Background(), nil)
}

func main() { report(os.Getenv("STRIPE_SECRET_KEY")) }
"""
    assert facts(body, ["call"]) == [
        ("call", "go_api", "Customers.List", LINES + 2, "unknown"),
        ("call", "go_client", "V1Payouts.List", LINES + 6, "platform"),
    ]


def test_struct_fields_hold_clients_and_methods_return_them():
    body = """
type Server struct {
	stripe *client.API
	tokens map[string]string
}

func NewServer() *Server { return &Server{stripe: client.New(os.Getenv("STRIPE_KEY"), nil)} }

func (s *Server) forAccount(accountID string) *client.API { return client.New(s.tokens[accountID], nil) }

func (s *Server) run(acct string) {
	s.stripe.Balance.Get(nil)
	s.forAccount(acct).Disputes.List(nil)
}
"""
    assert facts(body, ["call", "client_export"]) == [
        ("call", "go_api", "Balance.Get", LINES + 12, "platform"),
        ("call", "go_api", "Disputes.List", LINES + 13, "installing"),
        ("client_export", "NewServer.stripe", "go_api", "platform", True),  # the field of what it returns
        ("client_export", "Server.forAccount", "go_api", "installing", True),
        ("client_export", "Server.stripe", "go_api", "platform", False),
    ]


def test_the_account_options_of_params():
    body = """
func run(sc *stripe.Client, acct string) {
	params := &stripe.CustomerListParams{}
	params.SetStripeAccount(acct)
	sc.V1Customers.List(context.Background(), params)
	p2 := &stripe.InvoiceParams{}
	p2.StripeAccount = stripe.String(acct)
	sc.V1Invoices.Retrieve(context.Background(), "in_1", p2)
	sc.V1Charges.Retrieve(context.Background(), "ch_1", &stripe.ChargeRetrieveParams{Params: stripe.Params{StripeAccount: stripe.String(acct)}})
	sc.V1Refunds.List(context.Background(), nil)
}
"""
    assert [f[-1] for f in facts(body, ["call"])] == ["installing", "installing", "installing", "unknown"]


def test_a_legacy_call_after_a_per_account_key_in_its_function_and_one_passing_the_event_account():
    header = HEADER.replace('"github.com/stripe/stripe-go/v82/client"', '"github.com/stripe/stripe-go/v82/account"')
    body = """
func perAccount(accessToken string) {
	stripe.Key = accessToken
	account.Get()
}

func onEvent(event stripe.Event) { account.GetByID(event.Account, nil) }

func main() {
	stripe.Key = os.Getenv("STRIPE_SECRET_KEY")
	account.List(nil)
}
"""
    assert facts(body, ["call"], header) == [
        ("call", "go_legacy", "account.Get", LINES + 4, "installing"),
        ("call", "go_legacy", "account.GetByID", LINES + 7, "installing"),
        ("call", "go_legacy", "account.List", LINES + 11, "platform"),
    ]


def test_expand_lists_literal_and_dynamic():
    body = """
func run(sc *stripe.Client, field string) {
	params := &stripe.SubscriptionRetrieveParams{}
	params.AddExpand("latest_invoice.payment_intent")
	sc.V1Subscriptions.Retrieve(context.Background(), "sub_1", params)
	sc.V1Invoices.Retrieve(context.Background(), "in_1", &stripe.InvoiceRetrieveParams{
		Expand: []*string{stripe.String("customer"), stripe.String(field)},
	})
	sc.V1Charges.List(context.Background(), &stripe.ChargeListParams{Expand: stripe.StringSlice([]string{"data.customer"})})
}
"""
    assert facts(body, ["call", "expand", "expand_dynamic"]) == [
        ("call", "go_client", "V1Subscriptions.Retrieve", LINES + 5, "unknown"),
        ("expand", "latest_invoice.payment_intent", LINES + 4),
        ("call", "go_client", "V1Invoices.Retrieve", LINES + 6, "unknown"),
        ("expand", "customer", LINES + 7),
        ("expand_dynamic", LINES + 6),
        ("call", "go_client", "V1Charges.List", LINES + 9, "unknown"),
        ("expand", "data.customer", LINES + 9),
    ]


def test_raw_requests_by_url_and_by_the_sdk_s_raw_request():
    body = """
const stripeAPI = "https://api.stripe.com/v1"

func run(acct, accessToken, id string) {
	req, _ := http.NewRequest(http.MethodPost, stripeAPI+"/customers/"+id, nil)
	req.Header.Set("Stripe-Account", acct)
	http.Get(fmt.Sprintf("https://api.stripe.com/v1/charges/%s/refunds", id))
	stripe.RawRequest(http.MethodDelete, "/v1/customers/"+id, "", nil)
}

func token() { http.PostForm("https://api.stripe.com/v1/oauth/token", nil) }

var docs = "see https://api.stripe.com/v1/balance for the balance"
var report = "https://api.stripe.com/v1/reporting/report_runs"
var invoiceURL = "https://api.stripe.com/v1/invoices/%s/pay"
"""
    assert facts(body, ["raw"]) == [
        ("raw", "POST", "/v1/customers/{}", LINES + 5, "installing"),
        ("raw", "GET", "/v1/charges/{}/refunds", LINES + 7, "installing"),
        ("raw", "DELETE", "/v1/customers/{}", LINES + 8, "installing"),
        ("raw", "POST", "/v1/oauth/token", LINES + 11, "platform"),
        ("raw", "GET", "/v1/reporting/report_runs", LINES + 14, "unknown"),
        ("raw", "GET", "/v1/invoices/{}/pay", LINES + 15, "unknown"),
    ]


def test_handled_events_switch_comparison_constants_prefix_and_tables():
    body = """
func handle(w http.ResponseWriter, r *http.Request, payload []byte) {
	event, _ := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WEBHOOK_SECRET"))
	switch event.Type {
	case "invoice.paid", stripe.EventTypeCustomerSubscriptionDeleted:
	case stripe.EventType("charge.refunded"):
	}
	if event.Type == "payout.failed" || string(event.Type) == "payout.paid" {
	}
	if strings.HasPrefix(string(event.Type), "customer.subscription.") {
	}
	handlers := map[stripe.EventType]func(stripe.Event){"charge.failed": nil, stripe.EventTypeInvoiceVoided: nil}
	handlers[event.Type](event)
	if h, ok := handlers[event.Type]; ok {
		h(event)
	}
}
"""
    assert facts(body, ["event"]) == [
        ("event", "invoice.paid", "handled", LINES + 5),
        ("event", "customer.subscription.deleted", "handled", LINES + 5),
        ("event", "charge.refunded", "handled", LINES + 6),
        ("event", "payout.failed", "handled", LINES + 8),
        ("event", "payout.paid", "handled", LINES + 8),
        ("event", "customer.subscription.*", "handled", LINES + 10),
        ("event", "charge.failed", "handled", LINES + 12),
        ("event", "invoice.voided", "handled", LINES + 12),
    ]


def test_a_switch_on_a_hand_decoded_event_type_counts_when_its_cases_are_stripe_s():
    body = """
func supported(eventType string) bool {
	switch eventType {
	case "payment_intent.created", "payment_intent.succeeded":
		return true
	}
	return false
}

func other(eventType string) {
	switch eventType {
	case "push.created", "issue.closed":
	}
}
"""
    assert facts(body, ["event"]) == [
        ("event", "payment_intent.created", "handled", LINES + 4),
        ("event", "payment_intent.succeeded", "handled", LINES + 4),
    ]


def test_events_that_cannot_be_named_are_unresolved():
    body = """
func handle(event stripe.Event, wanted string, names []string) {
	if event.Type == stripe.EventType(wanted) {
	}
	if strings.HasPrefix(string(event.Type), "cust") {
	}
	stripe.NewClient("sk").V1WebhookEndpoints.Create(context.Background(), &stripe.WebhookEndpointCreateParams{
		EnabledEvents: stripe.StringSlice(names),
	})
}
"""
    assert facts(body, ["unresolved"]) == [
        ("unresolved", "event type compared with a non-literal", LINES + 3),
        ("unresolved", "event type matched by a partial prefix", LINES + 5),
        ("unresolved", "enabled_events is not a list of literals", LINES + 8),
    ]


def test_subscribed_events_of_a_webhook_endpoint():
    body = """
func setup(sc *stripe.Client) {
	sc.V1WebhookEndpoints.Create(context.Background(), &stripe.WebhookEndpointCreateParams{
		EnabledEvents: []*string{stripe.String("invoice.paid"), stripe.String(string(stripe.EventTypeChargeSucceeded))},
	})
}
"""
    assert facts(body, ["event"]) == [
        ("event", "invoice.paid", "subscribed", LINES + 4),
        ("event", "charge.succeeded", "subscribed", LINES + 4),
    ]


def test_a_webhook_endpoint_s_evidence_and_the_handlers_it_hands_the_event_to():
    body = """
func (s *Server) Webhook(w http.ResponseWriter, r *http.Request, payload []byte) {
	event, _ := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), os.Getenv("STRIPE_WEBHOOK_SECRET"))
	if event.Type == "invoice.paid" {
		s.onPaid(context.Background(), event)
	}
	log(event.Account)
}
"""
    found = parse("billing/a.go", HEADER + body)
    assert [(e.name, e.endpoint) for e in found.events] == [("invoice.paid", "billing/a.go:Server.Webhook")]
    [endpoint] = found.webhook_endpoints
    assert endpoint.evidence == ("reads `event.account`", "receives the event from the request",
                                 "verified with `STRIPE_WEBHOOK_SECRET`")
    assert endpoint.hands_to == ("onPaid",)


def test_clients_of_another_file_of_the_package_are_linked():
    clients = HEADER + """
var platform = client.New(os.Getenv("STRIPE_SECRET_KEY"), nil)

type App struct{ merchant *stripe.Client }

func newApp(accessToken string) *App { return &App{merchant: stripe.NewClient(accessToken)} }
"""
    calls = HEADER + """
func (a *App) run() {
	platform.Products.List(nil)
	a.merchant.V1Invoices.List(context.Background(), nil)
}
"""
    other_package = HEADER + """
func run() { platform.Customers.List(nil) }
"""
    parsed = [parse("billing/clients.go", clients), parse("billing/run.go", calls), parse("jobs/run.go", other_package)]
    assert simplify(parsed[1], ["pending", "import"]) == [
        ("pending", "platform", "Products.List", LINES + 3, False, None),
        ("pending", "App", "merchant.V1Invoices.List", LINES + 4, False, None),
        ("import", "App", ".", "App"),
        ("import", "platform", ".", "platform"),
    ]
    linked = {f.path: f for f in link_app(parsed)}
    assert simplify(linked["billing/run.go"], ["call"]) == [
        ("call", "go_api", "Products.List", LINES + 3, "platform"),
        ("call", "go_client", "V1Invoices.List", LINES + 4, "installing"),
    ]
    assert simplify(linked["jobs/run.go"], ["call"]) == []  # another folder is another package


def test_untraced_receivers_count_as_inferred_only_when_named_for_stripe():
    body = """
func run(deps Deps) {
	deps.StripeClient.V1Customers.List(context.Background(), nil)
	deps.Store.V1Customers.List(context.Background(), nil)
}
"""
    found = parse("billing/a.go", HEADER + body)
    assert simplify(found, ["call", "inferred"]) == [
        ("call", "go_client", "V1Customers.List", LINES + 3, "unknown"),
        ("inferred", LINES + 3),
    ]
    assert [(u.origin, u.name, u.chain) for u in found.untraced_clients] == [
        ("member", "deps.StripeClient", "V1Customers.List"),
        ("member", "deps.Store", "V1Customers.List"),
    ]


def test_sdk_helpers_are_no_calls():
    body = """
func run(sc *stripe.Client, payload []byte) {
	sc.ConstructEvent(payload, "sig", "whsec")
	sc.OAuth.AuthorizeURL(nil)
}
"""
    assert facts(body, ["call"]) == []


def test_a_file_with_syntax_errors_keeps_what_parsed():
    body = """
func run(sc *stripe.Client) {
	sc.V1Payouts.List(context.Background(), nil)
}

func broken( {
	sc.V1Charges.List(
"""
    found = facts(body, ["call", "problem"])
    assert ("call", "go_client", "V1Payouts.List", LINES + 3, "unknown") in found
    assert found[-1][0] == "problem"
    for garbage in ("", "package", "}{)(", "package x\nfunc (", "\x00\x01", "package x\nvar a = `"):
        parse("x.go", garbage)  # never raises


def test_go_test_code_is_not_discovered_and_unrelated_files_are_not_parsed():
    assert not is_source("handlers_test.go")
    assert is_source("handlers.go")
    assert "testdata" in SKIP_DIRS
    assert parse_file("main.go", 'package main\nfunc main() { println("hi") }\n').language == "go"
    found = parse_file("billing/a.go", HEADER + "func f(sc *client.API) { sc.Customers.List(nil) }\n")
    assert simplify(found, ["call"]) == [("call", "go_api", "Customers.List", LINES + 1, "unknown")]
