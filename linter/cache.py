"""The facts cache: each file's ``FileFacts`` (what the parser makes of it, before linking) kept
on disk, so a re-run parses only what changed.

One file per app, ``<cache dir>/v1/apps/<hash of the tool's identity and the app root>``, maps
each source path to its status when it was hashed (size, mtime, ctime, inode), that hash (sha256
of its bytes) and its facts. A file whose status is unchanged is taken from here without being
opened; any other file listed is read and hashed, and its facts reused when the hash is the same
(a checkout that rewrote it unchanged); the rest are parsed. One file per app, not one per
source: on a cold run, creating thousands of small files costs more than it saves.

The tool's identity is the sha256 of its own source and data files (rules, parsers, the catalog)
plus the Python version and the files of the parser libraries, computed once per run: a version
constant that must be bumped by hand is the classic stale-cache bug after a code change. The path
is part of the entry (facts carry it, and the suffix picks the parser). No command-line option
changes what a file parses to (they all act after parsing; ``--debug`` only adds tracebacks to
internal-error notes, and a file with notes is never cached).

Nothing here is trusted blindly: an index that cannot be read or unpickled, or an entry holding
anything but facts, is ignored and recomputed; unpickling admits only the fact classes, so a cache
folder someone else filled cannot run code. Every write is a temporary file renamed into place,
so two runs at once each see a whole index (the last one written wins). A folder that cannot be
written to turns the cache off for the run, with one note.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import itertools
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from stripe_perm_lint.backends import BACKENDS

if TYPE_CHECKING:
    from stripe_perm_lint.facts import FileFacts

ENV_VARIABLE = "STRIPE_PERM_LINT_CACHE_DIR"
LAYOUT = "v1"  # bump when the layout of the folder changes (not for code changes: see above)
# A file modified this close to the moment it was hashed may change again within the same mtime
# tick without its status showing it (git's "racy" entries): such a file is hashed every run
# until it has been still for this long.
RACY_NANOSECONDS = 2_000_000_000
PARSER_LIBRARIES = ("libcst", "tree_sitter", "tree_sitter_typescript", *(b.grammar_module for b in BACKENDS))


def default_cache_dir() -> Path:
    """``$STRIPE_PERM_LINT_CACHE_DIR``, else the user's cache folder (``$XDG_CACHE_HOME``,
    ``~/.cache``; ``%LOCALAPPDATA%`` on Windows) ``/stripe-perm-lint``. Not a folder in the
    repository: the linter never writes into the code it reads."""
    if os.environ.get(ENV_VARIABLE):
        return Path(os.environ[ENV_VARIABLE])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "stripe-perm-lint" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stripe-perm-lint"


@dataclass(frozen=True)
class Stamp:
    """What a file was when it was hashed: its status, the time it was hashed, its hash."""

    status: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    hashed_ns: int
    sha256: str


def status_of(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def stamp_of(info: os.stat_result, data: bytes, hashed_ns: int) -> Stamp:
    return Stamp(status_of(info), hashed_ns, hashlib.sha256(data).hexdigest())


class FactsCache:
    def __init__(self, folder: Path, identity: str) -> None:
        self.folder = folder  # <cache dir>/v1
        self.identity = identity
        # app root -> (its index, changed since read), or None before it is read: see ``holding``
        self._held: dict[str, tuple[dict, bool] | None] = {}

    @contextlib.contextmanager
    def holding(self, root: Path) -> Iterator[None]:
        """Within this block the index of ``root`` is read once and written once, at the end:
        an app's rounds of parsing (the prefilter's completion) each read and rewrote all of it."""
        key = os.path.abspath(root)
        self._held[key] = None
        try:
            yield
        finally:
            held = self._held.pop(key)
            if held is not None and held[1]:
                store_entry(self._index_path(root), held[0])

    # ---- per-app index, by file status ----------------------------------------------------
    def _index_path(self, root: Path) -> Path:
        name = hashlib.sha256(f"{self.identity}\0{os.path.abspath(root)}".encode()).hexdigest()
        return self.folder / "apps" / name

    def load_index(self, root: Path) -> dict[str, tuple[Stamp, FileFacts]]:
        key = os.path.abspath(root)
        held = self._held.get(key)
        if held is not None:
            return held[0]
        index = load_entry(self._index_path(root), FACT_MODULES)
        index = {rel: entry for rel, entry in index.items() if _valid_entry(rel, entry)} if isinstance(index, dict) else {}
        if key in self._held:
            self._held[key] = (index, False)
        return index

    def save_index(self, root: Path, index: dict[str, tuple[Stamp, FileFacts]]) -> None:
        key = os.path.abspath(root)
        if key in self._held:
            self._held[key] = (index, True)
        else:
            store_entry(self._index_path(root), index)


def unchanged(stamp: Stamp, info: os.stat_result) -> bool:
    """The file still has the status it had when hashed, and was not modified so close to that
    moment that a change could hide inside the same mtime tick."""
    return status_of(info) == stamp.status and stamp.status[1] < stamp.hashed_ns - RACY_NANOSECONDS


def _valid_entry(rel: object, entry: object) -> bool:
    from stripe_perm_lint.facts import FileFacts
    return (isinstance(rel, str) and isinstance(entry, tuple) and len(entry) == 2
            and isinstance(entry[0], Stamp) and isinstance(entry[1], FileFacts) and entry[1].path == rel)


# ---- opening the folder -----------------------------------------------------------------------

_opened: dict[Path, FactsCache | None] = {}


def open_cache(directory: Path, report: Callable[[str], None]) -> FactsCache | None:
    """The cache in ``directory`` (created if missing), or None, with one note per run, when it
    cannot be written to."""
    directory = Path(os.path.abspath(directory))
    if directory not in _opened:
        _opened[directory] = _open(directory, report)
    return _opened[directory]


def _open(directory: Path, report: Callable[[str], None]) -> FactsCache | None:
    folder = directory / LAYOUT
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A cache folder put inside a repository must not be committed (as ruff does it).
        if not (directory / ".gitignore").exists():
            _write_atomically(directory / ".gitignore", b"# Automatically created by stripe-perm-lint.\n*\n")
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        report(f"cannot use the cache folder {directory} ({exc.strerror or exc}); running without the cache")
        return None
    return FactsCache(folder, tool_identity())


_identity: list[str] = []


def tool_identity() -> str:
    """A hash of everything that decides what a file parses to: this package's own files (code,
    rules, catalog data), the Python version, and the parser libraries' files (name, size, mtime:
    an upgrade rewrites them). Computed once per process."""
    if not _identity:
        digest = hashlib.sha256(f"python {sys.version_info[:2]}\0".encode())
        for folder in _package_folders():
            for path in sorted(_own_files(folder)):
                digest.update(f"{path.relative_to(folder.parent).as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        for name in PARSER_LIBRARIES:
            digest.update(_library_signature(name).encode())
        _identity.append(digest.hexdigest())
    return _identity[0]


def _package_folders() -> list[Path]:
    import stripe_perm_lint

    here = Path(stripe_perm_lint.__file__).resolve().parent
    # rules/ and catalog/ are subpackages when installed, sibling folders in an editable install.
    folders = {here}
    for name in ("stripe_perm_lint.rules", "stripe_perm_lint.catalog"):
        spec = find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders.update(Path(p).resolve() for p in spec.submodule_search_locations)
    return sorted(folders)


def _own_files(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if name.endswith((".py", ".json", ".yaml")):
                yield Path(dirpath) / name


def _library_signature(name: str) -> str:
    spec = find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name}: missing\0"
    folder = Path(spec.origin).parent
    entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder) if e.is_file())
    return f"{name}: {entries}\0"


# ---- reading and writing entries ----------------------------------------------------------------

# The modules whose classes a facts index may hold.
FACT_MODULES = ("stripe_perm_lint.facts", "stripe_perm_lint.facts_links", "stripe_perm_lint.cache")


class SafeUnpickler(pickle.Unpickler):
    """Builds only the classes of ``modules`` and the plain containers they hold: an entry is
    data, and one written by someone else must not be able to run code."""

    SAFE = {("builtins", n) for n in ("tuple", "frozenset", "set", "list", "dict", "str", "int", "bool")} | {
        ("copyreg", "_reconstructor"), ("builtins", "object"),
    }

    def __init__(self, data: bytes, modules: tuple[str, ...]) -> None:
        super().__init__(io.BytesIO(data))
        self.modules = modules

    def find_class(self, module: str, name: str):
        if module in self.modules or (module, name) in self.SAFE:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


def load_entry(path: Path, modules: tuple[str, ...]):
    """The value stored at ``path``, or None when it is missing, truncated or holds a class
    outside ``modules``."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # Unpickling an app's index makes tens of thousands of small objects, none of them cyclic: the
    # cycle collector, run again and again as they pile up, would take longer than the loading.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return SafeUnpickler(data, modules).load()
    except Exception:  # noqa: BLE001 - a truncated or foreign entry is just a miss
        return None
    finally:
        if collecting:
            gc.enable()


def store_entry(path: Path, value) -> None:
    """Write an entry atomically; a failure (disk full, a folder made read-only meanwhile) only
    costs the entry."""
    try:
        _write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


def _write_atomically(path: Path, data: bytes) -> None:
    # A name unique to this process and write (no two live processes share a pid; O_EXCL refuses
    # a leftover of a dead one); the folder is made only when the first open finds it missing.
    temporary = os.path.join(os.path.dirname(path), f".tmp-{os.getpid()}-{next(_writes)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(temporary, flags, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


_writes = itertools.count()


def now_ns() -> int:
    return time.time_ns()
