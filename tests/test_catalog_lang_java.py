"""The stripe-java table generator: service methods read from source with tree-sitter-java, the
naming convention for the rest, and the committed table's provenance."""

from __future__ import annotations

import json

from stripe_perm_lint.catalog.build import lang_java, languages

SERVICE = """
package com.stripe.service;
public final class CustomerService extends ApiService {
  public Customer retrieve(String customer) throws StripeException {
    return retrieve(customer, (CustomerRetrieveParams) null, (RequestOptions) null);
  }
  public Customer retrieve(String customer, CustomerRetrieveParams params, RequestOptions options) {
    String path = String.format("/v1/customers/%s", ApiResource.urlEncodeId(customer));
    ApiRequest request = new ApiRequest(BaseAddress.API, ApiResource.RequestMethod.GET, path, null, options);
    return this.request(request, Customer.class);
  }
  public Discount deleteDiscount(String customer, RequestOptions options) throws StripeException {
    String path = String.format("/v1/customers/%s/discount", ApiResource.urlEncodeId(customer));
    ApiRequest request = new ApiRequest(BaseAddress.API, ApiResource.RequestMethod.DELETE, path, null, options);
    return this.request(request, Discount.class);
  }
}
"""


def test_service_methods_are_read_from_source(tmp_path):
    folder = tmp_path / "src/main/java/com/stripe/service"
    folder.mkdir(parents=True)
    (folder / "CustomerService.java").write_text(SERVICE)
    assert lang_java.service_methods(folder / "CustomerService.java") == {
        "retrieve": ("GET", "/v1/customers/%s"), "deleteDiscount": ("DELETE", "/v1/customers/%s/discount")}
    table = lang_java.build(tmp_path, "abc123", "1.0.0")
    assert table["methods"]["java_client"]["v1().customers().deleteDiscount"] == "DELETE /v1/customers/{customer}/discount"
    assert "v1().customers().deleteDiscount" not in table["convention"]["java_client"]
    assert "v1().customers().list" in table["convention"]["java_client"]  # not in the file read
    assert "CustomerService.java" in table["source"]


def test_naming_convention():
    assert lang_java.client_accessors("checkout.sessions.line_items.list") == [
        "checkout().sessions().lineItems().list", "v1().checkout().sessions().lineItems().list"]
    assert lang_java.client_accessors("v2.core.accounts.create") == ["v2().core().accounts().create"]
    assert lang_java.client_accessors("v1.customers.list") == []
    assert lang_java.instance_accessor("Customer.save") == "Customer.update"
    assert lang_java.instance_accessor("Customer.refresh") is None
    assert lang_java.legacy_accessor("checkout.Session.create") == "checkout.Session.create"
    assert lang_java.legacy_accessor("Customer.list_balance_transactions") is None


def test_committed_table_has_provenance_and_resolves_the_model_classes_statics():
    table = json.loads((languages.LANGUAGES_DIR / "java.json").read_text("utf-8"))
    assert table["source"].startswith("https://github.com/stripe/stripe-java: src/main/java/com/stripe/service/")
    assert table["methods"]["java_legacy"]["billing.Meter.list"] == "GET /v1/billing/meters"
    assert table["methods"]["java_legacy"]["OAuth.token"] == "POST /oauth/token"
    assert "Webhook.constructEvent" in table["helpers"]["java_legacy"]
