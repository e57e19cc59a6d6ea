"""The Ruby parser on Rails idioms: a memoised event built by an explicit `return`, event tables
and class helpers of another file (linked by constant path, as Rails autoloads them), and a
Stripe URL one method builds and another requests (docs/languages.md, "Ruby")."""

from __future__ import annotations

from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse.ruby import parse

from parse_helpers import simplify


def linked(files: dict[str, str]) -> dict[str, list[tuple]]:
    out = link_app([parse(path, source) for path, source in files.items()])
    return {f.path: simplify(f, ("call", "event", "unresolved", "raw")) for f in out}


MEMOISED_EVENT = """
class StripeNotification
  AUTHORIZED = "account.application.authorized"
  INVOICE_TYPES = %w[invoice.created invoice.paid].freeze
  REFUND_TYPES = %w[charge.refunded].freeze

  def process
    if event.type == AUTHORIZED
      connect!
    elsif event.type.in?(INVOICE_TYPES)
      sync_invoice
    elsif REFUND_TYPES.include?(event.type)
      refund
    end
  end

  private

  def event
    @event ||= begin
      verified_event
    rescue JSON::ParserError
      nil
    end
  end

  def verified_event
    secrets.each_with_index do |secret, i|
      return ::Stripe::Webhook.construct_event(payload, signature, secret)
    rescue Stripe::SignatureVerificationError
      raise if i == secrets.size - 1
    end
    nil
  end
end
"""


def test_an_event_memoised_from_an_explicit_return_has_its_type_read() -> None:
    assert simplify(parse("app/models/stripe_notification.rb", MEMOISED_EVENT), ("event", "unresolved")) == [
        ("event", "account.application.authorized", "handled", 3),
        ("event", "invoice.created", "handled", 4),
        ("event", "invoice.paid", "handled", 4),
        ("event", "charge.refunded", "handled", 5),
    ]


def test_a_return_inside_a_nested_def_or_lambda_is_not_the_methods() -> None:
    source = """
class Hook
  def event
    handler = -> { return Stripe::Webhook.construct_event(body, sig, secret) }
    nil
  end

  def run
    track if event.type == "invoice.paid"
  end
end
"""
    assert simplify(parse("app/models/hook.rb", source), ("event",)) == []


TABLE_MODEL = """
class ConnectNotice < ApplicationRecord
  HANDLED = {
    "customer.created" => :customer_changed,
    "charge.refunded" => :refund_recorded,
  }.freeze
  BILLING = %w[invoice.paid invoice.voided].freeze
end
"""


def test_an_event_table_of_another_file_is_linked_by_its_constant_path() -> None:
    controller = """
module Connect
  class WebhooksController < ApplicationController
    def create
      event = Stripe::Webhook.construct_event(request.raw_post, sig, secret)
      return head :ok unless ConnectNotice::HANDLED.key?(event.type)
      return bill(event) if ConnectNotice::BILLING.include?(event[:type].to_s)
      dispatch(ConnectNotice::HANDLED[event.type], event)
    end
  end
end
"""
    found = linked({"app/models/connect_notice.rb": TABLE_MODEL, "app/controllers/connect/webhooks_controller.rb": controller})
    assert found["app/controllers/connect/webhooks_controller.rb"] == [
        ("event", "charge.refunded", "handled", 6),
        ("event", "customer.created", "handled", 6),
        ("event", "invoice.paid", "handled", 7),
        ("event", "invoice.voided", "handled", 7),
        ("event", "charge.refunded", "handled", 8),
        ("event", "customer.created", "handled", 8),
    ]


def test_a_constant_the_app_does_not_define_stays_unresolved() -> None:
    controller = """
class WebhooksController < ApplicationController
  def create
    event = Stripe::Webhook.construct_event(request.raw_post, sig, secret)
    Handlers::TABLE.fetch(event.type).call(event)
  end
end
"""
    assert linked({"app/controllers/webhooks_controller.rb": controller})["app/controllers/webhooks_controller.rb"] == [
        ("unresolved", "event type used as a key of a table the parser cannot read", 5),
    ]


HELPER = """
module Sync
  module ConnectedAccount
    def self.retrieve(klass, connection, id) = klass.retrieve({ id: id }, { stripe_account: connection.account_id })

    def self.each(klass, connection, **params, &block)
      klass.list(params, { stripe_account: connection.account_id }).auto_paging_each(&block)
    end
  end
end
"""


def test_a_helper_taking_the_resource_class_is_linked_across_files_at_each_call() -> None:
    caller = """
module Sync
  class Backfill
    def run
      ConnectedAccount.each(Stripe::Customer, @connection, limit: 100) { |c| save(c) }
      ConnectedAccount.retrieve(Stripe::Charge, @connection, dispute.charge)
      ConnectedAccount.retrieve(Stripe::Util, @connection, "x")
    end
  end
end
"""
    found = linked({"app/lib/sync/connected_account.rb": HELPER, "app/services/sync/backfill.rb": caller})
    assert found["app/services/sync/backfill.rb"] == [
        ("call", "ruby_legacy", "Customer.list", 5, "installing"),
        ("call", "ruby_legacy", "Charge.retrieve", 6, "installing"),
    ]
    assert found["app/lib/sync/connected_account.rb"] == []


def test_a_helper_taking_the_resource_class_in_the_same_file() -> None:
    source = HELPER + """
class Report
  def run = Sync::ConnectedAccount.retrieve(Stripe::Invoice, connection, id)
end
"""
    assert simplify(parse("app/lib/report.rb", source), ("call",)) == [
        ("call", "ruby_legacy", "Invoice.retrieve", 13, "installing"),
    ]


URLS = """
module Billing
  class Endpoints
    def invoices_uri
      URI("https://api.stripe.com/v1/invoices")
    end

    def void_uri(id) = URI("https://api.stripe.com/v1/invoices/#{id}/void")
  end

  class InvoiceFetcher
    def list(account_id)
      uri = endpoints.invoices_uri.dup
      uri.query = URI.encode_www_form(limit: 100)
      get_json(uri, account_id)
    end

    def void(id)
      request = Net::HTTP::Post.new(endpoints.void_uri(id))
      request["Authorization"] = "Bearer #{ENV.fetch('STRIPE_SECRET_KEY')}"
      http.request(request)
    end

    private

    def get_json(uri, account_id)
      request = Net::HTTP::Get.new(uri)
      request["Stripe-Account"] = account_id
      http.request(request)
    end
  end
end
"""


def test_a_url_built_by_one_method_takes_the_verb_and_account_of_the_request_sending_it() -> None:
    assert simplify(parse("app/models/billing/endpoints.rb", URLS), ("raw",)) == [
        ("raw", "GET", "/v1/invoices", 5, "installing"),
        ("raw", "POST", "/v1/invoices/{}/void", 8, "platform"),
    ]


def test_a_url_method_nobody_in_the_file_calls_is_of_unknown_account() -> None:
    source = 'class Endpoints\n  def invoices_uri = URI("https://api.stripe.com/v1/invoices")\nend\n'
    assert simplify(parse("app/models/endpoints.rb", source), ("raw",)) == [
        ("raw", "GET", "/v1/invoices", 2, "unknown"),
    ]


def test_a_url_method_of_another_file_is_requested_where_its_value_is_sent() -> None:
    endpoints = 'class Endpoints\n  def invoices_uri = URI("https://api.stripe.com/v1/invoices")\nend\n'
    client = """
class InvoiceClient
  def list(account_id)
    uri = endpoints.invoices_uri.dup
    fetch(uri, account_id)
  end

  def fetch(uri, account_id)
    Rails.cache.delete(endpoints.invoices_uri)  # no request: not an HTTP library's call
    request = Net::HTTP::Get.new(uri)
    request["Stripe-Account"] = account_id
    http.request(request)
  end
end
"""
    found = linked({"app/models/endpoints.rb": endpoints, "app/models/invoice_client.rb": client})
    assert found == {
        "app/models/endpoints.rb": [],  # the request is the client's, not a second one of unknown account
        "app/models/invoice_client.rb": [("raw", "GET", "/v1/invoices", 4, "installing")],
    }


def test_a_url_method_two_files_define_links_to_neither() -> None:
    endpoints = 'class Endpoints\n  def invoices_uri = URI("https://api.stripe.com/v1/invoices")\nend\n'
    client = 'class C\n  def list(a)\n    r = Net::HTTP::Get.new(config.invoices_uri)\n    r["Stripe-Account"] = a\n  end\nend\n'
    found = linked({"app/models/a.rb": endpoints, "app/models/b.rb": endpoints, "app/models/c.rb": client})
    assert found["app/models/a.rb"] == found["app/models/b.rb"] == [("raw", "GET", "/v1/invoices", 2, "unknown")]
    assert found["app/models/c.rb"] == []


def test_a_module_function_helper_handing_the_class_on_and_options_from_a_method() -> None:
    helper = """
module Sync
  module Remote
    module_function

    def options(link)
      { stripe_account: link.account_id }
    end

    def list(resource, link, params = {})
      resource.list(params, options(link))
    end

    def each(resource, link, params = {}, &block)
      list(resource, link, { limit: 100 }.merge(params)).auto_paging_each(&block)
    end
  end
end
"""
    caller = "module Sync\n  class Job\n    def run = Remote.each(Stripe::Subscription, link, status: 'all') { |s| s }\n  end\nend\n"
    found = linked({"app/lib/sync/remote.rb": helper, "app/jobs/sync/job.rb": caller})
    assert found["app/jobs/sync/job.rb"] == [("call", "ruby_legacy", "Subscription.list", 3, "installing")]
