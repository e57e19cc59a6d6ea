from __future__ import annotations

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.rule import Rule

MANIFEST = manifest("payment_intent_read", "customer_read")
# A view expanding one field (the `%s`) of a payment intent, or of each payment intent in a list.
RETRIEVE = UI_CLIENT + "\nexport const payment = (id: string) => stripe.paymentIntents.retrieve(id, {expand: ['%s']});\n"
LIST = UI_CLIENT + "\nexport const payments = () => stripe.paymentIntents.list({limit: 10, expand: ['%s']});\n"


class InvalidExpand(Rule):
    """An `expand` path that does not exist on the object the call returns.

    ## Why it matters
    Stripe rejects the whole request with `invalid_request_error` ("This property cannot be
    expanded"), so the call fails every time, not only for some accounts.

    ## Example
    `stripe.paymentIntents.retrieve(id, {expand: ['custmer']})`, or `expand: ['customer']` on
    a list call, which needs `data.customer`.

    ## Fix
    Use a field the object has (the message names the object and the field); on list calls,
    prefix the path with `data.`.
    """

    code = "SPL107"
    name = "invalid-expand"
    severity = Severity.ERROR
    gap_kinds = (GapKind.INVALID_EXPAND,)
    valid = (
        Example(
            "A field of the returned object",
            {"stripe-app.json": MANIFEST, "src/views/Payment.tsx": RETRIEVE % "customer"},
        ),
        Example(
            "A field of each listed object, under `data.`",
            {"stripe-app.json": MANIFEST, "src/views/Payments.tsx": LIST % "data.customer"},
        ),
    )
    invalid = (
        Example(
            "A misspelt field",
            {"stripe-app.json": MANIFEST, "src/views/Payment.tsx": RETRIEVE % "custmer"},
            ("src/views/Payment.tsx:6:85: expand `custmer` is not a valid expand path: no field `custmer` on "
             "`payment_intent`",),
        ),
        Example(
            "A list call's path without `data.`",
            {"stripe-app.json": MANIFEST, "src/views/Payments.tsx": LIST % "customer"},
            ("src/views/Payments.tsx:6:79: expand `customer` is not a valid expand path: `GET /v1/payment_intents` "
             "returns a list, so expand paths start with `data.` (`data.customer`)",),
        ),
    )

    def check(self, ctx):
        for gap in ctx.gaps(GapKind.INVALID_EXPAND):
            yield self.finding(gap.location, f"{gap.subject} is not a valid expand path: {gap.detail}")
