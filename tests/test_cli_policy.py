"""Choosing what runs and what fails (--select/--ignore/--extend-select, --fail-on, --exit-zero,
--quiet), the CLI's shape (`check` as the default command, a command name that is also a path),
and `--help` agreeing with the README."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from stripe_perm_lint.cli import main
from stripe_perm_lint.config import load_settings
from stripe_perm_lint.config_keys import KEYS
from stripe_perm_lint.engine import AppReport
from stripe_perm_lint.finding import Finding, Location, Severity
from stripe_perm_lint.outcome import exit_status, without_info
from stripe_perm_lint.selection import Selection, UnknownSelector, codes_for, selected_codes

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
DEMO = FIXTURES / "demo-app"  # SPL101 (error) and SPL102 (warning)
PLATFORM = FIXTURES / "platform-calls-backend"  # SPL105 infos


def invoke(*args: str, cwd: Path = FIXTURES):
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(here)


def codes(result) -> list[str]:
    return sorted({line.split(": ", 1)[1].split(" ")[0] for line in result.stdout.splitlines() if ": SPL" in line})


# --- selection ---------------------------------------------------------------------------------------


def test_selectors_name_codes_prefixes_names_and_all():
    assert codes_for("SPL101") == {"SPL101"}
    assert codes_for("spl10") == {f"SPL10{i}" for i in range(1, 9)}
    assert codes_for("unused-permission") == {"SPL102"}
    assert "SPL901" in codes_for("ALL") and "SPL001" in codes_for("SPL")
    for unknown in ("SPL999", "SPL1019", "missing", "E501", ""):
        with pytest.raises(UnknownSelector):
            codes_for(unknown)


def test_later_layers_override_earlier_ones():
    everything = selected_codes([])
    assert selected_codes([Selection(select=("SPL1",), ignore=("SPL105",))]) == {"SPL101", "SPL102", "SPL103", "SPL104",
                                                                               "SPL106", "SPL107", "SPL108"}
    assert selected_codes([Selection(ignore=("SPL1",)), Selection(select=("SPL101",))]) == {"SPL101"}
    assert selected_codes([Selection(ignore=("SPL105",)), Selection(extend_select=("SPL105",))]) == everything
    assert selected_codes([Selection(select=("SPL101",), extend_select=("SPL102",), ignore=("SPL101",))]) == {"SPL102"}


@pytest.mark.parametrize(("args", "expected", "status"), [
    ((), ["SPL101", "SPL102"], 1),
    (("--select", "SPL102"), ["SPL102"], 0),
    (("--select", "missing-permission"), ["SPL101"], 1),
    (("--select", "SPL101,SPL102"), ["SPL101", "SPL102"], 1),
    (("--select", "SPL101", "--extend-select", "unused-permission"), ["SPL101", "SPL102"], 1),
    (("--ignore", "SPL1"), [], 0),
    (("--ignore", "SPL101"), ["SPL102"], 0),
])
def test_selection_flags(args, expected, status):
    result = invoke(*args, "demo-app")
    assert (codes(result), result.exit_code) == (expected, status)


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_an_unknown_rule_on_the_command_line_is_a_usage_error(flag):
    result = invoke(flag, "SPL1,SPL999", "demo-app")
    assert result.exit_code == 2 and not result.stdout
    assert f"Invalid value for '{flag}': unknown rule code or name 'SPL999'" in result.stderr


# --- exit policy and --quiet -------------------------------------------------------------------------


def test_fail_on_warning_makes_warnings_fail():
    assert invoke("--ignore", "SPL101", "demo-app").exit_code == 0
    assert invoke("--ignore", "SPL101", "--fail-on", "warning", "demo-app").exit_code == 1
    assert invoke("--select", "SPL105", "--fail-on", "warning", "platform-calls-backend").exit_code == 0  # infos never do


def test_exit_zero_keeps_the_report():
    result = invoke("--exit-zero", "demo-app")
    assert result.exit_code == 0 and codes(result) == ["SPL101", "SPL102"]
    assert invoke("--exit-zero", "--fail-on", "warning", "demo-app").exit_code == 0


def test_exit_status_rules():
    def report(*severities):
        findings = tuple(Finding("SPL000", "x", s, Location("a.ts", 1, 1), "m") for s in severities)
        return AppReport(Path("/app"), "stripe-app.json", (), (), findings)

    assert exit_status([report(Severity.INFO, Severity.WARNING)]) == 0
    assert exit_status([report(Severity.INFO, Severity.WARNING)], fail_on="warning") == 1
    assert exit_status([report(Severity.WARNING), report(Severity.ERROR)]) == 1
    assert exit_status([report(Severity.ERROR)], exit_zero=True) == 0
    assert exit_status([report()], exit_zero=True, incomplete=True) == 2  # results were left out
    assert without_info([report(Severity.INFO, Severity.ERROR)])[0].findings[0].severity is Severity.ERROR


def test_quiet_hides_infos_in_text_and_counts_what_is_shown():
    loud, quiet = invoke("platform-calls-backend"), invoke("--quiet", "platform-calls-backend")
    assert "SPL105" in codes(loud) and "SPL105" not in codes(quiet)
    assert quiet.stdout.splitlines()[-1].endswith(", 0 infos")
    assert [l for l in loud.stdout.splitlines() if " SPL105 " not in l][:-1] == quiet.stdout.splitlines()[:-1]
    assert loud.exit_code == quiet.exit_code
    assert '"SPL105"' in invoke("-q", "--format", "json", "platform-calls-backend").stdout  # JSON keeps everything


# --- CLI shape -----------------------------------------------------------------------------------------


def test_check_is_the_default_command():
    assert invoke("check", "demo-app").stdout == invoke("demo-app").stdout


@pytest.mark.parametrize("command", ["rules", "check", "explain"])
def test_a_path_named_like_a_command_is_linted_with_a_note(tmp_path, command):
    shutil.copytree(DEMO, tmp_path / command)
    result = invoke(command, cwd=tmp_path)
    assert result.exit_code == 1 and codes(result) == ["SPL101", "SPL102"]
    assert result.stderr == (f"stripe-perm-lint: note: `{command}` is both a command and a path here; linting the "
                             "path (to run the command, run it from another folder)\n")
    assert invoke("rules", cwd=FIXTURES).stdout.startswith("SPL001  invalid-manifest")  # no such folder: the command


def test_a_folder_named_like_a_command_without_an_app_runs_the_command(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "custom.py").write_text("RULES = []\n")
    result = invoke("rules", cwd=tmp_path)
    assert result.exit_code == 0 and result.stdout.startswith("SPL001  invalid-manifest") and not result.stderr


def _check_options() -> set[str]:
    command = main.commands["check"]
    names = set()
    for param in command.params:
        if isinstance(param, click.Option):
            names.update(param.opts + param.secondary_opts)
    return names


def test_top_level_help_shows_the_lint_options_and_the_commands():
    text = invoke("--help").stdout
    assert text.startswith("Usage: main [OPTIONS] [PATHS]...\n   or: main COMMAND [ARGS]...")
    for option in _check_options():
        assert re.search(rf"(^|[\s,/]){re.escape(option)}\b", text), option
    for command in ("check", "explain", "rules", "catalog"):
        assert re.search(rf"^  {command}\s", text, re.M), command


def _readme_section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    end = min(i for i in (text.find("\n## ", start + 1), text.find("\n### ", start + 1), len(text)) if i != -1)
    return text[start:end]


def test_help_agrees_with_the_readme_option_table():
    rows = [l for l in _readme_section("### Command-line options").splitlines() if l.startswith("| `-")]
    documented = {opt for row in rows for opt in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", row.split(" | ")[0])}
    assert documented == _check_options()


def test_every_config_key_is_documented():
    rows = [l for l in _readme_section("### Config file").splitlines() if re.match(r"\| `[a-z-]+` \|", l)]
    assert {row.split("`")[1] for row in rows} == set(KEYS)


def test_the_readme_config_example_is_valid(tmp_path):
    section = _readme_section("### Config file")
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    settings = load_settings(tmp_path / "pyproject.toml")
    assert settings.keep and settings.own_account_webhooks and settings.selection.ignore == ("SPL106",)
