"""Fetched stripe-php objects: what class a variable holds, so that ``$invoice->pay()`` is a
``php_instance`` call (``Invoice->pay``).

An object comes from a legacy static fetch (``\\Stripe\\Customer::retrieve/create/update``), a
client service's fetch (``$stripe->customers->retrieve/create/update``; the class is the one whose
static method of the same name reaches the same operation in the SDK table), a list's items
(``->all()`` / ``->search()`` give a collection: ``foreach ($list->data as $c)``,
``foreach ($list as $c)``, ``$list->autoPagingIterator()``), or a parameter or property typed
with a resource class (``\\Stripe\\PaymentIntent $pi``). Its instance methods act where its fetch
did (the fetch's client, key or per-request options); a typed one's account is unknown."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from stripe_perm_lint.parse.php.accounts import options_account
from stripe_perm_lint.parse.php.syntax import arguments, member_name
from stripe_perm_lint.parse.php.values import PhpObject, PhpScope, PhpService

if TYPE_CHECKING:
    from stripe_perm_lint.parse.php.parser import PhpWalker

# Static or service methods that hand back the object they act on, and those that hand back a list.
_FETCHES = frozenset({"retrieve", "create", "update"})
_LISTS = frozenset({"all", "search"})


@functools.cache
def sdk_table() -> dict:
    from stripe_perm_lint.catalog import load_catalog

    return load_catalog().language_table("php_client") or {"methods": {}, "event_types": {}}


@functools.cache
def resource_classes() -> tuple[frozenset, dict]:
    """The resource classes with instance methods, and operation id -> the one class whose static
    `retrieve`/`create`/`update`/`all`/`search` reaches it (an operation two classes reach names none)."""
    methods = sdk_table()["methods"]
    instance = frozenset(a.split("->", 1)[0] for a in methods.get("php_instance", {}))
    by_op: dict[str, set] = {}
    for accessor, op_id in methods.get("php_legacy", {}).items():
        cls, _, method = accessor.rpartition("::")
        if method in _FETCHES | _LISTS:
            by_op.setdefault(op_id, set()).add(cls)
    return instance, {op: next(iter(c)) for op, c in by_op.items() if len(c) == 1}


def typed_object(walker: "PhpWalker", cls: str | None) -> PhpObject | None:
    """A parameter or property typed with a resource class: `\\Stripe\\Invoice $inv`."""
    if cls is None or not cls.startswith("Stripe\\"):
        return None
    below = cls[len("Stripe\\"):]
    return PhpObject(below, "unknown") if below in resource_classes()[0] else None


def fetched(walker: "PhpWalker", node, scope: PhpScope) -> PhpObject | None:
    """The object (or list of objects) a call expression hands back, None when it is no fetch."""
    src, ev = walker.src, walker.ev
    name = member_name(node, src)
    if name is None:
        return None
    if node.type == "scoped_call_expression":
        cls = src.class_name(node.child_by_field_name("scope"))
        if cls is None or not cls.startswith("Stripe\\") or name not in _FETCHES | _LISTS:
            return None
        below = cls[len("Stripe\\"):]
        if f"{below}::{name}" not in walker.table["methods"].get("php_legacy", {}):
            return None
        account = scope.legacy_account or walker.file_legacy or "unknown"
        return PhpObject(below, options_account(arguments(node), scope, ev) or account, name in _LISTS)
    if node.type not in ("member_call_expression", "nullsafe_member_call_expression"):
        return None
    held = walker.value(node.child_by_field_name("object"), scope)
    if isinstance(held, PhpObject) and held.collection and name == "autoPagingIterator":
        return held
    if not isinstance(held, PhpService) or name not in _FETCHES | _LISTS:
        return None
    op_id = walker.table["methods"].get("php_client", {}).get("->".join(held.chain + (name,)))
    cls = resource_classes()[1].get(op_id)
    if cls is None:
        return None
    return PhpObject(cls, options_account(arguments(node), scope, ev) or held.client.account, name in _LISTS)


def items(held) -> PhpObject | None:
    """What `foreach` over ``held`` gives: a list's objects."""
    if isinstance(held, PhpObject) and held.collection:
        return PhpObject(held.cls, held.account)
    return None
