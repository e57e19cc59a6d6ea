"""The same Stripe use written in Python and in TypeScript gives the same facts.

Both parsers read event names, event families and Stripe URLs with the patterns of
``stripe_perm_lint.parse.vocabulary`` and word their unresolved reasons from it; these cases keep
them agreeing. Each case is one line (line 3) after a two-line head that makes ``event`` a webhook
event in either language.
"""

from __future__ import annotations

import pytest
from parse_helpers import facts, simplify

PY_HEAD = "import stripe, requests\nevent = stripe.Webhook.construct_event(payload, sig, secret)\n"
TS_HEAD = "import Stripe from 'stripe';\nconst event = new Stripe('k').webhooks.constructEvent(body, sig, secret);\n"
KINDS = frozenset({"event", "unresolved", "raw"})

CASES = [
    ("event-family",
     'if event.type.startswith("customer.subscription."): pass',
     "if (event.type.startsWith('customer.subscription.')) {}",
     [("event", "customer.subscription.*", "handled", 3)]),
    ("partial-prefix",
     'if event.type.startswith("cust"): pass',
     "if (event.type.startsWith('cust')) {}",
     [("unresolved", "event type matched by a partial prefix", 3)]),
    ("family-must-start-with-a-letter",
     'if event.type.startswith("_private."): pass',
     "if (event.type.startsWith('_private.')) {}",
     [("unresolved", "event type matched by a partial prefix", 3)]),
    ("compared-with-a-non-literal",
     "if event.type == wanted: pass",
     "if (event.type === wanted) {}",
     [("unresolved", "event type compared with a non-literal", 3)]),
    ("enabled-events-not-literal",
     "stripe.WebhookEndpoint.create(url=url, enabled_events=events)",
     "new Stripe('k').webhookEndpoints.create({url, enabled_events: events});",
     [("unresolved", "enabled_events is not a list of literals", 3)]),
    ("stripe-url",
     'requests.get("https://api.stripe.com/v1/customers?limit=3")',
     "fetch('https://api.stripe.com/v1/customers?limit=3');",
     [("raw", "GET", "/v1/customers", 3, "platform")]),
    ("stripe-url-with-an-unreadable-path",
     'requests.get("https://api.stripe.com" + path)',
     "fetch('https://api.stripe.com' + path);",
     [("raw", "GET", "/", 3, "platform")]),
    ("another-host-that-starts-like-stripe",
     'requests.get("https://api.stripe.com.example.org/v1/customers")',
     "fetch('https://api.stripe.com.example.org/v1/customers');",
     []),
]


@pytest.mark.parametrize(("python", "typescript", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_same_facts_in_both_languages(python: str, typescript: str, expected: list[tuple]) -> None:
    assert simplify(facts(PY_HEAD + python + "\n", path="app/hook.py"), KINDS) == expected
    assert simplify(facts(TS_HEAD + typescript + "\n", path="src/hook.ts"), KINDS) == expected


def test_no_two_parser_classes_share_a_name() -> None:
    """One name, one meaning across ``stripe_perm_lint.parse`` (the two parsers once both had a
    ``Scope``, a ``Client`` and an ``EventType``, each meaning something else)."""
    import importlib
    import inspect
    import pkgutil

    import stripe_perm_lint.parse as parse

    owners: dict[str, set[str]] = {}
    for info in pkgutil.walk_packages(parse.__path__, parse.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                owners.setdefault(name, set()).add(module.__name__)
    assert {name: where for name, where in owners.items() if len(where) > 1} == {}
