"""``path:line:col: CODE message``, the flake8/ruff convention, then a one-line summary."""

from __future__ import annotations

import re
from typing import TextIO

from stripe_perm_lint.engine import AppReport, display_path
from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.untraced import ORIGIN_WORDS

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET, _BOLD = "\x1b[0m", "\x1b[1m"


# Control characters in a message or path come from the analysed files (an unexpected byte in a
# manifest, an odd file name); written raw they could move the cursor or recolour the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def finding_lines(reports: list[AppReport], colour: bool = False) -> list[str]:
    """One line per finding, then an indented `note:` line per related location."""
    rows = []
    for report in reports:
        for f in report.findings:
            path = printable(display_path(report, f.location))
            notes = tuple(
                printable(f"{display_path(report, where)}:{where.line}:{where.column}: {what}") for where, what in f.related
            )
            rows.append((path, f.location.line, f.location.column, f.code, printable(f.message), f.severity, notes))
    lines = []
    for path, line, column, code, message, severity, notes in sorted(rows, key=lambda r: r[:5]):
        if colour:
            lines.append(f"{_BOLD}{path}:{line}:{column}:{_RESET} {_COLOURS[severity]}{code}{_RESET} {message}")
        else:
            lines.append(f"{path}:{line}:{column}: {code} {message}")
        lines += [f"    note: {note}" for note in notes]
    return lines


def not_analysed_line(report: AppReport) -> str:
    """`app: not parsed: 2 PHP files, 1 Ruby file (only Stripe API URLs in them were read)`."""
    counts: dict[str, int] = {}
    for _, language in report.not_analysed:
        counts[language] = counts.get(language, 0) + 1
    parts = ", ".join(f"{n} {language} file{'s' if n > 1 else ''}" for language, n in sorted(counts.items()))
    root = printable(display_path(report, Location(".")))
    return f"{root}: not parsed: {parts} (only the Stripe API URLs in them were read; their SDK calls are not seen)"


def untraced_line(report: AppReport) -> str:
    """`app: untraced clients: 2 imports (from `@acme/billing`), 1 parameter, used in 5 calls (...)`:
    one count per origin; imports also name their modules, the first thing a user checks."""
    counts: dict[str, int] = {}
    for u in report.untraced_clients:
        counts[u.origin] = counts.get(u.origin, 0) + 1
    parts = []
    for origin, (one, many) in ORIGIN_WORDS.items():
        n = counts.get(origin, 0)
        if not n:
            continue
        part = f"{n} {one if n == 1 else many}"
        if origin == "import":
            sources = sorted({u.source for u in report.untraced_clients if u.origin == "import"})
            part += " (from " + ", ".join(f"`{printable(s)}`" for s in sources) + ")"
        parts.append(part)
    calls = sum(u.uses for u in report.untraced_clients)
    root = printable(display_path(report, Location(".")))
    return (f"{root}: untraced clients: {', '.join(parts)}, used in {calls} call{'s' if calls != 1 else ''} "
            "(used like Stripe clients from an origin not traced; only their calls inferred from an SDK shape count)")


def vendored_line(report: AppReport) -> str:
    """`app: not read: the Stripe SDK's own source in `lambda/stripe` (a copy of the package, not app code)`."""
    root = printable(display_path(report, Location(".")))
    folders = ", ".join(f"`{printable(display_path(report, Location(f)))}`" for f in report.vendored_sdks)
    return f"{root}: not read: the Stripe SDK's own source in {folders} (a copy of the package, not app code)"


def render_text(reports: list[AppReport], out: TextIO, colour: bool = False, summary: bool = True) -> None:
    for line in finding_lines(reports, colour):
        out.write(line + "\n")
    for report in reports:
        if report.not_analysed:
            out.write(not_analysed_line(report) + "\n")
        if report.untraced_clients:
            out.write(untraced_line(report) + "\n")
        if report.vendored_sdks:
            out.write(vendored_line(report) + "\n")
    if not summary:
        return
    counts = {s: 0 for s in Severity}
    for report in reports:
        for f in report.findings:
            counts[f.severity] += 1
    apps = f"{len(reports)} app" + ("s" if len(reports) != 1 else "")
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in Severity]
    out.write(f"Checked {apps}: {', '.join(parts)}{hidden_note(reports)}\n")


def hidden_note(reports: list[AppReport]) -> str:
    """` (2 suppressed, 3 in the baseline)`, or nothing when no finding was hidden."""
    suppressed = sum(r.suppressed for r in reports)
    baselined = sum(r.baselined for r in reports)
    parts = [f"{suppressed} suppressed"] * bool(suppressed) + [f"{baselined} in the baseline"] * bool(baselined)
    return f" ({', '.join(parts)})" if parts else ""
