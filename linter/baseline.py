"""A baseline file: findings recorded once (``--write-baseline``) and hidden after (``--baseline``).

Adopting the linter on an old app should not mean fixing everything first. An entry is keyed on
what a finding is about, not where: rule code, permission, file path (relative to the baseline
file, so the file can be committed beside the apps) and subject (the first backticked text of
the message: the call, event, permission or path it names). Line numbers are left out, so edits
elsewhere in a file keep its entries valid. Each key keeps a count: two identical findings and
one entry hide one of them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from stripe_perm_lint.finding import Finding
from stripe_perm_lint.report.output import OutputError, write_atomically

VERSION = 1
ABOUT = "Findings recorded by `stripe-perm-lint --write-baseline`; `--baseline FILE` hides them. Paths are relative to this file."

# (code, permission, path, subject)
Key = tuple[str, "str | None", str, str]


class BaselineError(Exception):
    """The baseline file cannot be read or written (a usage error: exit 2, one line)."""


@dataclass(frozen=True)
class Baseline:
    directory: Path  # absolute and resolved: entry paths are relative to it
    counts: tuple[tuple[Key, int], ...]


@dataclass(frozen=True)
class Hidden:
    """What a baseline did to one app: the findings left, how many it hid, and how many of its
    entries for this app's files matched no finding (fixed since, or changed beyond recognition)."""

    findings: tuple[Finding, ...]
    hidden: int = 0
    stale: int = 0


def subject_of(finding: Finding) -> str:
    """The first backticked text of the message (messages name their call, event or permission
    that way), else the whole message."""
    parts = finding.message.split("`")
    return parts[1] if len(parts) > 2 else finding.message


def key_of(finding: Finding, root: Path, directory: Path) -> Key:
    path = Path(os.path.relpath(root.resolve() / finding.location.path, directory)).as_posix()
    return (finding.code, finding.permission, path, subject_of(finding))


def apply_baseline(baseline: Baseline, root: Path, findings: Sequence[Finding], other_roots: Iterable[Path] = ()) -> Hidden:
    """Hide the findings of the app at ``root`` that the baseline records, one per recorded count."""
    left = Counter(dict(baseline.counts))
    kept = []
    for finding in findings:
        key = key_of(finding, root, baseline.directory)
        if left[key] > 0:
            left[key] -= 1
        else:
            kept.append(finding)
    mine = _inside(root, baseline.directory, other_roots)
    stale = sum(count for key, count in left.items() if count > 0 and mine(key[2]))
    return Hidden(tuple(kept), len(findings) - len(kept), stale)


def _inside(root: Path, directory: Path, other_roots: Iterable[Path]):
    """Whether an entry path belongs to this app: below its root, not below an app nested in it."""
    def prefix(folder: Path) -> str:
        rel = Path(os.path.relpath(folder.resolve(), directory)).as_posix()
        return "" if rel == "." else rel + "/"

    own = prefix(root)
    nested = [p for p in map(prefix, other_roots) if p.startswith(own) and p != own]
    return lambda path: path.startswith(own) and not any(path.startswith(p) for p in nested)


def read_baseline(file: Path) -> Baseline:
    try:
        if not file.is_file():
            raise BaselineError(f"cannot read the baseline {file}: {'not a regular file' if file.exists() else 'no such file'}")
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read the baseline {file}: {getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"the baseline {file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{file} is not a version {VERSION} stripe-perm-lint baseline; write a new one with --write-baseline")
    counts: Counter[Key] = Counter()
    for number, entry in enumerate(data["findings"], 1):
        counts[_entry_key(file, number, entry)] += entry.get("count", 1)
    return Baseline(file.absolute().parent.resolve(), tuple(sorted(counts.items(), key=_sort)))


def _entry_key(file: Path, number: int, entry: object) -> Key:
    text = lambda value: isinstance(value, str)  # noqa: E731
    if (
        not isinstance(entry, dict)
        or not all(text(entry.get(field)) for field in ("code", "path", "subject"))
        or not (entry.get("permission") is None or text(entry["permission"]))
        or not (type(entry.get("count", 1)) is int and entry.get("count", 1) >= 1)
    ):
        raise BaselineError(
            f"the baseline {file}: entry {number} needs code, path and subject (strings), "
            "permission (a string or null) and count (a positive whole number)"
        )
    return (entry["code"], entry.get("permission"), entry["path"], entry["subject"])


def baseline_text(keys: Iterable[Key]) -> str:
    counts = Counter(keys)
    findings = [
        {"code": code, "permission": permission, "path": path, "subject": subject, "count": count}
        for (code, permission, path, subject), count in sorted(counts.items(), key=_sort)
    ]
    return json.dumps({"version": VERSION, "about": ABOUT, "findings": findings}, indent=2, ensure_ascii=False) + "\n"


def write_baseline(file: Path, reports) -> int:
    """Record every finding of ``reports`` (``engine.AppReport``) in ``file``, atomically: a reader
    sees the old file or the new one, never half of one. Returns the number of findings recorded."""
    directory = file.absolute().parent.resolve()
    keys = [key_of(f, report.root, directory) for report in reports for f in report.findings]
    try:
        write_atomically(file, baseline_text(keys))
    except OutputError as exc:
        # "cannot write PATH: why", from the one atomic writer the reports use too
        raise BaselineError(str(exc).replace("cannot write ", "cannot write the baseline ", 1)) from None
    return len(keys)


def _sort(item: tuple[Key, int]) -> tuple:
    code, permission, path, subject = item[0]
    return (path, code, permission or "", subject)
