"""Manifest structure (SPL006's facts): Stripe's schemas as adjusted at load, the messages, the
key positions in JSON and YAML, and reading `stripe-app.*.json` overlays safely."""

from __future__ import annotations

import json
import os

import pytest

from stripe_perm_lint.jsonpos import parse_json
from stripe_perm_lint.manifest import MAX_OVERLAYS, read_manifest
from stripe_perm_lint.manifest_schema import check_structure, dotted

BASE = {"id": "com.example.app", "version": "1.0.0", "name": "Example", "icon": ""}


def messages(document, kind="v1") -> list[str]:
    return [e.message for e in check_structure(document, kind)]


def test_a_minimal_manifest_and_stripe_cli_keys_are_clean():
    assert messages(BASE) == []
    # Keys Stripe's CLI writes or its examples carry, which the published schema lacks.
    cli = {**BASE, "app_backend": {"webhooks": None}, "connect_permissions": None, "extensions": None}
    assert messages(cli) == []
    assert messages({**BASE, "icon": "brand_icon.png"}) == []


def test_permission_names_are_not_the_schemas_business():
    # Stale enum dropped: a name the schema lacks (or a typo) is SPL002's, never SPL006's.
    doc = {**BASE, "permissions": [{"permission": "terminal_reader_read", "purpose": "Show readers"},
                                   {"permission": "customers_read", "purpose": "Show customers"}]}
    assert messages(doc) == []


def test_purpose_text_is_left_to_spl007_but_a_missing_purpose_is_not():
    empty = {**BASE, "permissions": [{"permission": "customer_read", "purpose": ""}]}
    assert messages(empty) == []
    missing = {**BASE, "permissions": [{"permission": "customer_read"}]}
    assert messages(missing) == ["`permissions[0]` lacks `purpose`, required by Stripe's schema"]


def test_values_outside_a_set_suggest_the_closest_one():
    doc = {**BASE, "stripe_api_access_type": "oath",
           "ui_extension": {"views": [{"viewport": "stripe.dashboard.payment.details", "component": "Pay"}]}}
    assert messages(doc) == [
        "`stripe_api_access_type`: `oath` is not one of `restricted_api_key`, `oauth`, `platform`; did you mean `oauth`?",
        "`ui_extension.views[0].viewport`: `stripe.dashboard.payment.details` is not a known viewport; "
        "did you mean `stripe.dashboard.payment.detail`?",
    ]


def test_the_full_page_viewport_newer_than_the_schema_is_known():
    doc = {**BASE, "ui_extension": {"views": [{"viewport": "stripe.dashboard.fullpage", "component": "App"}]}}
    assert messages(doc) == []


def test_unknown_keys_with_a_hint_and_a_wrong_type_once():
    doc = {**BASE, "constant": {}, "sandbox_install_compatible": "true", "distribution_type": 1}
    assert messages(doc) == [
        "`constant` is not a key the manifest can have; did you mean `constants`?",
        "`distribution_type` must be a string, not the number `1`",  # not also "not one of"
        "`sandbox_install_compatible` must be `true` or `false`, not the string `true`",
    ]


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ({"type": "settings"}, []),
        ({"type": "external", "url": "https://example.com/welcome"}, []),
        # Newer than the schema: Stripe's own full-page example app, and the `"url": ""` the CLI writes.
        ({"type": "modal", "url": ""}, []),
        ({"type": "settings", "url": ""}, []),
        ({"type": "popup"}, ["`post_install_action.type`: `popup` is not one of `external`, `modal`, `onboarding`, `settings`"]),
        ({"type": "settings", "link": ""}, ["`post_install_action.link` is not a key `post_install_action` can have"]),
        ({"type": "external"}, ["`post_install_action` lacks `url`, required by Stripe's schema"]),
        ("settings", ["`post_install_action` must be null, not the string `settings`"]),
    ],
)
def test_post_install_action_explains_the_shape_that_was_meant(action, expected):
    assert messages({**BASE, "post_install_action": action}) == expected


def test_v2_checks_published_and_shared_keys_and_tolerates_the_rest():
    doc = {"id": "com.example.app", "name": "Example", "version": "1.0.0", "extensions": [],
           "ui": {"views": []}, "declarations": {"distribution_type": "private", "stripe_api_access": {
               "permissions": [{"permission": "customer_read", "purpose": "Show the customer"}]}}}
    assert messages(doc, "v2") == []
    assert messages({"id": "a", "extensions": [{"id": "x"}]}, "v2") == [
        "the manifest lacks `name` and `version`, required by Stripe's schema",
        "`extensions[0]` lacks `name`, `interface_id`, `version`, `permissions` and `methods`, required by Stripe's schema",
    ]


def test_overlay_schema_resolves_the_base_schema_offline():
    assert messages({"extends": "stripe-app.json", "constants": {"API": "http://localhost:8000"}}, "overlay") == []
    assert messages({"extends": "base.json", "permissions": [{"permission": "x"}]}, "overlay") == [
        "`extends`: `base.json` must name the base manifest, such as `stripe-app.json`",
        "`permissions[0]` lacks `purpose`, required by Stripe's schema",
    ]


def test_dotted_paths():
    assert dotted(("ui_extension", "views", 0, "viewport")) == "ui_extension.views[0].viewport"
    assert dotted(()) == ""


def test_json_parser_records_key_positions():
    parsed = parse_json('{\n  "a": {"bb": [1, {"c": 2}]}\n}')
    assert parsed.key_positions == {("a",): (2, 3), ("a", "bb"): (2, 9), ("a", "bb", 1, "c"): (2, 20)}


def test_json_errors_point_at_keys(tmp_path):
    doc = json.dumps({**BASE, "ui_extension": {"views": [{"viewport": "nope", "component": "A"}]}}, indent=2)
    (tmp_path / "stripe-app.json").write_text(doc)
    [problem] = read_manifest(tmp_path, "stripe-app.json").structure
    assert (problem.location.line, problem.location.column) == (9, 9)  # the `"viewport"` key


def test_yaml_errors_point_at_keys_and_list_items(tmp_path):
    (tmp_path / "stripe-app.yaml").write_text(
        "id: a\nname: A\nversion: 1.0.0\nextensions: []\ndeclarations:\n  distribution_type: open\n"
        "  stripe_api_access:\n    permissions:\n      - permission: customer_read\n        purpose: Show it\n"
        "        reason: x\n      - 42\n"
    )
    structure = read_manifest(tmp_path, "stripe-app.yaml").structure
    assert [(p.location.line, p.location.column, p.message.split(" ", 1)[0]) for p in structure] == [
        (6, 3, "`declarations.distribution_type`:"),
        (11, 9, "`declarations.stripe_api_access.permissions[0].reason`"),
        (12, 9, "`declarations.stripe_api_access.permissions[1]`"),
    ]


def test_overlays_are_read_beside_the_manifest(tmp_path):
    (tmp_path / "stripe-app.json").write_text(json.dumps(BASE))
    (tmp_path / "stripe-app.dev.json").write_text(
        '{"extends": "stripe-app.json", "permissions": [{"permission": "charge_read", "purpose": "Show charges"}]}'
    )
    (tmp_path / "stripe-app.bad.json").write_text('{"extends": "stripe-app.json",}')
    (tmp_path / "stripe-app..json").mkdir()  # not an overlay name: nothing between the dots
    (tmp_path / "stripe-app.json.bak").write_text("{}")
    m = read_manifest(tmp_path, "stripe-app.json")
    assert [o.path for o in m.overlays] == ["stripe-app.bad.json", "stripe-app.dev.json"]
    bad, dev = m.overlays
    assert bad.unparsed and bad.problems[0].message == "invalid JSON: trailing comma before `}`"
    assert [p.name for p in dev.permissions] == ["charge_read"] and not dev.structure
    assert m.names == frozenset()  # an overlay never adds to what the app declares


def test_odd_overlay_files_are_problems_not_crashes(tmp_path):
    (tmp_path / "stripe-app.json").write_text(json.dumps(BASE))
    (tmp_path / "stripe-app.dir.json").mkdir()
    (tmp_path / "stripe-app.latin.json").write_bytes(b'{"name": "caf\xe9"}')
    os.symlink(tmp_path / "missing", tmp_path / "stripe-app.broken.json")
    m = read_manifest(tmp_path, "stripe-app.json")
    assert {o.path: o.problems[0].message for o in m.overlays} == {
        "stripe-app.broken.json": "the manifest is not a regular file",
        "stripe-app.dir.json": "the manifest is not a regular file",
        "stripe-app.latin.json": "the manifest is not UTF-8 (byte 13)",
    }


def test_overlays_are_bounded(tmp_path):
    (tmp_path / "stripe-app.json").write_text(json.dumps(BASE))
    for n in range(MAX_OVERLAYS + 5):
        (tmp_path / f"stripe-app.o{n:02d}.json").write_text("{}")
    assert len(read_manifest(tmp_path, "stripe-app.json").overlays) == MAX_OVERLAYS


def test_a_key_written_for_the_one_missing_is_named():
    doc = {**BASE, "permissions": [{"permission": "customer_read", "description": "Show the customer"}]}
    assert messages(doc) == [
        "`permissions[0]` lacks `purpose`, required by Stripe's schema",
        "`permissions[0].description` is not a key `permissions[0]` can have; did you mean `purpose`?",
    ]
