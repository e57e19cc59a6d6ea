"""How the linter's time grows with the size of what it lints, on synthetic corpora.

    python bench/scaling.py [--scales 1,4,16] [--seed 1] [--runs N] [--json] [--keep DIR]

Generates each scale with ``synth.py`` (in a temporary folder, or under ``--keep DIR`` to look
at it or reuse it: an existing ``DIR/scale-N`` is used as it is), benchmarks it as ``run.py``
does, and prints time per MB at each scale and the ratio of the largest scale's time to the
smallest's next to the ratio of their sizes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import synth
from run import benchmark


def measure_scales(scales: list[int], seed: int, runs: int, keep: Path | None) -> dict:
    rows = []
    with tempfile.TemporaryDirectory(prefix="spl-bench-synth-") as scratch:
        base = keep or Path(scratch)
        for scale in scales:
            corpus = base / f"scale-{scale}"
            if not corpus.exists():
                synth.generate(corpus, scale, seed)
            report = benchmark(corpus, runs)
            runs_by_name = report["runs"]
            rows.append({
                "scale": scale, "files": report["files"]["count"], "mb": report["files"]["mb"],
                "cold_s": runs_by_name["cold"]["seconds"],
                "warm_s": runs_by_name["warm"]["seconds"] if "warm" in runs_by_name else None,
                "parse_only_s": report["parse_only"]["total_s"],
                "cold_s_per_mb": round(runs_by_name["cold"]["seconds"] / report["files"]["mb"], 3),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in runs_by_name.values()),
                "tree_rss_mb": max(r["tree_rss_mb"] for r in runs_by_name.values()),
                "commit": report["commit"], "cache": report["cache"], "load_average": report["load_average"],
            })
    first, last = rows[0], rows[-1]
    return {
        "seed": seed, "rows": rows,
        "size_ratio": round(last["mb"] / first["mb"], 2),
        "cold_time_ratio": round(last["cold_s"] / first["cold_s"], 2),
    }


def table(result: dict) -> str:
    rows = result["rows"]
    lines = [
        f"stripe-perm-lint at {rows[0]['commit']}, synthetic corpus seed {result['seed']}, cache: {rows[0]['cache']}",
        f"{'scale':>5}{'files':>8}{'MB':>8}{'cold s':>9}{'s/MB':>7}{'warm s':>9}{'parse-only s':>14}"
        f"{'peak RSS MB':>13}{'all workers MB':>16}{'load':>12}",
    ]
    for row in rows:
        warm = f"{row['warm_s']:>9.3f}" if row["warm_s"] is not None else f"{'no cache':>9}"
        lines.append(f"{row['scale']:>4}×{row['files']:>8}{row['mb']:>8.2f}{row['cold_s']:>9.2f}{row['cold_s_per_mb']:>7.2f}"
                     f"{warm}{row['parse_only_s']:>14.2f}{row['peak_rss_mb']:>13.0f}{row['tree_rss_mb']:>16.0f}"
                     f"{'{} -> {}'.format(*row['load_average']):>12}")
    lines.append(f"{rows[-1]['scale']}× / {rows[0]['scale']}×: size {result['size_ratio']}×, cold time {result['cold_time_ratio']}×")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,4,16", help="comma-separated scales (default 1,4,16)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="repeat each timed run N times; the fastest counts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", type=Path, help="generate (or reuse) the corpora under this folder")
    args = parser.parse_args(argv)
    try:
        scales = sorted({int(s) for s in args.scales.split(",")})
    except ValueError:
        parser.error(f"--scales: not a comma-separated list of whole numbers: {args.scales}")
    if not scales or scales[0] < 1:
        parser.error("--scales must be whole numbers of at least 1")
    result = measure_scales(scales, args.seed, args.runs, args.keep.resolve() if args.keep else None)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
