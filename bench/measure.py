"""What the benchmark measures: one whole run of the installed ``stripe-perm-lint`` as a child
process (wall time, exit code, peak memory), and the single-thread parse-only time of the same
files in this process. Used by ``run.py`` and ``scaling.py``."""

from __future__ import annotations

import os
import subprocess
import tempfile
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class LintRun:
    seconds: float
    exit_code: int
    peak_rss_mb: float  # the largest single process (the CLI or one parse worker), from wait4
    tree_rss_mb: float  # the CLI and its workers together, sampled every 0.2 s from /proc
    # the same, proportional: a page shared by several of them (what the workers inherit from
    # the CLI when they are forked) counted once, split between them
    tree_pss_mb: float
    stderr: str


def lint_once(command: list[str]) -> LintRun:
    """Run the linter with its report written to a temporary file (never a terminal, so no
    progress line); stdin is empty. The exit status must be 0 (clean) or 1 (findings)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = _TreeRss(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait
        sampler.stop()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if child.returncode not in (0, 1):
        first = stderr.strip().splitlines()[-1:] or ["(no output on stderr)"]
        raise SystemExit(f"bench: `{' '.join(command)}` exited {child.returncode}: {first[0]}")
    # ru_maxrss is in KiB on Linux; the reaped workers' peaks are folded into the child's.
    return LintRun(seconds, child.returncode, usage.ru_maxrss / 1024, sampler.peak_kb / 1024,
                   sampler.peak_pss_kb / 1024, stderr)


class _TreeRss(threading.Thread):
    """Samples the resident memory of a process and all its descendants. ``wait4`` gives only
    the largest single process; parse workers run side by side, so their sum is what a CI box
    has to hold. Sampling can miss a short peak: it is a lower bound."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.peak_pss_kb, self._done = pid, 0, 0, threading.Event()

    def run(self) -> None:
        # Every 0.2 s, and only over the processes started after the child: a scan of all of
        # /proc costs about 20 ms, which would take CPU from the run being measured.
        while not self._done.wait(0.2):
            rss, pss = _tree_rss_kb(self.pid)
            self.peak_kb, self.peak_pss_kb = max(self.peak_kb, rss), max(self.peak_pss_kb, pss)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree_rss_kb(root: int) -> tuple[int, int]:
    """(resident, proportional) KiB of ``root`` and its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    # Descendants are born after their ancestor; PIDs only grow until they wrap around.
    lowest = 0 if _wrapped(root) else root
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) < lowest:
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                # The command name may hold spaces and parentheses: split after the last ')'.
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * PAGE_KB
    family, changed = {root}, True
    while changed:
        grown = family | {pid for pid, parent in parents.items() if parent in family}
        changed, family = grown != family, grown
    return sum(rss.get(pid, 0) for pid in family), sum(_pss_kb(pid) for pid in family if pid in rss)


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _wrapped(root: int) -> bool:
    """Whether PIDs may have wrapped since ``root`` was born (it is in the top tenth of the
    range), so that a descendant can have a smaller PID."""
    try:
        with open("/proc/sys/kernel/pid_max", encoding="ascii") as handle:
            return root > int(handle.read()) * 0.9
    except OSError:
        return True


@dataclass
class ParseOnly:
    """Single-thread parse time by parser, reading excluded (files are read before timing)."""

    tree_sitter_s: float = 0.0
    libcst_s: float = 0.0
    positions_s: float = 0.0  # libcst PositionProvider over the parsed modules, when asked
    counts: dict[str, int] = field(default_factory=lambda: {"typescript": 0, "python": 0, "other": 0})
    bytes: dict[str, int] = field(default_factory=lambda: {"typescript": 0, "python": 0, "other": 0})
    skipped: int = 0  # unreadable, too large, binary, or nested past CPython's limit
    failed: list[str] = field(default_factory=list)  # syntax errors (the linter reports them too)


def parse_only_apart(files: list[Path], positions: bool = False) -> ParseOnly:
    """``parse_only`` in a child process. The parsers and their trees would otherwise stay in this
    process, and each linter process started after it would begin as a copy of it: ``wait4``
    counts that copy, before ``exec``, in the child's peak memory."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method)) as pool:
        return pool.submit(parse_only, files, positions).result()


def parse_only(files: list[Path], positions: bool = False) -> ParseOnly:
    """tree-sitter over every TS/TSX/JS file (the grammar the linter picks for its suffix) and
    libcst ``parse_module`` over every Python file, one after the other in this process, as
    the linter's own reader hands them over. With ``positions`` also libcst's
    ``PositionProvider``, the only metadata the linter resolves (and only for files with a fact)."""
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider
    from tree_sitter import Parser

    from stripe_perm_lint.discover import language_of
    from stripe_perm_lint.parse.guard import python_nesting_problem
    from stripe_perm_lint.parse.typescript.parser import grammar_for
    from stripe_perm_lint.sources import read_source

    result = ParseOnly()
    for path in files:
        language = language_of(path.name)
        kind = language if language in ("typescript", "python") else "other"
        result.counts[kind] += 1
        result.bytes[kind] += path.stat().st_size
        text = read_source(path).text
        if kind == "other":
            continue
        if text is None or (kind == "python" and python_nesting_problem(text)):
            result.skipped += 1
            continue
        if kind == "typescript":
            data = text.encode("utf-8", errors="surrogatepass")
            start = time.perf_counter()
            Parser(grammar_for(path.name)).parse(data)
            result.tree_sitter_s += time.perf_counter() - start
            continue
        start = time.perf_counter()
        try:
            module = libcst.parse_module(text.removeprefix("\ufeff"))
        except (libcst.ParserSyntaxError, libcst.CSTValidationError, RecursionError):
            result.failed.append(str(path))
            result.libcst_s += time.perf_counter() - start
            continue
        result.libcst_s += time.perf_counter() - start
        if positions:
            start = time.perf_counter()
            MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
            result.positions_s += time.perf_counter() - start
    return result
