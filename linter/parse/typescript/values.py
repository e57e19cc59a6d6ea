"""Abstract values of the TypeScript parser's evaluator (``interpreter``).

An expression is judged by what it *is*: a stripe-node client (or a member of one), the Stripe
class, a name imported from another module of the app, a webhook event, a UI-extension SDK
function... Anything else is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- abstract values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StripeClass:
    """The stripe-node constructor / module (`import Stripe from 'stripe'`, `require('stripe')`).
    ``unbound`` marks a global `Stripe` nobody imported: `new Stripe()` is stripe-node, but a
    plain `Stripe('pk_...')` call is the browser's Stripe.js."""

    unbound: bool = False


@dataclass(frozen=True)
class NodeClient:
    """A stripe-node client, or a member of one (``segs`` = path after the client)."""

    installing: bool | None  # None: known only by its type, not by how it was built
    segs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pending:
    """A name imported from another module of the app (the linker decides what it is).
    ``typed``: a value whose *type* is imported (`ctx: SyncContext`); the linker looks for the
    member path in what that type exports (``ClientExport`` named `SyncContext.stripe`)."""

    local: str
    via_factory: bool = False
    segs: tuple[str, ...] = ()
    typed: bool = False


@dataclass(frozen=True)
class Func:
    node_id: int


@dataclass(frozen=True)
class Shape:
    """A value of an object type written in this file (`input: { stripe: Stripe }`, a local
    interface or type alias): its members are typed, so `input.stripe` can be a client."""

    node_id: int


@dataclass(frozen=True)
class EventV:
    """A webhook / thin event object."""

    via: str | None = None  # what an imported function returns (``EventUse.via``)


@dataclass(frozen=True)
class EventType:
    """The `type` string of an event."""

    via: str | None = None  # what an imported function returns (``EventUse.via``)


@dataclass(frozen=True)
class EventTypeParts:
    """`event.type.split('.')`: its first element is the event's family (``EventFamily``)."""

    via: str | None = None  # what an imported function returns (``EventUse.via``)


@dataclass(frozen=True)
class EventFamily:
    """`event.type.split('.')[0]`: compared with `'invoice'` it handles every `invoice.*` event."""

    via: str | None = None  # what an imported function returns (``EventUse.via``)


@dataclass(frozen=True)
class React:
    """A React API that can hold a client (``name`` in ``REACT_APIS``), or the React module (`*`)."""

    name: str


@dataclass(frozen=True)
class Held:
    """A value kept by React: ``kind`` "state" (`useState(v)`, element `[0]`), "ref" (`useRef(v)`,
    `.current`) or "context" (`createContext(v)`, read back by `useContext`)."""

    kind: str
    value: object


@dataclass(frozen=True)
class Ui:
    """Something imported from `@stripe/ui-extension-sdk*` (``name`` is the exported name, `*`)."""

    name: str


@dataclass(frozen=True)
class PermList:
    """The result of `getUserAuthorizedPermissions()`."""


@dataclass(frozen=True)
class HttpLib:
    """A generic HTTP function or module (`fetch`, axios, got, ky); ``base`` is the base URL of an
    instance made with `axios.create({baseURL})` / `got.extend({prefixUrl})` / `ky.create(...)`."""

    name: str
    base: str = ""
    base_import: tuple[str, str | None] | None = None  # a `baseURL` imported from another app module


UI_SDK = "@stripe/ui-extension-sdk"
# React APIs through which a UI extension keeps a client (``hooks``), and the modules exporting them.
REACT_APIS = frozenset({"useMemo", "useState", "useRef", "useContext", "createContext"})
_REACT_MODULES = frozenset({"react", "preact", "preact/hooks", "preact/compat"})
_HTTP_MODULES = {
    "axios": "axios",
    "got": "got",
    "ky": "ky",
    "node-fetch": "fetch",
    "cross-fetch": "fetch",
    "isomorphic-fetch": "fetch",
    "undici": "undici",
}


# First segments of bare specifiers that are path aliases into the app, not npm packages:
# `src/lib/stripe` (baseUrl), `@server/stripe` / `@lib/stripe` (tsconfig `paths`).
_SOURCE_DIRS = frozenset({
    "src", "app", "apps", "lib", "libs", "utils", "util", "server", "components", "pages", "hooks",
    "services", "service", "config", "helpers", "common", "shared", "core", "modules", "api", "stores",
    "features", "backend", "integrations", "infrastructure", "domain",
})


def is_app_module(module: str) -> bool:
    """A module of the app itself: relative, or a path alias (`@/lib/stripe`, `~/x`, `#lib/x`,
    `$lib/x`, `src/x`, `@server/x`). The linker resolves what it can and drops the rest."""
    if module.startswith(("./", "../")) or module in (".", ".."):
        return True
    if module.startswith(("@/", "~/", "#", "$")):
        return True
    first = module.split("/", 1)[0]
    return "/" in module and first.lstrip("@~") in _SOURCE_DIRS


def member_of(v: object, prop: str) -> object:
    if prop.startswith("["):  # `[0]`: an element of an array-like value (a destructured array)
        if prop == "[0]" and isinstance(v, Held) and v.kind == "state":
            return v.value
        return EventFamily(v.via) if prop == "[0]" and isinstance(v, EventTypeParts) else None
    if isinstance(v, Held):
        return v.value if v.kind == "ref" and prop == "current" else None
    if isinstance(v, React):
        return React(prop) if v.name == "*" and prop in REACT_APIS else None
    if isinstance(v, NodeClient):
        return NodeClient(v.installing, v.segs + (prop,))
    if isinstance(v, Pending):
        if v.via_factory and not v.segs and not v.typed and prop == "type":
            # `(await constructStripeEvent(req)).type`: an event if the imported function returns
            # one, which only the linker can tell (``EventUse.via``).
            return EventType(v.local)
        return Pending(v.local, v.via_factory, v.segs + (prop,), v.typed)
    if isinstance(v, StripeClass):
        return StripeClass() if prop in ("Stripe", "default") else None
    if isinstance(v, EventV):
        return EventType(v.via) if prop == "type" else None
    if isinstance(v, Ui) and v.name == "*":
        return Ui(prop)
    return None


def import_value(module: str, imported: str | None, local: str) -> object:
    """The value of an imported name (``imported`` is `default`, `*` or the exported name)."""
    if module == "stripe":
        return StripeClass() if imported in ("default", "*", "Stripe") else None
    if module.startswith(UI_SDK):
        return Ui(imported or "*")
    if module in _REACT_MODULES:
        if imported in ("default", "*"):
            return React("*")
        return React(imported) if imported in REACT_APIS else None
    if is_app_module(module):
        return Pending(local)
    lib = _HTTP_MODULES.get(module)
    if lib is not None:
        if lib == "undici":
            return HttpLib("fetch") if imported == "fetch" else (HttpLib("undici") if imported == "*" else None)
        if imported in ("default", "*"):
            return HttpLib(lib)
    return None
