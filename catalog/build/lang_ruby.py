"""Generate ``catalog/languages/ruby.json`` from a checkout of stripe-ruby (read with tree-sitter-ruby).

    python -m stripe_perm_lint.catalog.build.lang_ruby --sdk PATH [--older PATH ...]

``--sdk`` is an extracted checkout of the newest release (its ``lib/`` and ``VERSION``);
``--older`` checkouts of older majors that apps still pin add the method names those releases
had (`Stripe::Invoice.upcoming`), the newest release's mapping winning for a name both have.
Extract a release from a git mirror with
``git --git-dir=REPO archive vX.Y.Z lib VERSION | tar -x -C DIR``. Every SDK method's verb and
path are joined onto the catalog's operations (``languages.shape``); what no method reaches is
listed under ``absent`` with the reason.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from stripe_perm_lint.catalog.build import languages
from stripe_perm_lint.catalog.build.ruby_source import all_rows, helper_names

REPOSITORY = "https://github.com/stripe/stripe-ruby"
DISPLAY = {"ruby_client": "client.{}", "ruby_legacy": "Stripe::{}", "ruby_instance": "Stripe::{}"}
def _version(sdk: Path) -> str:
    for candidate in (sdk / "VERSION", sdk / "lib" / "stripe" / "version.rb"):
        if candidate.exists():
            return candidate.read_text("utf-8").strip().split('"')[1 if '"' in candidate.read_text("utf-8") else 0]
    return "?"


def _commit(sdk: Path, given: str | None) -> str:
    if given:
        return given
    try:
        out = subprocess.run(["git", "-C", str(sdk), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git work tree: pass --commit)"


def _reason(op_id: str) -> str:
    verb, path = op_id.split(" ", 1)
    if path.startswith("/v2/"):
        return "v2 endpoint that stripe-ruby's StripeClient (v2 namespace) does not expose in this release"
    if "/test_helpers/" in path:
        return "test-mode helper endpoint that this stripe-ruby release has no method for"
    return "no method of this stripe-ruby release requests it (reachable with `raw_request`)"


def build(sdk: Path, older: list[Path], commit: str | None) -> dict:
    index = languages.operation_index()
    methods: dict[str, dict[str, str]] = {style: {} for style in DISPLAY}
    versions = []
    for checkout in [sdk, *older]:  # newest first: `setdefault` lets its mapping win
        versions.append(_version(checkout))
        for style, accessor, verb, path in all_rows(checkout / "lib"):
            op_id = index.get(languages.shape(verb, path))
            if op_id:
                methods[style].setdefault(accessor, op_id)
    reached = {op for table in methods.values() for op in table.values()}
    return {
        "language": "ruby",
        "sdk": "stripe-ruby",
        "sdk_version": versions[0],
        "older_releases": versions[1:],  # whose method names the table also holds
        "source": f"{REPOSITORY} commit {_commit(sdk, commit)}",
        "generated_by": "python -m stripe_perm_lint.catalog.build.lang_ruby --sdk PATH"
                        + "".join(f" --older PATH-{v}" for v in versions[1:]),
        "display": DISPLAY,
        "methods": {style: table for style, table in methods.items() if table},
        "helpers": helper_names(sdk / "lib"),
        "absent": {op: _reason(op) for op in languages.required_operations() if op not in reached},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build.lang_ruby",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--sdk", required=True, type=Path, help="extracted checkout of the newest stripe-ruby")
    parser.add_argument("--older", action="append", default=[], type=Path, help="checkout of an older release")
    parser.add_argument("--commit", help="the newest checkout's commit, when it is not a git work tree")
    args = parser.parse_args(argv)
    for checkout in [args.sdk, *args.older]:
        if not (checkout / "lib" / "stripe").is_dir():
            print(f"error: {checkout} has no lib/stripe: not a stripe-ruby checkout", file=sys.stderr)
            return 2
    table = build(args.sdk, args.older, args.commit)
    path = languages.write_table(table)
    found = languages.problems(table)
    print(f"wrote {path}: {sum(len(m) for m in table['methods'].values())} methods, {len(table['absent'])} absent")
    for line in found:
        print(f"  {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
