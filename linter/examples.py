"""Rule examples: a small app (a manifest and a file or two) and the findings one rule reports
on it. Each rule keeps its own (``valid`` / ``invalid``); tests run them with only that rule
enabled, and ``stripe-perm-lint explain`` prints them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    title: str
    files: dict[str, str]  # relative path -> text; one of them is the manifest
    # The rule's findings, exactly, as `path:line:column: message` (the text format without the code).
    expect: tuple[str, ...] = field(default=())
    # Codes of other rules run with this one, for a rule that judges their findings (SPL902).
    rules: tuple[str, ...] = ()


def manifest(*permissions: str, **extra: object) -> str:
    """A `stripe-app.json` declaring ``permissions`` (each with a purpose), plus any top-level keys."""
    body = {
        "id": "com.example.app",
        "version": "1.0.0",
        "name": "Example",
        **extra,
        "permissions": [{"permission": p, "purpose": f"Needed for {p.rsplit('_', 1)[0]}"} for p in permissions],
    }
    # Stripe's schema requires an icon. Added last, so that the permission entries keep their
    # lines in every rule's examples; an example that names its own keeps it.
    body.setdefault("icon", "./icon.png")
    return json.dumps(body, indent=2) + "\n"


# The client a UI extension builds: it acts for the installing account.
UI_CLIENT = (
    "import Stripe from 'stripe';\n"
    "import {createHttpClient, STRIPE_API_KEY} from '@stripe/ui-extension-sdk/http_client';\n"
    "\n"
    "const stripe = new Stripe(STRIPE_API_KEY, {httpClient: createHttpClient(), apiVersion: '2023-10-16'});\n"
)


def render(example: Example) -> str:
    """The example as `explain` shows it."""
    lines = [f"### {example.title}", ""]
    for path, text in example.files.items():
        lines += [f"`{path}`:", "```", text.rstrip("\n"), "```", ""]
    if example.rules:
        lines += [f"With {', '.join(example.rules)} enabled too.", ""]
    lines += ["Reports:" if example.expect else "Reports nothing."]
    lines += [f"    {finding}" for finding in example.expect]
    return "\n".join(lines)
