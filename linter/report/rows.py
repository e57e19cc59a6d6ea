"""Findings of every app as one sorted list, with display paths and stable fingerprints.

The CI formats (SARIF, GitHub, GitLab) all need the same three things: paths relative to where
the command runs, the text format's order, and a fingerprint that survives unrelated edits so
that code scanning and merge-request widgets can follow one finding from run to run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from stripe_perm_lint.engine import AppReport, display_path
from stripe_perm_lint.finding import Finding


@dataclass(frozen=True)
class Related:
    path: str  # relative to the current folder, forward slashes
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Row:
    finding: Finding
    path: str  # relative to the current folder, forward slashes
    related: tuple[Related, ...]
    fingerprint: str


# A message names what it is about in backticks (`stripe.invoices.list()`, `payout_read`); line
# numbers it mentions ("already declared at line 17") sit outside them.
_CODE_SPAN = re.compile(r"`([^`]*)`")
_DIGITS = re.compile(r"\d+")


def subject(message: str) -> str:
    """What a finding is about, without anything that moves when lines are added above it."""
    spans = _CODE_SPAN.findall(message)
    return "\x1f".join(spans) if spans else _DIGITS.sub("#", message)


def finding_rows(reports: list[AppReport]) -> list[Row]:
    """Every finding, sorted by path, line, column, code and message (the text format's order).

    The fingerprint hashes the code, the permission, the path and the subject, never a line or
    a column. Findings alike in all four (the same call twice in one file) are told apart by
    their rank among themselves, so every fingerprint in a report is unique.
    """
    located = []
    for report in reports:
        for f in report.findings:
            related = tuple(
                Related(display_path(report, where), where.line, where.column, what) for where, what in f.related
            )
            located.append((display_path(report, f.location), f, related))
    located.sort(key=lambda r: (r[0], r[1].location.line, r[1].location.column, r[1].code, r[1].message))
    seen: dict[tuple[str, ...], int] = {}
    rows = []
    for path, f, related in located:
        identity = (f.code, f.permission or "", path, subject(f.message))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        # surrogateescape: a file name that is not UTF-8 hashes as its own bytes.
        key = "\x00".join((*identity, str(occurrence))).encode("utf-8", errors="surrogateescape")
        digest = hashlib.sha256(key).hexdigest()
        rows.append(Row(f, path, related, digest))
    return rows
