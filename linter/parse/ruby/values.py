"""What a Ruby expression is known to hold, as far as Stripe is concerned (``evaluator.RubyEvaluator``)."""

from __future__ import annotations

from dataclasses import dataclass

# Request options that make a call act on another account (`stripe_context` names it too).
ACCOUNT_OPTIONS = ("stripe_account", "stripe_context")


@dataclass(frozen=True)
class SdkConst:
    """A constant of the SDK: `Stripe`, `Stripe::Customer`, `Stripe::Checkout::Session` (``path``
    without `Stripe::`, "" for the module itself)."""

    path: str


@dataclass(frozen=True)
class ClientChain:
    """A `Stripe::StripeClient`; ``chain`` is the service reached so far (`v1.customers`)."""

    account: str  # "installing" | "platform" | "unknown"
    chain: str = ""
    inferred: bool = False  # known only by its shape (`x.v1.customers.list` on an untraced `x`)
    origin: str = ""  # of an inferred client: ``UntracedClient.origin``
    receiver: str = ""  # of an inferred client: the receiver as written


@dataclass(frozen=True)
class SdkObject:
    """What a legacy SDK call returned (`Stripe::Invoice.retrieve(id)`, `Stripe::Invoice.list`, an
    element of that list): an object of class ``cls`` (`Invoice`). ``source`` is where the call
    starts (its start byte): its instance methods act on the account that call acted on."""

    cls: str
    source: int


@dataclass(frozen=True)
class RubyEvent:
    """A webhook event: built by `Stripe::Webhook.construct_event`, handed to a `StripeEvent` block,
    or retrieved."""


@dataclass(frozen=True)
class TypeOfEvent:
    """The type of an event: `event.type`, `event['type']`, `event[:type]`. ``unverified``: of an
    event of unknown origin (a parameter named `event`), which may be another service's."""

    unverified: bool = False


@dataclass(frozen=True)
class EventAccount:
    """The account an event came from (`event.account`): a call on it acts for that account."""


@dataclass(frozen=True)
class Param:
    """A parameter of the enclosing method: its name and position (for ``options_param``)."""

    name: str
    index: int


@dataclass(frozen=True)
class RubyUntraced:
    """A receiver of unknown origin (``UntracedClient.origin``), with its name as written."""

    origin: str
    name: str


@dataclass(frozen=True)
class LiteralStrings:
    """A literal list of strings (`%w[invoice.paid charge.failed]`, a frozen constant)."""

    items: tuple[tuple[str, object], ...]  # (text, node)
