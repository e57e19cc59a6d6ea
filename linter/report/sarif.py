"""SARIF 2.1.0 (what GitHub code scanning and most review tools read): one run, every rule.

The rules' metadata comes from their definitions (code, name, summary, docstring), so the
help a code-scanning alert shows is the text `stripe-perm-lint explain CODE` prints.
"""

from __future__ import annotations

import json
from typing import TextIO
from urllib.parse import quote

from stripe_perm_lint import __version__
from stripe_perm_lint.engine import AppReport, display_path
from stripe_perm_lint.finding import Location, Severity
from stripe_perm_lint.report.rows import Row, finding_rows

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Paths are relative to where the command runs (the repository root in CI); the consumer knows
# that folder, so the log names no absolute path and the same checkout gives the same bytes.
SOURCE_ROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "stripePermLint/v1"


def _section(documentation: str, heading: str) -> str:
    """The paragraph(s) under ``## heading`` as one line of plain text."""
    _, found, rest = documentation.partition(f"## {heading}\n")
    return " ".join(rest.split("\n## ", 1)[0].split()) if found else ""


def _plain(documentation: str) -> str:
    """The docstring's markdown headings as plain lines (`## Fix` -> `Fix:`)."""
    lines = documentation.splitlines()
    return "\n".join(f"{line[3:]}:" if line.startswith("## ") else line for line in lines)


def rule_descriptors() -> list[dict]:
    from stripe_perm_lint.rules import ALL_RULES

    descriptors = []
    for rule in sorted(ALL_RULES, key=lambda r: r.code):
        documentation = rule.documentation()
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": f"{rule.summary()}."},
                "fullDescription": {"text": _section(documentation, "Why it matters") or f"{rule.summary()}."},
                "help": {"text": _plain(documentation), "markdown": documentation},
                "defaultConfiguration": {"level": LEVELS[rule.severity]},
            }
        )
    return descriptors


def _location(path: str, line: int, column: int) -> dict:
    physical: dict = {"artifactLocation": {"uri": quote(path, safe="/", errors="surrogateescape"), "uriBaseId": SOURCE_ROOT}}
    if line > 0:  # line 0 means the file as a whole: no region at all
        physical["region"] = {"startLine": line, **({"startColumn": column} if column > 0 else {})}
    return {"physicalLocation": physical}


def _result(row: Row, rule_index: dict[str, int]) -> dict:
    f = row.finding
    result: dict = {"ruleId": f.code}
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    result["level"] = LEVELS[f.severity]
    result["message"] = {"text": f.message}
    result["locations"] = [_location(row.path, f.location.line, f.location.column)]
    if row.related:
        result["relatedLocations"] = [
            {"id": i, **_location(r.path, r.line, r.column), "message": {"text": r.message}}
            for i, r in enumerate(row.related)
        ]
    result["partialFingerprints"] = {FINGERPRINT_KEY: row.fingerprint}
    properties = {"confidence": f.confidence}
    if f.permission:
        properties["permission"] = f.permission
    result["properties"] = properties
    return result


def _not_analysed(reports: list[AppReport]) -> list[dict]:
    """Files in languages with no parser (only their Stripe API URLs were read), as in JSON."""
    files = [
        {"path": display_path(report, Location(path)), "language": language}
        for report in reports
        for path, language in report.not_analysed
    ]
    return sorted(files, key=lambda f: f["path"])


def sarif_log(reports: list[AppReport]) -> dict:
    rules = rule_descriptors()
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    driver = {"name": "stripe-perm-lint", "version": __version__, "semanticVersion": __version__, "rules": rules}
    run: dict = {
        "tool": {"driver": driver},
        # Columns count characters, not UTF-16 units or bytes (the parsers convert).
        "columnKind": "unicodeCodePoints",
        "results": [_result(row, rule_index) for row in finding_rows(reports)],
    }
    not_analysed = _not_analysed(reports)
    vendored = sorted(display_path(r, Location(f)) for r in reports for f in r.vendored_sdks)
    properties: dict = {}
    if not_analysed:
        properties["notAnalysed"] = not_analysed
    if vendored:
        properties["vendoredStripeSdks"] = vendored
    if properties:
        run["properties"] = properties
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(reports: list[AppReport], out: TextIO, colour: bool = False, summary: bool = True) -> None:
    out.write(json.dumps(sarif_log(reports), indent=2, ensure_ascii=False))
    out.write("\n")
