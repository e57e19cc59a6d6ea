"""The report cache: one app's whole ``AppReport`` kept on disk with the status of everything it
was built from, so a run in which nothing changed reads no source file and runs no rule.

The facts cache (``stripe_perm_lint.cache``) spares the parsers; a warm run would still walk the
tree, link, run the rules and re-hide suppressed findings, which on a large repository takes
longer than all the rest. Here an entry is keyed on everything that is not a file: the tool's
identity (its code, catalog and parser libraries), the app's root, manifest and neighbour apps,
its options (config file values, flags, the baseline's content), ``--debug`` and the prefilter
switch. It holds the report and a stamp of every input (``Inputs``, collected by the walk and the
loader; a test checks that a run opens and lists nothing else): the entries of each folder the
walk listed, the status (``lstat``) of each source, manifest, overlay, ``.gitignore`` and
``tsconfig.json``/``jsconfig.json`` read, and whether the paths only looked for exist (the
``.git`` of the folders above the app, a link's target).

An entry is used only when every input has the stamp it had. It is kept only when no file read
and no folder listed had changed within two seconds before the run that made it began (a change
inside the same timestamp tick, or during that run, could otherwise hide): the racy-entry rule of
the facts cache, on ctime as well as mtime, since tools that restore old mtimes still move the
ctime. A run that wrote a note (an internal error, a cache problem) stores nothing. Entries are
pickles read by the same restricted unpickler as the facts, admitting only report classes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from stripe_perm_lint import cache as facts_cache

if TYPE_CHECKING:
    from stripe_perm_lint.app import Options
    from stripe_perm_lint.engine import AppReport

# Every class an entry may hold, by module (see ``cache.SafeUnpickler``).
REPORT_MODULES = ("stripe_perm_lint.engine", "stripe_perm_lint.finding", "stripe_perm_lint.untraced", "pathlib")


@dataclass(frozen=True)
class Inputs:
    """Absolute paths of what a report was built from, by what about them counts."""

    listed: tuple[str, ...] = ()  # folders whose entries decided what was read
    read: tuple[str, ...] = ()  # files read, and links and folders whose own status was used
    probed: tuple[str, ...] = ()  # paths only looked for (`.git`, a link's target)

    def __add__(self, other: Inputs) -> Inputs:
        return Inputs(self.listed + other.listed, self.read + other.read, self.probed + other.probed)


@dataclass
class InputLog:
    """``Inputs`` as they are collected."""

    listed: list[str] = dataclasses.field(default_factory=list)
    read: list[str] = dataclasses.field(default_factory=list)
    probed: list[str] = dataclasses.field(default_factory=list)

    def frozen(self) -> Inputs:
        return Inputs(*(tuple(sorted(set(paths))) for paths in (self.listed, self.read, self.probed)))


# What is kept of one input: for a folder listed, its mtime and a digest of its entries (names,
# and which are folders); for a file read, its ``lstat`` (mode, size, mtime, ctime, inode); for a
# path looked for, whether it exists. None: the path is missing.
Stamp = tuple


def listing_of(path: str) -> Stamp | None:
    """A folder's entries, with its mtime to spare listing it again when that has not moved. The
    entries decide, not the mtime: a file written beside the sources (a report, an editor's swap
    file) moves the mtime, and only a new, renamed or removed entry counts."""
    try:
        mtime = os.lstat(path).st_mtime_ns
        with os.scandir(path) as entries:
            names = sorted(e.name + ("/" if e.is_dir(follow_symlinks=False) else "") for e in entries)
    except OSError:
        return None
    return (mtime, hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest())


def _same_listing(path: str, stamp: Stamp | None, settled_ns: int) -> bool:
    if stamp is not None and stamp[0] < settled_ns:
        try:
            if os.lstat(path).st_mtime_ns == stamp[0]:
                return True
        except OSError:
            return False
    current = listing_of(path)
    return (current and current[1]) == (stamp and stamp[1])


def status_of(path: str) -> Stamp | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def exists(path: str) -> Stamp:
    return ("exists", os.path.exists(path))


@dataclass(frozen=True)
class Entry:
    started_ns: int  # when the run that made the report began
    inputs: tuple[tuple[str, str, Stamp | None], ...]  # (kind, absolute path, stamp when the report was made)
    report: AppReport

    def still_valid(self) -> bool:
        settled = self.started_ns - facts_cache.RACY_NANOSECONDS  # an mtime older than this is final
        for kind, path, stamp in self.inputs:
            if kind == "listed":
                if not _same_listing(path, stamp, settled):
                    return False
            elif (status_of(path) if kind == "read" else exists(path)) != stamp:
                return False
        return True


def run_key(identity: str, root: Path, manifest_name: str, other_roots: frozenset[Path], options: Options,
            debug: bool, prefilter_on: bool) -> str:
    """What, besides the files, decides an app's report. The options' repr is canonical once the
    rule selection (a frozenset, whose order follows string hashing) is sorted and the extra
    source folders are absolute; where the cache lives changes nothing in a report."""
    canonical = dataclasses.replace(
        options, cache_dir=None, selected=None if options.selected is None else tuple(sorted(options.selected)),
        extra_sources=tuple(Path(os.path.abspath(p)) for p in options.extra_sources))  # a relative one moves with the cwd
    parts = (facts_cache.LAYOUT, identity, os.fspath(root), manifest_name, sorted(map(os.fspath, other_roots)),
             repr(canonical), debug, prefilter_on)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def open_report_cache(directory: Path | None, report: Callable[[str], None]) -> ReportCache | None:
    """The report cache in the facts cache's folder, or None without one (``--no-cache``, a folder
    that cannot be written to)."""
    facts = facts_cache.open_cache(directory, report) if directory is not None else None
    return ReportCache(facts) if facts is not None else None


class ReportCache:
    def __init__(self, facts: facts_cache.FactsCache) -> None:
        self.folder = facts.folder / "reports"
        self.identity = facts.identity

    def key(self, root: Path, manifest_name: str, other_roots: frozenset[Path], options: Options, debug: bool) -> str:
        from stripe_perm_lint import prefilter

        return run_key(self.identity, root, manifest_name, other_roots, options, debug, prefilter.enabled())

    def lookup(self, key: str) -> AppReport | None:
        from stripe_perm_lint.engine import AppReport

        entry = facts_cache.load_entry(self.folder / key, (*facts_cache.FACT_MODULES, *REPORT_MODULES, __name__))
        if not isinstance(entry, Entry) or not isinstance(entry.report, AppReport):
            return None
        return entry.report if entry.still_valid() else None

    def store(self, key: str, started_ns: int, inputs: Inputs, report: AppReport) -> None:
        listed = {path: listing_of(path) for path in inputs.listed}
        read = {path: status_of(path) for path in inputs.read}
        # A symbolic link read through (a linked manifest) is also checked at its target, whose
        # changes its own status would not show.
        for path, status in list(read.items()):
            if status is not None and stat.S_ISLNK(status[0]):
                target = os.path.realpath(path)
                read[target] = status_of(target)
        line = started_ns - facts_cache.RACY_NANOSECONDS
        # A missing input is fine (it is checked to be missing still).
        if any(s is not None and s[0] >= line for s in listed.values()) \
                or any(s is not None and (s[2] >= line or s[3] >= line) for s in read.values()):
            return  # changed too close to the run, or during it: what the run read may differ from now
        stamps = [("listed", path, stamp) for path, stamp in listed.items()]
        stamps += [("read", path, status) for path, status in read.items()]
        stamps += [("probed", path, exists(path)) for path in inputs.probed]
        facts_cache.store_entry(self.folder / key, Entry(started_ns, tuple(sorted(stamps)), report))
