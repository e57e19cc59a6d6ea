"""The Stripe.net table generator's reader (catalog/build/lang_csharp_source.py) on a small
checkout written here in the SDK's shapes: requests by method, partial classes, the client tree,
helpers and event constants; and how its output joins onto the catalog's operations."""

from __future__ import annotations

from pathlib import Path

from stripe_perm_lint.catalog.build import lang_csharp, languages
from stripe_perm_lint.catalog.build.lang_csharp_source import event_constants, read_services

SERVICES = {
    "Customers/CustomerService.cs": """namespace Stripe
{
    using System.Net;
    public partial class CustomerService : Service
    {
        public virtual CustomerTaxIdService TaxIds => this.taxIds ??= new CustomerTaxIdService(this.Requestor);
        public virtual Customer Get(string id, CustomerGetOptions options = null, RequestOptions requestOptions = null)
        {
            return this.Request<Customer>(BaseAddress.Api, HttpMethod.Get, $"/v1/customers/{WebUtility.UrlEncode(id)}", options, requestOptions);
        }
        public virtual IEnumerable<Customer> ListAutoPaging(CustomerListOptions options = null, RequestOptions requestOptions = null)
        {
            return this.ListRequestAutoPaging<Customer>($"/v1/customers", options, requestOptions);
        }
    }
}""",
    "Customers/CustomerService.Extra.cs": """namespace Stripe
{
    public partial class CustomerService
    {
        public virtual Customer Delete(string id, CustomerDeleteOptions options = null, RequestOptions requestOptions = null)
        {
            return this.Request<Customer>(BaseAddress.Api, HttpMethod.Delete, $"/v1/customers/{WebUtility.UrlEncode(id)}", options, requestOptions);
        }
        public virtual string Describe() => "no request";
    }
}""",
    "CustomerTaxIds/CustomerTaxIdService.cs": """namespace Stripe
{
    public class CustomerTaxIdService : ServiceNested<TaxId>
    {
        public virtual TaxId Create(string parentId, TaxIdCreateOptions options, RequestOptions requestOptions = null)
        {
            return this.Request<TaxId>(BaseAddress.Api, HttpMethod.Post, $"/v1/customers/{WebUtility.UrlEncode(parentId)}/tax_ids", options, requestOptions);
        }
    }
}""",
    "Checkout/Sessions/SessionService.cs": """namespace Stripe.Checkout;

public class SessionService : Service
{
    public virtual Session Create(SessionCreateOptions options, RequestOptions requestOptions = null)
    {
        return this.Request<Session>(BaseAddress.Api, HttpMethod.Post, $"/v1/checkout/sessions", options, requestOptions);
    }
}""",
    "CheckoutService.cs": """namespace Stripe
{
    public class CheckoutService : Service
    {
        public virtual Checkout.SessionService Sessions => this.sessions ??= new Checkout.SessionService(this.Requestor);
    }
}""",
    "V1Services.cs": """namespace Stripe
{
    public class V1Services : Service
    {
        public virtual CustomerService Customers => this.customers ??= new CustomerService(this.Requestor);
        public virtual CheckoutService Checkout => this.checkout ??= new CheckoutService(this.Requestor);
    }
}""",
    "Events/EventUtility.cs": """namespace Stripe
{
    public static class EventUtility
    {
        public static Event ConstructEvent(string json, string header, string secret) { return ParseEvent(json); }
        internal static Event Hidden() { return null; }
    }
}""",
}


def checkout(tmp_path: Path) -> Path:
    for name, source in SERVICES.items():
        path = tmp_path / "src" / "Stripe.net" / "Services" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, "utf-8")
    return tmp_path / "src" / "Stripe.net"


def test_requests_partial_classes_and_helpers(tmp_path):
    classes = read_services(checkout(tmp_path))
    assert classes.services["Stripe.CustomerService"].requests == {
        "Get": ("GET", "/v1/customers/{}"), "ListAutoPaging": ("GET", "/v1/customers"),
        "Delete": ("DELETE", "/v1/customers/{}")}
    assert classes.services["Stripe.Checkout.SessionService"].requests == {"Create": ("POST", "/v1/checkout/sessions")}
    assert classes.helpers == {"CustomerService.Describe", "EventUtility.ConstructEvent"}
    assert classes.properties["Stripe.CheckoutService"] == {"Sessions": "Stripe.Checkout.SessionService"}


def test_both_styles_join_onto_the_catalog(tmp_path):
    classes = read_services(checkout(tmp_path))
    methods, unjoined = lang_csharp.methods_of(classes, languages.operation_index())
    assert unjoined == []
    assert methods["dotnet"]["CustomerService.Get"] == "GET /v1/customers/{customer}"
    assert methods["dotnet"]["Checkout.SessionService.Create"] == "POST /v1/checkout/sessions"
    assert methods["dotnet"]["CustomerTaxIdService.Create"] == "POST /v1/customers/{customer}/tax_ids"
    assert methods["dotnet_client"]["V1.Customers.TaxIds.Create"] == "POST /v1/customers/{customer}/tax_ids"
    assert methods["dotnet_client"]["V1.Checkout.Sessions.Create"] == "POST /v1/checkout/sessions"
    assert lang_csharp.nested_services(classes) == {"CustomerService": {"TaxIds": "CustomerTaxIdService"}}


def test_event_constants_from_a_file_or_history_text():
    source = 'namespace Stripe { public static class Events { public const string ChargeSucceeded = "charge.succeeded"; } }'
    assert event_constants(source, "Events") == {"Events.ChargeSucceeded": "charge.succeeded"}
    assert event_constants(source, "EventTypes") == {}


def test_the_generator_refuses_a_folder_that_is_no_checkout(tmp_path, capsys):
    assert lang_csharp.main(["--sdk", str(tmp_path)]) == 2
    assert "is not a stripe-dotnet checkout" in capsys.readouterr().err
