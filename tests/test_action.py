"""The GitHub Action (action.yml), the README's workflow that uses it, and the GitLab CI job.

They run on CI services, so these tests check what can be checked here: the YAML parses, every
input is used and reaches the shell only through the environment, the scripts are valid bash,
and the linter is called with the documented flags.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
RUN_STEPS = {step["name"]: step for step in STEPS if "run" in step}
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


def _expressions(value) -> list[str]:
    return [e.strip() for e in EXPRESSION.findall(yaml.safe_dump(value))]


def _commands(script: str) -> list[list[str]]:
    """The linter calls in a step's script, as words (``"$LINTER" check ...``)."""
    return [line.split() for line in script.splitlines() if line.strip().startswith('"$LINTER"')]


def test_every_input_is_used_and_every_used_input_is_declared() -> None:
    assert ACTION["runs"]["using"] == "composite"
    used = {m for e in _expressions(STEPS) for m in re.findall(r"inputs\.([\w-]+)", e)}
    assert used == set(ACTION["inputs"])
    assert all(spec.get("description") and "default" in spec for spec in ACTION["inputs"].values())


def test_inputs_reach_the_shell_only_through_the_environment() -> None:
    # An expression inside `run:` is pasted into the script before bash reads it: a path or an
    # argument holding `"; curl ...` would run. Through `env:` it stays a value.
    for name, step in RUN_STEPS.items():
        assert "${{" not in step["run"], name
        assert step["shell"] == "bash", name


def test_every_script_is_valid_bash() -> None:
    for name, step in RUN_STEPS.items():
        done = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True)
        assert done.returncode == 0, f"{name}: {done.stderr}"


def test_the_install_step_installs_the_actions_own_source_unless_a_version_is_given() -> None:
    step = RUN_STEPS["Install stripe-perm-lint"]
    assert step["env"]["VERSION"] == "${{ inputs.version }}"
    assert 'spec="stripe-perm-lint==$VERSION"; else spec="$GITHUB_ACTION_PATH"' in step["run"]
    assert 'echo "linter=$bin/stripe-perm-lint" >> "$GITHUB_OUTPUT"' in step["run"]


def test_the_lint_step_annotates_and_the_sarif_step_writes_the_requested_file_first() -> None:
    names = [step.get("name") for step in STEPS]
    assert names.index("SARIF report") < names.index("Lint")
    [lint] = _commands(RUN_STEPS["Lint"]["run"])
    assert lint == ['"$LINTER"', "check", "--format", "github", "$ARGS", "--", "$PATHS"]
    sarif = RUN_STEPS["SARIF report"]
    assert sarif["if"] == "inputs.sarif-file != ''"
    [command] = _commands(sarif["run"])
    # Findings (exit 1) leave failing the job to the Lint step; a usage error (2) fails here.
    assert command == [
        '"$LINTER"', "check", "--format", "sarif", "--output", '"$SARIF_FILE"', "$ARGS", "--", "$PATHS", "||", "[", "$?", "-eq", "1", "]"
    ]


def test_the_readme_workflow_uses_the_action_with_declared_inputs() -> None:
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n### GitHub Actions\n", 1)[1]
    workflow = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    [job] = workflow["jobs"].values()
    [action] = [s for s in job["steps"] if s.get("uses", "").split("@")[0].endswith("/stripe-perm-lint")]
    assert set(action.get("with", {})) <= set(ACTION["inputs"])
    [upload] = [s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload["with"]["sarif_file"] == action["with"]["sarif-file"]
    assert "cancelled()" in upload["if"]  # the lint step fails on findings; upload them anyway


def test_the_gitlab_job_writes_the_code_quality_report_it_declares() -> None:
    [job] = yaml.safe_load((REPO / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8")).values()
    [lint] = [line.split() for line in job["script"] if line.startswith("stripe-perm-lint ")]
    report = job["artifacts"]["reports"]["codequality"]
    assert lint[lint.index("--format") + 1] == "gitlab" and lint[lint.index("--output") + 1] == report
    assert job["artifacts"]["when"] == "always"


def _run_step(name: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """A step's script run by bash as the runner would, with the installed linter as $LINTER."""
    import os
    import sys

    linter = Path(sys.executable).parent / "stripe-perm-lint"
    environment = {**os.environ, "LINTER": str(linter), **env}
    return subprocess.run(["bash", "-e", "-c", RUN_STEPS[name]["run"]], cwd=REPO, env=environment,
                          capture_output=True, text=True)


def test_the_steps_run_against_the_real_cli(tmp_path) -> None:
    import json

    sarif_file = tmp_path / "results.sarif"
    env = {"PATHS": "fixtures/demo-app", "ARGS": "--platform-calls count", "SARIF_FILE": str(sarif_file)}
    sarif = _run_step("SARIF report", tmp_path, **env)
    assert sarif.returncode == 0, sarif.stderr  # findings (exit 1) do not fail this step
    assert json.loads(sarif_file.read_text(encoding="utf-8"))["runs"][0]["results"]
    lint = _run_step("Lint", tmp_path, **env)
    assert lint.returncode == 1  # the missing permission fails the job here
    assert lint.stdout.splitlines()[0].startswith("::error file=fixtures/demo-app/src/views/InvoiceListView.tsx,line=12,")
    usage = _run_step("SARIF report", tmp_path, **{**env, "ARGS": "--no-such-option"})
    assert usage.returncode != 0 and "No such option" in usage.stderr  # a usage error fails the step itself
