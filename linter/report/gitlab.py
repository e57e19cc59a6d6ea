"""GitLab Code Quality report: a JSON array of issues (a subset of the Code Climate format),
which GitLab shows in the merge request widget and the changes view.

Severity: error -> ``major``, warning -> ``minor``, info -> ``info``, so errors rank above
warnings in the widget (``critical`` and ``blocker`` are left for findings known to be exploitable).
"""

from __future__ import annotations

import json
from typing import TextIO

from stripe_perm_lint.engine import AppReport
from stripe_perm_lint.finding import Severity
from stripe_perm_lint.report.rows import Row, finding_rows

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(row: Row) -> dict:
    f = row.finding
    notes = "".join(f" (note: {r.path}:{r.line}:{r.column}: {r.message})" for r in row.related)
    return {
        "description": f"{f.code} {f.rule}: {f.message}{notes}",
        "check_name": f.code,
        "fingerprint": row.fingerprint,
        "severity": SEVERITIES[f.severity],
        # GitLab needs a line; a finding about a whole file (line 0) is shown on its first line.
        "location": {"path": row.path, "lines": {"begin": max(f.location.line, 1)}},
    }


def render_gitlab(reports: list[AppReport], out: TextIO, colour: bool = False, summary: bool = True) -> None:
    out.write(json.dumps([issue(row) for row in finding_rows(reports)], indent=2, ensure_ascii=False))
    out.write("\n")
