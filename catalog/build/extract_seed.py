"""One-off: derive `seed_reference.json` from the project's reference copies of Stripe's docs.

Run from the repo root when a newer copy of the permissions page or event table arrives:

    python -m stripe_perm_lint.catalog.build.extract_seed ../shared/reference

The result holds facts only (names, product, resource, description, docs link, event rows); the
catalog build reads it, so CI never needs the reference folder.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_ROW = re.compile(r"^(?P<product>[^|]+?) \| (?P<resource>[^|]+?) \| (?P<perms>[a-z0-9_, ]+?) \| (?P<desc>.*)$")


def permission_rows(text: str) -> list[dict]:
    rows = []
    for line in text.splitlines():
        m = _ROW.match(line.strip())
        if not m or m.group("product") == "Product":
            continue
        desc, url = m.group("desc"), None
        link = re.search(r"\s*See ([^|]+)\|(https://\S+?)\.?$", desc)
        if link:
            url = link.group(2)
            desc = desc[: link.start()].strip()
        rows.append({
            "product": m.group("product").strip(),
            "resource": m.group("resource").strip(),
            "permissions": [p.strip() for p in m.group("perms").split(",")],
            "description": desc.strip(),
            "docs_url": url,
        })
    return rows


def main(argv: list[str]) -> int:
    ref = Path(argv[0] if argv else "../shared/reference")
    seed = {
        "source_note": "permissions-reference.md (current page, object table) and event-permissions.json (older edition's event table)",
        "permission_rows": permission_rows((ref / "permissions-reference.md").read_text("utf-8")),
        "event_rows": json.loads((ref / "event-permissions.json").read_text("utf-8")),
    }
    out = Path(__file__).with_name("seed_reference.json")
    out.write_text(json.dumps(seed, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    names = {p for r in seed["permission_rows"] for p in r["permissions"]}
    print(f"{len(seed['permission_rows'])} rows, {len(names)} names, {len(seed['event_rows'])} events -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
