"""Language-neutral facts that the parsers extract from one source file.

Parsers (``stripe_perm_lint.parse.python``, ``.typescript`` and one per backend language of
``stripe_perm_lint.backends``) turn a file into a ``FileFacts``;
nothing from libcst or tree-sitter leaves them. Rules and the cross-file linker see only these
frozen dataclasses, so one rule serves every language alike, and a ``FileFacts`` can be
cached or computed in another process (every field is a plain value).

Positions are 1-based lines and columns; ``path`` is the file path relative to the app root,
with forward slashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How a call reached the SDK. The catalog resolves ``(style, accessor)`` to an operation.
#   "node"            stripe-node client:        accessor "checkout.sessions.create", "v2.core.accounts.create"
#   "python_client"   StripeClient services:     accessor "v1.customers.list", "customers.list" (no ``_async``)
#   "python_legacy"   module-level classes:      accessor "Customer.list", "checkout.Session.create"
#   "python_instance" method on a fetched object: accessor "Customer.save", "PaymentIntent.capture"
# The backend languages (Ruby, Go, PHP, C#, Java) use the styles of their SDK tables,
# ``catalog/languages/<language>.json`` ("ruby_legacy", "go_client", "dotnet"...; docs/languages.md).
CALL_STYLES = ("node", "python_client", "python_legacy", "python_instance")

# Whose account a call acts on (docs/semantics.md §6).
#   "installing"  the account that installed the app (UI extension, stripeAccount/stripe_account, OAuth key)
#   "platform"    the developer's own account: needs no manifest permission
#   "unknown"     a client known only by its type (a `stripe: Stripe` parameter); the engine
#                 decides after linking, by where the file lives (see app_loader.settle_accounts)
ACCOUNTS = ("installing", "platform", "unknown")


@dataclass(frozen=True, order=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class ExpandPath:
    """One string of an ``expand`` list, at the position of the string literal."""

    path: str
    position: Position


@dataclass(frozen=True)
class ApiCall:
    """A method call on a recognised Stripe client or SDK class.

    ``accessor`` is the dotted member chain after the client (see ``CALL_STYLES``); a segment the
    parser could not read statically (``stripe[name].list()``) is written ``?``.
    ``expand`` holds the literal expand paths found in the call's params; ``expand_dynamic`` is
    true when an ``expand`` value was present but not a list of literals the parser could follow.
    """

    style: str
    accessor: str
    position: Position
    account: str = "installing"
    expand: tuple[ExpandPath, ...] = ()
    expand_dynamic: bool = False
    # Names of imported constants used as the expand list; the linker turns them into ``expand``.
    expand_imports: tuple[tuple[str, Position], ...] = ()
    # True when the client's origin could not be traced (an unresolved import, a library hook,
    # dependency injection) and the call was recognised by its exact SDK shape on a receiver whose
    # name says Stripe (docs/semantics.md §11). Findings about it say so.
    inferred: bool = False
    # The request options come from a parameter of the enclosing function: (its name, the
    # parameter's index). A caller in another module that passes `stripeAccount` there
    # (``AccountArgument``) makes the call act for the installing account (docs/semantics.md §6).
    options_param: tuple[str, int] | None = None


@dataclass(frozen=True)
class RawRequest:
    """A request by verb and path: ``stripe.rawRequest``, ``client.raw_request``,
    ``StripeResource.extend({method, path})`` or a plain HTTP call to ``https://api.stripe.com``.

    ``path`` is as written, with ``{}`` where the parser met a non-literal part
    (``/v1/customers/{}``); ``verb`` is upper case, or ``?`` when not literal.
    """

    verb: str
    path: str
    position: Position
    account: str = "installing"
    expand: tuple[ExpandPath, ...] = ()
    expand_dynamic: bool = False


@dataclass(frozen=True)
class EventUse:
    """An event type the code handles or subscribes to.

    ``kind`` is "handled" (compared with the ``type`` of an event from ``constructEvent`` and
    friends, or a key of a dispatch table) or "subscribed" (``enabled_events`` of a webhook
    endpoint). ``name`` may be ``*`` for a wildcard subscription, or end in ``.*`` for a family
    of events matched by prefix (``event.type.startsWith('customer.subscription.')`` is
    ``customer.subscription.*``).
    """

    name: str
    kind: str
    position: Position
    # The webhook endpoint or handler whose code handles it (docs/semantics.md §10): a stable id,
    # ``path:function`` (the outermost enclosing function, or the route / callback key), and what
    # that code shows about whose account the event comes from (``EVIDENCE_*`` below).
    endpoint: str | None = None
    evidence: tuple[str, ...] = ()
    # The event is what an imported function returns (`const event = await constructStripeEvent(req)`,
    # the import's local name): the linker keeps the use when that function returns a webhook event
    # (``FileFacts.event_source_exports``), or when the import leads nowhere and the compared names
    # are Stripe's, as for an event of unknown origin.
    via: str | None = None


# What an endpoint's code shows about whose events it receives (docs/semantics.md §10).
EVIDENCE_READS_ACCOUNT = "reads `event.account`"  # the installing account's events
EVIDENCE_CALLS_INSTALLING = "calls the installing account"  # ditto: `stripeAccount` in the handler
EVIDENCE_RECEIVES = "receives the event from the request"  # an endpoint, not a helper it calls
EVIDENCE_BILLING_PLUGIN = "the `onEvent` callback of better-auth's Stripe plugin"
EVIDENCE_SECRET = "verified with "  # + "`NAME`": a webhook secret the endpoint names


@dataclass(frozen=True)
class WebhookEndpoint:
    """A function that receives or inspects a webhook event and shows evidence about whose account
    it serves (a webhook secret, ``event.account``), with the functions it hands the event to
    (``handleBillingWebhookEvent(event)``): their events share its evidence."""

    endpoint: str
    position: Position
    evidence: tuple[str, ...] = ()
    hands_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class SdkFunctionUse:
    """A call of a UI-extension SDK function, e.g. ``getDashboardUserEmail``."""

    name: str
    position: Position


@dataclass(frozen=True)
class PermissionReference:
    """A permission name the code names itself: ``isPermissionAuthorized('x')``, or a literal
    compared with the list from ``getUserAuthorizedPermissions()``."""

    permission: str
    position: Position


@dataclass(frozen=True)
class RemovedApiUse:
    """Use of an SDK member Stripe removed (``userContext.email``)."""

    name: str
    position: Position


@dataclass(frozen=True)
class Unresolved:
    """Something that looks like Stripe API use but cannot be read statically: a computed method
    name, an expand list built at run time, an event type tested against a variable.
    ``what`` is a short description used in the finding ("computed method name on a Stripe client")."""

    what: str
    position: Position


# Where an untraced client comes from (``UntracedClient.origin``).
#   "import"     a name imported from a module the linker cannot follow to a client (a package, a
#                module outside the app, or an app module that exports no client it can see)
#   "parameter"  a parameter with no type, or one (`any`, an object type) that does not say client
#   "member"     a class member nobody in the file sets (`this.stripe`, `self.stripe`: injected)
#   "container"  a value looked up by key (`c.get('stripe')`, `container.resolve("stripe")`)
#   "unknown"    anything else: a global, a variable of unknown value, a function's result
UNTRACED_ORIGINS = ("import", "parameter", "member", "container", "unknown")


@dataclass(frozen=True)
class UntracedClient:
    """A call on a receiver that behaves like a Stripe client, but whose origin the parser could
    not trace to one: its name says Stripe and the member chain starts with an SDK resource
    (`stripe.customers.someWrapper()`), or the chain is exactly an SDK method
    (`client.invoices.list()` on an unresolved import). The call may be counted as inferred
    (``ApiCall.inferred``) or not counted at all; either way the report says the client was not
    traced (docs/semantics.md §11). ``name`` is the receiver as written (`deps.stripe`,
    `c.get('stripe')`), or for an ``import`` the name its module exports (`getStripeClient` for
    `getStripeClient().customers.list()`); ``source`` the module an ``import`` comes from (else
    ""), ``declared`` where the import or parameter is written."""

    origin: str
    name: str
    source: str
    declared: Position | None  # None: nowhere to point at but the calls
    position: Position  # the call
    chain: str = ""  # what the call names after the receiver: `customers.syncProfile`


# --- cross-file links (resolved by ``stripe_perm_lint.linker`` once every file is parsed) ------
# In their own module, re-exported here: every fact class is importable from this one.
from stripe_perm_lint.facts_links import (  # noqa: E402
    ImportBinding,
    ClientExport,
    ConstantExport,
    PendingCall,
    AccountArgument,
    BaseUrlExport,
    PendingBaseUrlRequest,
    PendingEvents,
    RequestWrapperExport,
    PendingRequest,
)


@dataclass(frozen=True)
class ParseProblem:
    """The file could not be read or parsed; the rest of the app is still linted."""

    message: str
    position: Position


@dataclass(frozen=True)
class SuppressionComment:
    """A comment whose text starts with ``stripe-perm-lint:`` (``suppressions`` reads what it says).

    ``text`` is what follows the marker; ``covers`` is the line it applies to: its own line when
    it follows code, else the next line that is not itself only a comment.
    """

    text: str
    position: Position
    covers: int


@dataclass(frozen=True)
class FileFacts:
    path: str
    language: str  # "python" | "typescript" | a backend language ("ruby", "go"...) | an unparsed one ("Kotlin")
    calls: tuple[ApiCall, ...] = ()
    raw_requests: tuple[RawRequest, ...] = ()
    events: tuple[EventUse, ...] = ()
    sdk_functions: tuple[SdkFunctionUse, ...] = ()
    permission_references: tuple[PermissionReference, ...] = ()
    removed_apis: tuple[RemovedApiUse, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    imports: tuple[ImportBinding, ...] = ()
    client_exports: tuple[ClientExport, ...] = ()
    constant_exports: tuple[ConstantExport, ...] = ()
    pending_calls: tuple[PendingCall, ...] = ()
    pending_events: tuple[PendingEvents, ...] = ()
    request_wrapper_exports: tuple[RequestWrapperExport, ...] = ()
    pending_requests: tuple[PendingRequest, ...] = ()
    webhook_endpoints: tuple[WebhookEndpoint, ...] = ()
    untraced_clients: tuple[UntracedClient, ...] = ()
    account_arguments: tuple[AccountArgument, ...] = ()
    base_url_exports: tuple[BaseUrlExport, ...] = ()
    pending_base_url_requests: tuple[PendingBaseUrlRequest, ...] = ()
    event_source_exports: tuple[str, ...] = ()  # exported functions that return a webhook event
    problems: tuple[ParseProblem, ...] = field(default=())
    suppressions: tuple[SuppressionComment, ...] = ()
    # The prefilter let only its imports be read (``stripe_perm_lint.prefilter``): no fact
    # reader ran on it, so the engine may still ask for it to be parsed fully.
    skimmed: bool = False
