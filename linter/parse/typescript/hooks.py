"""React APIs that keep a Stripe client in a UI extension: what a hook call evaluates to.

Extensions rarely call `new Stripe(...)` at each use; they build the client once in a hook and
read it back: `useMemo(() => new Stripe(...), [])`, `const [stripe] = useState(...)`,
`useRef(client).current`, `useContext(StripeContext)` with `StripeContext = createContext(client)`.
The client is judged as if built directly (same account rules), so the container is followed,
never trusted by name. A custom hook (`function useStripe() { return useMemo(...) }`) needs nothing
here: it is a local function whose return value ``interpreter`` already follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from stripe_perm_lint.parse.typescript.syntax import call_arguments
from stripe_perm_lint.parse.typescript.type_values import type_value
from stripe_perm_lint.parse.typescript.values import Func, Held, Pending

if TYPE_CHECKING:
    from stripe_perm_lint.parse.typescript.interpreter import Interpreter

_HOLDERS = {"useState": "state", "useRef": "ref", "createContext": "context"}


def react_value(ev: Interpreter, api: str, call: Node) -> object:
    """The value of `api(...)` for ``api`` in ``values.REACT_APIS``."""
    args = call_arguments(call)
    first = ev.value(args[0]) if args else None
    if api == "useMemo":
        return ev.returns(first) if isinstance(first, Func) else None
    if api == "useContext":
        if isinstance(first, Held) and first.kind == "context":
            return first.value
        # A context imported from another app file: the linker judges it like the import itself
        # (the file defining it exports the held client under the context's name).
        return first if isinstance(first, Pending) and not first.segs else None
    kind = _HOLDERS.get(api)
    if kind is None:
        return None
    if kind == "state" and isinstance(first, Func):
        first = ev.returns(first)  # lazy initialiser: `useState(() => new Stripe(...))`
    if first is None:
        # `useRef<Stripe | null>(null)`, `createContext<Stripe | null>(null)`: the declared type
        # tells what the container holds once set.
        type_args = call.child_by_field_name("type_arguments")
        first = type_value(ev, type_args) if type_args is not None else None
    return Held(kind, first) if first is not None else None
