"""Output formats, registered once: the CLI offers ``sorted(FORMATS)``."""

from __future__ import annotations

from stripe_perm_lint.report.json import render_json
from stripe_perm_lint.report.text import render_text

FORMATS = {"text": render_text, "json": render_json}
