"""Config files: where they are found, what each key does, how flags override them, and the
one-line error for every kind of bad value."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stripe_perm_lint.app import KeptPermission
from stripe_perm_lint.cli import main
from stripe_perm_lint.config import ConfigLoader, Settings, find_config, load_settings
from stripe_perm_lint.discover import discover_sources
from stripe_perm_lint.examples import UI_CLIENT, manifest
from stripe_perm_lint.marked_webhooks import matches
from stripe_perm_lint.selection import Selection
from stripe_perm_lint.settings import options_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VIEW = UI_CLIENT + "\nexport const openInvoices = () => stripe.invoices.list({status: 'open'});\n"
# invoice_read missing (SPL101, error) and payout_read unused (SPL102, warning)
DEMO = {"stripe-app.json": manifest("payout_read"), "src/views/Invoices.tsx": VIEW}


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A repository (``.git`` stops the config search) holding ``files``."""
    (tmp_path / ".git").mkdir(parents=True)
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def lint(folder: Path, *args: str):
    """Run the CLI in ``folder``; returns (exit code, the codes of the findings, stdout, stderr)."""
    cwd = Path.cwd()
    try:
        os.chdir(folder)
        result = CliRunner().invoke(main, ["--no-color", *args])
    finally:
        os.chdir(cwd)
    codes = sorted(line.split(": ", 1)[1].split(" ")[0] for line in result.stdout.splitlines() if ": SPL" in line)
    return result.exit_code, codes, result.stdout, result.stderr


# --- finding the config file ----------------------------------------------------------------------


def test_each_app_uses_the_nearest_config_above_it(tmp_path):
    root = project(tmp_path, {
        "pyproject.toml": '[tool.stripe-perm-lint]\nselect = ["SPL102"]\n',
        "apps/a/stripe-perm-lint.toml": 'select = ["SPL101"]\n',
        **{f"apps/a/{k}": v for k, v in DEMO.items()},
        **{f"apps/b/{k}": v for k, v in DEMO.items()},
    })
    status, codes, out, _ = lint(root, "apps")
    assert codes == ["SPL101", "SPL102"]
    assert "apps/a/src/views/Invoices.tsx" in out and "apps/b/stripe-app.json" in out
    assert "apps/a/stripe-app.json" not in out and "apps/b/src" not in out
    assert status == 1


def test_a_pyproject_without_the_table_is_passed_over(tmp_path):
    root = project(tmp_path, {
        "stripe-perm-lint.toml": 'select = ["SPL102"]\n',
        "app/pyproject.toml": '[project]\nname = "backend"\n',
        **{f"app/{k}": v for k, v in DEMO.items()},
    })
    assert find_config((root / "app").resolve()) == (root / "stripe-perm-lint.toml").resolve()


def test_the_search_stops_at_the_repository_root(tmp_path):
    (tmp_path / "stripe-perm-lint.toml").write_text('select = ["SPL102"]\n')
    repo = project(tmp_path / "repo", DEMO)
    assert find_config(repo.resolve()) is None
    assert lint(repo)[1] == ["SPL101", "SPL102"]


def test_a_dedicated_file_wins_over_pyproject_in_the_same_folder(tmp_path):
    root = project(tmp_path, {"pyproject.toml": "[tool.stripe-perm-lint]\n", "stripe-perm-lint.toml": "",
                              ".stripe-perm-lint.toml": ""})
    assert find_config(root.resolve()).name == ".stripe-perm-lint.toml"
    (root / ".stripe-perm-lint.toml").unlink()
    assert find_config(root.resolve()).name == "stripe-perm-lint.toml"
    (root / "stripe-perm-lint.toml").unlink()
    assert find_config(root.resolve()).name == "pyproject.toml"


def test_config_option_forces_one_file(tmp_path):
    root = project(tmp_path, {"stripe-perm-lint.toml": 'select = ["SPL102"]\n', "strict.toml": 'select = ["SPL101"]\n',
                              **DEMO})
    assert lint(root)[1] == ["SPL102"]
    assert lint(root, "--config", "strict.toml")[1] == ["SPL101"]


def test_a_forced_pyproject_needs_the_table(tmp_path):
    root = project(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n', **DEMO})
    status, _, _, err = lint(root, "--config", "pyproject.toml")
    assert status == 2 and err == "stripe-perm-lint: error: pyproject.toml: no [tool.stripe-perm-lint] table\n"


# --- bad config: one line naming the file and the key, exit 2 ---------------------------------------

BAD = [
    ("selct = ['SPL101']\n", "selct: unknown key (known keys: exclude, extend-select, extra-sources, ignore, keep, "
     "older-implications, own-account-webhooks, platform-calls, select, test-paths)"),
    ("select = 'SPL101'\n", "select: expected an array of strings, got a string"),
    ("ignore = ['SPL999']\n", "ignore: unknown rule code or name 'SPL999' (`stripe-perm-lint rules` lists them)"),
    ("extend-select = ['missing-permissions']\n", "extend-select: unknown rule code or name 'missing-permissions' "
     "(`stripe-perm-lint rules` lists them)"),
    ("exclude = ['dist/', 3]\n", "exclude: expected an array of strings, got an array holding an integer"),
    ("test-paths = 'qa/'\n", "test-paths: expected an array of strings, got a string"),
    ("platform-calls = 'always'\n", "platform-calls: expected one of 'info', 'count', got 'always'"),
    ("platform-calls = 1\n", "platform-calls: expected a string, got an integer"),
    ("older-implications = 'no'\n", "older-implications: expected true or false, got a string"),
    ("own-account-webhooks = {billing = true}\n", "own-account-webhooks: expected an array of strings, got a table"),
    ("extra-sources = 3\n", "extra-sources: expected an array of paths or a table from app folder to paths, got an integer"),
    ("extra-sources = {'.' = '../worker'}\n", "extra-sources: '.': expected an array of strings, got a string"),
    ("extra-sources = ['../worker']\n", "extra-sources: ../worker: no such file or directory"),
    ("extra-sources = {'apps/x' = ['.']}\n", "extra-sources: 'apps/x': no such file or directory"),
    ("keep = [{permission = 'a_read', reason = 'x'}, {permission = 'a_read', reason = 'y'}]\n", "keep: `a_read` is kept twice"),
    ("keep = {customer_read = ''}\n", "keep: `customer_read`: the reason is empty; say why it is kept (what uses it)"),
    ("keep = [{permission = 'customer_read'}]\n", "keep: `customer_read`: the reason is empty; say why it is kept "
     "(what uses it)"),
    ("keep = ['customer_read']\n", "keep: expected tables with `permission` and `reason`, as {permission = \"x_read\", "
     "reason = \"...\"}"),
    ("keep = {customer_read = 1}\n", "keep: 'customer_read': expected a permission name and a reason, both strings"),
    ("keep = 'customer_read'\n", "keep: expected a table from permission to reason, or an array of tables, got a string"),
    ("select = [\n", "invalid TOML: Invalid value (at end of document)"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m.split(":")[0] + str(i) for i, (_, m) in enumerate(BAD)])
def test_a_bad_value_exits_2_naming_file_and_key(tmp_path, text, message):
    root = project(tmp_path, {"stripe-perm-lint.toml": text, **DEMO})
    status, codes, out, err = lint(root)
    assert status == 2 and not out and not codes
    assert err.startswith(f"stripe-perm-lint: error: stripe-perm-lint.toml: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_bad_tool_table_in_pyproject(tmp_path):
    root = project(tmp_path, {"pyproject.toml": "[tool]\nstripe-perm-lint = 3\n", **DEMO})
    assert lint(root)[3] == "stripe-perm-lint: error: pyproject.toml: tool.stripe-perm-lint: expected a table, got an integer\n"


def test_a_config_that_is_not_utf8(tmp_path):
    root = project(tmp_path, DEMO)
    (root / "stripe-perm-lint.toml").write_bytes(b"select = ['SPL1\xe9']\n")
    assert lint(root)[3] == "stripe-perm-lint: error: stripe-perm-lint.toml: not valid UTF-8 (byte 15)\n"


def test_a_config_error_stops_the_run_before_any_app_is_linted(tmp_path):
    root = project(tmp_path, {**{f"a/{k}": v for k, v in DEMO.items()}, **{f"b/{k}": v for k, v in DEMO.items()},
                              "b/stripe-perm-lint.toml": "unknown = 1\n"})
    status, _, out, err = lint(root)
    assert status == 2 and out == "" and err.startswith("stripe-perm-lint: error: b/stripe-perm-lint.toml: unknown:")


# --- flags override the file ------------------------------------------------------------------------


def test_select_on_the_command_line_replaces_the_files(tmp_path):
    root = project(tmp_path, {"stripe-perm-lint.toml": 'select = ["SPL101"]\n', **DEMO})
    assert lint(root)[1] == ["SPL101"]
    assert lint(root, "--select", "SPL102")[1] == ["SPL102"]
    assert lint(root, "--extend-select", "unused-permission")[1] == ["SPL101", "SPL102"]


def test_extend_select_on_the_command_line_adds_back_what_the_file_ignores(tmp_path):
    root = project(tmp_path, {"stripe-perm-lint.toml": 'ignore = ["SPL102"]\n', **DEMO})
    assert lint(root)[1] == ["SPL101"]
    assert lint(root, "--extend-select", "SPL102")[1] == ["SPL101", "SPL102"]
    assert lint(root, "--ignore", "SPL101")[1] == []  # both ignores apply: the flag's adds to the file's


def test_platform_calls_and_older_implications_flags_override_the_file(tmp_path):
    file = Settings(origin=tmp_path / "c.toml", base=tmp_path, platform_calls="count", older_implications=False)
    nothing = Settings(origin=None, base=tmp_path)
    options = options_for(tmp_path, file, nothing)
    assert (options.platform_calls, options.include_older_edition) == ("count", False)
    flags = Settings(origin=None, base=tmp_path, platform_calls="info", older_implications=True)
    options = options_for(tmp_path, file, flags)
    assert (options.platform_calls, options.include_older_edition) == ("info", True)
    assert options_for(tmp_path, None, nothing).platform_calls == "info"


def test_platform_calls_key_counts_backend_calls(tmp_path):
    shutil.copytree(FIXTURES / "platform-calls-backend", tmp_path / "app")
    root = project(tmp_path, {"stripe-perm-lint.toml": 'platform-calls = "count"\n'})
    assert "SPL105" not in lint(root)[1]
    assert "SPL105" in lint(root, "--platform-calls", "info")[1]


# --- what each key does -----------------------------------------------------------------------------


def test_exclude_and_test_paths_leave_files_out(tmp_path):
    root = project(tmp_path, {
        "stripe-perm-lint.toml": 'exclude = ["scripts/", "/src/legacy.ts"]\ntest-paths = ["*.e2e.ts", "qa/"]\n',
        **DEMO,
        "src/legacy.ts": VIEW, "src/lib/legacy.ts": VIEW, "scripts/seed.ts": VIEW,
        "src/flows.e2e.ts": VIEW, "src/qa/checks.ts": VIEW,
    })
    settings = ConfigLoader().for_app(root.resolve())
    options = options_for(root.resolve(), settings, Settings(origin=None, base=root))
    sources = discover_sources(root.resolve(), "stripe-app.json", frozenset(), skip=options.skip_patterns).sources
    assert sources == ("src/lib/legacy.ts", "src/views/Invoices.tsx")  # `/src/legacy.ts` is anchored to the config


def test_exclude_leaves_out_a_whole_app_with_a_note(tmp_path):
    root = project(tmp_path, {"stripe-perm-lint.toml": 'exclude = ["apps/old/"]\n',
                              **{f"apps/new/{k}": v for k, v in DEMO.items()},
                              **{f"apps/old/{k}": v for k, v in DEMO.items()}})
    status, codes, out, err = lint(root)
    assert codes == ["SPL101", "SPL102"] and "apps/old" not in out and out.endswith("Checked 1 app: 1 error, 1 warning, 0 infos\n")
    assert err == "stripe-perm-lint: skipped 1 app that `exclude` in the config matches: apps/old\n"


def _extra_sources_project(tmp_path: Path, config: str) -> Path:
    shutil.copytree(FIXTURES / "extra-sources-backend", tmp_path, dirs_exist_ok=True)
    (tmp_path / "expected.txt").unlink()
    return project(tmp_path, {"stripe-perm-lint.toml": config})


@pytest.mark.parametrize("config", ['extra-sources = ["worker"]\n', '[extra-sources]\n"stripe-app" = ["worker"]\n'])
def test_extra_sources_as_a_list_or_per_app(tmp_path, config):
    root = _extra_sources_project(tmp_path, config)
    status, codes, out, _ = lint(root)
    assert codes == ["SPL101"] and out.startswith("worker/src/sync.ts:9:26: SPL101 `stripe.customers.retrieve()`")


def test_extra_sources_for_another_app_do_not_apply(tmp_path):
    root = _extra_sources_project(tmp_path, '[extra-sources]\n"worker" = ["stripe-app/src"]\n')
    assert lint(root)[1] == ["SPL102", "SPL102"]  # invoice_read and event_read look unused without the worker


def test_extra_sources_flag_replaces_the_files(tmp_path):
    root = _extra_sources_project(tmp_path, 'extra-sources = ["worker"]\n')
    assert lint(root, "--extra-sources", "stripe-app/src")[1] == ["SPL102", "SPL102"]


def test_keep_is_read_in_both_spellings(tmp_path):
    table = project(tmp_path / "t", {"stripe-perm-lint.toml": "[keep]\ncustomer_read = 'worker'\n"})
    array = project(tmp_path / "a", {"stripe-perm-lint.toml": "keep = [{permission = 'customer_read', reason = 'worker'}]\n"})
    for root in (table, array):
        assert load_settings(root / "stripe-perm-lint.toml").keep == (KeptPermission("customer_read", "worker", 2 if root == table else 1),)


def test_kept_permissions_are_not_unused_and_stale_ones_are_reported(tmp_path):
    root = project(tmp_path, {"pyproject.toml": '[tool.stripe-perm-lint.keep]\npayout_read = "payouts worker"\n'
                              'balance_read = "old worker"\n', **DEMO})
    status, codes, out, _ = lint(root)
    assert codes == ["SPL101", "SPL102"]
    assert "pyproject.toml:3:1: SPL102 `balance_read` is kept on purpose in pyproject.toml, but stripe-app.json does " \
           "not declare it; remove it from `keep`" in out


# --- own-account-webhooks --------------------------------------------------------------------------

EXPRESS = """import Stripe from 'stripe';
import express from 'express';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();

app.post('/api/webhooks/billing', express.raw({type: 'application/json'}), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature']!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === 'customer.subscription.deleted') {
    console.log('cancelled', event.data.object.id);
  }
  res.sendStatus(200);
});
"""


@pytest.mark.parametrize("entry", ["/api/webhooks/billing", "server/index.ts", "server/", "server/index.ts:app.post "
                                   "/api/webhooks/billing"])
def test_own_account_webhooks_mark_an_inline_route(tmp_path, entry):
    root = project(tmp_path, {"stripe-app.json": manifest(), "server/index.ts": EXPRESS,
                              "stripe-perm-lint.toml": f"own-account-webhooks = [{entry!r}]\n"})
    status, codes, out, _ = lint(root)
    assert codes == ["SPL105"] and status == 0
    assert "is marked in config by `own-account-webhooks` in stripe-perm-lint.toml" in out
    (root / "stripe-perm-lint.toml").unlink()
    assert lint(root)[1] == ["SPL101", "SPL101"]  # event_read and subscription_read


def test_own_account_webhooks_follow_the_handoff_to_a_handler(tmp_path):
    shutil.copytree(FIXTURES / "own-webhooks-no-evidence", tmp_path, dirs_exist_ok=True)
    (tmp_path / "expected.txt").unlink()
    root = project(tmp_path, {"stripe-perm-lint.toml": 'own-account-webhooks = ["billing_webhook", "handleBillingWebhookEvent"]\n'})
    status, codes, out, _ = lint(root)
    assert codes == ["SPL102", "SPL105", "SPL105"] and status == 0
    assert "`event_read` is declared but no code in this app needs it" in out


@pytest.mark.parametrize(("endpoint", "entry", "expected"), [
    ("app/api/webhooks/billing/route.ts:POST", "/api/webhooks/billing", True),
    ("src/pages/api/webhooks/billing.ts:handler", "/api/webhooks/billing/", True),
    ("server/billing.ts:handle", "/billing", False),  # not a file-based route
    ("server.ts:app.post /webhooks/billing", "/webhooks/billing", True),
    ("server.ts:app.post /webhooks/billing-v2", "/webhooks/billing", False),
    ("backend/app.py:BillingWebhook.post", "backend/app.py:BillingWebhook", True),
    ("backend/app.py:BillingWebhook.post", "BillingWebhook.post", True),
    ("backend/app.py:billing", "backend/app.py:billing_webhook", False),
    ("backend/billing/views.py:hook", "backend/billing", True),
    ("backend/billing_views.py:hook", "backend/billing", False),
    ("server.ts:handle@12", "handle", True),
])
def test_own_account_webhook_entries(endpoint, entry, expected):
    assert matches(endpoint, entry) is expected


def test_own_account_webhook_paths_are_relative_to_the_config(tmp_path):
    root = project(tmp_path, {"stripe-perm-lint.toml": 'own-account-webhooks = ["apps/a/backend/app.py:hook", "/x", "hook"]\n'})
    options = options_for((root / "apps/a").resolve(), ConfigLoader().for_app(root.resolve()), Settings(None, root))
    assert options.own_account_webhooks == ("backend/app.py:hook", "/x", "hook")


def test_selection_in_config_decides_which_rules_run(tmp_path):
    root = project(tmp_path, {"stripe-perm-lint.toml": 'select = ["SPL1"]\nignore = ["missing-permission"]\n', **DEMO})
    options = options_for(root.resolve(), ConfigLoader().for_app(root.resolve()), Settings(None, root, Selection()))
    assert options.selected == {"SPL102", "SPL103", "SPL104", "SPL105", "SPL106", "SPL107", "SPL108"}
    assert lint(root)[:2] == (0, ["SPL102"])


PRODUCTS = UI_CLIENT + "\nexport const products = () => stripe.products.list();\n"


def test_older_implications_key_and_flags(tmp_path):
    # plan_read implies product_read only in older editions of Stripe's permission page
    root = project(tmp_path, {"stripe-app.json": manifest("plan_read"), "src/views/Products.tsx": PRODUCTS})
    assert lint(root)[1] == []
    assert lint(root, "--no-older-implications")[1] == ["SPL101", "SPL102"]  # product_read missing, plan_read unused
    (root / "stripe-perm-lint.toml").write_text("older-implications = false\n")
    assert lint(root)[1] == ["SPL101", "SPL102"]
    assert lint(root, "--older-implications")[1] == []
