#!/usr/bin/env python3
"""Score stripe-perm-lint against the hand labels in eval/labels (see eval/README.md).

    python eval/score.py --corpus DIR [--linter stripe-perm-lint] [--labels eval/labels] [--json]
    python eval/score.py --results DIR          # JSON outputs already made, DIR/<app_id>.json

DIR holds the exported apps (`DIR/<app_id>/`, as shared/public-apps/export.sh lays them out).
Labels of confidence "low" are not scored. A finding on a permission the label lists as
uncertain counts neither way. Prints, per app, the wrong and the missed findings, then:
precision of missing + unused findings, recall of missing permissions, recall of `required`.
Runs by hand against a local corpus; never in CI (the corpus is third-party code).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def linter_output(app_id: str, args: argparse.Namespace) -> dict:
    if args.results:
        return json.loads((Path(args.results) / f"{app_id}.json").read_text())
    run = subprocess.run(
        [*args.linter.split(), "--format", "json", "--no-color", app_id],
        cwd=args.corpus, capture_output=True, text=True, timeout=600,
    )
    if not run.stdout.strip():
        raise RuntimeError(f"{app_id}: no output (exit {run.returncode}): {run.stderr.strip()[:300]}")
    return json.loads(run.stdout)


def uncertain_names(label: dict, names: set[str]) -> set[str]:
    text = " ".join(label.get("uncertain", []))
    return {n for n in names if n in text}


def score_app(label: dict, output: dict) -> dict:
    [app] = output["apps"]
    found = {"missing": set(), "unused": set()}
    for finding in app["findings"]:
        kind = {"SPL101": "missing", "SPL102": "unused"}.get(finding["code"])
        if kind and finding.get("permission"):
            found[kind].add(finding["permission"])
    result = {}
    for kind in ("missing", "unused"):
        want = set(label[kind])
        skip = uncertain_names(label, found[kind] - want)
        result[kind] = {
            "right": sorted(found[kind] & want),
            "wrong": sorted(found[kind] - want - skip),
            "missed": sorted(want - found[kind]),
            "uncertain": sorted(skip),
        }
    required, want_required = set(app["required"]), set(label["required"])
    result["required"] = {"right": sorted(required & want_required), "missed": sorted(want_required - required),
                          "extra": sorted(required - want_required)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", default=str(HERE / "labels"))
    parser.add_argument("--corpus", help="folder of exported apps, DIR/<app_id>/")
    parser.add_argument("--results", help="folder of JSON outputs, DIR/<app_id>.json")
    parser.add_argument("--linter", default="stripe-perm-lint")
    parser.add_argument("--json", action="store_true", help="print the per-app scores as JSON")
    args = parser.parse_args()
    if not (args.corpus or args.results):
        parser.error("give --corpus or --results")
    totals = {"right": 0, "wrong": 0, "missing_right": 0, "missing_wanted": 0, "required_right": 0, "required_wanted": 0}
    per_app = {}
    for path in sorted(Path(args.labels).glob("*.json")):
        label = json.loads(path.read_text())
        if label.get("confidence") == "low":
            continue
        app_id = path.stem
        scored = per_app[app_id] = score_app(label, linter_output(app_id, args))
        for kind in ("missing", "unused"):
            totals["right"] += len(scored[kind]["right"])
            totals["wrong"] += len(scored[kind]["wrong"])
        totals["missing_right"] += len(scored["missing"]["right"])
        totals["missing_wanted"] += len(label["missing"])
        totals["required_right"] += len(scored["required"]["right"])
        totals["required_wanted"] += len(label["required"])
    if args.json:
        json.dump(per_app, sys.stdout, indent=2, sort_keys=True)
        print()
    else:
        for app_id, scored in per_app.items():
            lines = [f"  {kind} {what}: {', '.join(scored[kind][what])}"
                     for kind in ("missing", "unused") for what in ("wrong", "missed") if scored[kind][what]]
            if lines:
                print(app_id)
                print("\n".join(lines))
    found = totals["right"] + totals["wrong"]
    ratio = lambda a, b: f"{a}/{b} = {100 * a / b:.0f}%" if b else "n/a"  # noqa: E731
    print(f"\n{len(per_app)} apps scored")
    print(f"precision of missing + unused findings: {ratio(totals['right'], found)}")
    print(f"recall of missing permissions:          {ratio(totals['missing_right'], totals['missing_wanted'])}")
    print(f"recall of required permissions:         {ratio(totals['required_right'], totals['required_wanted'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
