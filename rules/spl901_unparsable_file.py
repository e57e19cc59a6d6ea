from __future__ import annotations

from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.rule import Rule


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

    def check(self, ctx):
        app = ctx.app
        for path, problem in app.problems():
            yield self.finding(Location(path, problem.position.line, problem.position.column), problem.message)
