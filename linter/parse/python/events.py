"""Syntax-only readers for webhook handlers the Python parser recognises by decorator
(``@webhooks.handler("customer.subscription.created")``). Event families matched by prefix are
named by ``vocabulary.family_name``, shared with the TypeScript parser.

They look at names and literals only; whether an expression is an event type is the
evaluator's business (``eval_values``).
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.parse.vocabulary import EVENT_NAME
from stripe_perm_lint.parse.python.call_syntax import literal_text

# Words of a decorator name that say it registers an event handler: dj-stripe's
# ``@webhooks.handler(...)``, home-grown ``@on(...)`` / ``@handles(...)`` registries.
# ``WHOLE_WORDS`` must be a whole part of the name (``on`` is in too many words);
# ``PART_WORDS`` may be inside one (``webhook_handler``, ``on_event``, ``listener``).
WHOLE_WORDS = frozenset({"on", "handles"})
PART_WORDS = ("handler", "webhook", "event", "listen", "subscribe", "receiver")

_NAME_PARTS = re.compile(r"[._]+|(?<=[a-z0-9])(?=[A-Z])")


def registers_handler(decorator: cst.Call) -> bool:
    """Whether a decorator's dotted name reads like a handler registry."""
    name = get_full_name_for_node(decorator.func)
    if name is None and isinstance(decorator.func, cst.Attribute):
        name = decorator.func.attr.value  # ``@registry["x"].on(...)``
    parts = [part.lower() for part in _NAME_PARTS.split(name or "") if part]
    return any(part in WHOLE_WORDS or any(word in part for word in PART_WORDS) for part in parts)


def decorator_events(decorator: cst.Call) -> list[cst.SimpleString]:
    """The event-name literals of ``@handler("a.b", "c.d")``: every positional argument must be
    one (a ``*`` is allowed but not an event), else the call is something else (``@on_event(
    "startup")``, ``@route("/webhooks")``) and none is returned."""
    found = []
    positional = [arg for arg in decorator.args if arg.keyword is None]
    for arg in positional:
        value = literal_text(arg.value) if isinstance(arg.value, cst.SimpleString) and not arg.star else None
        if not isinstance(value, str) or not (value == "*" or EVENT_NAME.match(value)):
            return []
        if value != "*":
            found.append(arg.value)
    return found
