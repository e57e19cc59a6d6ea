"""What a PHP expression holds, as far as the facts need it: a stripe-php client or one of its
services, a webhook event, its type or account, an array literal, a string (a URL being built).

``PhpScope`` is one function's variables (or the file's top-level code); ``PhpEvaluator.value`` reads an
expression against it, the class's properties (``$this->stripe``) and the file's constants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stripe_perm_lint.parse.php.syntax import PhpSource, arguments, member_name, string_value

# Functions that hand back the URL they are given, reshaped: `sprintf('…/customers/%s', $id)`,
# WordPress's `add_query_arg($args, $url)`, `trailingslashit($base)`.
URL_FUNCTIONS = {"sprintf": 0, "rtrim": 0, "trim": 0, "trailingslashit": 0, "untrailingslashit": 0,
                 "esc_url_raw": 0, "add_query_arg": -1, "http_build_url": 0}
CLIENT_CLASSES = ("Stripe\\StripeClient", "Stripe\\StripeClientInterface", "Stripe\\BaseStripeClient",
                  "Stripe\\BaseStripeClientInterface")
EVENT_CLASSES = ("Stripe\\Event", "Stripe\\ThinEvent")


@dataclass(frozen=True)
class PhpClient:
    account: str  # "installing" | "platform" | "unknown"


@dataclass(frozen=True)
class PhpService:
    client: PhpClient
    chain: tuple[str, ...]  # `checkout`, `sessions`


@dataclass(frozen=True)
class PhpObject:
    """A fetched stripe-php resource (``Invoice``, ``Checkout\\Session``) or, ``collection``, a
    list of them; ``account`` is whose account its fetch acted on."""

    cls: str
    account: str
    collection: bool = False


@dataclass(frozen=True)
class PhpImported:
    """What a function or static method another file defines returned (`stripe_client()`,
    `StripeFactory::forAccount($id)`), and the members read from it: a client if the linker finds
    that file's ``ClientExport`` (``parse.php.links``)."""

    local: str  # `stripe_client`, `App\\StripeFactory::foraccount`
    chain: tuple[str, ...] = ()


def untraced(held) -> bool:
    """Nothing the file shows: no value, or only another file's function's result."""
    return held is None or isinstance(held, PhpImported)


@dataclass(frozen=True)
class PhpEvent:
    pass


@dataclass(frozen=True)
class PhpEventType:
    pass


@dataclass(frozen=True)
class PhpEventAccount:  # `$event->account`: the id of the account the event comes from
    pass


@dataclass(frozen=True)
class PhpArray:
    node: object


@dataclass(frozen=True)
class PhpText:
    """A string being built: literal parts kept, every other part `{}`. ``origins`` are the
    literals it was built from (a URL literal a request consumed is not reported again)."""

    text: str
    origins: tuple = ()


@dataclass(frozen=True)
class PhpThis:
    pass


@dataclass
class PhpScope:
    values: dict[str, object] = field(default_factory=dict)  # `$name` -> a value above
    sources: dict[str, object] = field(default_factory=dict)  # `$name` -> the node last assigned to it
    params: dict[str, object] = field(default_factory=dict)  # `$name` -> its type node (or None)
    legacy_account: str | None = None  # what `\Stripe\Stripe::setApiKey(...)` here said
    # The function's name and its parameters in order, for options handed in by its callers
    # (``ApiCall.options_param``); none for closures and the file's top level.
    owner: str | None = None
    order: tuple[str, ...] = ()

    def param_index(self, node, text: str) -> int | None:
        """The index of the parameter ``node`` names, when it still holds what the caller passed."""
        if self.owner is None or node.type != "variable_name" or text not in self.order or text in self.sources:
            return None
        return self.order.index(text)

    def child(self, inherit: bool) -> "PhpScope":
        """A nested function's scope: closures see what `use` brings and arrow functions all."""
        if not inherit:
            return PhpScope()
        return PhpScope(dict(self.values), dict(self.sources), dict(self.params), self.legacy_account)


class PhpEvaluator:
    def __init__(self, source: PhpSource) -> None:
        self.src = source
        self.constants: dict[str, PhpText] = {}  # `STRIPE_API`, `self::BASE` (as `::BASE`)
        self.props: dict[str, object] = {}  # the current class's `$this->name` values
        # Functions and methods of the file that return a client: `function stripe(): StripeClient`,
        # `return new StripeClient(getenv('STRIPE_SECRET_KEY'));` (methods keyed `->name`).
        self.factories: dict[str, PhpClient] = {}
        # What a call of a function or static method nothing above knows returns: the parser's
        # reading of another file's factories (``PhpImported``), or None.
        self.call_result = lambda node: None

    def value(self, node, scope: PhpScope):
        kind = node.type
        if kind == "parenthesized_expression" and node.named_children:
            return self.value(node.named_children[0], scope)
        if kind == "variable_name":
            name = self.src.text(node)
            return PhpThis() if name == "$this" else scope.values.get(name)
        if kind in ("member_access_expression", "nullsafe_member_access_expression"):
            return self._member(node, scope)
        if kind == "subscript_expression" and node.named_children:
            held = self.value(node.named_children[0], scope)
            key = string_value(node.named_children[1], self.src) if len(node.named_children) > 1 else None
            if isinstance(held, PhpEvent):
                return PhpEventType() if key == "type" else PhpEventAccount() if key == "account" else None
            if isinstance(held, PhpObject) and held.collection:  # `$list->data[0]`: one of its objects
                return PhpObject(held.cls, held.account)
            return None
        if kind == "object_creation_expression":
            return None  # clients are built by the parser, which knows the account rules
        if kind == "array_creation_expression":
            return PhpArray(node)
        if kind in ("string", "encapsed_string"):
            return self._text(node, scope)
        if kind == "binary_expression" and self.src.text(node.child_by_field_name("operator") or node)[:1] == ".":
            return self._joined(node, scope)
        if kind == "function_call_expression":
            called = self.src.text(node.child_by_field_name("function")).lstrip("\\").lower()
            if called in self.factories:
                return self.factories[called]
            return self._url_function(node, scope) or self.call_result(node)
        if kind == "scoped_call_expression":
            return self.call_result(node)
        if kind == "member_call_expression" and self.src.text(node.child_by_field_name("object")) == "$this":
            return self.factories.get("->" + (member_name(node, self.src) or "").lower())
        if kind in ("name", "qualified_name"):
            return self.constants.get(self.src.text(node).lstrip("\\"))
        if kind == "class_constant_access_expression" and len(node.named_children) == 2:
            return self.constants.get("::" + self.src.text(node.named_children[1]))
        if kind == "scoped_property_access_expression":
            return self.props.get("::" + self.src.text(node.child_by_field_name("name") or node).lstrip("$"))
        return None

    def _member(self, node, scope: PhpScope):
        held = self.value(node.child_by_field_name("object"), scope)
        name = member_name(node, self.src)
        if name is None:
            return None
        if isinstance(held, PhpThis):
            return self.props.get(name)
        if isinstance(held, PhpClient):
            return PhpService(held, (name,))
        if isinstance(held, PhpService):
            return PhpService(held.client, held.chain + (name,))
        if isinstance(held, PhpImported):
            return PhpImported(held.local, held.chain + (name,))
        if isinstance(held, PhpObject) and held.collection and name == "data":
            return held  # `$list->data`: iterated like the list
        if isinstance(held, PhpEvent):
            return PhpEventType() if name == "type" else PhpEventAccount() if name == "account" else None
        return None

    def _url_function(self, node, scope: PhpScope) -> PhpText | None:
        name = self.src.text(node.child_by_field_name("function")).lstrip("\\").lower()
        args = arguments(node)
        if name not in URL_FUNCTIONS or not args:
            return None
        held = self.value(args[URL_FUNCTIONS[name]], scope)
        if not isinstance(held, PhpText):
            return None
        return PhpText(re.sub(r"%[sdu]", "{}", held.text), held.origins) if name == "sprintf" else held

    def _text(self, node, scope: PhpScope) -> PhpText:
        literal = string_value(node, self.src)
        if literal is not None:
            return PhpText(literal, (node,))
        parts = []
        for child in node.named_children:
            if child.type == "string_content":
                parts.append(self.src.text(child))
            elif child.type == "escape_sequence":
                parts.append(self.src.text(child))
            else:
                held = self.value(child, scope)
                parts.append(held.text if isinstance(held, PhpText) else "{}")
        return PhpText("".join(parts), (node,))

    def _joined(self, node, scope: PhpScope) -> PhpText | None:
        left = self.value(node.child_by_field_name("left"), scope)
        right = self.value(node.child_by_field_name("right"), scope)
        if not isinstance(left, PhpText) and not isinstance(right, PhpText):
            return None
        left_text = left.text if isinstance(left, PhpText) else "{}"
        right_text = right.text if isinstance(right, PhpText) else "{}"
        origins = (left.origins if isinstance(left, PhpText) else ()) + (right.origins if isinstance(right, PhpText) else ())
        return PhpText(left_text + right_text, origins)
