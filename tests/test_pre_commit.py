"""The pre-commit hook: file names as pre-commit passes them, and the hook itself, installed and
run by pre-commit from this checkout with no network.

pre-commit builds a virtualenv and pip-installs the hook's repository into it. Offline, pip gets
every wheel from a wheelhouse the test rebuilds from the packages already installed here, and
the build backend from the setuptools wheel that virtualenv ships; the index is switched off and
the machine's pip configuration ignored, so nothing can come from elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import virtualenv
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pre_commit.clientlib import load_manifest

from stripe_perm_lint.cli import main
from stripe_perm_lint.backends import SUFFIXES as BACKEND_SUFFIXES
from stripe_perm_lint.discover import OTHER_LANGUAGES, PYTHON_SUFFIXES, TS_SUFFIXES
from stripe_perm_lint.manifest import MANIFEST_NAMES

REPO = Path(__file__).resolve().parent.parent
DEMO_APP = REPO / "fixtures" / "demo-app"
[HOOK] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
VIEW = "app/src/views/InvoiceListView.tsx"
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]


def _repo_with_apps(root: Path, *apps: str) -> Path:
    """A repository holding a copy of the demo app (one missing permission) at each of ``apps``,
    and a script that belongs to no app."""
    root.mkdir(exist_ok=True)
    for rel in apps:
        shutil.copytree(DEMO_APP, root / rel, ignore=shutil.ignore_patterns("expected.txt"))
    (root / "scripts").mkdir()
    (root / "scripts" / "seed.py").write_text("print('seed')\n", encoding="utf-8")
    subprocess.run([*GIT, "init", "-q", str(root)], check=True)
    return root


def _declare_invoice_read(app: Path) -> None:
    manifest = json.loads((app / "stripe-app.json").read_text(encoding="utf-8"))
    manifest["permissions"].append({"permission": "invoice_read", "purpose": "List open invoices"})
    (app / "stripe-app.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _lint_json(*paths: Path):
    result = CliRunner().invoke(main, ["check", "--format", "json", *map(str, paths)])
    apps = json.loads(result.stdout)["apps"] if result.stdout else []
    return result.exit_code, [Path(a["root"]).name for a in apps], result.stderr


# --- file names, as the hook passes them -----------------------------------------------------


def test_several_files_of_one_app_lint_it_once_and_files_of_two_apps_lint_both(tmp_path: Path) -> None:
    repo = _repo_with_apps(tmp_path, "one", "two")
    views = [repo / app / "src" / "views" / "InvoiceListView.tsx" for app in ("one", "two")]
    assert _lint_json(views[0], repo / "one" / "stripe-app.json", repo / "one" / "src" / "lib" / "stripe.ts")[:2] == (1, ["one"])
    assert _lint_json(*views, repo / "scripts" / "seed.py") == (1, ["one", "two"], "")


def test_a_deleted_file_lints_the_app_that_held_it(tmp_path: Path) -> None:
    repo = _repo_with_apps(tmp_path, "one")
    gone = repo / "one" / "src" / "views" / "Removed.tsx"
    code, apps, stderr = _lint_json(gone)
    assert (code, apps) == (1, ["one"])
    assert stderr == f"stripe-perm-lint: {gone}: no such file; taken as deleted (the app that held it, if any, is linted)\n"
    # A missing folder is still a usage error: most likely a typo.
    assert _lint_json(repo / "one" / "scr")[0] == 2


def test_the_hook_triggers_on_manifests_and_every_source_the_linter_reads() -> None:
    load_manifest(str(REPO / ".pre-commit-hooks.yaml"))  # pre-commit's own schema check
    files = re.compile(HOOK["files"])
    suffixes = PYTHON_SUFFIXES + TS_SUFFIXES + tuple(BACKEND_SUFFIXES) + tuple(OTHER_LANGUAGES)
    for name in [*MANIFEST_NAMES, "tsconfig.json", "jsconfig.json", *(f"src/x{s}" for s in suffixes)]:
        assert files.search(f"apps/billing/{name}"), name
    for name in ["stripe-app.dev.json", "package.json", "README.md", "src/styles.css", "x.pyc"]:
        assert not files.search(f"apps/billing/{name}"), name
    scripts = {e.name for e in importlib.metadata.distribution("stripe-perm-lint").entry_points if e.group == "console_scripts"}
    assert HOOK["id"] == "stripe-perm-lint" and HOOK["language"] == "python"
    assert HOOK["entry"].split() == ["stripe-perm-lint", "check"] and "stripe-perm-lint" in scripts


# --- the hook, installed and run by pre-commit -----------------------------------------------


def _runtime_dependencies(name: str) -> list[importlib.metadata.Distribution]:
    """The installed distributions ``name`` needs at run time (no extras), itself excluded."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = [name]
    while todo:
        dist = importlib.metadata.distribution(todo.pop())
        key = canonicalize_name(dist.metadata["Name"])
        if key not in found:
            found[key] = dist
            reqs = (Requirement(r) for r in dist.requires or [])
            todo += [r.name for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]
    del found[canonicalize_name(name)]
    return list(found.values())


def _rebuild_wheel(dist: importlib.metadata.Distribution, wheelhouse: Path) -> None:
    """Zip an installed distribution back into a wheel: its files minus what installing added
    (scripts, bytecode, INSTALLER...), with a fresh RECORD."""
    info = next(f for f in dist.files if f.name == "WHEEL").parent
    tag = next(line.split(":", 1)[1].strip() for line in dist.read_text("WHEEL").splitlines() if line.startswith("Tag:"))
    record = []
    with zipfile.ZipFile(wheelhouse / f"{info.name.removesuffix('.dist-info')}-{tag}.whl", "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in dist.files:
            installed_only = file.parent == info and file.name in ("INSTALLER", "REQUESTED", "RECORD", "direct_url.json")
            if file.parts[0] == ".." or "__pycache__" in file.parts or installed_only:
                continue
            data = file.locate().read_bytes()
            wheel.writestr(file.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{file.as_posix()},sha256={digest},{len(data)}")
        wheel.writestr(f"{info.as_posix()}/RECORD", "\n".join([*record, f"{info.as_posix()}/RECORD,,", ""]))


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory):
    """(hook repository, environment for pre-commit): a committed copy of this checkout, its
    tracked and new files as they are now, and an environment in which pip cannot go online."""
    base = tmp_path_factory.mktemp("pre-commit")
    hook_repo, wheelhouse = base / "hook-repo", base / "wheelhouse"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    for rel in filter(None, listed.split("\0")):
        if (REPO / rel).is_file():
            (hook_repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, hook_repo / rel)
    subprocess.run([*GIT, "init", "-q", str(hook_repo)], check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=hook_repo, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "snapshot"], cwd=hook_repo, check=True)
    wheelhouse.mkdir()
    for dist in _runtime_dependencies("stripe-perm-lint"):
        _rebuild_wheel(dist, wheelhouse)
    embedded = sorted((Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed").glob("setuptools-*.whl"))
    assert embedded, "virtualenv ships no setuptools wheel to build this package with"
    for wheel in embedded:
        shutil.copy(wheel, wheelhouse)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUALENV_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(base / "cache"),
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_CACHE_DIR=str(base / "pip-cache"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(base / "virtualenv-data"),
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
    )
    return hook_repo, env


def _start_pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.Popen:
    subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
    command = [sys.executable, "-m", "pre_commit", *args, "--color=never", "--verbose"]
    return subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(run: subprocess.Popen) -> tuple[int, str]:
    output = run.communicate()[0]
    return run.returncode, output


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    return _finish(_start_pre_commit(repo, env, *args))


def test_try_repo_fails_on_a_missing_permission_and_passes_once_declared(pre_commit_env, tmp_path: Path) -> None:
    # try-repo installs the hook afresh on every call (its store is a temporary folder), so the
    # two calls, on a repository before and after the fix, run side by side.
    hook_repo, env = pre_commit_env
    before, after = (_repo_with_apps(tmp_path / name, "app") for name in ("before", "after"))
    _declare_invoice_read(after / "app")
    try_repo = ("try-repo", str(hook_repo), "stripe-perm-lint")
    runs = _start_pre_commit(before, env, *try_repo, "--all-files"), _start_pre_commit(after, env, *try_repo, "--files", VIEW, "scripts/seed.py")
    (failed, failure), (passed, success) = map(_finish, runs)
    assert failed == 1, failure
    assert f"{VIEW}:12:5: SPL101 `stripe.invoices.list()` needs `invoice_read`" in failure
    assert passed == 0 and "Checked 1 app: 0 errors, 1 warning" in success, success


def test_the_readme_config_runs_the_hook_with_and_without_file_names(pre_commit_env, tmp_path: Path) -> None:
    hook_repo, env = pre_commit_env
    repo = _repo_with_apps(tmp_path, "app")
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n## pre-commit\n", 1)[1]
    config = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    [entry] = config["repos"]
    [hook] = entry["hooks"]
    entry["repo"] = str(hook_repo)
    entry["rev"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True, capture_output=True, text=True).stdout.strip()
    # The README's hook, and the variant it describes that lints every app; aliases pick one.
    entry["hooks"] = [{**hook, "alias": "changed-apps"}, {**hook, "alias": "all-apps", "pass_filenames": False}]
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    code, output = _pre_commit(repo, env, "run", "changed-apps", "--files", "scripts/seed.py")
    assert code == 0 and "no app contains the given files" in output, output
    for args in (["changed-apps", "--files", VIEW], ["all-apps", "--files", "scripts/seed.py"]):
        code, output = _pre_commit(repo, env, "run", *args)
        assert code == 1 and f"{VIEW}:12:5: SPL101" in output, output
    _declare_invoice_read(repo / "app")
    code, output = _pre_commit(repo, env, "run", "--all-files")
    assert code == 0 and output.count("Checked 1 app: 0 errors, 1 warning") == 2, output
