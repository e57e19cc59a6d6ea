"""Benchmark the installed ``stripe-perm-lint`` on one folder.

    python bench/run.py PATH [--runs N] [--json] [--manifest-at-root] [--positions] [--linter EXE]

Prints, from one invocation: the cold time (a whole process, ``--no-cache`` when the tool has
it), the warm time (a second process reading the cache filled by a first one, when the tool
has ``--cache-dir``), the single-thread parse-only time of tree-sitter and libcst over the same
files, the peak memory of each run, and files and MB per second. With ``--runs N`` every timed
run is repeated and the fastest counts (all are in ``--json``). Speed is measured here, never
in the unit tests.

A tree with no manifest (a bulk corpus of repositories) is linted with ``--manifest-at-root``:
a temporary folder holds a minimal ``stripe-app.json`` and the tree is passed to it with
``--extra-sources``, so the tree is read where it is, never copied or written to.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from measure import lint_once, parse_only_apart

REPO = Path(__file__).resolve().parent.parent
MINIMAL_MANIFEST = {
    "id": "com.example.benchmark", "version": "0.0.1", "name": "Benchmark overlay", "icon": "", "permissions": [],
}


def linter_executable() -> str:
    beside = Path(sys.executable).with_name("stripe-perm-lint")
    found = str(beside) if beside.exists() else shutil.which("stripe-perm-lint")
    if not found:
        raise SystemExit("bench: stripe-perm-lint is not installed (pip install -e .)")
    return found


def cache_flags(exe: str) -> set[str]:
    """The cache options this version of the tool has, read from its help."""
    text = subprocess.run([exe, "check", "--help"], capture_output=True, text=True, check=True).stdout
    return {flag for flag in ("--no-cache", "--cache-dir") if flag in text}


@contextmanager
def lint_target(path: Path, manifest_at_root: bool):
    """The arguments that lint ``path``, and the files the linter will read there, found by its
    own discovery (each app's sources; apps nested in another are their own), then the source
    files of the Stripe SDK copies that discovery leaves out (``discover.is_stripe_sdk``): the
    linter does not read them, but the parse-only baseline counts them, as the tree holds them."""
    from stripe_perm_lint.discover import discover_sources, find_app_roots

    if not manifest_at_root:
        roots = find_app_roots([path])
        if not roots:
            raise SystemExit(f"bench: no stripe-app.json under {path}; pass --manifest-at-root to lint it as one app")
        others = frozenset(root for root, _ in roots)
        found = [(root, discover_sources(root, name, others - {root})) for root, name in roots]
        files = [root / rel for root, sources in found for rel in sources.sources]
        yield [str(path)], files, _sdk_files(root / folder for root, sources in found for folder in sources.vendored_sdks)
        return
    if (path / "stripe-app.json").exists() or (path / "stripe-app.yaml").exists():
        raise SystemExit(f"bench: {path} already has a manifest; lint it without --manifest-at-root")
    with tempfile.TemporaryDirectory(prefix="spl-bench-app-") as overlay:
        root = Path(overlay).resolve()
        (root / "stripe-app.json").write_text(json.dumps(MINIMAL_MANIFEST, indent=2) + "\n", encoding="utf-8")
        sources = discover_sources(root, "stripe-app.json", frozenset(), (path,))
        yield ([str(root), "--extra-sources", str(path)], [(root / rel).resolve() for rel in sources.sources],
               _sdk_files((root / folder).resolve() for folder in sources.vendored_sdks))


def _sdk_files(folders) -> list[Path]:
    from stripe_perm_lint.discover import is_source

    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file() and is_source(p.name))


def timed_runs(command: list[str], runs: int) -> dict:
    return summary(command, [lint_once(command) for _ in range(runs)])


def summary(command: list[str], results: list) -> dict:
    best = min(results, key=lambda r: r.seconds)
    return {
        "command": " ".join(command),
        "seconds": round(best.seconds, 3),
        "all_seconds": [round(r.seconds, 3) for r in results],
        "exit_code": best.exit_code,
        "peak_rss_mb": round(max(r.peak_rss_mb for r in results), 1),
        "tree_rss_mb": round(max(r.tree_rss_mb for r in results), 1),
        "tree_pss_mb": round(max(r.tree_pss_mb for r in results), 1),
    }


def benchmark(path: Path, runs: int = 1, manifest_at_root: bool = False, positions: bool = False, exe: str | None = None) -> dict:
    exe = exe or linter_executable()
    flags = cache_flags(exe)
    base = [exe, "check", "--format", "json"]
    report: dict = {
        "path": str(path), "commit": commit(), "cores": os.cpu_count(), "python": platform.python_version(),
        "tool_version": version("stripe-perm-lint"), "cache": " ".join(sorted(flags)) or "no cache", "runs": {},
        # Other work on the machine slows every run: the 1-minute load average, before and after.
        "load_average": [round(os.getloadavg()[0], 1)],
    }
    with lint_target(path, manifest_at_root) as (target, files, sdk_files), tempfile.TemporaryDirectory(prefix="spl-bench-cache-") as cache:
        cold_flags = ["--no-cache"] if "--no-cache" in flags else []
        # Each cold run is followed by a parse-only run: the machine's speed drifts (by a quarter
        # within minutes on a shared host), and a pair run back to back sees the same machine.
        cold, parses = [], []
        for _ in range(runs):
            cold.append(lint_once(base + cold_flags + target))
            parses.append(parse_only_apart(files + sdk_files, positions))
        report["runs"]["cold"] = summary(base + cold_flags + target, cold)
        if "--cache-dir" in flags:
            # A first run fills an empty cache (its time is the cost of writing it); the next read it.
            fill = base + ["--cache-dir", cache] + target
            report["runs"]["cold, filling cache"] = timed_runs(fill, 1)
            report["runs"]["warm"] = timed_runs(fill, runs)
        elif "--no-cache" in flags:  # a cache in its default place: the first run fills it
            timed_runs(base + target, 1)
            report["runs"]["warm"] = timed_runs(base + target, runs)
        parsed = min(parses, key=lambda p: p.tree_sitter_s + p.libcst_s)  # the fastest, as for the linter
    report["load_average"].append(round(os.getloadavg()[0], 1))
    total_bytes = sum(parsed.bytes.values())
    report["files"] = {"count": len(files) + len(sdk_files), "mb": round(total_bytes / 1e6, 3), "by_language": parsed.counts,
                       "mb_by_language": {k: round(v / 1e6, 3) for k, v in parsed.bytes.items()},
                       # Copies of the Stripe SDK: in the tree and in parse-only, left out by the linter.
                       "stripe_sdk_copies": len(sdk_files)}
    for run in report["runs"].values():
        run["files_per_s"] = round(report["files"]["count"] / run["seconds"], 1)
        run["mb_per_s"] = round(total_bytes / 1e6 / run["seconds"], 3)
    # The parse alone, as the baseline measures it; positions are shown beside it.
    parse_total = parsed.tree_sitter_s + parsed.libcst_s
    report["parse_only"] = {
        "tree_sitter_s": round(parsed.tree_sitter_s, 3), "libcst_s": round(parsed.libcst_s, 3),
        "libcst_positions_s": round(parsed.positions_s, 3) if positions else None,
        "total_s": round(parse_total, 3), "skipped_files": parsed.skipped, "syntax_errors": len(parsed.failed),
    }
    report["cold_over_parse_only"] = round(report["runs"]["cold"]["seconds"] / parse_total, 2) if parse_total else None
    # Run by run: each cold run over the parse-only run right after it.
    report["cold_over_parse_only_paired"] = [round(c.seconds / (p.tree_sitter_s + p.libcst_s), 2) for c, p in zip(cold, parses)
                                             if p.tree_sitter_s + p.libcst_s]
    return report


def commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def table(report: dict) -> str:
    files = report["files"]
    lines = [
        f"stripe-perm-lint {report['tool_version']} at {report['commit']}, {report['cores']} cores, "
        f"Python {report['python']}, cache: {report['cache']}, load average {report['load_average'][0]} -> {report['load_average'][1]}",
        f"{report['path']}: {files['count']} files, {files['mb']} MB "
        f"(TS/JS {files['by_language']['typescript']} files {files['mb_by_language']['typescript']} MB, "
        f"Python {files['by_language']['python']} files {files['mb_by_language']['python']} MB, "
        f"other {files['by_language']['other']})"
        + (f"; {files['stripe_sdk_copies']} of them in copies of the Stripe SDK, which the linter leaves out"
           if files.get("stripe_sdk_copies") else ""),
        "",
        f"{'run':<24}{'seconds':>9}{'files/s':>10}{'MB/s':>8}{'peak RSS MB':>13}{'all workers MB':>16}{'(PSS)':>7}",
    ]
    for name, run in report["runs"].items():
        lines.append(f"{name:<24}{run['seconds']:>9.3f}{run['files_per_s']:>10.1f}{run['mb_per_s']:>8.2f}"
                     f"{run['peak_rss_mb']:>13.0f}{run['tree_rss_mb']:>16.0f}{run['tree_pss_mb']:>7.0f}")
    if "warm" not in report["runs"]:
        lines.append(f"{'warm':<24}{'no cache':>9}")
    parse = report["parse_only"]
    mb = files["mb"] or 1e-9
    lines.append(f"{'parse-only tree-sitter':<24}{parse['tree_sitter_s']:>9.3f}")
    lines.append(f"{'parse-only libcst':<24}{parse['libcst_s']:>9.3f}")
    if parse["libcst_positions_s"] is not None:
        lines.append(f"{'libcst positions':<24}{parse['libcst_positions_s']:>9.3f}  (not in the total)")
    lines.append(f"{'parse-only total':<24}{parse['total_s']:>9.3f}{'':>10}{mb / max(parse['total_s'], 1e-9):>8.2f}")
    lines.append("")
    lines.append(f"cold / parse-only: {report['cold_over_parse_only']}"
                 f"  (parse-only skipped {parse['skipped_files']} files, {parse['syntax_errors']} Python syntax errors)")
    paired = report["cold_over_parse_only_paired"]
    if len(paired) > 1:
        lines.append(f"cold / parse-only, run by run: {' '.join(f'{r:.2f}' for r in paired)}"
                     f"  (median {statistics.median(paired):.2f})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--runs", type=int, default=1, help="repeat each timed run N times; the fastest counts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--manifest-at-root", action="store_true",
                        help="lint a tree with no manifest as one app (a temporary manifest, the tree as --extra-sources)")
    parser.add_argument("--positions", action="store_true", help="also time libcst's PositionProvider in parse-only")
    parser.add_argument("--linter", help="the stripe-perm-lint executable to time (default: the one installed beside this Python)")
    args = parser.parse_args(argv)
    if not args.path.is_dir():
        parser.error(f"{args.path}: not a folder")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    report = benchmark(args.path.resolve(), args.runs, args.manifest_at_root, args.positions, args.linter)
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
