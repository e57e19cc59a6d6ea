"""C# dependency injection: the registrations the parser reports (``parse.csharp.registrations``)
and the calls on a client or service injected by type that ``csharp_links`` links to them, parsed
and linked as the CLI does (test projects are not discovered: ``test_discover`` covers that, the
fixture ``csharp-di-client`` the whole app)."""

from __future__ import annotations

from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse.csharp import parse

BILLING = """using Stripe;
namespace Shop.Services;
public class Billing(IStripeClient stripe, CustomerService customers)
{
    private readonly StripeClient _own = new StripeClient(System.Environment.GetEnvironmentVariable("STRIPE_KEY"));
    public Task<Invoice> Pay(string id) => stripe.V1.Invoices.PayAsync(id);
    public Task<Customer> Get(string id) => customers.GetAsync(id);
    public Task<Customer> Own(string id) => _own.V1.Customers.GetAsync(id);
    public Task<Product> Product(string id) => new ProductService(stripe).GetAsync(id);
    public Task<Payout> ForAccount(string id, string acct) =>
        stripe.V1.Payouts.GetAsync(id, null, new RequestOptions { StripeAccount = acct });
}
"""


def exports(source: str) -> list[tuple]:
    return [(x.name, x.style, x.account) for x in parse("Program.cs", source).client_exports]


def linked(files: dict[str, str], path: str = "Services/Billing.cs") -> list[tuple]:
    found = {f.path: f for f in link_app([parse(p, text) for p, text in files.items()])}
    assert not found[path].pending_calls  # settled or dropped: the linker has nothing left to wait on
    return [(c.position.line, c.accessor, c.account) for c in found[path].calls]


def program(*registrations: str) -> str:
    lines = "\n".join(registrations)
    return f"using Stripe;\nvar builder = WebApplication.CreateBuilder(args);\nvar config = builder.Configuration;\n{lines}\n"


# ---- the parser: registrations -------------------------------------------------------------------


def test_client_registrations_instance_or_factory_generic_or_not():
    assert exports(program(
        'builder.Services.AddSingleton<IStripeClient>(new StripeClient(config["Stripe:SecretKey"]));',
        'builder.Services.AddSingleton(new StripeClient(builder.Configuration["Stripe:SecretKey"]));',
        'builder.Services.AddSingleton<IStripeClient, StripeClient>(_ => new StripeClient("sk_test_123"));',
        'builder.Services.AddTransient<IStripeClient>(sp => { return new StripeClient(config.GetValue<string>("Key")); });',
    )) == [("@di:StripeClient", "dotnet_client", "platform")] * 4


def test_per_account_client_registrations_are_the_installing_accounts():
    assert exports(program(
        'builder.Services.AddScoped<IStripeClient>(sp => new StripeClient(sp.GetRequiredService<ITokens>().KeyFor(Tenant.Current)));',
        'builder.Services.AddScoped<IStripeClient>(sp => new StripeClient(sp.GetRequiredService<Session>().AccessToken));',
        'builder.Services.AddScoped<IStripeClient>(_ => new StripeClient(new StripeClientOptions '
        '{ ApiKey = config["Stripe:SecretKey"], StripeAccount = Tenant.Current }));',
    )) == [("@di:StripeClient", "dotnet_client", "installing")] * 3


def test_what_the_container_builds_itself_shows_no_account():
    assert exports(program(
        "builder.Services.AddSingleton<IStripeClient, StripeClient>();",
        "builder.Services.AddScoped<CustomerService>();",
        "builder.Services.AddScoped(sp => new InvoiceService(sp.GetRequiredService<IStripeClient>()));",
        "builder.Services.AddSingleton(new ProductService());",  # the process-wide key of Program.cs
    )) == [("@di:StripeClient", "dotnet_client", "unknown"), ("@di:CustomerService", "dotnet", "unknown"),
           ("@di:InvoiceService", "dotnet", "unknown"), ("@di:ProductService", "dotnet", "platform")]


def test_other_registrations_are_not_clients():
    assert exports(program(
        "builder.Services.AddScoped<IBilling, Billing>();",
        "builder.Services.AddSingleton(new HttpClient());",
        "builder.Services.AddControllers();",
        "cache.AddSingleton(key);",
    )) == []


# ---- the linker: calls on injected clients and services --------------------------------------------


def test_a_registered_platform_client_makes_the_injected_calls_the_platforms():
    files = {"Program.cs": program('builder.Services.AddSingleton<IStripeClient>(new StripeClient(config["Stripe:Key"]));',
                                   "builder.Services.AddScoped<CustomerService>();"),
             "Services/Billing.cs": BILLING}
    assert linked(files) == [
        (6, "V1.Invoices.PayAsync", "platform"),
        (7, "CustomerService.GetAsync", "platform"),  # built by the container from that client
        (8, "V1.Customers.GetAsync", "platform"),  # the file's own client keeps its own account
        (9, "ProductService.GetAsync", "platform"),  # a service built on the injected client
        (11, "V1.Payouts.GetAsync", "installing"),  # the call's own account wins
    ]


def test_a_registered_per_account_client_makes_them_the_installing_accounts():
    files = {"Program.cs": program("builder.Services.AddScoped<IStripeClient>(sp => "
                                   "new StripeClient(sp.GetRequiredService<ITokens>().AccessTokenFor(Tenant.Id)));"),
             "Services/Billing.cs": BILLING}
    # CustomerService is not registered: the container cannot build it from the client, so unknown.
    assert linked(files) == [(6, "V1.Invoices.PayAsync", "installing"), (7, "CustomerService.GetAsync", "unknown"),
                             (8, "V1.Customers.GetAsync", "platform"), (9, "ProductService.GetAsync", "installing"),
                             (11, "V1.Payouts.GetAsync", "installing")]


UNSETTLED = [(6, "V1.Invoices.PayAsync", "unknown"), (7, "CustomerService.GetAsync", "unknown"),
             (8, "V1.Customers.GetAsync", "platform"), (9, "ProductService.GetAsync", "unknown"),
             (11, "V1.Payouts.GetAsync", "installing")]


def test_registrations_that_disagree_leave_the_calls_unknown():
    files = {"Program.cs": program('builder.Services.AddSingleton<IStripeClient>(new StripeClient(config["Stripe:Key"]));',
                                   "builder.Services.AddScoped<CustomerService>();"),
             "Tenants/Setup.cs": program("builder.Services.AddScoped<IStripeClient>(sp => "
                                         "new StripeClient(sp.GetRequiredService<Session>().AccessToken));"),
             "Services/Billing.cs": BILLING}
    assert linked(files) == UNSETTLED


def test_no_registration_or_one_that_shows_no_account_changes_nothing():
    assert linked({"Services/Billing.cs": BILLING}) == UNSETTLED
    files = {"Program.cs": program("builder.Services.AddSingleton<IStripeClient, StripeClient>();",
                                   "builder.Services.AddScoped<CustomerService>();"),
             "Services/Billing.cs": BILLING}
    assert linked(files) == UNSETTLED


def test_a_field_set_from_an_injected_client_in_the_constructor():
    files = {"Program.cs": program('builder.Services.AddSingleton(new StripeClient(config["Stripe:Key"]));'),
             "Services/Payouts.cs": """using Stripe;
public class Payouts {
    private readonly IStripeClient _client;
    public Payouts(IStripeClient client) { _client = client; }
    public Task<StripeList<Payout>> Week() => _client.V1.Payouts.ListAsync();
    public Task<StripeList<Payout>> ForAccount(string acct) =>
        _client.V1.Payouts.ListAsync(null, new RequestOptions { StripeAccount = acct });
}
"""}
    assert linked(files, "Services/Payouts.cs") == [(5, "V1.Payouts.ListAsync", "platform"),
                                                     (7, "V1.Payouts.ListAsync", "installing")]


def test_an_interface_forwarded_to_the_registered_client_is_no_client_of_its_own():
    assert exports(program(
        'builder.Services.AddSingleton(new StripeClient(config["Stripe:SecretKey"]));',
        "builder.Services.AddSingleton<IStripeClient>(sp => sp.GetRequiredService<StripeClient>());",
    )) == [("@di:StripeClient", "dotnet_client", "platform")]


def test_only_what_the_container_fills_is_linked():
    files = {"Program.cs": program(
        'builder.Services.AddSingleton<IStripeClient>(new StripeClient(config["Stripe:Key"]));',
        'app.MapPost("/retry/{id}", (string id, IStripeClient stripe) => stripe.V1.Invoices.PayAsync(id));'),
        "Services/Billing.cs": """using Stripe;
public class InvoicesController : ControllerBase {
    public Task<Invoice> Pay(string id, IStripeClient stripe) => stripe.V1.Invoices.PayAsync(id);
}
public class Jobs {
    public Task<Invoice> Run(string id, [FromServices] IStripeClient stripe) => stripe.V1.Invoices.PayAsync(id);
    // A helper's parameter is what its caller hands in: here a client of the merchant's token.
    public Task<Invoice> Pay(IStripeClient client, string id) => client.V1.Invoices.PayAsync(id);
    public Task<Invoice> ForMerchant(string token, string id) => Pay(new StripeClient(token), id);
}
"""}
    assert linked(files, "Program.cs") == [(5, "V1.Invoices.PayAsync", "platform")]
    assert linked(files) == [(3, "V1.Invoices.PayAsync", "platform"), (6, "V1.Invoices.PayAsync", "platform"),
                             (8, "V1.Invoices.PayAsync", "unknown")]
