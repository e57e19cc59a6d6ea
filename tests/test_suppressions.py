"""Inline suppressions: each comment form finds its line, each directive form reads as documented,
and the engine hides exactly the named findings and reports the directives that hid nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from stripe_perm_lint.app import Options
from stripe_perm_lint.engine import lint_paths
from stripe_perm_lint.examples import UI_CLIENT, manifest
from stripe_perm_lint.facts import Position, SuppressionComment
from stripe_perm_lint.parse.comments import suppression_comments, yaml_suppression_comments
from stripe_perm_lint.rules import ALL_RULES, rule_by_code_or_name
from stripe_perm_lint.suppressions import read_directive


def covered(comments) -> list[tuple[int, str]]:
    return [(c.covers, c.text) for c in comments]


def test_python_trailing_own_line_and_stacked_comments():
    source = (
        "import stripe\n"
        "a = stripe.Customer.list()  # stripe-perm-lint: ignore[SPL101] kept\n"
        "# stripe-perm-lint: ignore[SPL105]\n"
        "# a plain comment between\n"
        "b = stripe.Payout.list()\n"
        'c = "# stripe-perm-lint: ignore[SPL102]"  # says stripe-perm-lint: but does not start with it\n'
    )
    comments = suppression_comments("python", "app.py", source)
    assert covered(comments) == [(2, "ignore[SPL101] kept"), (5, "ignore[SPL105]")]
    assert comments[0].position == Position(2, 29)


def test_python_comments_before_a_syntax_error_still_count():
    source = "def broken(:\n    pass\n# stripe-perm-lint: ignore[SPL901]\nx = (\n"
    assert covered(suppression_comments("python", "app.py", source)) == [(4, "ignore[SPL901]")]


def test_typescript_line_block_and_jsx_comments():
    source = (
        "const a = stripe.customers.list(); // stripe-perm-lint: ignore[SPL101] -- reason\n"
        "/* stripe-perm-lint: ignore[SPL102] */\n"
        "const b = `// stripe-perm-lint: ignore[SPL103]`;\n"
        "const View = () => (\n"
        "  <Box>\n"
        "    {/* stripe-perm-lint: ignore[SPL301] */}\n"
        "    {userContext.email}\n"
        "  </Box>\n"
        ");\n"
    )
    comments = suppression_comments("typescript", "src/View.tsx", source)
    assert covered(comments) == [(1, "ignore[SPL101] -- reason"), (3, "ignore[SPL102]"), (7, "ignore[SPL301]")]


def test_plain_typescript_uses_the_typescript_grammar():
    # `<T>x` is a type assertion in .ts and a JSX element in .tsx: the comment is found either way.
    source = "const n = <number>value; // stripe-perm-lint: ignore[SPL103]\n"
    assert covered(suppression_comments("typescript", "src/a.ts", source)) == [(1, "ignore[SPL103]")]


def test_yaml_comments_outside_scalars_only():
    text = (
        'name: "Desk # stripe-perm-lint: ignore[SPL001]"\n'
        "permissions:\n"
        "  # stripe-perm-lint: ignore[SPL102] -- soon\n"
        "  - permission: payout_read # stripe-perm-lint: ignore[SPL003]\n"
        "    purpose: |\n"
        "      Text # stripe-perm-lint: ignore[SPL004]\n"
    )
    assert covered(yaml_suppression_comments(text)) == [(4, "ignore[SPL102] -- soon"), (4, "ignore[SPL003]")]


def test_yaml_error_keeps_earlier_comments():
    text = "a: 1 # stripe-perm-lint: ignore[SPL102]\nb: [unclosed\n"
    assert covered(yaml_suppression_comments(text)) == [(1, "ignore[SPL102]")]


def test_files_without_the_marker_are_not_tokenized():
    # Not valid in any language: only the marker pre-filter keeps this from being read.
    assert suppression_comments("python", "a.py", "\x00 ( [ {") == ()


def directive(text: str):
    return read_directive("a.py", SuppressionComment(text, Position(3, 5), 4))


@pytest.mark.parametrize(
    ("text", "keys", "codes", "reason"),
    [
        ("ignore[SPL101]", ("SPL101",), ("SPL101",), ""),
        ("ignore[SPL101,SPL102] the reason", ("SPL101", "SPL102"), ("SPL101", "SPL102"), "the reason"),
        ("ignore[ missing-permission , spl102 ] -- kept  on\n purpose", ("missing-permission", "spl102"), ("SPL101", "SPL102"), "kept on purpose"),
        ("ignore [SPL9O1]", ("SPL9O1",), (None,), ""),
    ],
)
def test_directive_forms(text, keys, codes, reason):
    read = directive(text)
    assert (read.keys, read.codes, read.reason, read.problem) == (keys, codes, reason, None)
    assert (read.location.line, read.location.column, read.covers) == (3, 5, 4)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ignore", "`stripe-perm-lint: ignore` without codes hides nothing"),
        ("ignore -- everything", "`stripe-perm-lint: ignore` without codes hides nothing"),
        ("ignore[]", "`ignore[]` names no rule"),
        ("ignore[SPL101", "`ignore[SPL101` lacks its closing `]`"),
        ("disable[SPL101]", "`stripe-perm-lint: disable` is not a directive"),
        ("ignored[SPL101]", "`stripe-perm-lint: ignored` is not a directive"),
        ("", "`stripe-perm-lint: ` is not a directive"),
    ],
)
def test_malformed_directives_hide_nothing(text, problem):
    read = directive(text)
    assert read.codes == () and read.problem.startswith(problem)


VIEW = UI_CLIENT + "\nexport const a = () => stripe.invoices.list();{a}\nexport const b = () => stripe.payouts.list();{b}\n"


def lint(tmp_path: Path, files: dict[str, str], rules=None):
    app = tmp_path / "app"
    for rel, text in files.items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(text, encoding="utf-8")
    [report] = lint_paths([app], Options(), rules=rules)
    return report, [(f.location.path, f.location.line, f.code) for f in report.findings]


def view(a: str = "", b: str = "") -> str:
    return VIEW.replace("{a}", a).replace("{b}", b)


def test_a_suppression_hides_only_the_named_code_on_its_line(tmp_path):
    files = {"stripe-app.json": manifest(), "src/views/V.tsx": view(a=" // stripe-perm-lint: ignore[SPL101] -- later")}
    report, found = lint(tmp_path, files)
    assert found == [("src/views/V.tsx", 7, "SPL101")]  # the payouts call on the next line stays
    assert report.suppressed == 1


def test_a_rule_name_and_several_codes(tmp_path):
    files = {
        "stripe-app.json": manifest("payout_read"),
        "src/views/V.tsx": view(a=" // stripe-perm-lint: ignore[missing-permission,SPL102]"),
    }
    report, found = lint(tmp_path, files)
    # SPL102 has nothing to hide on line 6, so that half of the directive is reported.
    assert found == [("src/views/V.tsx", 6, "SPL902")]
    assert "`ignore[SPL102]` hides nothing" in report.findings[0].message
    assert report.suppressed == 1


def test_an_unused_suppression_can_itself_be_suppressed(tmp_path):
    files = {"stripe-app.json": manifest("invoice_read", "payout_read"), "src/views/V.tsx": view(a=" // stripe-perm-lint: ignore[SPL101, SPL902]")}
    report, found = lint(tmp_path, files)
    assert found == [] and report.suppressed == 1


def test_rules_that_did_not_run_are_not_judged(tmp_path):
    files = {"stripe-app.json": manifest("invoice_read", "payout_read"), "src/views/V.tsx": view(a=" // stripe-perm-lint: ignore[SPL101]")}
    _, found = lint(tmp_path, files, rules=[rule_by_code_or_name("SPL902")])
    assert found == []
    _, found = lint(tmp_path, files, rules=[rule_by_code_or_name("SPL902"), rule_by_code_or_name("SPL101")])
    assert found == [("src/views/V.tsx", 6, "SPL902")]


def test_without_spl902_suppressions_still_hide(tmp_path):
    files = {"stripe-app.json": manifest(), "src/views/V.tsx": view(a=" // stripe-perm-lint: ignore[SPL101]", b=" // stripe-perm-lint: ignore")}
    rules = [rule for rule in ALL_RULES if rule.code != "SPL902"]
    report, found = lint(tmp_path, files, rules=rules)
    assert found == [("src/views/V.tsx", 7, "SPL101")] and report.suppressed == 1


def test_python_backend_and_yaml_manifest(tmp_path):
    backend = (
        "import stripe\n\n\n"
        "def payouts(account):\n"
        "    # stripe-perm-lint: ignore[SPL101] -- behind a flag\n"
        "    return stripe.Payout.list(stripe_account=account)\n"
    )
    yaml_manifest = (
        "id: com.example.app\nversion: 1.0.0\nname: Example\nextensions: []\n"
        "permissions:\n"
        "  - permission: customer_read  # stripe-perm-lint: ignore[SPL102] -- for 2.0\n"
        "    purpose: Show customers\n"
    )
    report, found = lint(tmp_path, {"stripe-app.yaml": yaml_manifest, "backend/app.py": backend})
    assert found == [] and report.suppressed == 2


def test_the_text_summary_counts_suppressed_findings(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from stripe_perm_lint.cli import main

    lint(tmp_path, {"stripe-app.json": manifest(), "src/views/V.tsx": view(a=" // stripe-perm-lint: ignore[SPL101]")})
    monkeypatch.chdir(tmp_path / "app")
    result = CliRunner().invoke(main, ["--no-color", "."])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Checked 1 app: 1 error, 0 warnings, 0 infos (1 suppressed)"


def test_a_bug_in_reading_comments_keeps_the_files_facts(monkeypatch):
    import stripe_perm_lint.parse as parse

    def broken(language, path, text):
        raise ValueError("boom")

    monkeypatch.setattr(parse, "suppression_comments", broken)
    notes: list[str] = []
    source = UI_CLIENT + "stripe.invoices.list(); // stripe-perm-lint: ignore[SPL101]\n"
    facts = parse.parse_file("src/View.tsx", source, report=notes.append)
    assert [c.accessor for c in facts.calls] == ["invoices.list"] and facts.suppressions == ()
    assert notes == [
        "internal error while reading the suppression comments of src/View.tsx: ValueError: boom; please report it"
        " (rerun with --debug for the traceback)"
    ]
