"""Which folders are apps and which files are their sources."""

from __future__ import annotations

import os

from stripe_perm_lint.discover import discover_sources, find_app_roots


def _touch(root, *paths):
    for rel in paths:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x\n")


def test_sources_skip_dependencies_build_output_tests_and_ignored(tmp_path):
    _touch(
        tmp_path,
        "stripe-app.json", "stripe-app.dev.json", "src/views/App.tsx", "src/lib/stripe.ts", "src/types.d.ts",
        "src/views/App.test.tsx", "src/views/__tests__/x.tsx", "src/views/App.spec.ts", "src/App.stories.tsx",
        "node_modules/stripe/index.js", "dist/bundle.js", ".build/manifest.js", "build/x.js",
        "backend/app.py", "backend/test_app.py", "backend/tests/helpers.py", "backend/conftest.py",
        "generated/client.ts", "README.md", "package.json",
    )
    (tmp_path / ".gitignore").write_text("generated/\n")
    [(root, manifest)] = find_app_roots([tmp_path])
    assert (root, manifest) == (tmp_path.resolve(), "stripe-app.json")
    sources = discover_sources(root, manifest, frozenset()).sources
    assert sources == ("backend/app.py", "src/lib/stripe.ts", "src/views/App.tsx")


def test_nested_apps_own_their_files_and_yaml_counts(tmp_path):
    _touch(tmp_path, "stripe-app.json", "src/a.ts", "other/stripe-app.yaml", "other/ui/src/b.tsx")
    roots = find_app_roots([tmp_path])
    assert [(r.name, m) for r, m in roots] == [(tmp_path.name, "stripe-app.json"), ("other", "stripe-app.yaml")]
    outer = discover_sources(roots[0][0], "stripe-app.json", frozenset({roots[1][0]}))
    assert outer.sources == ("src/a.ts",)


def test_symlink_loops_do_not_trap_the_walk(tmp_path):
    _touch(tmp_path, "stripe-app.json", "src/a.ts")
    os.symlink(tmp_path / "src", tmp_path / "src" / "loop")
    [(root, manifest)] = find_app_roots([tmp_path])
    assert discover_sources(root, manifest, frozenset()).sources == ("src/a.ts",)


def test_a_manifest_path_or_a_parent_folder_finds_the_app(tmp_path):
    _touch(tmp_path, "apps/one/stripe-app.json", "apps/two/stripe-app.json")
    assert len(find_app_roots([tmp_path])) == 2
    assert find_app_roots([tmp_path / "apps/one/stripe-app.json"]) == [((tmp_path / "apps/one").resolve(), "stripe-app.json")]


def test_a_copy_of_the_stripe_python_package_is_left_out_and_named(tmp_path):
    _touch(
        tmp_path,
        "stripe-app.json", "lambda/handler.py",
        # stripe-python 8+ and up to 7: the package's own modules mark it
        "lambda/stripe/__init__.py", "lambda/stripe/_api_requestor.py", "lambda/stripe/_customer.py",
        "legacy/stripe/__init__.py", "legacy/stripe/api_requestor.py", "legacy/stripe/api_resources/customer.py",
        # the app's own `stripe` package of helpers is app code
        "backend/stripe/__init__.py", "backend/stripe/clients.py",
    )
    sources = discover_sources(tmp_path.resolve(), "stripe-app.json", frozenset())
    assert sources.sources == ("backend/stripe/__init__.py", "backend/stripe/clients.py", "lambda/handler.py")
    assert sources.vendored_sdks == ("lambda/stripe", "legacy/stripe")


def test_the_left_out_sdk_is_in_the_json_and_sarif_reports(monkeypatch):
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from stripe_perm_lint.cli import main

    monkeypatch.chdir(Path(__file__).resolve().parent.parent / "fixtures" / "vendored-stripe-sdk")
    report = json.loads(CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "."]).stdout)
    assert [app["vendored_sdks"] for app in report["apps"]] == [["lambda/stripe"]]
    sarif = json.loads(CliRunner().invoke(main, ["check", "--no-cache", "--format", "sarif", "."]).stdout)
    assert sarif["runs"][0]["properties"]["vendoredStripeSdks"] == ["lambda/stripe"]


def test_java_sources_skip_the_jvm_test_conventions(tmp_path):
    _touch(
        tmp_path,
        "stripe-app.json", "server/src/main/java/com/example/Billing.java", "server/src/main/java/com/example/SPLIT.java",
        "server/src/test/java/com/example/BillingTest.java", "server/src/test/java/com/example/Helpers.java",
        "server/src/main/java/com/example/BillingTests.java", "server/src/main/java/com/example/BillingIT.java",
        "server/target/classes/Gen.java",
    )
    [(root, manifest)] = find_app_roots([tmp_path])
    sources = discover_sources(root, manifest, frozenset()).sources
    assert sources == ("server/src/main/java/com/example/Billing.java", "server/src/main/java/com/example/SPLIT.java")
