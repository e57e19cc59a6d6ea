"""ASP.NET dependency-injection registrations of Stripe.net clients and services
(`builder.Services.AddSingleton<IStripeClient>(new StripeClient(config["Stripe:SecretKey"]))`,
`services.AddScoped<IStripeClient, StripeClient>(_ => new StripeClient(key))`,
`services.AddScoped<CustomerService>()`). Each becomes a ``ClientExport`` named
``@di:StripeClient`` (both client types: they are one client) or ``@di:CustomerService``, a name no
C# identifier can clash with, with the account the registered value shows; ``csharp_links``
hands that account to the calls on a client or service the app's classes get injected by type."""

from __future__ import annotations

from stripe_perm_lint.facts import ClientExport
from stripe_perm_lint.parse.csharp.declarations import returned_values
from stripe_perm_lint.parse.csharp.scope import Scope
from stripe_perm_lint.parse.csharp.sdk import CLIENT_STYLE, STYLE, di_name
from stripe_perm_lint.parse.csharp.syntax import NodeIndex, arguments, callee_parts, text, unwrap

LIFETIMES = ("AddSingleton", "AddScoped", "AddTransient")
RESOLVERS = ("GetRequiredService", "GetService")


def read_registrations(index: NodeIndex, scope: Scope) -> list[ClientExport]:
    out = []
    for node in index.of("invocation_expression"):
        parts = callee_parts(node)
        if parts is None or parts[1] not in LIFETIMES:
            continue
        type_args = _type_arguments(node)
        args = arguments(node)
        value = _registered_value(args[-1]) if args else None
        if _forwarded_client(value, scope):
            continue  # `sp => sp.GetRequiredService<StripeClient>()`: the other registration says
        held = scope.value(value) if value is not None else None
        # The service type is the first type argument (`<IStripeClient, StripeClient>`), else the
        # instance's own type (`AddSingleton(new StripeClient(key))`).
        typed = scope.held_type(text(type_args[0])) if type_args else (
            (held.kind, held.cls, held.inferred) if held is not None else None)
        if typed is None or typed[0] not in ("client", "service"):
            continue
        kind, cls = typed[0], typed[1]
        # What the container builds by itself (`AddScoped<CustomerService>()`, a client from
        # `GetRequiredService<IStripeClient>()`) shows no account here: "unknown", which for a
        # service means the registered client's.
        account = held.account if held is not None and held.kind == kind else "unknown"
        out.append(ClientExport(di_name(kind, cls), CLIENT_STYLE if kind == "client" else STYLE, account))
    return out


def _registered_value(arg):
    """The instance registered, or what a factory lambda returns (`_ => new StripeClient(key)`)."""
    arg = unwrap(arg)
    if arg is None or arg.type != "lambda_expression":
        return arg
    body = arg.child_by_field_name("body")
    if body is not None and body.type == "block":
        returned = returned_values(arg)
        return returned[0] if returned else None
    return body


def _type_arguments(call) -> list:
    """`AddSingleton<IStripeClient, StripeClient>(...)` -> the nodes of `IStripeClient`, `StripeClient`."""
    name = call.child_by_field_name("function").child_by_field_name("name")
    if name is None or name.type != "generic_name":
        return []
    return next((c.named_children for c in name.named_children if c.type == "type_argument_list"), [])


def _forwarded_client(value, scope: Scope) -> bool:
    """A registration that hands out the client another one registers (`IStripeClient` as the
    registered `StripeClient`): no client of its own."""
    if value is None or value.type != "invocation_expression":
        return False
    parts = callee_parts(value)
    typed = [scope.held_type(text(t)) for t in _type_arguments(value)] if parts and parts[1] in RESOLVERS else []
    return any(t is not None and t[0] == "client" for t in typed)
