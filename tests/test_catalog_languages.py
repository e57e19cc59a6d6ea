"""The committed SDK method tables of the backend languages (catalog/languages/*.json): complete
against the operation list, consistent, in canonical form, one per registered backend language.
This is the CI check of tables whose SDK sources CI cannot download."""

from __future__ import annotations

import pytest

from stripe_perm_lint.backends import BACKENDS
from stripe_perm_lint.catalog import load_catalog
from stripe_perm_lint.catalog.build import languages

TABLES = {t["language"]: t for t in languages.tables()}


def test_every_registered_backend_has_a_table_and_no_table_is_orphaned():
    assert sorted(TABLES) == sorted(b.language for b in BACKENDS)


@pytest.mark.parametrize("language", sorted(TABLES) or ["(none)"])
def test_table_is_complete_and_consistent(language):
    if language == "(none)":
        assert not TABLES
        return
    assert languages.problems(TABLES[language]) == []


def test_the_runtime_catalog_resolves_every_table_entry():
    catalog = load_catalog()
    for table in TABLES.values():
        for style, methods in table["methods"].items():
            for accessor, op_id in methods.items():
                op = catalog.operation_for_call(style, accessor)
                assert op is not None and op.id == op_id, (style, accessor)


def test_shape_joins_each_sdks_parameter_spelling():
    for path in ("/v1/customers/{customer}/sources/{id}", "/v1/customers/%s/sources/%s",
                 "/v1/customers/%<customer>s/sources/%<id>s", "/v1/customers/#{customer}/sources/#{id}",
                 "/v1/customers/{WebUtility.UrlEncode(customer)}/sources/{WebUtility.UrlEncode(id)}"):
        assert languages.shape("get", path) == ("GET", "/v1/customers/{}/sources/{}")
    index = languages.operation_index()
    assert index[languages.shape("post", "/v1/customers/%s")] == "POST /v1/customers/{customer}"


def test_a_table_with_an_unknown_operation_or_gap_is_reported():
    table = {"language": "x", "sdk": "x", "sdk_version": "1", "source": "s", "generated_by": "g",
             "display": {"x_client": "{}"}, "methods": {"x_client": {"customers.get": "GET /v1/nowhere"}}}
    found = languages.problems(table)
    assert "x_client `customers.get` names `GET /v1/nowhere`, which is no operation of the catalog" in found
    assert any(line.startswith("`GET /v1/customers/{customer}`: no method reaches it") for line in found)
