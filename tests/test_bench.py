"""The benchmark's tools still work: the synthetic corpus is deterministic and lints cleanly
(the tool reports findings, never its own errors), and ``bench/run.py`` reports on it. No
timing is asserted here; speed is measured by running the benchmark by hand."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"


def synth(out: Path, apps: int, seed: int = 1) -> None:
    subprocess.run([sys.executable, str(BENCH / "synth.py"), str(out), "--apps", str(apps), "--seed", str(seed)],
                   check=True, capture_output=True, timeout=120)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_corpus_and_another_seed_another(tmp_path):
    synth(tmp_path / "a", 3)
    synth(tmp_path / "b", 3)
    synth(tmp_path / "c", 3, seed=2)
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert tree_bytes(tmp_path / "a") != tree_bytes(tmp_path / "c")


def test_synthetic_apps_lint_with_findings_and_no_tool_errors(tmp_path):
    synth(tmp_path / "corpus", 6)
    result = subprocess.run([sys.executable, "-m", "stripe_perm_lint", "check", "--format", "json", str(tmp_path / "corpus")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    apps = json.loads(result.stdout)["apps"]
    assert len(apps) == 6
    codes = {f["code"] for app in apps for f in app["findings"]}
    # Every generated file parses and every manifest is valid: no SPL0xx or SPL9xx finding.
    assert not {c for c in codes if c.startswith(("SPL0", "SPL9"))}, codes
    # A fraction of the apps calls Stripe, so permissions are found missing or unused.
    assert codes & {"SPL101", "SPL102"}


def test_generating_into_an_existing_folder_is_refused_in_one_line(tmp_path):
    (tmp_path / "taken").mkdir()
    result = subprocess.run([sys.executable, str(BENCH / "synth.py"), str(tmp_path / "taken"), "--apps", "1"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip() == f"synth: {tmp_path / 'taken'} already exists; choose a new folder"


def test_the_benchmark_reports_every_measure_for_the_files_the_linter_reads(tmp_path):
    synth(tmp_path / "corpus", 2)
    result = subprocess.run([sys.executable, str(BENCH / "run.py"), str(tmp_path / "corpus"), "--json", "--positions"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    sources = [p for p in (tmp_path / "corpus").rglob("*") if p.suffix in (".ts", ".tsx", ".py")]
    assert report["files"]["count"] == len(sources)
    assert report["runs"]["cold"]["exit_code"] in (0, 1)
    assert report["runs"]["cold"]["peak_rss_mb"] > 0
    cold = report["runs"]["cold"]
    assert 0 <= cold["tree_pss_mb"] <= cold["tree_rss_mb"]  # shared pages counted once, not per process
    assert set(report["parse_only"]) >= {"tree_sitter_s", "libcst_s", "libcst_positions_s", "total_s"}
    assert report["parse_only"]["skipped_files"] == 0 and report["parse_only"]["syntax_errors"] == 0


def test_a_tree_without_a_manifest_is_linted_in_place_through_a_temporary_one(tmp_path):
    shutil.copytree(REPO / "fixtures" / "demo-app" / "src", tmp_path / "tree" / "src")
    before = tree_bytes(tmp_path / "tree")
    result = subprocess.run([sys.executable, str(BENCH / "run.py"), str(tmp_path / "tree"), "--json", "--manifest-at-root"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["files"]["count"] == 3
    assert "--extra-sources " + str(tmp_path / "tree") in report["runs"]["cold"]["command"]
    assert report["runs"]["cold"]["exit_code"] == 1  # the temporary manifest declares nothing the views need
    assert tree_bytes(tmp_path / "tree") == before


# A stand-in for a build of the tool that has the cache options: it shows them in `check --help`,
# records each command line, and lints for real without them.
CACHED_BUILD = """#!{python}
import subprocess, sys
args = sys.argv[1:]
if args[-1:] == ["--help"]:
    print("  --no-cache\\n  --cache-dir DIR")
    sys.exit(0)
with open({log!r}, "a") as log:
    log.write(" ".join(args) + "\\n")
kept = [a for i, a in enumerate(args) if a != "--no-cache" and a != "--cache-dir" and args[i - 1] != "--cache-dir"]
sys.exit(subprocess.run([sys.executable, "-m", "stripe_perm_lint", *kept], stdout=sys.stdout).returncode)
"""


def test_with_cache_options_cold_runs_without_the_cache_and_warm_runs_read_the_one_filled_first(tmp_path):
    log = tmp_path / "calls.log"
    build = tmp_path / "stripe-perm-lint"
    build.write_text(CACHED_BUILD.format(python=sys.executable, log=str(log)), encoding="utf-8")
    build.chmod(0o755)
    result = subprocess.run([sys.executable, str(BENCH / "run.py"), str(REPO / "fixtures" / "demo-app"), "--json",
                             "--runs", "2", "--linter", str(build)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["cache"] == "--cache-dir --no-cache"
    assert list(report["runs"]) == ["cold", "cold, filling cache", "warm"]
    assert len(report["cold_over_parse_only_paired"]) == 2  # each cold run with the parse-only run after it
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 5
    assert all("--no-cache" in c and "--cache-dir" not in c for c in calls[:2])
    cache_dirs = {c.split("--cache-dir ")[1].split()[0] for c in calls[2:]}
    assert len(cache_dirs) == 1 and all("--no-cache" not in c for c in calls[2:])
