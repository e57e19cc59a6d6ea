"""The PHP parser (``stripe_perm_lint.parse.php``): stripe-php calls in both styles and whose
account they act on, expand lists, raw requests by URL, webhook events and their endpoints, and
files that do not parse. Facts are compared as the tuples of ``parse_helpers.simplify``."""

from __future__ import annotations

import pytest

from parse_helpers import simplify
from stripe_perm_lint.parse.php import parse


def php(source: str, kinds=None, path: str = "backend/app.php") -> list[tuple]:
    return simplify(parse(path, "<?php\n" + source), kinds)


# ---- clients and their accounts ----------------------------------------------------------------------

@pytest.mark.parametrize("construction, account", [
    ("new \\Stripe\\StripeClient(getenv('STRIPE_SECRET_KEY'))", "platform"),
    ("new \\Stripe\\StripeClient($_ENV['STRIPE_SECRET_KEY'])", "platform"),
    ("new \\Stripe\\StripeClient(['api_key' => STRIPE_SECRET])", "platform"),
    ("new \\Stripe\\StripeClient(['api_key' => getenv('K'), 'stripe_account' => $acct])", "installing"),
    ("new \\Stripe\\StripeClient($row['access_token'])", "installing"),
    ("new \\Stripe\\StripeClient($key)", "unknown"),  # a parameter: origin unknown (§6)
])
def test_client_account_follows_how_it_was_built(construction, account):
    found = php(f"function f($key, $acct, $row) {{\n  $stripe = {construction};\n  $stripe->customers->all();\n}}", {"call"})
    assert found == [("call", "php_client", "customers->all", 4, account)]


def test_nested_services_service_variables_and_typed_parameters():
    found = php("""use Stripe\\StripeClient;
function f(StripeClient $stripe) {
  $stripe->checkout->sessions->create(['mode' => 'payment']);
  $customers = $stripe->customers;
  $customers->retrieve('cus_1');
  $stripe->v2->core->events->retrieve('evt_1');
}""", {"call"})
    assert found == [
        ("call", "php_client", "checkout->sessions->create", 4, "unknown"),
        ("call", "php_client", "customers->retrieve", 6, "unknown"),
        ("call", "php_client", "v2->core->events->retrieve", 7, "unknown"),
    ]


def test_clients_in_properties_promoted_typed_and_set_in_a_constructor_below_their_use():
    found = php("""namespace App;
use Stripe\\StripeClient;
class Reports {
  public function run() { return $this->stripe->invoices->all(); }
  public function byType() { return $this->typed->payouts->all(); }
  private StripeClient $typed;
  public function __construct() { $this->stripe = new StripeClient(getenv('STRIPE_SECRET_KEY')); }
}
class Sync {
  public function __construct(private readonly StripeClient $client) {}
  public function go() { $this->client->products->all(); }
}""", {"call"})
    assert found == [
        ("call", "php_client", "invoices->all", 5, "platform"),
        ("call", "php_client", "payouts->all", 6, "unknown"),
        ("call", "php_client", "products->all", 12, "unknown"),
    ]


def test_functions_and_methods_of_the_file_that_return_a_client():
    found = php("""function stripe_client() { return new \\Stripe\\StripeClient(get_option('stripe_secret_key')); }
function typed(): \\Stripe\\StripeClient { global $c; return $c; }
class Shop {
  private function client() { return new \\Stripe\\StripeClient(['api_key' => $this->token['access_token']]); }
  public function go() { $this->client()->customers->all(); }
}
stripe_client()->invoices->all();
$s = typed();
$s->prices->all();""", {"call"})
    assert found == [
        ("call", "php_client", "customers->all", 6, "installing"),
        ("call", "php_client", "invoices->all", 8, "platform"),
        ("call", "php_client", "prices->all", 10, "unknown"),
    ]


@pytest.mark.parametrize("options, account", [
    ("['stripe_account' => $acct]", "installing"),
    ("['stripe_context' => $ctx]", "installing"),
    ("['api_key' => $accountKey]", "installing"),  # a per-request key handed in (§12)
    ("$opts", "installing"),
    ("['idempotency_key' => 'x']", "platform"),
])
def test_per_request_options_name_the_installing_account(options, account):
    found = php(f"""function f($acct, $ctx, $accountKey) {{
  $opts = ['stripe_account' => $acct];
  $stripe = new \\Stripe\\StripeClient(getenv('STRIPE_SECRET_KEY'));
  $stripe->customers->retrieve('cus_1', [], {options});
}}""", {"call"})
    assert found == [("call", "php_client", "customers->retrieve", 5, account)]


def test_the_id_of_the_events_account_as_argument_is_the_installing_account():
    found = php("""\\Stripe\\Stripe::setApiKey(getenv('STRIPE_SECRET_KEY'));
$event = \\Stripe\\Webhook::constructEvent($payload, $sig, $secret);
\\Stripe\\Account::retrieve($event->account);
$acct = $event->account;
\\Stripe\\Customer::retrieve('cus_1', ['stripe_account' => $acct]);
\\Stripe\\Balance::retrieve();""", {"call"})
    assert found == [
        ("call", "php_legacy", "Account::retrieve", 4, "installing"),
        ("call", "php_legacy", "Customer::retrieve", 6, "installing"),
        ("call", "php_legacy", "Balance::retrieve", 7, "platform"),
    ]


# ---- legacy static calls ---------------------------------------------------------------------------

def test_legacy_names_through_use_aliases_groups_and_the_files_namespace():
    found = php("""namespace App\\Billing;
use Stripe\\Customer as StripeCustomer;
use Stripe\\{Invoice, Checkout};
use Stripe;
StripeCustomer::all(['limit' => 3]);
Invoice::retrieve('in_1');
Checkout\\Session::create([]);
\\Stripe\\Subscription::update('sub_1', []);
Stripe\\Refund::create([]);
Customer::all();
\\Stripe\\Webhook::constructEvent($p, $s, $k);
\\Stripe\\Customer::constructFrom([]);""", {"call"})
    assert found == [
        ("call", "php_legacy", "Customer::all", 6, "unknown"),
        ("call", "php_legacy", "Invoice::retrieve", 7, "unknown"),
        ("call", "php_legacy", "Checkout\\Session::create", 8, "unknown"),
        ("call", "php_legacy", "Subscription::update", 9, "unknown"),
        ("call", "php_legacy", "Refund::create", 10, "unknown"),
    ]  # `Customer` here is App\Billing\Customer; helpers and non-API statics are no calls


def test_set_api_key_at_file_level_is_the_platform_and_in_a_function_per_account():
    found = php("""\\Stripe\\Stripe::setApiKey(getenv('STRIPE_SECRET_KEY'));
function platform() { return \\Stripe\\Payout::all(); }
function forAccount($token) {
  \\Stripe\\Stripe::setApiKey($token);
  return \\Stripe\\Charge::all();
}""", {"call"})
    assert found == [
        ("call", "php_legacy", "Payout::all", 3, "platform"),
        ("call", "php_legacy", "Charge::all", 6, "installing"),
    ]


# ---- expand -------------------------------------------------------------------------------------

def test_expand_literals_each_at_its_string_and_dynamic_lists():
    found = php("""$stripe = new \\Stripe\\StripeClient(['api_key' => $t, 'stripe_account' => $a]);
$stripe->invoices->retrieve('in_1', ['expand' => ['customer',
  'subscription']]);
$fields = ['expand' => ['charge']];
$stripe->paymentIntents->retrieve('pi_1', $fields);
$stripe->customers->retrieve('cus_1', ['expand' => $wanted]);""", {"call", "expand", "expand_dynamic"})
    assert found == [
        ("call", "php_client", "invoices->retrieve", 3, "installing"),
        ("expand", "customer", 3), ("expand", "subscription", 4),
        ("call", "php_client", "paymentIntents->retrieve", 6, "installing"),
        ("expand", "charge", 5),
        ("call", "php_client", "customers->retrieve", 7, "installing"),
        ("expand_dynamic", 7),
    ]


# ---- raw requests --------------------------------------------------------------------------------

def test_raw_requests_by_url_verb_and_account():
    found = php("""define('STRIPE_API', 'https://api.stripe.com/v1/');
function f($token, $id, $acct) {
  wp_remote_post('https://api.stripe.com/v1/customers', ['headers' => ['Authorization' => 'Bearer ' . $token['access_token']]]);
  wp_remote_get(STRIPE_API . 'invoices', ['method' => 'POST']);
  wp_remote_request("https://api.stripe.com/v1/customers/{$id}", ['method' => 'DELETE', 'headers' => ['Stripe-Account' => $acct]]);
  $url = sprintf('https://api.stripe.com/v1/charges/%s/refunds', $id);
  wp_remote_post($url);
  $http->request('PATCH', 'https://api.stripe.com/v1/products');
  $http->delete('https://api.stripe.com/v1/coupons/' . $id);
  wp_remote_get('https://api.stripe.com/healthcheck');
  wp_remote_post('https://api.stripe.com/v1/oauth/token', ['headers' => ['Authorization' => 'Bearer ' . $token]]);
}""", {"raw"})
    assert found == [
        ("raw", "POST", "/v1/customers", 4, "installing"),
        ("raw", "POST", "/v1/invoices", 5, "unknown"),
        ("raw", "DELETE", "/v1/customers/{}", 6, "installing"),
        ("raw", "POST", "/v1/charges/{}/refunds", 8, "unknown"),  # where the URL is used
        ("raw", "PATCH", "/v1/products", 9, "unknown"),
        ("raw", "DELETE", "/v1/coupons/{}", 10, "unknown"),
        ("raw", "POST", "/v1/oauth/token", 12, "platform"),
    ]


def test_curl_requests_read_their_options_in_the_same_function():
    found = php("""function f($id, $key) {
  $ch = curl_init('https://api.stripe.com/v1/customers/' . $id);
  curl_setopt($ch, CURLOPT_CUSTOMREQUEST, 'DELETE');
  curl_setopt($ch, CURLOPT_HTTPHEADER, ['Stripe-Account: ' . $id]);
}
function g() {
  $ch = curl_init();
  curl_setopt_array($ch, [CURLOPT_URL => 'https://api.stripe.com/v1/payouts', CURLOPT_POST => true]);
}""", {"raw"})
    assert found == [("raw", "DELETE", "/v1/customers/{}", 3, "installing"), ("raw", "POST", "/v1/payouts", 9, "unknown")]


def test_the_sdks_raw_request_and_urls_no_call_consumes():
    found = php("""$stripe = new \\Stripe\\StripeClient(getenv('STRIPE_SECRET_KEY'));
$stripe->rawRequest('post', '/v2/billing/meter_events', ['event_name' => 'x'], ['stripe_account' => $a]);
$docs = 'see https://api.stripe.com/v1/balance for details';
$endpoint = 'https://api.stripe.com/v1/balance';""", {"raw"})
    assert found == [("raw", "POST", "/v2/billing/meter_events", 3, "installing"), ("raw", "GET", "/v1/balance", 5, "unknown")]


# ---- events --------------------------------------------------------------------------------------

def test_handled_events_every_shape():
    found = php("""use Stripe\\Event;
function webhook() {
  $event = \\Stripe\\Webhook::constructEvent(file_get_contents('php://input'), $sig, getenv('STRIPE_WEBHOOK_SECRET'));
  switch ($event->type) {
    case 'invoice.paid':
    case Event::CUSTOMER_SUBSCRIPTION_DELETED: break;
  }
  if ($event->type === 'charge.refunded' || 'payout.paid' == $event['type']) {}
  $type = $event->type;
  if (in_array($type, ['customer.created', 'customer.updated'], true)) {}
  $label = match ($event->type) { 'product.created', 'price.created' => 'catalog', default => null };
  if (str_starts_with($event->type, 'checkout.session.')) {}
  if ($event->type === $configured) {}
}""", {"event", "unresolved"})
    assert found == [
        ("event", "invoice.paid", "handled", 6),
        ("event", "customer.subscription.deleted", "handled", 7),
        ("event", "charge.refunded", "handled", 9),
        ("event", "payout.paid", "handled", 9),
        ("event", "customer.created", "handled", 11),
        ("event", "customer.updated", "handled", 11),
        ("event", "product.created", "handled", 12),
        ("event", "price.created", "handled", 12),
        ("event", "checkout.session.*", "handled", 13),
        ("unresolved", "event type compared with a non-literal", 14),
    ]


def test_handler_tables_computed_handlers_and_subscriptions():
    found = php("""class Hooks {
  private $handlers = ['invoice.payment_failed' => 'onFailed'];
  public function handle(\\Stripe\\Event $event) {
    $method = $this->handlers[$event->type] ?? null;
    $this->{'on' . str_replace('.', '', $event->type)}($event);
  }
}
$stripe = new \\Stripe\\StripeClient(getenv('STRIPE_SECRET_KEY'));
$stripe->webhookEndpoints->create(['url' => 'https://x.test/hook', 'enabled_events' => ['invoice.paid', '*']]);
$stripe->webhookEndpoints->create(['url' => 'https://x.test/hook', 'enabled_events' => $wanted]);""", {"event", "unresolved"})
    assert found == [
        ("event", "invoice.payment_failed", "handled", 3),
        ("event", "invoice.paid", "subscribed", 10),
        ("event", "*", "subscribed", 10),
        ("unresolved", "event type used to compute a handler name", 6),
        ("unresolved", "enabled_events is not a list of literals", 11),
    ]


def test_an_event_variable_of_unknown_origin_gives_only_names_that_read_as_stripes():
    found = php("""function on_webhook($event) {
  if ($event->type == 'invoice.paid') {}
  if ($event->type == 'paid' || $event->type == $configured) {}
  if ($order->type == 'invoice.paid') {}
}
function on_app_event($event) {
  if ($event->type === 'user.created' || $event->type === 'user.deleted') {}
}""", {"event", "unresolved"})
    assert found == [("event", "invoice.paid", "handled", 3)]  # `user.*` are another system's


def test_endpoints_carry_the_evidence_of_their_function():
    found = parse("hooks/webhook.php", """<?php
$app->post('/webhook', function ($request, $response) {
  $event = \\Stripe\\Webhook::constructEvent($request->getBody(), $sig, $_ENV['STRIPE_WEBHOOK_SECRET']);
  if ($event->type === 'customer.created') { save($event->account); }
});
function billing_hook() {
  $event = \\Stripe\\Webhook::constructEvent(file_get_contents('php://input'), $sig, getenv('STRIPE_BILLING_WEBHOOK_SECRET'));
  if ($event->type === 'invoice.paid') {}
}""")
    assert [(e.name, e.endpoint, e.evidence) for e in found.events] == [
        ("customer.created", "hooks/webhook.php:/webhook",
         ("reads `event.account`", "receives the event from the request", "verified with `STRIPE_WEBHOOK_SECRET`")),
        ("invoice.paid", "hooks/webhook.php:billing_hook",
         ("receives the event from the request", "verified with `STRIPE_BILLING_WEBHOOK_SECRET`")),
    ]


# ---- what cannot be read -------------------------------------------------------------------------

def test_computed_members_and_untraced_receivers():
    found = parse("app.php", """<?php
class Sync {
  public function go($name) {
    $this->stripe->customers->retrieve('cus_1');
    $this->mailer->customers->retrieve('cus_1');
  }
}
$stripe = new \\Stripe\\StripeClient(getenv('K'));
$stripe->$resource->all();
$stripe->customers->{$verb}();""")
    assert simplify(found, {"call", "inferred", "unresolved"}) == [
        ("call", "php_client", "customers->retrieve", 4, "unknown"), ("inferred", 4),
        ("unresolved", "computed method name on a Stripe client", 9),
        ("unresolved", "computed method name on a Stripe client", 10),
    ]
    assert [(u.origin, u.name, u.chain) for u in found.untraced_clients] == [("member", "$this->stripe", "customers->retrieve")]


def test_a_client_from_an_included_file_is_inferred_by_its_exact_shape():
    found = parse("public/charge.php", """<?php
require __DIR__ . '/../bootstrap.php';  // defines $stripe
$stripe->paymentIntents->create(['amount' => 500, 'currency' => 'usd']);
$stripe->customers->syncEverything();
$db->customers->retrieve('cus_1');
$user->invoices->all();
\\Laravel\\Cashier\\Cashier::stripe()->subscriptions->cancel('sub_1');
\\Stripe\\WebhookEndpoint::create(['url' => 'https://x.test', 'enabled_events' => ['payout.paid']]);""")
    assert simplify(found, {"call", "inferred", "event"}) == [
        ("call", "php_client", "paymentIntents->create", 3, "unknown"), ("inferred", 3),
        ("call", "php_client", "subscriptions->cancel", 7, "unknown"), ("inferred", 7),
        ("call", "php_legacy", "WebhookEndpoint::create", 8, "unknown"),
        ("event", "payout.paid", "subscribed", 8),
    ]
    assert [(u.origin, u.name) for u in found.untraced_clients] == [
        ("unknown", "$stripe"), ("unknown", "\\Laravel\\Cashier\\Cashier::stripe()")]


def test_phpunit_conventions_are_test_code():
    from stripe_perm_lint.discover import SKIP_DIRS, TEST_FILE

    assert "tests" in SKIP_DIRS and TEST_FILE.search("InvoiceSyncTest.php") and TEST_FILE.search("ApiTests.php")
    assert not TEST_FILE.search("Contest.php")  # a word ending in "test" is not a PHPUnit test


def test_php_in_html_and_syntax_errors_keep_what_parsed():
    found = parse("views/page.php", """<html><body>
<?php $stripe = new \\Stripe\\StripeClient(getenv('K')); $stripe->prices->all(); ?>
<p><?= $title ?></p>
<?php function broken( { ?>
<?php $stripe->products->all(); ?>
</body></html>""")
    assert simplify(found, {"call"})[:1] == [("call", "php_client", "prices->all", 2, "platform")]
    assert [p.message for p in found.problems] == ["syntax error (unexpected input); facts may be incomplete"]


@pytest.mark.parametrize("text", ["", "<?php", "<?php $", "<?php \\Stripe\\Customer::", "\x00\xff<?php stripe(",
                                  "<?php " + "(" * 500 + "stripe"])
def test_broken_input_never_raises(text):
    found = parse("x.php", text)
    assert found.language == "php"


def test_options_handed_in_by_a_caller_of_the_same_file():
    found = php("""class Invoices {
  public function __construct(private \\Stripe\\StripeClient $stripe) {}
  public function listFor(string $customer, array $opts = []) {
    return $this->stripe->invoices->all(['customer' => $customer], $opts);
  }
  public function forAccount(string $customer, string $acct) {
    return $this->listFor($customer, ['stripe_account' => $acct]);
  }
}""", {"call"})
    parsed = parse("app.php", "<?php\n" + """class Invoices {
  public function __construct(private \\Stripe\\StripeClient $stripe) {}
  public function listFor(string $customer, array $opts = []) {
    return $this->stripe->invoices->all(['customer' => $customer], $opts);
  }
  public function forAccount(string $customer, string $acct) {
    return $this->listFor($customer, ['stripe_account' => $acct]);
  }
}""")
    assert found == [("call", "php_client", "invoices->all", 5, "unknown")]
    assert [c.options_param for c in parsed.calls] == [("listFor", 1)]
    assert (None, "listFor", 1, None) in [(a.import_local, a.member, a.index, a.from_param) for a in parsed.account_arguments]
