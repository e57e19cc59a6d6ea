"""The Ruby parser: each SDK call shape, whose account a call acts on, expand, raw and HTTP
requests, webhook events, and a file with syntax errors (docs/languages.md, "Ruby")."""

from __future__ import annotations

import textwrap

import pytest

from stripe_perm_lint.facts import EVIDENCE_READS_ACCOUNT, EVIDENCE_RECEIVES
from stripe_perm_lint.parse import parse_file
from stripe_perm_lint.parse.ruby import parse

from parse_helpers import simplify


def facts(source: str, kinds=None) -> list[tuple]:
    return simplify(parse("app/lib/billing.rb", source), kinds)


def calls(source: str) -> list[tuple]:
    return [(f[2], f[4]) for f in facts(source, ("call",))]


# --- call shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [
    ("Stripe::Customer.retrieve('cus_1')\n", ("ruby_legacy", "Customer.retrieve")),
    ("::Stripe::Customer.list(limit: 3)\n", ("ruby_legacy", "Customer.list")),
    ("Stripe::Checkout::Session.create(params)\n", ("ruby_legacy", "Checkout::Session.create")),
    ("Stripe::Customer.list_balance_transactions('cus_1')\n", ("ruby_legacy", "Customer.list_balance_transactions")),
    ("Stripe::Invoice.upcoming(customer: 'cus_1')\n", ("ruby_legacy", "Invoice.upcoming")),  # an older release's name
    ("c = Stripe::StripeClient.new(key)\nc.v1.customers.retrieve('cus_1')\n", ("ruby_client", "v1.customers.retrieve")),
    ("c = Stripe::StripeClient.new(key)\nc.v1.checkout.sessions.create({})\n", ("ruby_client", "v1.checkout.sessions.create")),
    ("c = Stripe::StripeClient.new(key)\nc.v1.customers.balance_transactions.list('cus_1')\n",
     ("ruby_client", "v1.customers.balance_transactions.list")),
    ("inv = Stripe::Invoice.retrieve('in_1')\ninv.pay\n", ("ruby_instance", "Invoice#pay")),
])
def test_each_call_shape_is_read(source, expected) -> None:
    found = [(f[1], f[2]) for f in facts(source, ("call",))]
    assert found[-1] == expected


def test_helpers_and_look_alikes_are_no_calls() -> None:
    source = """
Stripe::Webhook.construct_event(payload, sig, secret)
Stripe::OAuth.authorize_url(scope: 'read_write')
Customer.retrieve(1)
client.customers.retrieve(1)
Stripe::Customer.new(id: 'cus_1')
"""
    assert facts(source, ("call",)) == []


def test_a_client_held_in_an_instance_variable_or_memoised_getter_is_followed() -> None:
    source = """
class Sync
  def initialize(shop)
    @client = Stripe::StripeClient.new(shop.access_token)
  end

  def stripe
    @stripe ||= Stripe::StripeClient.new(ENV['STRIPE_SECRET_KEY'])
  end

  def run
    @client.v1.invoices.list
    stripe.v1.products.list
  end
end
"""
    assert calls(source) == [("v1.invoices.list", "installing"), ("v1.products.list", "platform")]


def test_a_client_passed_to_a_constructor_in_the_same_file_is_followed() -> None:
    source = """
class Reports
  def initialize(client)
    @client = client
  end

  def run(client)
    client.v1.payouts.list
  end
end

client = Stripe::StripeClient.new(ENV['STRIPE_SECRET_KEY'])
Reports.new(client).run(client)
"""
    # `@client` is a parameter's value: no call on it here; `run(client)` is handed the platform's
    assert calls(source) == [("v1.payouts.list", "platform")]


def test_a_client_of_unknown_origin_is_inferred_from_the_exact_chain() -> None:
    found = parse("a.rb", "def sync(stripe)\n  stripe.v1.customers.list\nend\n")
    assert [(c.accessor, c.account, c.inferred) for c in found.calls] == [("v1.customers.list", "unknown", True)]
    assert [(u.origin, u.name, u.chain) for u in found.untraced_clients] == [("parameter", "stripe", "v1.customers.list")]


def test_a_computed_method_name_is_unresolved() -> None:
    assert facts("Stripe::Customer.public_send(action, id)\n", ("call", "unresolved")) == [
        ("unresolved", "computed method name on a Stripe client", 1)]


# --- accounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "account"), [
    ("Stripe::Customer.list({limit: 3}, {stripe_account: acct})\n", "installing"),
    ("Stripe::Customer.list({}, stripe_context: ctx)\n", "installing"),
    ("Stripe::Checkout::Session.create(params, {api_key: shop.access_token})\n", "installing"),
    ("Stripe::Customer.list({}, {api_key: ENV['STRIPE_SECRET_KEY']})\n", "platform"),
    ("opts = { stripe_account: acct }\nStripe::Customer.list({}, opts)\n", "installing"),
    # the global key, set where this file cannot see: settled by the manifest's access type
    ("Stripe::Customer.list\n", "unknown"),
    ("Stripe.api_key = ENV['STRIPE_SECRET_KEY']\nStripe::Customer.list\n", "platform"),
    ("Stripe.api_key = config.stripe_secret_key\nStripe::Customer.list\n", "unknown"),
    ("def sync(token)\n  Stripe.api_key = token\n  Stripe::Customer.list\nend\n", "installing"),
    ("Stripe::OAuth.token(grant_type: 'authorization_code', code: code)\n", "platform"),
    ("c = Stripe::StripeClient.new(ENV.fetch('STRIPE_SECRET_KEY'))\nc.v1.customers.list\n", "platform"),
    ("c = Stripe::StripeClient.new(account.oauth_token)\nc.v1.customers.list\n", "installing"),
    ("c = Stripe::StripeClient.new(key, stripe_account: acct)\nc.v1.customers.list\n", "installing"),
    ("def build(key)\n  c = Stripe::StripeClient.new(key)\n  c.v1.customers.list\nend\n", "unknown"),
    ("c = Stripe::StripeClient.new(ENV['K'])\nc.v1.customers.list({}, {stripe_account: acct})\n", "installing"),
    ("c = Stripe::StripeClient.new(ENV['K'])\nc.v1.oauth.token(code: code)\n", "platform"),
])
def test_whose_account_a_call_acts_on(source, account) -> None:
    assert calls(source)[-1][1] == account


def test_the_events_account_makes_a_call_the_installing_accounts() -> None:
    source = """
Stripe.api_key = ENV['STRIPE_SECRET_KEY']
event = Stripe::Webhook.construct_event(payload, sig, secret)
account = event.account
Stripe::Account.retrieve(account)
"""
    assert calls(source) == [("Account.retrieve", "installing")]


def test_a_method_on_a_fetched_object_acts_where_the_object_came_from() -> None:
    source = "inv = Stripe::Invoice.retrieve('in_1', stripe_account: acct)\ninv.void_invoice\n"
    assert calls(source) == [("Invoice.retrieve", "installing"), ("Invoice#void_invoice", "installing")]


def test_options_from_a_parameter_are_named_for_the_linker() -> None:
    found = parse("a.rb", "def list(params, opts)\n  Stripe::Customer.list(params, opts)\nend\n")
    assert [(c.accessor, c.options_param) for c in found.calls] == [("Customer.list", ("opts", 1))]


# --- expand ------------------------------------------------------------------------------------


def test_expand_paths_each_at_their_own_string() -> None:
    source = "Stripe::Invoice.retrieve({id: 'in_1', expand: ['customer',\n  'subscription']})\n"
    assert facts(source, ("expand", "expand_dynamic")) == [("expand", "customer", 1), ("expand", "subscription", 2)]


def test_an_expand_list_from_a_constant_is_read_and_a_built_one_is_dynamic() -> None:
    source = "EXPAND = %w[customer charge].freeze\nStripe::Invoice.list(expand: EXPAND)\nStripe::Invoice.list(expand: fields.map(&:to_s))\n"
    assert facts(source, ("expand", "expand_dynamic", "unresolved")) == [
        ("expand", "customer", 1), ("expand", "charge", 1), ("expand_dynamic", 3),
        ("unresolved", "expand list built at run time", 3)]


# --- raw and HTTP requests ---------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [
    ('Stripe.raw_request(:post, "/v1/customers/#{id}/balance_transactions", {}, {stripe_account: acct})\n',
     ("POST", "/v1/customers/{}/balance_transactions", "installing")),
    ("c = Stripe::StripeClient.new(ENV['K'])\nc.raw_request(:get, '/v1/balance')\n", ("GET", "/v1/balance", "platform")),
    ('uri = URI("https://api.stripe.com/v1/charges/#{id}/capture")\nreq = Net::HTTP::Post.new(uri)\n',
     ("POST", "/v1/charges/{}/capture", "unknown")),
    ('Net::HTTP.post(URI("https://api.stripe.com/v1/refunds"), body)\n', ("POST", "/v1/refunds", "unknown")),
    ('HTTParty.get("https://api.stripe.com/v1/balance", headers: {"Stripe-Account" => acct})\n',
     ("GET", "/v1/balance", "installing")),
    ("BASE = 'https://api.stripe.com/v1'\nFaraday.delete(\"#{BASE}/customers/#{id}\", nil, auth)\n",
     ("DELETE", "/v1/customers/{}", "unknown")),
    ("RestClient::Request.execute(method: :post, url: 'https://api.stripe.com/v1/payouts?x=1',\n"
     "  headers: { Authorization: \"Bearer #{ENV['STRIPE_SECRET_KEY']}\" })\n", ("POST", "/v1/payouts", "platform")),
    ("HTTParty.post('https://api.stripe.com/v1/customers/' + id)\n", ("POST", "/v1/customers/{}", "unknown")),
    ("HTTParty.post('https://api.stripe.com/v1/oauth/token', body: { code: code })\n",
     ("POST", "/v1/oauth/token", "platform")),
])
def test_raw_and_http_requests(source, expected) -> None:
    assert [f[1:3] + (f[4],) for f in facts(source, ("raw",))] == [expected]


def test_a_url_that_is_not_an_endpoint_is_no_request() -> None:
    source = "HTTParty.get('https://api.stripe.com/healthcheck')\nlink = 'https://stripe.com/docs/api'\n"
    assert facts(source, ("raw",)) == []


# --- events ------------------------------------------------------------------------------------

WEBHOOK = """
class WebhooksController < ApplicationController
  HANDLERS = { 'customer.created' => :on_created }.freeze

  def create
    event = Stripe::Webhook.construct_event(request.body.read, sig, ENV['STRIPE_WEBHOOK_SECRET'])
    case event.type
    when 'invoice.paid', 'invoice.payment_failed' then paid(event)
    when *REFUNDS then refund(event)
    end
    puts 'x' if event['type'] == 'charge.refunded'
    puts 'y' if event.type.start_with?('customer.subscription.')
    HANDLERS.fetch(event.type)
    return if event.account.nil?
    send("handle_#{event.type}")
    event.type == kind
  end

  REFUNDS = %w[refund.created refund.updated].freeze
end
"""


def test_handled_events_in_every_shape() -> None:
    assert facts(WEBHOOK, ("event", "unresolved")) == [
        ("event", "customer.created", "handled", 3),
        ("event", "invoice.paid", "handled", 8),
        ("event", "invoice.payment_failed", "handled", 8),
        ("event", "charge.refunded", "handled", 11),
        ("event", "customer.subscription.*", "handled", 12),
        ("event", "refund.created", "handled", 19),
        ("event", "refund.updated", "handled", 19),
        ("unresolved", "event type used to compute a handler name", 15),
        ("unresolved", "event type compared with a non-literal", 16),
    ]


def test_the_endpoint_and_its_evidence() -> None:
    found = parse("app/controllers/webhooks_controller.rb", WEBHOOK)
    paid = next(e for e in found.events if e.name == "invoice.paid")
    assert paid.endpoint == "app/controllers/webhooks_controller.rb:WebhooksController.create"
    assert EVIDENCE_READS_ACCOUNT in paid.evidence and EVIDENCE_RECEIVES in paid.evidence
    assert "verified with `STRIPE_WEBHOOK_SECRET`" in paid.evidence


def test_the_stripe_event_gem() -> None:
    source = """
StripeEvent.configure do |events|
  events.subscribe 'invoice.' do |event|
    Billing.sync(event.data.object)
  end
  events.subscribe 'charge.failed', ChargeFailed.new
end
StripeEvent.subscribe 'payout.paid' do |event|
  puts event.type == 'payout.paid'
end
"""
    assert facts(source, ("event",)) == [
        ("event", "invoice.*", "handled", 3), ("event", "charge.failed", "handled", 6),
        ("event", "payout.paid", "handled", 8), ("event", "payout.paid", "handled", 9)]


def test_subscribed_events_of_a_webhook_endpoint() -> None:
    source = """
Stripe::WebhookEndpoint.create(url: url, enabled_events: ['invoice.paid', 'charge.refunded'])
client = Stripe::StripeClient.new(ENV['K'])
client.v1.webhook_endpoints.create({url: url, enabled_events: events_for(plan)})
"""
    assert facts(source, ("event", "unresolved")) == [
        ("event", "invoice.paid", "subscribed", 2), ("event", "charge.refunded", "subscribed", 2),
        ("unresolved", "enabled_events is not a list of literals", 4)]


def test_an_event_of_unknown_origin_counts_only_names_shaped_like_events() -> None:
    source = "def handle(event)\n  return unless event.type == 'invoice.paid'\n  kind = event.type\n  kind == 'Paid'\nend\n"
    assert facts(source, ("event",)) == [("event", "invoice.paid", "handled", 2)]


# --- robustness --------------------------------------------------------------------------------


def test_a_file_with_syntax_errors_keeps_what_parsed() -> None:
    source = """
Stripe::Customer.list({}, {stripe_account: acct})
def broken(
  case event.type
  when "customer.created":
    Stripe::Invoice.list({}, {stripe_account: acct})
"""
    found = parse("a.rb", source)
    assert [c.accessor for c in found.calls] == ["Customer.list", "Invoice.list"]
    assert found.problems and found.problems[0].message.startswith("syntax error")


@pytest.mark.parametrize("source", ["", "\x00\xff", "end end end", "def x(" * 200, "a." * 3000 + "b", "%w[" * 50])
def test_odd_input_never_raises(source) -> None:
    parse("a.rb", source)


def test_the_dispatcher_reads_ruby_files_and_skips_those_that_cannot_matter() -> None:
    assert parse_file("lib/a.rb", "Stripe::Customer.list\n").calls[0].style == "ruby_legacy"
    assert parse_file("lib/a.rb", "x = 1\n").calls == ()
    assert parse_file("lib/tasks/sync.rake", "Stripe::Payout.list\n").language == "ruby"


def test_a_client_from_another_file_is_inferred_from_the_exact_chain() -> None:
    found = parse("a.rb", "def run\n  StripeGateway.client.v1.customers.list({}, {stripe_account: acct})\nend\n")
    assert [(c.accessor, c.account, c.inferred) for c in found.calls] == [("v1.customers.list", "installing", True)]
    assert [(u.origin, u.name) for u in found.untraced_clients] == [("unknown", "StripeGateway.client")]


def test_another_services_event_of_unknown_origin_says_nothing() -> None:
    source = """
def track(event)
  return if event.type == 'user.signed_up'
  AUDIT[event['type']]
  event.type == kind
end
"""
    assert facts(source, ("event", "unresolved")) == []


def test_the_older_sdks_request_by_verb_and_path() -> None:
    source = "Stripe::APIResource.request(:post, '/v1/payouts', {}, {stripe_account: acct})\nStripe.request(:get)\n"
    assert facts(source, ("raw",)) == [("raw", "POST", "/v1/payouts", 1, "installing")]


def test_a_client_handed_to_a_constructor_is_followed_into_the_field() -> None:
    source = """
class Reports
  def initialize(client)
    @client = client
  end

  def run
    @client.v1.payouts.list
  end
end

Reports.new(Stripe::StripeClient.new(shop.access_token)).run
"""
    assert calls(source) == [("v1.payouts.list", "installing")]


@pytest.mark.parametrize(("initializer", "account"), [
    ("Stripe.api_key = ENV['STRIPE_SECRET_KEY']\n", "platform"),
    ("Stripe.api_key = Config.first.stripe_secret_key\n", "unknown"),  # stored: the manifest settles it
    ("Stripe.api_version = '2024-06-20'\n", "unknown"),  # no key set anywhere
])
def test_the_global_key_set_in_one_file_is_the_key_of_legacy_calls_in_others(initializer, account) -> None:
    from stripe_perm_lint.linker import link_app

    files = [parse("config/initializers/stripe.rb", initializer),
             parse("app/models/payment.rb", "def refund\n  Stripe::Refund.create(charge: id)\nend\n"),
             parse("app/models/shop.rb", "def sync\n  Stripe::Customer.list({}, {stripe_account: acct})\nend\n")]
    linked = {f.path: f for f in link_app(files)}
    assert [c.account for c in linked["app/models/payment.rb"].calls] == [account]
    assert [c.account for c in linked["app/models/shop.rb"].calls] == ["installing"]


def test_methods_on_the_elements_of_an_sdk_list() -> None:
    source = """
def void_all(acct)
  Stripe::Invoice.list({status: 'open'}, {stripe_account: acct}).auto_paging_each do |invoice|
    invoice.void_invoice
  end
  Stripe::Invoice.list.data.each { |inv| inv.send_invoice }
end
"""
    assert calls(source) == [("Invoice.list", "installing"), ("Invoice#void_invoice", "installing"),
                             ("Invoice.list", "unknown"), ("Invoice#send_invoice", "unknown")]


def test_options_from_a_method_or_constant_of_the_file() -> None:
    source = """
class Sync
  OPTS = { stripe_account: ENV['ACCT'] }.freeze

  def request_options
    { stripe_account: current_shop.stripe_user_id }
  end

  def run
    Stripe::Customer.list({}, request_options)
    Stripe::Invoice.list({}, OPTS)
  end
end
"""
    assert calls(source) == [("Customer.list", "installing"), ("Invoice.list", "installing")]


def test_a_per_request_key_in_one_method_leaves_the_others_alone() -> None:
    source = """
Stripe.api_key = ENV['STRIPE_SECRET_KEY']

def for_shop(shop)
  Stripe.api_key = shop.access_token
  Stripe::Customer.list
end

def report
  Stripe::Payout.list
end
"""
    assert calls(source) == [("Customer.list", "installing"), ("Payout.list", "platform")]


def test_a_method_named_by_a_literal_is_read() -> None:
    source = "Stripe::Customer.public_send(:list, {}, {stripe_account: acct})\nc = Stripe::StripeClient.new(ENV['K'])\nc.v1.invoices.send('list')\n"
    assert calls(source) == [("Customer.list", "installing"), ("v1.invoices.list", "platform")]


def test_a_parameter_typed_by_a_sorbet_signature_is_a_client_not_an_inference() -> None:
    source = """
class Sync
  sig { params(client: Stripe::StripeClient, limit: Integer).void }
  def run(client, limit)
    client.v1.customers.list(limit: limit)
  end
end
"""
    found = parse("a.rb", source)
    assert [(c.accessor, c.account, c.inferred) for c in found.calls] == [("v1.customers.list", "unknown", False)]
    assert found.untraced_clients == ()


def test_a_client_from_a_module_method_reaches_every_helper_it_is_handed_to():
    # A seed task's module: the client comes from `Seed.client` (the platform's env key), is held
    # in a task's local and handed down two helpers deep. The answer must not depend on how deep
    # the first question about it was asked.
    source = textwrap.dedent('''\
        module Seed
          module_function

          def client
            key = ENV["SANDBOX_KEY"].to_s
            abort("no key") if key.empty?
            Stripe::StripeClient.new(key)
          end

          def price_for(client, name)
            client.v1.prices.create(lookup_key: name)
          end

          def apply(client, name)
            price_for(client, name)
            client.v1.subscriptions.cancel(name)
          end
        end

        task seed: :environment do
          client = Seed.client
          [1, 2].each do |n|
            Seed.apply(client, n.to_s)
            client.v1.customers.create(name: n.to_s)
          end
        end
        ''')
    found = parse("lib/tasks/seed.rake", source).calls
    assert [(c.accessor, c.position.line, c.account, c.inferred) for c in found] == [
        ("v1.prices.create", 11, "platform", False),
        ("v1.subscriptions.cancel", 16, "platform", False),
        ("v1.customers.create", 24, "platform", False),
    ]
