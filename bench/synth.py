"""Generate a synthetic corpus of Stripe App folders to measure how the linter scales.

    python bench/synth.py OUT [--scale 4] [--seed 1]

Each app is a manifest, TSX views and components, TypeScript utilities and, for most apps, a
Node (TypeScript) or Python backend. As in real repositories most files are ordinary app code;
a fraction calls Stripe: views through the UI-extension client, backends through a client
module that services import, with expand lists, connected-account options and a webhook
endpoint. Scale 1 is about 2 MB in 30 apps; scale N has N times as many apps. The same seed and
scale always give the same bytes. OUT must not exist yet: the tree is written beside it and
renamed into place, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import synth_py as py
import synth_ts as ts

APPS_PER_SCALE = 30
# Permissions a generated manifest may declare: some the code needs, some it does not, as in
# real apps (the run reports both, which is part of the work being measured).
DECLARABLE = (
    "customer_read", "customer_write", "invoice_read", "subscription_read", "charge_read",
    "payment_intent_read", "product_read", "plan_read", "payout_read", "charge_write",
    "balance_transaction_source_read", "event_read", "webhook_read",
)
VIEWPORTS = (
    "stripe.dashboard.customer.detail", "stripe.dashboard.invoice.detail", "stripe.dashboard.payment.detail",
    "stripe.dashboard.home.overview", "stripe.dashboard.subscription.detail", "stripe.dashboard.product.detail",
)


def generate(out: Path, scale: int, seed: int, apps: int | None = None) -> None:
    """``APPS_PER_SCALE * scale`` apps, or exactly ``apps`` when given (a tiny corpus for tests)."""
    if out.exists():
        raise SystemExit(f"synth: {out} already exists; choose a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for index in range(apps if apps is not None else APPS_PER_SCALE * scale):
            # One generator per app, so app N is the same at every scale.
            write_app(staging / f"app-{index:04d}", random.Random(f"{seed}:{index}"), index)
        os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_app(root: Path, rng: random.Random, index: int) -> None:
    files: dict[str, str] = {}
    components = [ts.pascal(*ts.pick_words(rng), "panel") for _ in range(rng.randint(3, 8))]
    views = []
    stripe_app = rng.random() < 0.6  # the rest never call Stripe
    for n in range(rng.randint(2, 4)):
        name = ts.pascal(*ts.pick_words(rng), "view") + str(n)
        calls = stripe_app and rng.random() < 0.4
        files[f"src/views/{name}.tsx"] = ts.view(rng, name, components[n % len(components)], calls)
        views.append(name)
    if any("../lib/stripe" in text for text in files.values()):
        files["src/lib/stripe.ts"] = ts.UI_CLIENT
    for name in components:
        files[f"src/components/{name}.tsx"] = ts.component(rng, name)
    for _ in range(rng.randint(2, 6)):
        files[f"src/utils/{'_'.join(ts.pick_words(rng))}.ts"] = ts.util_module(rng)
    backend = rng.choice(("node", "node", "python", "python", None))
    if backend == "node":
        files.update(node_backend(rng, stripe_app))
    elif backend == "python":
        files.update(python_backend(rng, stripe_app))
    files["stripe-app.json"] = manifest(rng, index, views)
    files["package.json"] = json.dumps(
        {"name": f"synthetic-app-{index}", "version": "0.0.1", "private": True,
         "dependencies": {"@stripe/ui-extension-sdk": "^8.0.0", "react": "^17.0.2", "stripe": "^14.0.0"}},
        indent=2,
    ) + "\n"
    files["tsconfig.json"] = '{\n  "compilerOptions": {"jsx": "react", "strict": true, "baseUrl": "."}\n}\n'
    for rel, text in sorted(files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def node_backend(rng: random.Random, stripe_app: bool) -> dict[str, str]:
    files = {"server/stripeClient.ts": ts.NODE_CLIENT} if stripe_app else {}
    for _ in range(rng.randint(3, 8)):
        calls = stripe_app and rng.random() < 0.35
        files[f"server/{'_'.join(ts.pick_words(rng))}.ts"] = ts.node_service(rng, calls)
    for _ in range(rng.randint(1, 4)):
        files[f"server/lib/{'_'.join(ts.pick_words(rng))}.ts"] = ts.util_module(rng)
    if stripe_app and rng.random() < 0.6:
        files["server/webhook.ts"] = ts.node_webhook(rng)
    return files


def python_backend(rng: random.Random, stripe_app: bool) -> dict[str, str]:
    package = f"backend/{py.package_words(rng)}"
    files = {f"{package}/__init__.py": ""}
    if stripe_app:
        files[f"{package}/stripe_client.py"] = py.CLIENT_MODULE
    for _ in range(rng.randint(2, 6)):
        files[f"{package}/models_{py.package_words(rng)}.py"] = py.model_module(rng)
    for _ in range(rng.randint(2, 6)):
        calls = stripe_app and rng.random() < 0.35
        files[f"{package}/routes_{py.package_words(rng)}.py"] = py.service_module(rng, calls)
    if stripe_app and rng.random() < 0.6:
        files[f"{package}/webhook.py"] = py.webhook_module(rng)
    return files


def manifest(rng: random.Random, index: int, views: list[str]) -> str:
    permissions = [
        {"permission": name, "purpose": f"Show the {name.rsplit('_', 1)[0].replace('_', ' ')} data the app needs"}
        for name in sorted(rng.sample(DECLARABLE, rng.randint(1, 6)))
    ]
    data = {
        "id": f"com.example.synthetic-{index:04d}",
        "version": "1.0.0",
        "name": f"Synthetic App {index}",
        "icon": "",
        "permissions": permissions,
        "ui_extension": {"views": [{"viewport": rng.choice(VIEWPORTS), "component": v} for v in views]},
    }
    return json.dumps(data, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (must not exist)")
    parser.add_argument("--scale", type=int, default=1, help=f"N × {APPS_PER_SCALE} apps (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--apps", type=int, help="exactly this many apps, whatever the scale (for tests)")
    args = parser.parse_args(argv)
    if args.scale < 1 or (args.apps is not None and args.apps < 1):
        parser.error("--scale and --apps must be at least 1")
    generate(args.out, args.scale, args.seed, args.apps)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    count = sum(1 for p in args.out.rglob("*") if p.is_file())
    apps = args.apps if args.apps is not None else APPS_PER_SCALE * args.scale
    print(f"{args.out}: {apps} apps, {count} files, {size / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
