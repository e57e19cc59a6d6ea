"""What the Python parser knows about an expression: small values, independent of libcst.

The evaluator (``eval_values`` / ``eval_calls``) maps an expression to one of these, or
to None when it is nothing Stripe-related. They never leave ``stripe_perm_lint.parse``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Members of the ``stripe`` module that are helpers, not namespaces of resource classes:
# ``stripe.util.x()`` or ``stripe.error.CardError`` must not become API calls.
LEGACY_NON_NAMESPACES = frozenset(
    {
        "error", "util", "http_client", "api_key", "api_base", "api_version", "client_id",
        "log", "max_network_retries", "verify_ssl_certs", "proxy", "default_http_client",
        "set_app_info", "enable_telemetry", "app_info", "ca_bundle_path", "upload_api_base",
        "connect_api_base", "oauth_error", "version", "stripe_object", "api_requestor",
        "deserialize", "StripeObject", "ListObject", "SearchResultObject",
    }
)

# Module-level request helpers of stripe-python (v11+): ``stripe.raw_request("post", "/v1/x")``.
LEGACY_RAW_FUNCTIONS = frozenset({"raw_request", "raw_request_async"})

# Capitalised members of ``stripe`` whose methods are local helpers, not API operations.
LEGACY_HELPER_CLASSES = frozenset(
    {
        "Webhook", "WebhookSignature", "StripeClient", "StripeObject", "ListObject",
        "SearchResultObject", "RequestOptions", "StripeResponse", "StripeStreamResponse",
        "HTTPClient", "RequestsClient", "HTTPXClient", "AIOHTTPClient", "UrllibClient",
        "APIResource", "ErrorObject", "StripeContext", "ThinEvent", "EventNotification",
    }
)

# Legacy class methods that return an object of the class (so later ``obj.save()`` is known).
# List and search return collections, whose items we do not follow.
LEGACY_COLLECTION_PREFIXES = ("list", "search", "auto_paging")

# Methods on a ``StripeClient`` that are not services and not API operations (any other
# one-segment call, ``client.deserialize(...)`` or ``client.close()``, yields nothing).
CLIENT_EVENT_METHODS = frozenset({"construct_event", "parse_thin_event", "parse_event_notification"})
CLIENT_RAW_METHODS = frozenset({"raw_request", "raw_request_async"})

# Methods of a fetched object that read or convert it locally (StripeObject / dict API).
# We skip these rather than emit them: they are never permission-relevant.
INSTANCE_HELPERS = frozenset(
    {
        "to_dict", "to_dict_recursive", "get", "keys", "values", "items", "setdefault", "pop",
        "update", "copy", "serialize", "auto_paging_iter", "construct_from", "refresh_from",
        "request", "request_async", "instance_url", "class_url", "__str__", "__repr__",
        "startswith", "endswith", "lower", "upper", "strip", "split", "format", "encode",
    }
)

# Calls that parse a request body as JSON: a webhook payload read without a signature check.
JSON_PARSERS = frozenset({"json.loads", "json.load", "orjson.loads", "ujson.loads", "simplejson.loads"})
JSON_BODY_METHODS = frozenset({"json", "get_json"})  # ``await request.json()``, Flask ``request.get_json()``

HTTP_LIBRARIES = frozenset({"requests", "httpx", "aiohttp"})
HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
HTTP_SESSION_CLASSES = frozenset({"Session", "Client", "AsyncClient", "ClientSession"})

# Top-level packages whose imports can never name an app module; importing them yields no
# ``ImportBinding`` (the linker would drop them anyway; this only keeps facts small).
KNOWN_THIRD_PARTY = frozenset(
    {
        "stripe", "requests", "httpx", "aiohttp", "flask", "django", "fastapi", "starlette",
        "pydantic", "typing_extensions", "dotenv", "werkzeug", "sqlalchemy", "celery", "boto3",
        "pytest", "attr", "attrs", "jwt", "redis", "uvicorn", "gunicorn",
    }
)

# Per-request options that make a call act on the installing account.
ACCOUNT_OPTIONS = ("stripe_account", "stripe_context")


def strip_async(method: str) -> str:
    return method[: -len("_async")] if method.endswith("_async") else method


@dataclass(frozen=True)
class LegacyNS:
    """The ``stripe`` module (``path == ()``) or a sub-namespace such as ``stripe.checkout``."""

    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class LegacyClass:
    """A resource class: ``stripe.Customer`` -> ``"Customer"``, ``stripe.checkout.Session``."""

    name: str


@dataclass(frozen=True)
class LegacyMethod:
    cls: str
    method: str


@dataclass(frozen=True)
class LegacyFunction:
    """``stripe.raw_request`` and friends."""

    name: str


@dataclass(frozen=True)
class ClientClass:
    """The ``StripeClient`` class itself."""


@dataclass(frozen=True)
class Client:
    account: str


@dataclass(frozen=True)
class Service:
    """A member chain on a client: ``client.v1.customers`` -> ``("v1", "customers")``."""

    account: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class Instance:
    """An object fetched with a legacy class: ``stripe.Customer.retrieve(id)``."""

    cls: str
    account: str


@dataclass(frozen=True)
class Collection:
    """A list or search result of a legacy class; iterating it yields ``Instance``s.
    ``pager`` is the bound ``auto_paging_iter`` method (calling it gives the collection back)."""

    cls: str
    account: str
    pager: bool = False


@dataclass(frozen=True)
class InstanceMethod:
    cls: str
    method: str
    account: str


@dataclass(frozen=True)
class EventValue:
    """A webhook event from ``construct_event`` and friends, or annotated ``stripe.Event``.
    ``unverified``: a request body parsed as JSON (``json.loads(payload)``, ``request.json``),
    which is a Stripe event only if what its type is compared with says so."""

    unverified: bool = False


@dataclass(frozen=True)
class EventTypeValue:
    """``event.type`` / ``event["type"]`` / ``event.get("type")``."""

    unverified: bool = False


@dataclass(frozen=True)
class EventGet:
    """The bound method ``event.get`` (so ``event.get("type")`` is an event type)."""

    unverified: bool = False


@dataclass(frozen=True)
class Imported:
    """A name imported from a module we cannot see (maybe an app module) and members of it.

    ``namespace`` is true for ``import app.billing as billing``: the first segment then names
    the export. ``via_factory`` is true once the import (or its first member) has been called.
    """

    local: str
    segments: tuple[str, ...] = ()
    via_factory: bool = False
    namespace: bool = False


@dataclass(frozen=True)
class HttpLibrary:
    name: str


@dataclass(frozen=True)
class HttpSessionClass:
    library: str


@dataclass(frozen=True)
class HttpSession:
    """``requests.Session()``, ``httpx.Client(base_url=...)``; ``base`` is a known base URL."""

    library: str
    base: str | None = None


@dataclass(frozen=True)
class HttpMethod:
    """``requests.post`` or ``session.get``; ``verb`` None for ``.request(verb, url)``."""

    verb: str | None
    base: str | None = None


# How many alternatives one computed name may stand for (``getattr(client, name)`` over a
# literal list); beyond it the name is unknown, the ``?`` segment.
MAX_CHOICES = 64


@dataclass(frozen=True)
class Choice:
    """One of several values, as ``getattr(client, name)`` is when ``name`` can only be one of a
    few literals: each option is used where the choice is (one call fact per option)."""

    options: tuple[Any, ...]


def choice(values: Any) -> Any:
    """The value that is one of ``values`` (Nones dropped, repeats merged, choices flattened):
    None when nothing is left, the value itself when one is."""
    found: list[Any] = []
    for value in values:
        for option in options(value):
            if option is not None and option not in found:
                found.append(option)
    if not found:
        return None
    return found[0] if len(found) == 1 else Choice(tuple(found))


def options(value: Any) -> tuple[Any, ...]:
    """The alternatives a value stands for: a choice's options, else the value alone."""
    return value.options if isinstance(value, Choice) else (value,)


# The next values hold libcst nodes or scopes; they stay inside the evaluator (eq by identity).


@dataclass(frozen=True, eq=False)
class DictLiteral:
    node: Any
    scope: Any


@dataclass(frozen=True, eq=False)
class DictGet:
    table: DictLiteral


@dataclass(frozen=True, eq=False)
class FunctionRef:
    node: Any  # libcst.FunctionDef
    scope: Any  # the function's own scope
    is_property: bool = False


@dataclass(frozen=True, eq=False)
class ClassRef:
    scope: Any


@dataclass(frozen=True, eq=False)
class UserObject:
    """An instance of a class defined in this module (``self`` in its methods)."""

    scope: Any
