"""What a run's findings mean for the user: the exit status, and what ``--quiet`` hides."""

from __future__ import annotations

import dataclasses

from stripe_perm_lint.engine import AppReport
from stripe_perm_lint.finding import Severity

FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING}


def exit_status(reports: list[AppReport], fail_on: str = "error", exit_zero: bool = False, incomplete: bool = False) -> int:
    """2 when an internal error left results out (whatever ``exit_zero`` says: the report is not
    whole); else 1 when a finding is at or above ``fail_on`` and ``exit_zero`` is off; else 0."""
    if incomplete:
        return 2
    threshold = FAIL_ON[fail_on].rank
    failing = any(f.severity.rank >= threshold for report in reports for f in report.findings)
    return 1 if failing and not exit_zero else 0


def without_info(reports: list[AppReport]) -> list[AppReport]:
    """The reports with info-level findings left out (``--quiet``); the summary then counts
    only what is shown."""
    return [
        dataclasses.replace(r, findings=tuple(f for f in r.findings if f.severity is not Severity.INFO)) for r in reports
    ]
