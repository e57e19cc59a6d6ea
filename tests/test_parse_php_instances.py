"""stripe-php instance methods (``php_instance``): the class of a fetched object, from the call that
fetched it, a list it came from or a parameter's type, and the table entries the generator read
from the SDK's ``instanceUrl()``. Facts are compared as the tuples of ``parse_helpers.simplify``."""

from __future__ import annotations

from parse_helpers import simplify
from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.parse.php import parse


def instance_calls(source: str) -> list[tuple]:
    return [c for c in simplify(parse("backend/app.php", "<?php\n" + source), {"call"}) if c[1] == "php_instance"]


def test_objects_from_legacy_fetches_act_where_the_key_says():
    found = instance_calls("""function f($id, $token) {
  $customer = \\Stripe\\Customer::retrieve($id);
  $customer->email = 'a@b.c';
  $customer->save();
  $customer->delete();
  \\Stripe\\Stripe::setApiKey($token);
  \\Stripe\\Subscription::retrieve($id)->cancel();
}""")
    assert found == [
        ("call", "php_instance", "Customer->save", 5, "unknown"),
        ("call", "php_instance", "Customer->delete", 6, "unknown"),
        ("call", "php_instance", "Subscription->cancel", 8, "installing"),
    ]


def test_objects_from_client_fetches_and_their_lists():
    found = instance_calls("""use Stripe\\StripeClient;
function f($acct) {
  $stripe = new StripeClient(getenv('STRIPE_SECRET_KEY'));
  $invoice = $stripe->invoices->retrieve('in_1', [], ['stripe_account' => $acct]);
  $invoice->pay();
  $intents = $stripe->paymentIntents->all(['limit' => 3]);
  foreach ($intents->data as $intent) { $intent->capture(); }
  foreach ($intents as $id => $intent) { $intent->cancel(); }
  foreach ($stripe->subscriptions->all()->autoPagingIterator() as $sub) { $sub->cancel(); }
  $stripe->customers->create(['email' => 'a@b.c'])->refresh();
  $sessions = $stripe->checkout->sessions->all(['limit' => 1]);
  $sessions->data[0]->expire();
}""")
    assert found == [
        ("call", "php_instance", "Invoice->pay", 6, "installing"),
        ("call", "php_instance", "PaymentIntent->capture", 8, "platform"),
        ("call", "php_instance", "PaymentIntent->cancel", 9, "platform"),
        ("call", "php_instance", "Subscription->cancel", 10, "platform"),
        ("call", "php_instance", "Customer->refresh", 11, "platform"),
        ("call", "php_instance", "Checkout\\Session->expire", 13, "platform"),
    ]


def test_parameters_and_properties_typed_with_a_resource_class():
    found = instance_calls("""namespace App;
use Stripe\\Invoice;
final class Desk {
  public function __construct(private \\Stripe\\Account $account) {}
  public function run(Invoice $inv, ?\\Stripe\\PaymentIntent $pi) {
    $inv->voidInvoice();
    $pi->cancel(null, ['stripe_account' => 'acct_1']);
    $this->account->persons();
  }
}""")
    assert found == [
        ("call", "php_instance", "Invoice->voidInvoice", 7, "unknown"),
        ("call", "php_instance", "PaymentIntent->cancel", 8, "installing"),
        ("call", "php_instance", "Account->persons", 9, "unknown"),
    ]


def test_a_variable_reassigned_to_something_else_is_no_longer_stripes():
    found = instance_calls("""function f($id) {
  $invoice = \\Stripe\\Invoice::retrieve($id);
  $invoice = new \\App\\Invoice($id);
  $invoice->pay();
  $sub = \\Stripe\\Subscription::retrieve($id);
  foreach ($rows as $sub) { $sub->cancel(); }
}""")
    assert found == []


def test_other_classes_with_stripe_sounding_methods_are_not_calls():
    found = instance_calls("""namespace App;
use App\\Models\\Subscription;
function f(Customer $customer, Subscription $sub, $order, \\Stripe\\Invoice $inv) {
  $customer->delete();
  $sub->cancel();
  $order->pay();
  $inv->toArray();
  echo $inv->amount_due;
  $list = \\Stripe\\Invoice::all();
  $list->pay();
}""")
    assert found == []


def test_table_reads_instance_urls_and_skips_urls_it_cannot_build():
    catalog = load_catalog()
    op = lambda accessor: catalog.operation_for_call("php_instance", accessor)  # noqa: E731
    assert (op("Customer->delete").verb, op("Customer->delete").path) == ("DELETE", "/v1/customers/{customer}")
    assert (op("Customer->save").verb, op("Invoice->pay").path) == ("POST", "/v1/invoices/{invoice}/pay")
    assert op("Balance->refresh").path == "/v1/balance"  # a singleton: the class URL
    assert op("Account->persons").path == "/v1/accounts/{account}/persons"  # Account's own override, read
    # Person's instanceUrl() is built from its account: no entry rather than a guessed path.
    assert op("Person->save") is None
