"""The report cache: a run in which nothing changed gives the report of the run before without
building the app; any change to what the report was built from (a source, a folder's entries,
an ignore file, a path-alias config, the manifest, an overlay, the options) makes it build the
app again, and that report is the one a run without any cache gives. A cold run opens and lists
nothing under an app that the entry does not record."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from stripe_perm_lint import app_loader, cache, report_cache
from stripe_perm_lint.app import Options
from stripe_perm_lint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
APP = "path-aliases-nextjs-backend"
AN_HOUR_AGO = time.time() - 3600


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a fixture app at rest. Its files were just written, so their ctime is now: the
    two-second window in which a report is not kept is closed for these tests (and is tested
    on its own below)."""
    folder = tmp_path / "repo" / APP
    shutil.copytree(FIXTURES / APP, folder, ignore=shutil.ignore_patterns("expected.txt"))
    (tmp_path / "repo" / ".git").mkdir()  # the ignore files above the app stop here
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    monkeypatch.setattr(cache, "RACY_NANOSECONDS", 0)
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The apps built (not answered from the cache) since the test began."""
    built: list[Path] = []
    real = app_loader.load_app

    def counting(root, *args, **kwargs):
        built.append(root)
        return real(root, *args, **kwargs)

    monkeypatch.setattr(app_loader, "load_app", counting)
    return built


def lint(app: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args, str(app)])
    assert result.exit_code in (0, 1), (result.output, result.exception)
    return result.stdout


def test_a_run_with_nothing_changed_is_answered_from_the_cache(app: Path, builds: list[Path]) -> None:
    first = lint(app)
    assert builds == [app]
    assert lint(app) == first
    assert builds == [app]  # not built again
    assert lint(app, "--no-cache") == first


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


ROUTE = "web/app/api/sync/route.ts"
# Each changes what the app's report is built from; the flag says whether the report changes too.
CHANGES = {
    "a source edited": (lambda app: _write(app / ROUTE, (app / ROUTE).read_text().replace(
        "await stripe.invoices.update", "// await stripe.invoices.update")), True),
    "a source added": (lambda app: _write(app / "web/app/api/refund/route.ts", """\
        import {stripe} from '@/lib/stripe';
        export async function POST(request: Request) {
          const account = new URL(request.url).searchParams.get('account') as string;
          await stripe.refunds.create({payment_intent: 'pi_1'}, {stripeAccount: account});
        }
        """), True),
    "a source deleted": (lambda app: (app / ROUTE).unlink(), True),
    "a source renamed to a test file": (lambda app: (app / ROUTE).rename(app / "web/app/api/sync/route.test.ts"), True),
    "a .gitignore added": (lambda app: _write(app / "web/.gitignore", "app/api/sync/\n"), True),
    "a .gitignore above the app": (lambda app: _write(app.parent / ".gitignore", f"{APP}/web/app/\n"), True),
    "the path-alias config broken": (lambda app: _write(app / "web/tsconfig.json", '{"compilerOptions": '), True),
    "the manifest edited": (lambda app: _write(app / "stripe-app.json", (app / "stripe-app.json").read_text().replace(
        '"permission": "invoice_read"', '"permission": "invoice_write"')), True),
    "an overlay added": (lambda app: _write(app / "stripe-app.dev.json", '{"permissions": [{"permission": "customer_read", '
                                                                       '"purpose": "Test"}]}'), True),
    "a config file added": (lambda app: _write(app / ".stripe-perm-lint.toml", 'ignore = ["SPL101"]\n'), True),
    "a copy of the SDK vendored": (lambda app: [_write(app / "web/stripe" / name, "") for name in
                                                ("__init__.py", "_api_requestor.py")], True),
    "a file no run reads rewritten": (lambda app: _write(app / "package.json", '{"name": "changed"}'), False),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_rebuilds_the_app_and_reports_what_a_run_without_cache_does(
        change: str, app: Path, builds: list[Path]) -> None:
    mutate, report_changes = CHANGES[change]
    before = lint(app)
    mutate(app)
    after = lint(app)
    assert builds == ([app, app] if report_changes else [app])  # a file no run reads changes nothing
    assert after == lint(app, "--no-cache")
    assert (after != before) == report_changes


def test_an_edited_go_mod_rebuilds_the_app(tmp_path: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """go.mod's module line says which imports are the app's packages (``parse.go.gomod``)."""
    folder = tmp_path / "go-packages"
    shutil.copytree(FIXTURES / "go-packages", folder, ignore=shutil.ignore_patterns("expected.txt"))
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    monkeypatch.setattr(cache, "RACY_NANOSECONDS", 0)
    before = lint(folder)
    go_mod = folder / "backend/go.mod"
    go_mod.write_text(go_mod.read_text().replace("module github.com/acme/billing", "module github.com/acme/other"))
    after = lint(folder)
    assert builds == [folder, folder]
    assert after != before and after == lint(folder, "--no-cache")


def test_other_options_are_another_entry(app: Path, builds: list[Path]) -> None:
    lint(app)
    lint(app, "--platform-calls", "count")
    lint(app, "--select", "SPL1")
    lint(app)
    assert builds == [app, app, app]


@pytest.mark.parametrize("change", ["nothing", "a source edited", "a file added to a folder"])
def test_inputs_changed_just_before_the_run_keep_it_out_of_the_cache(change: str, app: Path, builds: list[Path],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # The copy's files were all written just now: wait out a short window so that only the
    # change made next falls inside it ("nothing" shows the entry is kept then).
    monkeypatch.setattr(cache, "RACY_NANOSECONDS", 1_000_000_000)
    time.sleep(1.05)  # the copy is older than the window once the run starts
    if change == "a source edited":
        (app / ROUTE).write_text((app / ROUTE).read_text() + "\n", encoding="utf-8")
    elif change == "a file added to a folder":
        (app / "web/notes.md").write_text("not a source\n", encoding="utf-8")
    first = lint(app)
    assert lint(app) == first
    # a change inside the same timestamp tick could hide from the second run
    assert builds == ([app] if change == "nothing" else [app, app])


def test_a_run_with_an_internal_error_is_not_kept(app: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from stripe_perm_lint.rules import ALL_RULES

    rule = next(r for r in ALL_RULES if r.code == "SPL101")
    with monkeypatch.context() as patch:
        patch.setattr(type(rule), "check", lambda self, ctx: 1 / 0)
        result = CliRunner().invoke(main, ["check", "--format", "json", str(app)])
        assert result.exit_code == 2 and "internal error" in result.stderr
    healthy = lint(app)
    assert "SPL101" in healthy
    assert builds == [app, app]


def test_a_damaged_or_foreign_entry_is_a_miss(app: Path, builds: list[Path], tmp_path: Path) -> None:
    first = lint(app)
    [entry] = (Path(os.environ["STRIPE_PERM_LINT_CACHE_DIR"]) / cache.LAYOUT / "reports").iterdir()
    entry.write_bytes(entry.read_bytes()[:100])
    assert lint(app) == first
    import pickle

    entry.write_bytes(pickle.dumps(report_cache.Entry(0, (), subprocess.Popen)))  # a class no report holds
    assert lint(app) == first
    assert builds == [app, app, app]


def test_the_key_does_not_depend_on_string_hashing() -> None:
    script = ("from pathlib import Path; from stripe_perm_lint.app import Options; "
              "from stripe_perm_lint.report_cache import run_key; "
              "print(run_key('id', Path('/a'), 'stripe-app.json', frozenset(), "
              "Options(selected=frozenset({'SPL101', 'SPL102', 'SPL201', 'SPL901', 'SPL105'})), False, True))")
    keys = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(keys) == 1
    assert report_cache.run_key("id", Path("/a"), "stripe-app.json", frozenset(), Options(), False, True) != \
        report_cache.run_key("id", Path("/a"), "stripe-app.json", frozenset(), Options(), True, True)


# Runs one cold lint of each app given in a process that logs every file opened and folder listed
# (Python's audit events), and prints what was touched under the app but is not among the entry's
# inputs. Sources are read in worker processes; they are inputs by construction.
AUDIT = r"""
import json, os, sys
from pathlib import Path

touched = []
def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        touched.append(os.path.abspath(os.fsdecode(args[0])))
sys.addaudithook(hook)

from stripe_perm_lint.app_loader import load_app
from stripe_perm_lint.config import ConfigLoader, Settings
from stripe_perm_lint.discover import find_app_roots
from stripe_perm_lint.settings import options_for

loader, flags = ConfigLoader(None), Settings(origin=None, base=Path.cwd())
missing = {}
for folder in sys.argv[1:]:
    for root, name in find_app_roots([Path(folder)]):
        options = options_for(root, loader.for_app(root), flags)
        touched.clear()
        inputs = load_app(root, name, frozenset(), options).inputs
        known = {*inputs.listed, *inputs.read, *inputs.probed}
        under = (str(root), *(str(e.resolve()) for e in options.extra_sources))
        for path in touched:
            if path.startswith(under) and path not in known:
                missing.setdefault(str(root), []).append(path)
print(json.dumps(missing, indent=1))
"""


def test_a_cold_run_opens_and_lists_only_what_the_entry_records(tmp_path: Path) -> None:
    apps = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    result = subprocess.run([sys.executable, "-c", AUDIT, *map(str, apps)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {}


def test_a_relative_extra_source_is_keyed_by_where_it_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = []
    for cwd in (tmp_path / "a", tmp_path / "b"):
        cwd.mkdir()
        monkeypatch.chdir(cwd)
        options = Options(extra_sources=(Path("worker"),))
        keys.append(report_cache.run_key("id", Path("/app"), "stripe-app.json", frozenset(), options, False, True))
    assert keys[0] != keys[1]
