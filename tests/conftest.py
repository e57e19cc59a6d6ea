"""Shared helpers. Kept in tests/ (never the repo root) so the repo root is not put on sys.path
and a bare `import rules` can never shadow `stripe_perm_lint.rules` (README, "Layout")."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def catalog():
    from stripe_perm_lint.catalog import load_catalog

    return load_catalog()
