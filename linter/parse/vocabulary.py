"""Vocabulary every parser shares: what an event name looks like, what marks an OAuth key or a
request to the Stripe API, and the reasons given to the user when something cannot be resolved.

One definition here keeps the languages agreeing: the same snippet of Stripe usage gives the same
facts, and the same reason is worded the same way, whichever language it is written in. Only text
and patterns live here; nothing from libcst or tree-sitter.
"""

from __future__ import annotations

import re

# --- event names ---------------------------------------------------------------------------------

# "invoice.paid", "customer.subscription.updated", "v1.billing.meter.error_report_triggered".
EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

# A prefix naming a family of events is whole dot-terminated segments: `customer.subscription.`.
# A partial one (`cust`, or `customer` without its dot, which also matches
# `customer_cash_balance_transaction.*`) names no family.
EVENT_FAMILY_PREFIX = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.$")


def family_name(prefix: str) -> str | None:
    """``customer.subscription.`` -> ``customer.subscription.*``; None for a prefix that stops
    inside a segment (``cust``, ``invoice.payment`` also matches ``invoice.payment_failed``)."""
    return prefix[:-1] + ".*" if EVENT_FAMILY_PREFIX.match(prefix) else None


# --- accounts and requests -----------------------------------------------------------------------

# Source text of an API key that names an OAuth token (`creds.access_token`, `oauthToken`): a
# client or request made with it acts on the installing account.
OAUTH_KEY_TEXT = re.compile(r"access_?token|oauth", re.IGNORECASE)

# A URL of the Stripe API, `https://api.stripe.com/v1/customers?limit=3` (`//api.stripe.com/...`
# in a browser); ``path`` is the part before the query, None when the URL has none. The host ends
# at `/`, `?`, `#`, the end, or `{`: a part the parser cannot read (`${API_BASE}${path}`), which
# still makes a request to Stripe, to a path the linter then cannot resolve. Anything else
# (`api.stripe.com.example.org`) is another host.
STRIPE_API_URL = re.compile(r"^(?:https?:)?//api\.stripe\.com(?::\d+)?(?P<path>/[^?#]*)?(?=[?#{]|$)")

# --- why a use cannot be resolved (the ``what`` of an ``Unresolved`` fact, shown to the user) -----

NON_LITERAL_EVENT = "event type compared with a non-literal"
PARTIAL_PREFIX = "event type matched by a partial prefix"
COMPUTED_HANDLER = "event type used to compute a handler name"
UNREADABLE_TABLE = "event type used as a key of a table the parser cannot read"
DYNAMIC_ENABLED_EVENTS = "enabled_events is not a list of literals"
NON_LITERAL_PERMISSION = "permission name is not a literal"
