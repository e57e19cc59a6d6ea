"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding,
which the Actions runner turns into an annotation on the file and line of a pull request.

``::error file=src/App.tsx,line=12,col=5,title=SPL101 missing-permission::message``
"""

from __future__ import annotations

from typing import TextIO

from stripe_perm_lint.engine import AppReport
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.report.rows import Row, finding_rows
from stripe_perm_lint.report.text import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The escaping GitHub's own toolkit applies to a command's message: a raw newline would end
    the command and start a new one (a finding could otherwise inject its own commands)."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)  # other control characters would recolour the log


def escape_property(text: str) -> str:
    """Property values also separate on `,` and end at `:`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(row: Row) -> str:
    f = row.finding
    properties = [f"file={escape_property(row.path)}"]
    if f.location.line > 0:  # line 0: an annotation on the file as a whole
        properties.append(f"line={f.location.line}")
        if f.location.column > 0:
            properties.append(f"col={f.location.column}")
    properties.append(f"title={escape_property(f'{f.code} {f.rule}')}")
    # Related places go into the annotation's body, one per line, as the text format's notes.
    message = "\n".join([f.message, *(f"note: {r.path}:{r.line}:{r.column}: {r.message}" for r in row.related)])
    return f"::{COMMANDS[f.severity]} {','.join(properties)}::{escape_data(message)}"


def render_github(reports: list[AppReport], out: TextIO, colour: bool = False, summary: bool = True) -> None:
    for row in finding_rows(reports):
        out.write(command(row) + "\n")
