"""What a Python module offers other modules of the app (the linker joins them): clients,
client factories, client fields of its classes, and constant lists of strings."""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.facts import ClientExport, ConstantExport
from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.eval_calls import Evaluator
from stripe_perm_lint.parse.python.eval_strings import COPIES
from stripe_perm_lint.parse.python.scope import LexicalScope
from stripe_perm_lint.parse.vocabulary import EVENT_NAME


def client_exports(ev: Evaluator, root: LexicalScope) -> tuple[ClientExport, ...]:
    """Module-level clients, client factories, and the ``stripe`` module itself (so that
    ``from app.config import stripe`` elsewhere resolves to the legacy API)."""
    exports = []
    for name in root.bindings:
        found = ev.lookup(name, root)
        factory = isinstance(found, v.FunctionRef)
        if factory:
            found = ev.function_result(found)
        if found is None and not factory:  # `PlatformClient = Annotated[StripeClient, Depends(...)]`
            found = _exported_client_type(ev, root, name)
        if isinstance(found, v.Client):
            exports.append(ClientExport(name, "python_client", found.account, factory))
        elif isinstance(found, v.LegacyNS) and not found.path:
            exports.append(ClientExport(name, "python_legacy", "platform", factory))
        elif isinstance(found, v.ClassRef):
            exports.extend(_client_fields(ev, name, found))
    return tuple(exports)


def _client_fields(ev: Evaluator, class_name: str, cls: v.ClassRef) -> list[ClientExport]:
    """Fields of a class typed as a client (`client: StripeClient` in a dataclass or pydantic
    model), exported as `Class.field` so that `deps.client.customers.list()` on a parameter
    annotated with the imported class resolves (the linker tries `Class.field`)."""
    out = []
    for field in cls.scope.bindings:  # declared in the class body, not set in methods
        found = ev.member(v.UserObject(cls.scope), field)
        if isinstance(found, v.Client):
            out.append(ClientExport(f"{class_name}.{field}", "python_client", found.account))
    return list(dict.fromkeys(out))


def _exported_client_type(ev: Evaluator, root: LexicalScope, name: str):
    """A module-level type alias of the client, which other modules use as an annotation."""
    for source in root.bindings.get(name, ()):
        node = source.node if source.kind == "expr" else source.extra if source.kind == "ann" else None
        if isinstance(node, (cst.Subscript, cst.BinaryOperation)):
            found = ev.annotation_value(node, root)
            if found is not None:
                return found
    return None


def constant_exports(ev: Evaluator, root: LexicalScope) -> tuple[ConstantExport, ...]:
    exports = []
    for name, sources in root.bindings.items():
        source = sources[0]
        node = source.node if source.kind == "expr" else source.extra if source.kind == "ann" else None
        if isinstance(node, cst.Dict):  # a handler table other modules dispatch on
            keys = _dict_keys(node)
            if any(EVENT_NAME.match(key) for key in keys):
                exports.append(ConstantExport(name, keys, keys=True))
            continue
        if not isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.BinaryOperation, cst.Call)):
            continue
        if isinstance(node, cst.Call) and get_full_name_for_node(node.func) not in COPIES:
            continue
        found = ev.strings(node, root)
        if not found.dynamic and not found.imports:
            exports.append(ConstantExport(name, tuple(text for text, _ in found.items)))
    return tuple(exports)


def _dict_keys(node: cst.Dict) -> tuple[str, ...]:
    """The literal string keys of ``{"invoice.paid": on_paid, ...}`` (others are skipped)."""
    keys = []
    for element in node.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            key = element.key.evaluated_value
            if isinstance(key, str):
                keys.append(key)
    return tuple(keys)
