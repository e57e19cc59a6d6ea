"""Safety: linting never imports or runs the analysed code, never touches the network, and writes
nothing outside its cache folder.

The linter runs in a subprocess whose first act is to install an audit hook (``sys.addaudithook``)
that records what a linter must not do: open a file for writing, create, rename, remove or
change files, open a network connection or resolve a name, start a program, compile or execute
code from the analysed folders, import a module from them. ``socket.socket`` is replaced by a
function that raises. Forked parser workers inherit both, and the hook writes each violation to
a file descriptor opened before the hook was installed, so what a worker does is recorded too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

# The audited run. argv[1] is a JSON object: {"violations": path, "watch": [folders], "args": [cli args]}.
AUDITED_RUN = r'''
import json, os, stat, sys

config = json.loads(sys.argv[1])
sys.dont_write_bytecode = True  # the interpreter's own .pyc files are not the linter's writes
_fd = os.open(config["violations"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
_realpath, _fspath, _write, _dumps, _getpid, _fstat = os.path.realpath, os.fspath, os.write, json.dumps, os.getpid, os.fstat
_sep = os.sep
WATCH = tuple(_realpath(p) for p in config["watch"])
CACHE = _realpath(config["cache"])  # the facts cache: the one folder the linter may write in
ALLOWED_WRITES = frozenset({_realpath(config["violations"]), "/dev/null"})
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
FORBIDDEN = {
    "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.gethostname", "socket.sendto", "socket.sendmsg", "subprocess.Popen", "os.system", "os.exec",
    "os.posix_spawn", "os.spawn", "os.startfile", "pty.spawn", "os.mkdir", "os.rename", "os.remove",
    "os.rmdir", "os.symlink", "os.link", "os.chmod", "os.chown", "os.truncate", "os.utime", "os.mkfifo",
    "os.mknod", "shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.copytree", "shutil.move",
    "shutil.rmtree", "shutil.make_archive", "shutil.unpack_archive", "tempfile.mkstemp", "tempfile.mkdtemp",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect", "webbrowser.open",
    "ctypes.dlopen", "sqlite3.connect", "os.putenv", "os.unsetenv",
}
# What writing a cache entry takes: a folder, a temporary file renamed into place.
CACHE_EVENTS = {"os.mkdir", "os.rename", "os.remove", "tempfile.mkstemp"}
_busy = [False]


def _record(event, detail):
    _write(_fd, (_dumps({"pid": _getpid(), "event": event, "detail": detail}, default=repr) + "\n").encode())


def _path(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "surrogateescape")
    return _realpath(_fspath(value))


def _watched(value):
    if not value or (isinstance(value, str) and value.startswith("<")):  # "<string>", "<unknown>"
        return False
    try:
        path = _path(value)
    except (TypeError, ValueError):
        return False
    return any(path == w or path.startswith(w + _sep) for w in WATCH)


def _in_cache(args):
    paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
    return bool(paths) and all(_path(p) == CACHE or _path(p).startswith(CACHE + _sep) for p in paths)


def _hook(event, args):
    if _busy[0]:
        return
    _busy[0] = True
    try:
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            writing = (isinstance(flags, int) and flags & WRITE_FLAGS) or (isinstance(mode, str) and any(c in mode for c in "wax+"))
            if not writing:
                return
            if isinstance(path, int):  # an inherited descriptor: fine for pipes and /dev/null only
                kind = _fstat(path).st_mode
                if path != _fd and not (stat.S_ISFIFO(kind) or stat.S_ISCHR(kind) or stat.S_ISSOCK(kind)):
                    _record(event, [path, mode, flags])
            elif _path(path) not in ALLOWED_WRITES and not _in_cache([path]):
                _record(event, [_fspath(path) if not isinstance(path, bytes) else path.decode("utf-8", "replace"), mode, flags])
        elif event in FORBIDDEN and not (event in CACHE_EVENTS and _in_cache(args)):
            _record(event, [repr(a)[:300] for a in args])
        elif event == "socket.__new__":
            import socket as _s
            if args[1] != _s.AF_UNIX:
                _record(event, [repr(a) for a in args])
        elif event == "exec":
            code = args[0]
            if _watched(getattr(code, "co_filename", "")):
                _record(event, [code.co_filename])
        elif event == "compile":
            if isinstance(args[1], (str, bytes)) and _watched(args[1]):
                _record(event, [repr(args[1])])
        elif event == "import":
            module, filename, path = args[0], args[1], args[2]
            if filename and _watched(filename):
                _record(event, [module, filename])
            elif path and any(isinstance(p, str) and p and _watched(p) for p in path):
                _record(event, [module, "an analysed folder is on sys.path"])
    except Exception as exc:  # the hook must never break the run it watches; but say so
        _record("hook-error", [event, repr(exc)])
    finally:
        _busy[0] = False


sys.addaudithook(_hook)

import socket


def _no_network(*args, **kwargs):
    raise OSError("network access is disabled in this test")


socket.socket = socket.create_connection = socket.getaddrinfo = _no_network

from stripe_perm_lint.cli import main

code = 0
try:
    main(config["args"], standalone_mode=False)
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 2
sys.stdout.flush()
for name, module in list(sys.modules.items()):
    filename = getattr(module, "__file__", None)
    if isinstance(filename, str) and filename and _watched(filename):
        _record("module-loaded", [name, filename])
sys.exit(code)
'''


def run_audited(args: list[str], watch: list[Path], tmp_path: Path, cwd: Path | None = None):
    """Run the CLI with ``args`` under the audit hook; returns (process result, violations)."""
    violations = tmp_path / "violations.jsonl"
    # tests/conftest.py gives each test its own cache folder in the environment, inherited here.
    cache = os.environ["STRIPE_PERM_LINT_CACHE_DIR"]
    config = {"violations": str(violations), "watch": [str(p) for p in watch], "args": args, "cache": cache}
    run_dir = cwd or (tmp_path / "cwd")
    run_dir.mkdir(exist_ok=True)
    # -I: no user site, no PYTHON* variables, and the current folder is not put on sys.path, as
    # for the installed `stripe-perm-lint` command (`python -m` would put it there).
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", AUDITED_RUN, json.dumps(config)],
        capture_output=True, text=True, cwd=run_dir, timeout=300,
    )
    recorded = [json.loads(line) for line in violations.read_text().splitlines()] if violations.exists() else []
    return result, recorded


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def test_every_fixture_without_network_writes_or_imports(tmp_path):
    folders = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    before = _snapshot(FIXTURES)
    result, violations = run_audited(["--format", "json", *map(str, folders)], [FIXTURES], tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert violations == [], json.dumps(violations, indent=1)[:5000]
    apps = json.loads(result.stdout)["apps"]
    assert len(apps) >= sum(1 for f in folders if any(f.glob("stripe-app.*"))), "every fixture app was linted"
    assert _snapshot(FIXTURES) == before, "the fixtures folder changed"
    assert list((tmp_path / "cwd").iterdir()) == [], "the run wrote into the current folder"
    assert list(Path(os.environ["STRIPE_PERM_LINT_CACHE_DIR"]).rglob("*")), "the cache was written, under the hook"


# ---- an app whose code would leave a marker if anything imported or ran it -------------------

def _hostile_app(base: Path, markers: Path) -> list[Path]:
    def touch(name: str, language: str = "py") -> str:
        target = json.dumps(str(markers / name))
        if language == "py":
            return f"open({target}, 'w').write('imported')\n"
        return f"require('fs').writeFileSync({target}, 'ran');\n"

    app = base / "app-json"
    files = {
        "stripe-app.json": json.dumps({"id": "com.example.hostile", "version": "1.0.0", "name": "Hostile", "icon": "",
                                       "permissions": [{"permission": "customer_read", "purpose": "p"}]}),
        "src/views/View.tsx": (
            "import Stripe from 'stripe';\n"
            "import {createHttpClient, STRIPE_API_KEY} from '@stripe/ui-extension-sdk/http_client';\n"
            + touch("ts-toplevel", "js")
            + f"require('child_process').execSync('touch {markers / 'ts-exec'}');\n"
            "const stripe = new Stripe(STRIPE_API_KEY, {httpClient: createHttpClient()});\n"
            f"const name = eval(\"require('fs').writeFileSync('{markers / 'ts-eval'}', 'x') || 'customers'\");\n"
            f"const other = new Function(\"require('fs').writeFileSync('{markers / 'ts-function'}', 'x'); return 'list'\")();\n"
            "stripe.customers.list();\n"
            "stripe[name][other]();\n"
        ),
        "src/index.js": touch("js-toplevel", "js") + "module.exports = {};\n",
        "src/setup.mjs": f"import fs from 'fs';\nfs.writeFileSync({json.dumps(str(markers / 'mjs'))}, 'x');\n",
        "backend/__init__.py": touch("py-package-init"),
        "backend/app.py": (
            touch("py-toplevel")
            + f"import os\nos.system('touch {markers / 'py-system'}')\n"
            "import stripe\n"
            f"name = eval(\"__import__('os').system('touch {markers / 'py-eval'}') or 'Customer'\")\n"
            f"exec(\"open('{markers / 'py-exec'}', 'w')\")\n"
            "getattr(stripe, name).list()\n"
            "stripe.Customer.list(stripe_account='acct_1')\n"
            "if __name__ == '__main__':\n    " + touch("py-main")
        ),
        "backend/__main__.py": touch("py-dunder-main"),
        # names Python picks up by itself from a folder on sys.path or the current folder
        "sitecustomize.py": touch("sitecustomize"),
        "usercustomize.py": touch("usercustomize"),
        "conftest.py": touch("conftest"),
        "setup.py": touch("setup-py"),
        "__main__.py": touch("dunder-main"),
        "hostile.pth": "import os; " + touch("pth").strip() + "\n",
        # modules the linter itself imports: shadowing them must not work either
        **{f"{name}.py": touch(f"shadow-{name}") for name in ("stripe", "yaml", "click", "libcst", "pathspec",
                                                               "tree_sitter", "json", "stripe_perm_lint")},
        "package.json": json.dumps({
            "name": "hostile", "version": "1.0.0", "main": "src/index.js",
            "scripts": {s: f"touch {markers / ('npm-' + s)}" for s in ("preinstall", "install", "postinstall", "prepare", "build", "lint")},
        }),
        "tsconfig.json": json.dumps({"extends": "./src/index.js", "compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}},
                                     "plugins": [{"name": "./src/index.js"}]}),
        "pyproject.toml": "[build-system]\nrequires = []\nbuild-backend = 'backend.app'\n",
        ".gitignore": "node_modules/\n",
    }
    for rel, text in files.items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(text)
    # A YAML manifest with Python tags: a full (unsafe) loader would run them.
    yaml_app = base / "app-yaml"
    yaml_app.mkdir()
    (yaml_app / "stripe-app.yaml").write_text(
        "id: com.example.hostile-yaml\n"
        f"name: !!python/object/apply:os.system ['touch {markers / 'yaml-apply'}']\n"
        f"icon: !!python/object/new:subprocess.Popen [['touch', '{markers / 'yaml-popen'}']]\n"
        "version: !!python/name:os.system\n"
        "declarations:\n  stripe_api_access:\n    permissions:\n      - permission: customer_read\n        purpose: p\n"
    )
    (yaml_app / "worker.py").write_text(touch("yaml-app-worker") + "import stripe\nstripe.Customer.list()\n")
    return [app, yaml_app]


def test_hostile_app_code_is_never_imported_or_run(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    apps_dir = tmp_path / "apps"
    apps = _hostile_app(apps_dir, markers)
    # Run from inside the app, as a developer would (`cd app && stripe-perm-lint .`), linting both.
    result, violations = run_audited(["--format", "json", ".", str(apps[1])], [apps_dir], tmp_path, cwd=apps[0])
    assert sorted(p.name for p in markers.iterdir()) == [], "analysed code ran"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert violations == [], json.dumps(violations, indent=1)[:5000]
    reports = {Path(a["root"]).name or "app-json": a for a in json.loads(result.stdout)["apps"]}
    assert set(reports) >= {"app-json", "app-yaml"}, reports.keys()
    # The YAML tags are refused as invalid, not constructed.
    assert any(f["code"] == "SPL001" for f in reports["app-yaml"]["findings"]), reports["app-yaml"]["findings"]
    # And the plain call was still seen: nothing was skipped to stay safe.
    assert "customer_read" in reports["app-json"]["required"]


def test_the_audit_hook_catches_what_it_should(tmp_path):
    """The harness itself: a run that does write, connect and import from a watched folder is
    caught (otherwise the tests above prove nothing)."""
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "evil_module.py").write_text("X = 1\n")
    probe = AUDITED_RUN.replace(
        "from stripe_perm_lint.cli import main",
        "def main(args, standalone_mode):\n"
        f"    sys.path.insert(0, {str(watched)!r})\n"
        "    import evil_module\n"
        f"    open({str(tmp_path / 'written')!r}, 'w').close()\n"
        "    import _socket\n"
        "    try:\n"
        "        _socket.getaddrinfo('localhost', 80)\n"
        "    except OSError:\n"
        "        pass\n"
        "    if os.fork() == 0:\n"
        f"        os.open({str(tmp_path / 'child')!r}, os.O_WRONLY | os.O_CREAT)\n"
        "        os._exit(0)\n"
        "    os.wait()\n"
        "    return 0",
    )
    violations = tmp_path / "violations.jsonl"
    config = {"violations": str(violations), "watch": [str(watched)], "args": [], "cache": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-I", "-B", "-c", probe, json.dumps(config)], cwd=tmp_path, timeout=60, check=True)
    events = {json.loads(line)["event"] for line in violations.read_text().splitlines()}
    details = violations.read_text()
    assert {"open", "socket.getaddrinfo", "import", "exec", "compile"} <= events, details
    assert str(tmp_path / "child") in details, "a forked child's writes are recorded too"
