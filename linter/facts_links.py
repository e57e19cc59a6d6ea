"""Facts that join files: what a file imports and exports, and the facts that wait on an import
(``Pending*``), which ``stripe_perm_lint.linker`` resolves once every file is parsed. Part of the
fact model of ``stripe_perm_lint.facts``, which re-exports every name here."""

from __future__ import annotations

from dataclasses import dataclass

from stripe_perm_lint.facts import ExpandPath, Position  # noqa: F401 (the annotations name them)


@dataclass(frozen=True)
class ImportBinding:
    """A name this file imports from another module of the app (``import {stripe} from './lib'``,
    ``from app.billing import client``). ``module`` is the specifier as written; ``name`` the
    exported name (``default`` for a default import, ``*`` for a namespace import).
    Re-exports are imports too: ``export {a as b} from './x'`` is ``ImportBinding("b", "./x", "a")``
    and ``export * from './x'`` is ``ImportBinding("*", "./x", "*")``."""

    local: str
    module: str
    name: str


@dataclass(frozen=True)
class ClientExport:
    """This file exports a Stripe client (or a function returning one) under ``name``."""

    name: str
    style: str  # "node" or "python_client" / "python_legacy"
    account: str = "installing"
    returns_client: bool = False  # true for a factory function: ``export function getStripe()``
    # Ruby: a helper calling method ``[1]`` on the SDK class its caller hands in as argument ``[0]``
    # (`def self.retrieve(klass, conn, id) = klass.retrieve(...)`); the caller's ``PendingCall.class_args`` name it.
    class_param: tuple[int, str] | None = None


@dataclass(frozen=True)
class ConstantExport:
    """This file exports a constant list of strings (``export const EXPAND = ['customer'] as const``,
    ``new Set([...])``, a Python list / tuple / set / ``frozenset``). ``keys`` is true when the
    values are the string keys of an exported table (an object, a ``Map``, a dict): a handler
    table other modules dispatch on, never an expand list."""

    name: str
    values: tuple[str, ...]
    keys: bool = False


@dataclass(frozen=True)
class PendingCall:
    """A call whose receiver is an imported name: it becomes an ``ApiCall`` if the import resolves
    to a ``ClientExport``. ``via_factory`` is true for ``getStripe().customers.list()``."""

    import_local: str
    accessor: str
    position: Position
    via_factory: bool = False
    expand: tuple[ExpandPath, ...] = ()
    expand_dynamic: bool = False
    expand_imports: tuple[tuple[str, Position], ...] = ()  # imported constant names used as expand lists
    account: str | None = None  # set when the call itself passes stripeAccount / stripe_account
    options_param: tuple[str, int] | None = None  # as ``ApiCall.options_param``
    class_args: tuple[tuple[int, str], ...] = ()  # Ruby: (index, `Charge`) of each SDK class argument


@dataclass(frozen=True)
class AccountArgument:
    """A call of an imported function passes request options naming an account (`stripeAccount` /
    `stripeContext`) as argument ``index``: the calls that take their options from that parameter
    (``ApiCall.options_param``) act for the installing account. ``member`` is the function's name
    on a namespace import (`billing.listInvoices(...)`), or, when ``import_local`` is None, the
    name of a function of this module. ``from_param``: the argument is the caller's own options
    parameter (function, index), handed on; it names an account when that parameter does."""

    import_local: str | None
    member: str | None
    index: int
    from_param: tuple[str, int] | None = None


@dataclass(frozen=True)
class BaseUrlExport:
    """This file exports a string constant holding a Stripe API URL (`export const STRIPE_API =
    process.env.STRIPE_API_BASE ?? 'https://api.stripe.com/v1'`)."""

    name: str
    url: str


@dataclass(frozen=True)
class PendingBaseUrlRequest:
    """An HTTP request whose URL starts with an imported name (``fetch(`${STRIPE_API}/charges/${id}`)``):
    a ``RawRequest`` at this position if the import resolves to a ``BaseUrlExport``. ``rest`` is
    the URL after that name, with ``{}`` for unknown parts."""

    import_local: str
    member: str | None
    rest: str
    verb: str
    position: Position
    account: str = "platform"
    expand: tuple[ExpandPath, ...] = ()
    expand_dynamic: bool = False


@dataclass(frozen=True)
class PendingEvents:
    """An event type compared with, or dispatched through, an imported name: ``X.has(event.type)``,
    ``event["type"] in X``, ``X[event.type](event)``. The linker turns it into one ``EventUse`` per
    event name of the constant the import resolves to, at this position, when those names are
    Stripe's (all event-shaped, one at least known); otherwise into an ``Unresolved`` with
    ``what`` (never silence). ``member`` is the export of a namespace import (``constants.X``).
    ``untraced``: the event's origin is unknown (an unverified body); then an unreadable import
    yields nothing, as a same-file one would."""

    import_local: str
    member: str | None
    position: Position
    kind: str = "handled"
    what: str = "event type compared with a non-literal"  # vocabulary.NON_LITERAL_EVENT
    untraced: bool = False
    # The endpoint that compares it, as ``EventUse.endpoint`` / ``evidence`` (the linker copies them).
    endpoint: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestWrapperExport:
    """This file exports a function that makes a raw request to a Stripe URL built from one of its
    parameters (`stripeRequest(cred, path, init)`; docs/semantics.md §6). ``path_param`` is the
    index of that parameter and ``prefix`` the URL path before it (`/v1` for a base
    `https://api.stripe.com/v1`); the verb comes from the ``method_param`` argument, the `method`
    of the ``init_param`` options object, or ``default_verb`` (``?`` when computed otherwise).
    ``account`` is what the wrapper's credential implies (an account's token / `Stripe-Account`
    header: installing; the env secret: platform; else unknown)."""

    name: str
    path_param: int
    method_param: int | None = None
    default_verb: str = "GET"
    init_param: int | None = None
    account: str = "unknown"
    prefix: str = ""
    param_names: tuple[str, ...] = ()  # Python: for keyword arguments (`method="POST"`)


@dataclass(frozen=True)
class PendingRequest:
    """A call of an imported function with an argument that looks like a Stripe path: a
    ``RawRequest`` at this position if the import resolves to a ``RequestWrapperExport``.
    ``args`` holds each argument as a static string (``{}`` for unknown parts; None: not a string),
    ``arg_methods`` the literal `method` of each object-literal argument, ``account`` what the
    arguments show about the credential (None: nothing)."""

    import_local: str
    member: str | None
    args: tuple[str | None, ...]
    arg_methods: tuple[str | None, ...]
    position: Position
    account: str | None = None
    keywords: tuple[tuple[str, str | None], ...] = ()  # Python keyword arguments, as ``args``
