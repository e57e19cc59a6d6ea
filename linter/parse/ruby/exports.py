"""What a Ruby file offers other files, and what it takes from them by constant path.

Ruby has no imports: Rails autoloads a constant from the file its name says (`ConnectEvent` from
`app/models/connect_event.rb`). So a file exports its class-level constant tables and lists
(`ConnectEvent::HANDLED`) and its class-helper methods (`Revenue::StripeAccount.retrieve`), each
under its qualified name; and a reference to a constant the file does not define becomes an
``ImportBinding`` whose ``module`` is the referring code's nesting (`Revenue::BackfillStripe`) and
whose ``name`` is the path as written. ``stripe_perm_lint.ruby_links`` looks the name up in that
nesting and each enclosing one, as Ruby does, among the app's exports.
"""

from __future__ import annotations

from stripe_perm_lint.facts import ConstantExport, ImportBinding
from stripe_perm_lint.parse.ruby.scope import METHODS, enclosing
from stripe_perm_lint.parse.ruby.syntax import constant_path, method_name, pairs, string_value, text


def nesting(node) -> str:
    """`Revenue::StripeAccount` for code inside `module Revenue; module StripeAccount`."""
    names = []
    current = node.parent
    while current is not None:
        if current.type in ("class", "module"):
            names.append(constant_path(current.child_by_field_name("name")) or "?")
        current = current.parent
    return "::".join(reversed(names)).removeprefix("::")


def constant_exports(constants: dict[str, list]) -> list[ConstantExport]:
    """Class- and module-level constants holding literal strings: a list (`%w[a b].freeze`) or a
    table's keys (`{ "customer.created" => :created }`), each under its qualified name."""
    found = []
    for name, values in constants.items():
        value = values[-1]
        if enclosing(value, METHODS) is not None:
            continue
        while value.type == "call" and method_name(value) == "freeze" and value.child_by_field_name("receiver"):
            value = value.child_by_field_name("receiver")
        owner = nesting(value)
        qualified = f"{owner}::{name}" if owner else name
        if value.type == "hash":
            keys = [key for key, _, _ in pairs(value)]
            if keys and all(isinstance(k, str) for k in keys):
                found.append(ConstantExport(qualified, tuple(keys), keys=True))
        elif value.type in ("array", "string_array") and value.named_children:
            items = [text(c) if c.type == "bare_string" else string_value(c) for c in value.named_children]
            if all(isinstance(i, str) for i in items):
                found.append(ConstantExport(qualified, tuple(items)))
    return found


def referenced(node) -> ImportBinding | None:
    """The binding of a constant path the file does not define (`ConnectEvent::HANDLED`)."""
    path = constant_path(node)
    if path is None:
        return None
    path = path.removeprefix("::")
    return ImportBinding(path, nesting(node), path)


def referenced_method(receiver, name: str) -> ImportBinding | None:
    """The binding of a method called on such a constant (`StripeAccount.retrieve`); not the SDK's."""
    path = constant_path(receiver)
    if path is None or path.removeprefix("::").split("::")[0] == "Stripe":
        return None
    local = f"{path.removeprefix('::')}.{name}"
    return ImportBinding(local, nesting(receiver), local)
