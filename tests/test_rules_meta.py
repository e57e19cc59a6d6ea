"""Keep the rule set honest: registry complete, metadata unique, every rule exercised, a clean
fixture exists, the README's rule table is current, and no bare top-level imports exist."""

from __future__ import annotations

import re

from stripe_perm_lint.rules import ALL_RULES

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


def test_every_rule_module_is_registered() -> None:
    modules = sorted(p.stem for p in (REPO / "rules").glob("spl*.py"))
    registered = sorted(type(r).__module__.rsplit(".", 1)[1] for r in ALL_RULES)
    assert modules == registered


def test_codes_and_names_are_unique_and_match_module_names() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
    for rule in ALL_RULES:
        module = type(rule).__module__.rsplit(".", 1)[1]
        assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


def test_fixed_rule_names_exist() -> None:
    # Tools key on these names (issue 3); renaming one breaks users.
    names = {r.name for r in ALL_RULES}
    assert {"missing-permission", "unused-permission", "unknown-permission", "unresolved-call", "no-app-permission"} <= names


def test_every_rule_has_a_positive_fixture() -> None:
    outputs = "".join((p / "expected.txt").read_text() for p in FIXTURES.iterdir() if (p / "expected.txt").exists())
    missing = [r.code for r in ALL_RULES if f": {r.code} " not in outputs]
    assert not missing, f"rules without a fixture that triggers them: {missing}"


def test_a_clean_fixture_has_no_findings() -> None:
    clean = [p for p in FIXTURES.iterdir() if p.name.startswith("clean-")]
    assert clean
    for folder in clean:
        lines = [l for l in (folder / "expected.txt").read_text().splitlines() if l and not l.startswith("#")]
        assert all(not re.search(r": SPL\d{3} ", l) for l in lines), folder.name


def test_readme_rule_table_is_current() -> None:
    from stripe_perm_lint.docs import render_rule_table

    readme = (REPO / "README.md").read_text()
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    assert start in readme and end in readme
    current = readme.split(start, 1)[1].split(end, 1)[0]
    assert current == render_rule_table(), "run: python -m stripe_perm_lint.docs --write"


def test_no_bare_imports_of_repo_folders() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(linter|rules|catalog)\b", re.M)
    offenders = [
        str(p.relative_to(REPO))
        for folder in ("linter", "rules", "catalog", "tests")
        for p in (REPO / folder).rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_every_gap_kind_is_reported_by_exactly_one_rule() -> None:
    from stripe_perm_lint.gaps import GapKind

    owners = {kind: [r.code for r in ALL_RULES if kind in r.gap_kinds] for kind in GapKind}
    assert {kind: len(codes) for kind, codes in owners.items()} == {kind: 1 for kind in GapKind}, owners


def test_every_rule_has_valid_and_invalid_examples() -> None:
    lacking = [r.code for r in ALL_RULES if not r.valid or not r.invalid]
    assert not lacking, f"rules without runnable examples: {lacking}"
