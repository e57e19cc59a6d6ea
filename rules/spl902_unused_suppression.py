from __future__ import annotations

from typing import TYPE_CHECKING, AbstractSet, Iterator, Sequence

from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Finding, Severity
from stripe_perm_lint.rule import Rule

if TYPE_CHECKING:
    from stripe_perm_lint.suppressions import Directive

def _view(comment: str) -> str:
    """A UI view whose one call needs `invoice_read`, with ``comment`` at the end of the call's line."""
    return UI_CLIENT + "\nexport const openInvoices = () => stripe.invoices.list({status: 'open'});" + comment + "\n"


class UnusedSuppression(Rule):
    """A `stripe-perm-lint: ignore[...]` comment that hides nothing.

    ## Why it matters
    A suppression outlives the finding it was written for: once the code or the manifest is
    fixed it hides nothing, until a new finding of that rule on the same line is silently hidden
    too. A misspelt code, or a bare `ignore` without codes, hides nothing from the start while it
    looks as if it did.

    ## Example
    `stripe.invoices.list() // stripe-perm-lint: ignore[SPL101]` after `invoice_read` was added
    to the manifest; `ignore[SPL1O1]` (a letter O); `# stripe-perm-lint: ignore` with no codes.

    ## Fix
    Remove the comment, or correct the code it names (`stripe-perm-lint rules` lists them).
    A suppression is judged only against rules that ran: with `SPL101` deselected, an
    `ignore[SPL101]` is not reported. This rule's findings can be suppressed on their line like
    any other (`ignore[SPL101,SPL902]`).
    """

    code = "SPL902"
    name = "unused-suppression"
    severity = Severity.WARNING
    valid = (
        Example(
            "The suppression hides the finding it names",
            {
                "stripe-app.json": manifest(),
                "src/views/Invoices.tsx": _view(" // stripe-perm-lint: ignore[SPL101] -- granted at install by the backend"),
            },
            rules=("SPL101",),
        ),
    )
    invalid = (
        Example(
            "The permission is now declared, so the suppression hides nothing",
            {
                "stripe-app.json": manifest("invoice_read"),
                "src/views/Invoices.tsx": _view(" // stripe-perm-lint: ignore[missing-permission]"),
            },
            ("src/views/Invoices.tsx:6:75: `ignore[missing-permission]` hides nothing: no SPL101 finding on line 6; remove it",),
            rules=("SPL101",),
        ),
        Example(
            "A misspelt code and a bare ignore",
            {
                "stripe-app.json": manifest(),
                "src/views/Invoices.tsx": "// stripe-perm-lint: ignore\n" + _view(" // stripe-perm-lint: ignore[SPL1O1]"),
            },
            (
                "src/views/Invoices.tsx:1:1: `stripe-perm-lint: ignore` without codes hides nothing; name the rules it is for, as in `ignore[SPL101]`",
                "src/views/Invoices.tsx:7:75: `SPL1O1` is not a rule code or name, so it hides nothing; `stripe-perm-lint rules` lists them",
            ),
        ),
    )

    def check(self, ctx) -> Iterator[Finding]:
        # Whether a suppression hid anything is known only once every other rule has run: the
        # engine's suppression step (``suppressions.apply_suppressions``) calls ``report``.
        return iter(())

    def report(
        self, directives: Sequence[Directive], used: AbstractSet[tuple[int, str]], ran: AbstractSet[str]
    ) -> Iterator[Finding]:
        """Findings for ``directives`` (indexed as in ``used``, which holds the ``(index, code)``
        pairs that hid a finding) that are malformed, name an unknown rule, or name a rule in
        ``ran`` that reported nothing on the line they cover."""
        for index, directive in enumerate(directives):
            if directive.problem:
                yield self.finding(directive.location, directive.problem)
                continue
            for key, code in zip(directive.keys, directive.codes):
                if code is None:
                    yield self.finding(
                        directive.location,
                        f"`{key}` is not a rule code or name, so it hides nothing; `stripe-perm-lint rules` lists them",
                    )
                elif code != self.code and code in ran and (index, code) not in used:
                    yield self.finding(
                        directive.location,
                        f"`ignore[{key}]` hides nothing: no {code} finding on line {directive.covers}; remove it",
                    )
