from __future__ import annotations

import json

from stripe_perm_lint.examples import Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

# Shorter than this, a purpose cannot say what the app does with the data ("Needed", "Required").
MIN_PURPOSE_CHARACTERS = 10
# Whole purposes that are placeholders (compared lower-case, outer punctuation and spaces removed).
PLACEHOLDERS = frozenset({
    "todo", "tbd", "tbc", "fixme", "purpose", "placeholder", "xxx", "n/a", "na", "none", "null",
    "test", "testing", "lorem ipsum", "description", "reason", "why", "add purpose", "purpose here",
    "your purpose here", "insert purpose here",
})
# A purpose that starts with one of these words is a note to self (`TODO: explain`).
PLACEHOLDER_PREFIXES = ("todo", "tbd", "fixme", "xxx", "lorem ipsum")
# Characters a filler purpose is made of (`xxx`, `...`, `???`, `---`).
FILLER = frozenset("x.-_?* ")
OUTER = " \t.,;:!?-_*\"'`()[]"


def placeholder_reason(purpose: str, permission: str) -> str | None:
    """Why ``purpose`` tells an installer nothing, or None when it may."""
    text = " ".join(purpose.split())
    if not text:
        return "is empty"
    normal = text.lower().strip(OUTER)
    if (
        not normal
        or normal in PLACEHOLDERS
        or set(normal) <= FILLER
        or any(normal.startswith(p) and not normal[len(p):][:1].isalpha() for p in PLACEHOLDER_PREFIXES)
    ):
        return f"is a placeholder ({_quote(text)})"
    if normal.replace("_", " ").replace("-", " ") == permission.lower().replace("_", " "):
        return "only repeats the permission's name"
    if len(text) < MIN_PURPOSE_CHARACTERS:
        return f"is {len(text)} characters long ({_quote(text)}), too short to say why"
    return None


def _quote(text: str) -> str:
    return f"`{text[:37]}...`" if len(text) > 40 else f"`{text}`"


def _with_purpose(permission: str, purpose: str) -> str:
    return manifest(permission, icon="").replace(
        f'"purpose": "Needed for {permission.rsplit("_", 1)[0]}"', f'"purpose": {json.dumps(purpose)}'
    )


class PlaceholderPurpose(Rule):
    """A permission's purpose is empty or a placeholder.

    ## Why it matters
    The purpose is what installers read on the install screen next to each permission, and what
    Stripe's app review checks; "TODO" or "customer_read" tells them nothing, so they decline the
    install or the review asks for a reason. `stripe apps grant permission X "PURPOSE"` leaves
    the placeholder `PURPOSE` when copied as is.

    A purpose is reported when, after its spaces are collapsed: it is empty; it is, lower-cased
    and without outer punctuation, one of `TODO`, `TBD`, `TBC`, `FIXME`, `PURPOSE`,
    `placeholder`, `xxx`, `N/A`, `NA`, `none`, `null`, `test`, `testing`, `lorem ipsum`,
    `description`, `reason`, `why`, `add purpose`, `purpose here`, `your purpose here`,
    `insert purpose here`; it is made only of `x . - _ ? *`; it starts with the word `TODO`,
    `TBD`, `FIXME`, `xxx` or `lorem ipsum`; it repeats the permission's name (`customer read`);
    or it is shorter than 10 characters. A missing purpose, or one that is not text, is SPL006.

    ## Example
    `{"permission": "customer_read", "purpose": "TODO"}`.

    ## Fix
    Say what the app does with the data, in a sentence an installer understands: "Show the
    customer's open invoices in the sidebar".
    """

    code = "SPL007"
    name = "placeholder-purpose"
    severity = Severity.WARNING
    valid = (
        Example("A purpose that says why", {"stripe-app.json": _with_purpose("customer_read", "Show the customer's plan")}),
        Example("A short but real sentence", {"stripe-app.json": _with_purpose("invoice_read", "List invoices")}),
    )
    invalid = (
        Example(
            "The CLI's placeholder left in",
            {"stripe-app.json": _with_purpose("customer_read", "PURPOSE")},
            ("stripe-app.json:9:18: the purpose of `customer_read` is a placeholder (`PURPOSE`); say what the "
             "app does with it, installers read this",),
        ),
        Example(
            "The permission's name as its purpose",
            {"stripe-app.json": _with_purpose("customer_read", "Customer read")},
            ("stripe-app.json:9:18: the purpose of `customer_read` only repeats the permission's name; say what "
             "the app does with it, installers read this",),
        ),
        Example(
            "An empty purpose",
            {"stripe-app.json": _with_purpose("invoice_read", " ")},
            ("stripe-app.json:9:18: the purpose of `invoice_read` is empty; say what the app does with it, "
             "installers read this",),
        ),
    )

    def check(self, ctx):
        for entry in ctx.app.manifest.permissions:
            if entry.purpose is None:
                continue
            reason = placeholder_reason(entry.purpose, entry.name)
            if reason:
                yield self.finding(
                    entry.purpose_location or entry.location,
                    f"the purpose of `{entry.name}` {reason}; say what the app does with it, installers read this",
                    permission=entry.name,
                )
