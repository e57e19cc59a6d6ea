"""Shared helpers. Kept in tests/ (never the repo root) so the repo root is not put on sys.path
and a bare `import rules` can never shadow `stripe_perm_lint.rules` (README, "Layout")."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def catalog():
    from stripe_perm_lint.catalog import load_catalog

    return load_catalog()


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """Every CLI run in the tests (in-process or a subprocess inheriting the environment) keeps its
    facts cache in a fresh temporary folder, never in the user's real cache."""
    monkeypatch.setenv("STRIPE_PERM_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
