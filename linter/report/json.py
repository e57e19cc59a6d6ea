"""The stable JSON shape (``version`` 1): one object per app, findings sorted."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO

from stripe_perm_lint.engine import AppReport, display_path
from stripe_perm_lint.finding import Location


def report_dict(reports: list[AppReport]) -> dict:
    apps = []
    for report in reports:
        root = Path(os.path.relpath(report.root, Path.cwd())).as_posix()
        findings = [
            {
                "code": f.code,
                "rule": f.rule,
                "severity": f.severity.value,
                "permission": f.permission,
                "path": display_path(report, f.location),
                "line": f.location.line,
                "column": f.location.column,
                "message": f.message,
                "confidence": f.confidence,
                "related": [
                    {"path": display_path(report, where), "line": where.line, "column": where.column, "message": what}
                    for where, what in f.related
                ],
            }
            for f in report.findings
        ]
        findings.sort(key=lambda d: (d["path"], d["line"], d["column"], d["code"], d["message"]))
        apps.append(
            {
                "root": root,
                "manifest": (Path(root) / report.manifest).as_posix() if root != "." else report.manifest,
                "declared": list(report.declared),
                "required": list(report.required),
                "findings": findings,
                "not_analysed": [
                    {"path": display_path(report, Location(path)), "language": language, "read": "Stripe API URLs only"}
                    for path, language in report.not_analysed
                ],
                "untraced_clients": [
                    {"path": display_path(report, Location(u.path)), "line": u.line, "column": u.column,
                     "origin": u.origin, "name": u.name, "source": u.source, "uses": u.uses}
                    for u in report.untraced_clients
                ],
                # Folders holding a copy of the Stripe SDK's own source, not read (not app code).
                "vendored_sdks": [display_path(report, Location(f)) for f in report.vendored_sdks],
            }
        )
    return {"version": 1, "apps": apps}


def render_json(reports: list[AppReport], out: TextIO, colour: bool = False, summary: bool = True) -> None:
    # One write: json.dump would write each of tens of thousands of tokens on its own.
    out.write(json.dumps(report_dict(reports), indent=2, sort_keys=False, ensure_ascii=False))
    out.write("\n")
