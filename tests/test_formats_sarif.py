"""`--format sarif`: valid SARIF 2.1.0 (against the vendored OASIS schema), with every rule's
metadata, the finding and its related places, and fingerprints that survive moved lines."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from format_helpers import DEMO, DUPLICATES, FIXTURES, INFO, REPO, app_with_broken_link, every_fixture, finding, lint, report_of
from stripe_perm_lint import __version__
from stripe_perm_lint.report.sarif import render_sarif
from stripe_perm_lint.rules import ALL_RULES

SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def sarif_of(*args: str) -> dict:
    result = lint("--format", "sarif", *args)
    log = json.loads(result.stdout)
    VALIDATOR.validate(log)
    return log


def test_the_demo_app_is_valid_sarif_with_its_two_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    log = sarif_of("fixtures/demo-app")
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "stripe-perm-lint" and run["tool"]["driver"]["version"] == __version__
    rules = run["tool"]["driver"]["rules"]
    missing, unused = run["results"]
    assert missing["ruleId"] == "SPL101" and rules[missing["ruleIndex"]]["id"] == "SPL101"
    assert missing["level"] == "error" and unused["level"] == "warning"
    assert missing["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "fixtures/demo-app/src/views/InvoiceListView.tsx", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 12, "startColumn": 5},
            }
        }
    ]
    assert missing["message"]["text"].startswith("`stripe.invoices.list()` needs `invoice_read`")
    assert missing["properties"] == {"confidence": "exact", "permission": "invoice_read"}
    assert unused["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "fixtures/demo-app/stripe-app.json"
    assert "relatedLocations" not in missing


def test_every_rule_is_described_from_its_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO)
    rules = sarif_of(".")["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(rule.code for rule in ALL_RULES)
    by_code = {rule.code: rule for rule in ALL_RULES}
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor in rules:
        rule = by_code[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary() + "."
        assert descriptor["help"]["markdown"] == rule.documentation() and "## Fix" in descriptor["help"]["markdown"]
        assert "Fix:" in descriptor["help"]["text"] and "## " not in descriptor["help"]["text"]
        assert descriptor["fullDescription"]["text"] and "\n" not in descriptor["fullDescription"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity.value]


def test_a_duplicate_points_at_the_first_declaration_as_related_location(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DUPLICATES)
    results = sarif_of(".")["runs"][0]["results"]
    (duplicate,) = [r for r in results if r["ruleId"] == "SPL003"]
    assert duplicate["locations"][0]["physicalLocation"]["region"] == {"startLine": 25, "startColumn": 21}
    assert duplicate["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "stripe-app.json", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 17, "startColumn": 21},
            },
            "message": {"text": "first declared here"},
        }
    ]


def test_a_finding_about_a_whole_file_has_no_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(app_with_broken_link(tmp_path))
    (result,) = sarif_of(".")["runs"][0]["results"]
    assert result["ruleId"] == "SPL901" and result["level"] == "warning"
    assert result["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "src/gone.ts", "uriBaseId": "%SRCROOT%"}}}]


def test_info_findings_are_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INFO)
    levels = {r["ruleId"]: r["level"] for r in sarif_of(".")["runs"][0]["results"]}
    assert levels["SPL105"] == "note"


def test_every_fixture_together_is_valid_sarif_with_unique_fingerprints() -> None:
    log = json.loads(every_fixture("sarif"))
    VALIDATOR.validate(log)
    results = log["runs"][0]["results"]
    json_findings = [f for app in json.loads(every_fixture("json"))["apps"] for f in app["findings"]]
    assert len(results) == len(json_findings) > 100
    fingerprints = [r["partialFingerprints"]["stripePermLint/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)
    assert all(not r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/") for r in results)


def test_fingerprints_do_not_move_with_lines_but_tell_twin_calls_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    monkeypatch.chdir(app)

    def fingerprints() -> dict[tuple[str, int], str]:
        results = sarif_of(".")["runs"][0]["results"]
        return {
            (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r["partialFingerprints"]["stripePermLint/v1"]
            for r in results
        }

    before = fingerprints()
    view = app / "src" / "views" / "InvoiceListView.tsx"
    view.write_text("// a comment\n// and another\n" + view.read_text(encoding="utf-8"), encoding="utf-8")
    after = fingerprints()
    assert before[("SPL101", 12)] == after[("SPL101", 14)]
    assert before[("SPL102", 13)] == after[("SPL102", 13)]

    # The same call twice in one file: two results, two fingerprints, the first one unchanged.
    source = view.read_text(encoding="utf-8")
    view.write_text(source + "\nexport const again = () => stripe.invoices.list();\n", encoding="utf-8")
    twice = fingerprints()
    spl101 = sorted((line, fp) for (code, line), fp in twice.items() if code == "SPL101")
    assert len(spl101) == 2 and spl101[0][1] == after[("SPL101", 14)] and spl101[1][1] != spl101[0][1]


def test_output_is_byte_identical_across_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    first, second = lint("--format", "sarif", "fixtures/demo-app"), lint("--format", "sarif", "fixtures/demo-app")
    assert first.stdout == second.stdout and first.stdout.endswith("}\n")


def test_uris_are_percent_encoded_paths_relative_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = tmp_path / "my app"
    reports = report_of(app, finding("src/views/Ünïcode view#1.tsx", 3, "`stripe.customers.list()` needs `customer_read`"))
    out = io.StringIO()
    render_sarif(reports, out)
    log = json.loads(out.getvalue())
    VALIDATOR.validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "my%20app/src/views/%C3%9Cn%C3%AFcode%20view%231.tsx"


def test_the_vendored_schema_rejects_what_code_scanning_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """The validation above can fail: a level SARIF does not know is refused."""
    monkeypatch.chdir(DEMO)
    log = json.loads(lint("--format", "sarif", ".").stdout)
    log["runs"][0]["results"][0]["level"] = "info"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(log)


def test_a_file_name_that_is_not_utf8_keeps_its_bytes_in_uri_and_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"src/caf\xe9.ts")  # a Latin-1 name, as os.scandir returns it on Linux
    out = io.StringIO()
    render_sarif(report_of(tmp_path, finding(name, 1, "`stripe.customers.list()` needs `customer_read`")), out)
    (result,) = json.loads(out.getvalue())["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/caf%E9.ts"
    assert len(result["partialFingerprints"]["stripePermLint/v1"]) == 64


def test_files_in_languages_without_a_parser_are_listed_in_the_run_properties(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "other-language-backends")
    run = sarif_of(".")["runs"][0]
    assert run["properties"] == {
        "notAnalysed": [  # the PHP and Ruby files have parsers
            {"path": "backend/android/app/src/main/kotlin/com/example/shopsync/CustomerLookup.kt", "language": "Kotlin"},
        ]
    }
    monkeypatch.chdir(DEMO)
    assert "properties" not in sarif_of(".")["runs"][0]
