"""Output formats, registered once: the CLI offers ``sorted(FORMATS)``."""

from __future__ import annotations

from stripe_perm_lint.report.github import render_github
from stripe_perm_lint.report.gitlab import render_gitlab
from stripe_perm_lint.report.json import render_json
from stripe_perm_lint.report.sarif import render_sarif
from stripe_perm_lint.report.text import render_text

FORMATS = {
    "github": render_github,
    "gitlab": render_gitlab,
    "json": render_json,
    "sarif": render_sarif,
    "text": render_text,
}
