"""Generate the catalog JSON files from the pinned SDK packages.

    python -m stripe_perm_lint.catalog.build            # write catalog/*.json
    python -m stripe_perm_lint.catalog.build --check    # regenerate in memory, exit 1 on a diff
"""

from __future__ import annotations

import argparse
import difflib
import sys

from stripe_perm_lint.catalog.build.generate import CATALOG, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files differ from a fresh build")
    args = parser.parse_args(argv)
    files = generate()
    if args.check:
        bad = 0
        for name, text in files.items():
            path = CATALOG / name
            old = path.read_text("utf-8") if path.exists() else ""
            if old != text:
                bad += 1
                diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), f"committed/{name}", f"generated/{name}", n=0, lineterm=""))
                print(f"{name}: differs ({sum(1 for d in diff if d[:1] in '+-') - 2} changed lines)")
                print("\n".join(diff[:30]))
        print("catalog is up to date" if not bad else f"{bad} catalog file(s) are stale: run python -m stripe_perm_lint.catalog.build")
        return 1 if bad else 0
    for name, text in files.items():
        (CATALOG / name).write_text(text, "utf-8")
    print(f"wrote {', '.join(files)} to {CATALOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
