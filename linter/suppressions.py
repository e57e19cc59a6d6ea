"""Inline suppressions: `# stripe-perm-lint: ignore[SPL101] reason` hides findings on one line.

The parsers find the comments (``parse.comments``, one tokenizer per language); this module reads
what each says and hides the findings it names, once every rule has run for an app. A comment
after code covers its own line; a comment alone on its line covers the next line (stacked
comment lines are skipped). A directive names rules by code or name, several separated by
commas. A bare ``ignore`` (no brackets) is rejected rather than hiding everything, as ruff's
``PGH004`` and eslint's ``--report-unused-disable-directives`` push users towards: it hides
nothing and is reported, like an unknown code or a directive that hides nothing (SPL902).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from stripe_perm_lint.finding import Finding, Location
from stripe_perm_lint.parse.comments import yaml_suppression_comments
from stripe_perm_lint.sources import read_source

if TYPE_CHECKING:
    from stripe_perm_lint.app import App
    from stripe_perm_lint.facts import SuppressionComment
    from stripe_perm_lint.rule import Rule

UNUSED_SUPPRESSION = "SPL902"


@dataclass(frozen=True)
class Directive:
    """One ``stripe-perm-lint:`` comment, read."""

    location: Location  # of the comment
    covers: int  # the line whose findings it hides
    keys: tuple[str, ...] = ()  # as written: codes or rule names
    codes: tuple[str | None, ...] = ()  # the rule code each key names; None when no rule has it
    reason: str = ""
    problem: str | None = None  # why the comment hides nothing whatever the findings (SPL902 says it)


@dataclass(frozen=True)
class Suppressed:
    """What the suppressions of one app did: the findings left, and how many they hid."""

    findings: tuple[Finding, ...]
    hidden: int


def read_directive(path: str, comment: SuppressionComment) -> Directive:
    from stripe_perm_lint.rules import rule_by_code_or_name

    where = Location(path, comment.position.line, comment.position.column)
    keys, reason, problem = _read_text(comment.text)
    if problem:
        return Directive(where, comment.covers, problem=problem)
    codes = tuple(getattr(rule_by_code_or_name(key), "code", None) for key in keys)
    return Directive(where, comment.covers, keys, codes, reason)


_NAME_THEM = "name the rules it is for, as in `ignore[SPL101]`"


def _read_text(text: str) -> tuple[tuple[str, ...], str, str | None]:
    """``ignore[KEY, KEY] -- reason`` as (keys, reason, None), or ((), "", why it hides nothing)."""
    words = text.split()
    verb = words[0].split("[", 1)[0] if words else ""
    if verb != "ignore":
        return (), "", f"`stripe-perm-lint: {verb}` is not a directive of this tool; write `stripe-perm-lint: ignore[CODE] reason`"
    rest = text[len("ignore"):].lstrip()
    if not rest.startswith("["):
        return (), "", f"`stripe-perm-lint: ignore` without codes hides nothing; {_NAME_THEM}"
    inside, closed, after = rest[1:].partition("]")
    if not closed:
        return (), "", f"`ignore[{inside.strip()}` lacks its closing `]`, so it hides nothing"
    keys = tuple(key.strip() for key in inside.split(",") if key.strip())
    if not keys:
        return (), "", f"`ignore[]` names no rule, so it hides nothing; {_NAME_THEM}"
    return keys, " ".join(after.strip().removeprefix("--").split()), None


def app_directives(app: App) -> list[Directive]:
    """Every directive in the app's sources and, for a YAML manifest that could be read, its comments
    (a JSON manifest has no comments)."""
    found = [read_directive(facts.path, comment) for facts in app.files for comment in facts.suppressions]
    name = app.manifest.path
    if name.endswith((".yaml", ".yml")) and not app.manifest.unparsed:
        text = read_source(app.root / name).text
        found += [read_directive(name, comment) for comment in yaml_suppression_comments(text or "")]
    return sorted(found, key=lambda d: (d.location, d.keys))


def apply_suppressions(app: App, findings: Sequence[Finding], rules: Sequence[Rule]) -> Suppressed:
    """Hide the findings a directive names on the line it covers. When SPL902 is among ``rules``,
    report the directives that hid nothing; a directive can hide SPL902 findings too."""
    directives = app_directives(app)
    if not directives:
        return Suppressed(tuple(findings), 0)
    by_line: dict[tuple[str, int], list[int]] = {}
    for index, directive in enumerate(directives):
        by_line.setdefault((directive.location.path, directive.covers), []).append(index)
    used: set[tuple[int, str]] = set()

    def hides(finding: Finding) -> bool:
        for index in by_line.get((finding.location.path, finding.location.line), ()):
            if finding.code in directives[index].codes:
                used.add((index, finding.code))
                return True
        return False

    kept = [f for f in findings if not hides(f)]
    reporter = next((rule for rule in rules if rule.code == UNUSED_SUPPRESSION), None)
    unused = []
    if reporter is not None:
        ran = frozenset(rule.code for rule in rules)
        unused = list(reporter.report(directives, used, ran))
        kept += [f for f in unused if not hides(f)]
    return Suppressed(tuple(kept), len(findings) + len(unused) - len(kept))
