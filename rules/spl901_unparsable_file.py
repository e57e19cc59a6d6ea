from __future__ import annotations

from stripe_perm_lint.examples import UI_CLIENT, Example, manifest
from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.rule import Rule

VIEW = UI_CLIENT + "\nexport const openInvoices = () => stripe.invoices.list({status: 'open'});\n"
# The same view with the call's closing `)` missing.
BROKEN_VIEW = UI_CLIENT + "\nexport const openInvoices = () => stripe.invoices.list({status: 'open'};\n"
# Generated data nested 201 brackets deep: more than CPython accepts.
DEEP_PYTHON = "TREE = " + "[" * 201 + "]" * 201 + "\n"


class UnparsableFile(Rule):
    """A source file that could not be read or parsed completely.

    ## Why it matters
    Calls in the unreadable part are not seen, so permissions they need may be reported as
    unused, or missing ones not reported. The rest of the app is still checked.

    ## Example
    A `.tsx` file with a syntax error, a binary file with a `.js` name, a file over 2 MiB, a
    generated Python module nested deeper than CPython allows, a file that crashed the parser or
    took over 60 s, an unreadable folder, a symbolic link that leads outside the app.

    ## Fix
    Fix the syntax, or add the file to `.gitignore` if it is generated. For a link to code that
    lives outside the app folder, pass that folder with `--extra-sources`.
    """

    code = "SPL901"
    name = "unparsable-file"
    severity = Severity.WARNING
    valid = (
        Example("A file that parses", {"stripe-app.json": manifest("invoice_read"), "src/views/Invoices.tsx": VIEW}),
    )
    invalid = (
        Example(
            "A syntax error in a view",
            {"stripe-app.json": manifest("invoice_read"), "src/views/Invoices.tsx": BROKEN_VIEW},
            ("src/views/Invoices.tsx:6:72: syntax error (missing )); facts may be incomplete",),
        ),
        Example(
            "A generated Python module nested past 200 brackets",
            {"stripe-app.json": manifest(), "backend/tree_data.py": DEEP_PYTHON},
            ("backend/tree_data.py:1:208: brackets nested more than 200 levels deep: not valid Python (CPython "
             "refuses it with 'too many nested parentheses'), so the file is not analysed",),
        ),
    )

    def check(self, ctx):
        app = ctx.app
        for path, problem in app.problems():
            yield self.finding(Location(path, problem.position.line, problem.position.column), problem.message)
