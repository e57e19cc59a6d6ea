"""`--format gitlab`: a GitLab Code Quality report (JSON array of issues) with documented
severities and stable, unique fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from format_helpers import DUPLICATES, INFO, REPO, app_with_broken_link, every_fixture, lint


def issues_of(*args: str) -> list[dict]:
    return json.loads(lint("--format", "gitlab", *args).stdout)


def test_the_demo_app_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    missing, unused = issues_of("fixtures/demo-app")
    assert list(missing) == ["description", "check_name", "fingerprint", "severity", "location"]
    assert missing["description"].startswith("SPL101 missing-permission: `stripe.invoices.list()` needs `invoice_read`")
    assert missing["check_name"] == "SPL101" and missing["severity"] == "major"
    assert missing["location"] == {"path": "fixtures/demo-app/src/views/InvoiceListView.tsx", "lines": {"begin": 12}}
    assert unused["check_name"] == "SPL102" and unused["severity"] == "minor"
    assert unused["location"] == {"path": "fixtures/demo-app/stripe-app.json", "lines": {"begin": 13}}
    assert len(missing["fingerprint"]) == 64 and missing["fingerprint"] != unused["fingerprint"]


def test_severities_related_places_and_unique_fingerprints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INFO)
    assert {i["check_name"]: i["severity"] for i in issues_of(".")}["SPL105"] == "info"
    monkeypatch.chdir(DUPLICATES)
    (duplicate,) = [i for i in issues_of(".") if i["check_name"] == "SPL003"]
    assert duplicate["description"].endswith("at line 17 (note: stripe-app.json:17:21: first declared here)")
    everything = json.loads(every_fixture("gitlab"))
    assert len(everything) > 100 and len({i["fingerprint"] for i in everything}) == len(everything)
    assert {i["severity"] for i in everything} == {"major", "minor", "info"}


def test_a_finding_about_a_whole_file_is_on_its_first_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(app_with_broken_link(tmp_path))
    (issue,) = issues_of(".")
    assert issue["location"] == {"path": "src/gone.ts", "lines": {"begin": 1}} and issue["severity"] == "minor"


def test_the_same_findings_give_the_same_fingerprints_as_sarif(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DUPLICATES)
    sarif = json.loads(lint("--format", "sarif", ".").stdout)["runs"][0]["results"]
    assert [i["fingerprint"] for i in issues_of(".")] == [r["partialFingerprints"]["stripePermLint/v1"] for r in sarif]
