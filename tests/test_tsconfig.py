"""Path aliases from tsconfig/jsconfig, and the linker following them."""

from __future__ import annotations

from stripe_perm_lint.facts import ClientExport, FileFacts, ImportBinding, PendingCall, Position
from stripe_perm_lint.linker import link_app
from stripe_perm_lint.tsconfig import alias_candidates, find_alias_rules, read_jsonc


def test_jsonc_comments_and_trailing_commas():
    text = '{\n  // paths\n  "compilerOptions": {"paths": {"@/*": ["./src/*",],}, /* x */ "url": "http://a//b"},\n}'
    assert read_jsonc(text) == {"compilerOptions": {"paths": {"@/*": ["./src/*"]}, "url": "http://a//b"}}


def test_paths_and_base_url(tmp_path):
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "tsconfig.json").write_text(
        '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./src/*"], "@lib": ["src/lib/index.ts"]}}}'
    )
    rules = find_alias_rules(tmp_path, ("web/src/app/page.tsx",))
    assert set(rules) == {"web"}
    assert alias_candidates(rules, "web/src/app/page.tsx", "@/lib/stripe") == ["web/src/lib/stripe", "web/@/lib/stripe"]
    assert alias_candidates(rules, "web/src/app/page.tsx", "@lib")[0] == "web/src/lib/index.ts"
    assert alias_candidates(rules, "web/src/app/page.tsx", "src/lib/stripe") == ["web/src/lib/stripe"]
    assert alias_candidates(rules, "other/x.ts", "@/lib/stripe") == []


def test_broken_config_is_skipped(tmp_path):
    (tmp_path / "tsconfig.json").write_text("{ not json")
    assert find_alias_rules(tmp_path, ("src/a.ts",)) == {}


def test_linker_follows_aliases():
    lib = FileFacts("web/src/lib/stripe.ts", "typescript", client_exports=(ClientExport("stripe", "node", "installing"),))
    page = FileFacts(
        "web/src/app/page.tsx", "typescript",
        imports=(ImportBinding("stripe", "@/lib/stripe", "stripe"),),
        pending_calls=(PendingCall("stripe", "customers.list", Position(4, 3)),),
    )
    aliases = lambda importer, module: ["web/src/" + module[2:]] if module.startswith("@/") else []  # noqa: E731
    linked = {f.path: f for f in link_app([lib, page], aliases)}
    assert [c.accessor for c in linked["web/src/app/page.tsx"].calls] == ["customers.list"]
    # without a config, `@/x` is tried as `src/x` and `x` from the app root
    root_lib = FileFacts("src/lib/stripe.ts", "typescript", client_exports=lib.client_exports)
    root_page = FileFacts("src/app/page.tsx", "typescript", imports=page.imports, pending_calls=page.pending_calls)
    assert {f.path: f for f in link_app([root_lib, root_page])}["src/app/page.tsx"].calls
