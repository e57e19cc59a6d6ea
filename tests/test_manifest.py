"""Manifest reading: positions of entries, both formats, and clear errors for broken files."""

from __future__ import annotations

import pytest

from stripe_perm_lint.jsonpos import JsonError, parse_json
from stripe_perm_lint.manifest import read_manifest

JSON_OK = """{
  "id": "com.example.app",
  "permissions": [
    {"permission": "customer_read", "purpose": "Show the customer"},
    {
      "permission": "invoice_read",
      "purpose": {"en-US": "Localised purposes are allowed"}
    }
  ],
  "ui_extension": {"views": []}
}
"""


def test_json_entries_keep_their_positions(tmp_path):
    (tmp_path / "stripe-app.json").write_text(JSON_OK)
    m = read_manifest(tmp_path, "stripe-app.json")
    assert [(p.name, p.location.line, p.location.column) for p in m.permissions] == [
        ("customer_read", 4, 20),
        ("invoice_read", 6, 21),
    ]
    assert m.permissions[0].purpose == "Show the customer"
    assert m.app_id == "com.example.app" and not m.problems and not m.unparsed


def test_yaml_v2_manifest(tmp_path):
    (tmp_path / "stripe-app.yaml").write_text(
        "id: com.example.app\nversion: 1.0.0\ndeclarations:\n  stripe_api_access:\n"
        "    permissions:\n      - permission: customer_read\n        purpose: Show it\n"
        "      - permission: event_read\n        purpose: Webhooks\nextensions: []\n"
    )
    m = read_manifest(tmp_path, "stripe-app.yaml")
    assert [(p.name, p.location.line) for p in m.permissions] == [("customer_read", 6), ("event_read", 8)]


@pytest.mark.parametrize(
    "text, message, line, column",
    [
        ('{\n  // a comment\n  "id": "x"\n}', "comments are not allowed in JSON", 2, 3),
        ('{"permissions": [\n  {"permission": "a", "purpose": "b"},\n]}', "trailing comma before `]`", 3, 1),
        ('{"id": "x",}', "trailing comma before `}`", 1, 12),
        ("{'id': 'x'}", "expected a property name in double quotes", 1, 2),
        ('{"id": "x"', "expected `,` or `}` in an object", 1, 11),
        ('{"id": "x"} extra', "unexpected content after the top-level value", 1, 13),
        ('{"id": "unterminated\n}', "unterminated string", 1, 8),
        ("", "unexpected end of file", 1, 1),
    ],
)
def test_json_errors_say_what_and_where(text, message, line, column):
    with pytest.raises(JsonError) as err:
        parse_json(text)
    assert (err.value.message, err.value.line, err.value.column) == (message, line, column)


def test_json_values_match_the_standard_library():
    import json

    text = '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}'
    assert parse_json(text).value == json.loads(text)


def test_broken_manifest_is_a_problem_not_an_exception(tmp_path):
    (tmp_path / "stripe-app.json").write_text('{"permissions": [\n  {"permission": "customer_read"},\n]}')
    m = read_manifest(tmp_path, "stripe-app.json")
    assert m.unparsed and m.permissions == ()
    assert m.problems[0].message == "invalid JSON: trailing comma before `]`"
    assert (m.problems[0].location.line, m.problems[0].location.column) == (3, 1)


def test_broken_yaml(tmp_path):
    (tmp_path / "stripe-app.yaml").write_text("id: x\ndeclarations:\n  - a\n  b: c\n")
    m = read_manifest(tmp_path, "stripe-app.yaml")
    assert m.unparsed and m.problems[0].message.startswith("invalid YAML")
    assert m.problems[0].location.line == 4


def test_non_utf8_and_wrong_shapes(tmp_path):
    (tmp_path / "stripe-app.json").write_bytes(b'{"id": "\xff"}')
    assert read_manifest(tmp_path, "stripe-app.json").problems[0].message.startswith("the manifest is not UTF-8")
    (tmp_path / "stripe-app.json").write_text("[1, 2]")
    assert read_manifest(tmp_path, "stripe-app.json").problems[0].message == "the manifest must be an object"
    (tmp_path / "stripe-app.json").write_text('{"permissions": "customer_read"}')
    m = read_manifest(tmp_path, "stripe-app.json")
    assert m.problems[0].message == "`permissions` must be a list" and not m.unparsed
    (tmp_path / "stripe-app.json").write_text('{"permissions": [{"purpose": "no name"}]}')
    assert read_manifest(tmp_path, "stripe-app.json").problems[0].message == "a permissions entry needs a `permission` name"


def test_no_permissions_key_means_none(tmp_path):
    (tmp_path / "stripe-app.json").write_text('{"id": "x", "extensions": null}')
    m = read_manifest(tmp_path, "stripe-app.json")
    assert m.permissions == () and m.problems == ()
