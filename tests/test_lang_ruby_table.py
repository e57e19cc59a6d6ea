"""The stripe-ruby table generator, on a small checkout written here in stripe-ruby's own shapes:
services reached from `V1Services`, resources with mixins, nested and custom methods, helpers."""

from __future__ import annotations

from pathlib import Path

from stripe_perm_lint.catalog.build import lang_ruby
from stripe_perm_lint.catalog.build.ruby_source import all_rows, helper_names

FILES = {
    "services/v1_services.rb": """
module Stripe
  class V1Services < StripeService
    def initialize(requestor)
      @customers = Stripe::CustomerService.new(@requestor)
      @oauth = OAuthService.new(@requestor)
    end
  end
end
""",
    "services/customer_service.rb": """
module Stripe
  class CustomerService < StripeService
    def initialize(requestor)
      @tax_ids = Stripe::CustomerTaxIdService.new(@requestor)
    end

    def retrieve(customer, params = {}, opts = {})
      request(method: :get, path: format("/v1/customers/%<customer>s", { customer: CGI.escape(customer) }),
              params: params, opts: opts, base_address: :api)
    end
  end
end
""",
    "services/customer_tax_id_service.rb": """
module Stripe
  class CustomerTaxIdService < StripeService
    def list(customer, params = {}, opts = {})
      request(method: :get, path: format("/v1/customers/%<customer>s/tax_ids", { customer: CGI.escape(customer) }))
    end
  end
end
""",
    "services/oauth_service.rb": """
module Stripe
  class OAuthService < StripeService
    def authorize_url(params = {}, opts = {})
      "#{connect_api_base}/oauth/authorize"
    end

    def token(params = {}, opts = {})
      request(method: :post, path: "/oauth/token", params: params, opts: opts, base_address: :connect)
    end
  end
end
""",
    "resources/invoice.rb": """
module Stripe
  class Invoice < APIResource
    extend Stripe::APIOperations::Create
    extend Stripe::APIOperations::List
    include Stripe::APIOperations::Save
    extend Stripe::APIOperations::NestedResource

    OBJECT_NAME = "invoice"

    nested_resource_class_methods :line, operations: %i[list]

    def pay(params = {}, opts = {})
      request_stripe_object(method: :post, path: format("/v1/invoices/%<invoice>s/pay", { invoice: CGI.escape(self["id"]) }))
    end

    def self.pay(invoice, params = {}, opts = {})
      request_stripe_object(method: :post, path: format("/v1/invoices/%<invoice>s/pay", { invoice: CGI.escape(invoice) }))
    end

    class Rendering < ::Stripe::StripeObject
    end
  end
end
""",
    "resources/balance.rb": """
module Stripe
  class Balance < SingletonAPIResource
    OBJECT_NAME = "balance"
  end
end
""",
    "webhook.rb": """
module Stripe
  module Webhook
    def self.construct_event(payload, sig_header, secret, tolerance: 300)
      Event.construct_from(JSON.parse(payload))
    end
  end
end
""",
}


def checkout(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / "lib" / "stripe" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    (tmp_path / "VERSION").write_text("19.5.0\n", "utf-8")
    return tmp_path


def test_rows_of_both_styles_and_instance_methods(tmp_path) -> None:
    rows = set(all_rows(checkout(tmp_path) / "lib"))
    assert rows >= {
        ("ruby_client", "v1.customers.retrieve", "GET", "/v1/customers/%<customer>s"),
        ("ruby_client", "v1.customers.tax_ids.list", "GET", "/v1/customers/%<customer>s/tax_ids"),
        ("ruby_client", "v1.oauth.token", "POST", "/oauth/token"),
        ("ruby_legacy", "Invoice.create", "POST", "/v1/invoices"),
        ("ruby_legacy", "Invoice.list", "GET", "/v1/invoices"),
        ("ruby_legacy", "Invoice.update", "POST", "/v1/invoices/{}"),
        ("ruby_legacy", "Invoice.retrieve", "GET", "/v1/invoices/{}"),
        ("ruby_legacy", "Invoice.list_lines", "GET", "/v1/invoices/{}/lines"),
        ("ruby_legacy", "Invoice.pay", "POST", "/v1/invoices/%<invoice>s/pay"),
        ("ruby_instance", "Invoice#pay", "POST", "/v1/invoices/%<invoice>s/pay"),
        ("ruby_instance", "Invoice#save", "POST", "/v1/invoices/{}"),
        ("ruby_legacy", "Balance.retrieve", "GET", "/v1/balance"),
    }
    assert not any(accessor.startswith("Invoice::Rendering") for _, accessor, _, _ in rows)
    assert ("ruby_legacy", "Invoice.delete", "DELETE", "/v1/invoices/{}") not in rows  # no Delete mixin


def test_helpers_are_members_that_make_no_request(tmp_path) -> None:
    helpers = helper_names(checkout(tmp_path) / "lib")
    assert helpers == {"ruby_client": ["v1.oauth.authorize_url"], "ruby_legacy": ["Webhook.construct_event"]}


def test_the_table_joins_onto_operations_and_explains_the_rest(tmp_path) -> None:
    table = lang_ruby.build(checkout(tmp_path), [], "abc123")
    assert table["sdk_version"] == "19.5.0" and table["source"].endswith("commit abc123")
    assert table["methods"]["ruby_client"]["v1.customers.retrieve"] == "GET /v1/customers/{customer}"
    assert table["methods"]["ruby_legacy"]["Invoice.pay"] == "POST /v1/invoices/{invoice}/pay"
    assert "POST /v1/customers" in table["absent"]  # no `create` in this checkout
    assert "GET /v1/customers/{customer}" not in table["absent"]
