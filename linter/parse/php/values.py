"""What a PHP expression holds, as far as the facts need it: a stripe-php client or one of its
services, a webhook event, its type or account, an array literal, a string (a URL being built).

``Scope`` is one function's variables (or the file's top-level code); ``Evaluator.value`` reads an
expression against it, the class's properties (``$this->stripe``) and the file's constants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stripe_perm_lint.parse.php.syntax import Source, arguments, member_name, string_value

# Functions that hand back the URL they are given, reshaped: `sprintf('…/customers/%s', $id)`,
# WordPress's `add_query_arg($args, $url)`, `trailingslashit($base)`.
URL_FUNCTIONS = {"sprintf": 0, "rtrim": 0, "trim": 0, "trailingslashit": 0, "untrailingslashit": 0,
                 "esc_url_raw": 0, "add_query_arg": -1, "http_build_url": 0}
CLIENT_CLASSES = ("Stripe\\StripeClient", "Stripe\\StripeClientInterface", "Stripe\\BaseStripeClient",
                  "Stripe\\BaseStripeClientInterface")
EVENT_CLASSES = ("Stripe\\Event", "Stripe\\ThinEvent")


@dataclass(frozen=True)
class Client:
    account: str  # "installing" | "platform" | "unknown"


@dataclass(frozen=True)
class Service:
    client: Client
    chain: tuple[str, ...]  # `checkout`, `sessions`


@dataclass(frozen=True)
class Event:
    pass


@dataclass(frozen=True)
class EventType:
    pass


@dataclass(frozen=True)
class EventAccount:  # `$event->account`: the id of the account the event comes from
    pass


@dataclass(frozen=True)
class ArrayValue:
    node: object


@dataclass(frozen=True)
class Text:
    """A string being built: literal parts kept, every other part `{}`. ``origins`` are the
    literals it was built from (a URL literal a request consumed is not reported again)."""

    text: str
    origins: tuple = ()


@dataclass(frozen=True)
class This:
    pass


@dataclass
class Scope:
    values: dict[str, object] = field(default_factory=dict)  # `$name` -> a value above
    sources: dict[str, object] = field(default_factory=dict)  # `$name` -> the node last assigned to it
    params: dict[str, object] = field(default_factory=dict)  # `$name` -> its type node (or None)
    legacy_account: str | None = None  # what `\Stripe\Stripe::setApiKey(...)` here said

    def child(self, inherit: bool) -> "Scope":
        """A nested function's scope: closures see what `use` brings and arrow functions all."""
        if not inherit:
            return Scope()
        return Scope(dict(self.values), dict(self.sources), dict(self.params), self.legacy_account)


class Evaluator:
    def __init__(self, source: Source) -> None:
        self.src = source
        self.constants: dict[str, Text] = {}  # `STRIPE_API`, `self::BASE` (as `::BASE`)
        self.props: dict[str, object] = {}  # the current class's `$this->name` values

    def value(self, node, scope: Scope):
        kind = node.type
        if kind == "parenthesized_expression" and node.named_children:
            return self.value(node.named_children[0], scope)
        if kind == "variable_name":
            name = self.src.text(node)
            return This() if name == "$this" else scope.values.get(name)
        if kind in ("member_access_expression", "nullsafe_member_access_expression"):
            return self._member(node, scope)
        if kind == "subscript_expression" and node.named_children:
            held = self.value(node.named_children[0], scope)
            key = string_value(node.named_children[1], self.src) if len(node.named_children) > 1 else None
            if isinstance(held, Event):
                return EventType() if key == "type" else EventAccount() if key == "account" else None
            return None
        if kind == "object_creation_expression":
            return None  # clients are built by the parser, which knows the account rules
        if kind == "array_creation_expression":
            return ArrayValue(node)
        if kind in ("string", "encapsed_string"):
            return self._text(node, scope)
        if kind == "binary_expression" and self.src.text(node.child_by_field_name("operator") or node)[:1] == ".":
            return self._joined(node, scope)
        if kind == "function_call_expression":
            return self._url_function(node, scope)
        if kind in ("name", "qualified_name"):
            return self.constants.get(self.src.text(node).lstrip("\\"))
        if kind == "class_constant_access_expression" and len(node.named_children) == 2:
            return self.constants.get("::" + self.src.text(node.named_children[1]))
        if kind == "scoped_property_access_expression":
            return self.props.get("::" + self.src.text(node.child_by_field_name("name") or node).lstrip("$"))
        return None

    def _member(self, node, scope: Scope):
        held = self.value(node.child_by_field_name("object"), scope)
        name = member_name(node, self.src)
        if name is None:
            return None
        if isinstance(held, This):
            return self.props.get(name)
        if isinstance(held, Client):
            return Service(held, (name,))
        if isinstance(held, Service):
            return Service(held.client, held.chain + (name,))
        if isinstance(held, Event):
            return EventType() if name == "type" else EventAccount() if name == "account" else None
        return None

    def _url_function(self, node, scope: Scope) -> Text | None:
        name = self.src.text(node.child_by_field_name("function")).lstrip("\\").lower()
        args = arguments(node)
        if name not in URL_FUNCTIONS or not args:
            return None
        held = self.value(args[URL_FUNCTIONS[name]], scope)
        if not isinstance(held, Text):
            return None
        return Text(re.sub(r"%[sdu]", "{}", held.text), held.origins) if name == "sprintf" else held

    def _text(self, node, scope: Scope) -> Text:
        literal = string_value(node, self.src)
        if literal is not None:
            return Text(literal, (node,))
        parts = []
        for child in node.named_children:
            if child.type == "string_content":
                parts.append(self.src.text(child))
            elif child.type == "escape_sequence":
                parts.append(self.src.text(child))
            else:
                held = self.value(child, scope)
                parts.append(held.text if isinstance(held, Text) else "{}")
        return Text("".join(parts), (node,))

    def _joined(self, node, scope: Scope) -> Text | None:
        left = self.value(node.child_by_field_name("left"), scope)
        right = self.value(node.child_by_field_name("right"), scope)
        if not isinstance(left, Text) and not isinstance(right, Text):
            return None
        left_text = left.text if isinstance(left, Text) else "{}"
        right_text = right.text if isinstance(right, Text) else "{}"
        origins = (left.origins if isinstance(left, Text) else ()) + (right.origins if isinstance(right, Text) else ())
        return Text(left_text + right_text, origins)
