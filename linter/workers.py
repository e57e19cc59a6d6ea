"""Parse source files in worker processes, so a file that kills or stalls a parser costs only
that file.

libcst and tree-sitter are native code: a pathological file (a 50,000-term expression, deep
nesting the pre-checks do not foresee) can overflow the C stack, which no ``except`` catches, or
take minutes. Each worker parses one file at a time and sends its facts back; the supervisor
watches every worker, and when one dies or overruns the time limit it records an SPL901 problem
for the file in hand, starts a fresh worker and goes on. Facts are plain picklable values and
land in their task's slot, so the result does not depend on which worker parsed what.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import faulthandler
import gc
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from stripe_perm_lint.backends import BY_LANGUAGE, backend_for, grammar, parser_of
from stripe_perm_lint.discover import PYTHON_SUFFIXES, TS_SUFFIXES, language_of
from stripe_perm_lint.facts import FileFacts, ParseProblem, Position
from stripe_perm_lint.progress import Ticker
from stripe_perm_lint.sources import decode_source, read_source_bytes

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from stripe_perm_lint.cache import FactsCache, Stamp
    from stripe_perm_lint.progress import Progress

# Real files parse in well under a second; the slowest legitimate ones (megabyte data modules)
# in tens of seconds. Past this a file is skipped rather than stall a pre-commit hook.
PARSE_TIMEOUT_SECONDS = 60.0
# One worker per this many files, up to the cores: small apps need no second process (but see
# ``shared_workers``). Tasks sent to a worker ahead of its answers: ``_Supervisor._feed``.
FILES_PER_WORKER, MAX_WORKERS, TASKS_IN_FLIGHT = 50, 8, 2


@dataclass(frozen=True)
class Parsed:
    facts: FileFacts
    notes: tuple[str, ...] = ()  # lines for stderr: internal errors, asking for a report
    # The file's status and hash when the facts cache is on and the facts may be cached (no notes).
    stamp: Stamp | None = None


def parse_one(root: Path, rel: str, debug: bool = False, stamped: bool = False, skim: bool = False) -> Parsed:
    """Read and parse one file in this process; ``stamped``: with the status and hash of the
    bytes parsed, for the facts cache, when the facts may be cached; ``skim``: see
    ``stripe_perm_lint.prefilter``."""
    from stripe_perm_lint.cache import now_ns, stamp_of

    hashed_ns = now_ns()
    raw = read_source_bytes(root / rel)
    if raw.data is None:  # cheap to redo (a status check): not cached
        return Parsed(_problem_facts(rel, raw.problem))
    parsed = _parse_bytes(rel, raw.data, debug, skim)
    if stamped and not parsed.notes:
        return dataclasses.replace(parsed, stamp=stamp_of(raw.info, raw.data, hashed_ns))
    return parsed


def _parse_bytes(rel: str, data: bytes, debug: bool, skim: bool = False) -> Parsed:
    from stripe_perm_lint.parse import parse_file

    notes: list[str] = []
    source = decode_source(data)
    if source.text is None:
        return Parsed(_problem_facts(rel, source.problem))
    facts = parse_file(rel, source.text, debug=debug, report=notes.append, skim=skim)
    if source.problem:
        facts = dataclasses.replace(facts, problems=(ParseProblem(source.problem, Position(1, 1)), *facts.problems))
    return Parsed(facts, tuple(notes))


def _problem_facts(rel: str, problem: str | None) -> FileFacts:
    return FileFacts(path=rel, language=language_of(rel), problems=(ParseProblem(problem or "cannot read", Position(1, 1)),))


def parse_all(
    root: Path,
    rels: Sequence[str],
    debug: bool = False,
    report: Callable[[str], None] | None = None,
    timeout: float = PARSE_TIMEOUT_SECONDS,
    jobs: int | None = None,
    cache: FactsCache | None = None,
    progress: Progress | None = None,
    skim: bool = False,
    keep_others: bool = False,
) -> list[FileFacts]:
    """Facts of every file in ``rels`` (paths relative to ``root``), in that order. ``report``
    receives the lines meant for stderr. With a ``cache``, a file whose status is what the app's
    index recorded is not opened, and only files with new content are parsed. ``skim`` lets the
    prefilter skim files; a skimmed file's cached facts never stand in for a full parse.
    ``keep_others``: ``rels`` is part of the app (the files the prefilter completes), so the
    index keeps the entries of the other files."""
    report = report or (lambda line: print(f"stripe-perm-lint: {line}", file=sys.stderr))
    if not rels:
        return []
    index = cache.load_index(root) if cache is not None else {}
    folder = os.fspath(root)  # os.path, not pathlib: a warm run is mostly these status checks
    done: list[tuple[FileFacts, Stamp | None] | None] = [_reusable_entry(folder, rel, index, skim) for rel in rels]
    todo = [i for i, entry in enumerate(done) if entry is None]
    ticker = Ticker(progress, len(rels) - len(todo), len(rels))
    for i, entry in zip(todo, _parse_files(root, [rels[i] for i in todo], (debug, skim), report, timeout, jobs, cache,
                                                  ticker)):
        done[i] = entry
    if progress is not None:
        progress.clear()
    entries = [entry for entry in done if entry is not None]
    if cache is not None:
        fresh = {facts.path: (stamp, facts) for facts, stamp in entries if stamp is not None}
        if keep_others:
            asked = set(rels)
            fresh = {**{rel: entry for rel, entry in index.items() if rel not in asked}, **fresh}
        # Rewritten only when something was hashed anew or left: a file never cached (too large,
        # a parser note) must not make every warm run rewrite the index.
        if set(fresh) != set(index) or any(fresh[rel][0] is not index[rel][0] for rel in fresh):
            cache.save_index(root, fresh)
    return [facts for facts, _ in entries]


def _reusable_entry(root: str, rel: str, index: dict, skim: bool = False) -> tuple[FileFacts, Stamp] | None:
    """The indexed facts of ``rel`` if its status is unchanged (not opened), or else if its bytes
    still have the indexed hash (then with a fresh stamp). Skimmed facts serve only a run that
    may skim; fully parsed ones serve any."""
    from stripe_perm_lint.cache import now_ns, stamp_of, unchanged

    entry = index.get(rel)
    if entry is None:
        return None
    stamp, facts = entry
    if facts.skimmed and not skim:
        return None
    hashed_ns = now_ns()
    try:
        info = os.stat(os.path.join(root, rel))
    except OSError:
        return None
    if unchanged(stamp, info):
        return facts, stamp
    raw = read_source_bytes(Path(root, rel))
    if raw.data is None:
        return None
    fresh = stamp_of(raw.info, raw.data, hashed_ns)
    return (facts, fresh) if fresh.sha256 == stamp.sha256 else None


def _parse_files(root, rels, flags, report, timeout, jobs, cache, ticker) -> list[tuple[FileFacts, Stamp | None]]:
    """``flags``: (debug, skim), as each worker gets them."""
    if not rels:
        return []
    _preload_parsers(rels)
    # A small app needs no second process, unless the run keeps its workers for the next app.
    wanted = len(rels) if _idle is not None else 1 + (len(rels) - 1) // FILES_PER_WORKER
    jobs = jobs or min(os.cpu_count() or 1, MAX_WORKERS, wanted)
    try:
        return _Supervisor(root, rels, flags, report, timeout, jobs, cache, ticker).run()
    except OSError as exc:  # no processes here (a locked-down sandbox): parse in this process
        report(f"cannot start a parser process ({exc}); parsing in-process, without crash isolation")
        results = []
        for rel in rels:
            parsed = parse_one(root, rel, flags[0], cache is not None, flags[1])
            results.append((_noted(parsed, report), parsed.stamp))
            ticker()
        return results


def _noted(parsed: Parsed, report: Callable[[str], None]) -> FileFacts:
    for note in parsed.notes:
        report(note)
    return parsed.facts


def _preload_parsers(rels: Sequence[str]) -> None:
    """Import the parsers, and build the catalog tables they read, before forking, so each worker
    starts with them loaded. (Even a 3-file app parses in a worker: in-process parsing saved
    about 2% of such a run's time, too little to give up crash isolation for.)"""
    from stripe_perm_lint.catalog import load_catalog

    backends = {b.language for b in map(backend_for, rels) if b is not None}
    load_catalog().load_parser_tables(backend_languages=bool(backends))
    if any(rel.endswith(PYTHON_SUFFIXES) for rel in rels):
        import stripe_perm_lint.parse.python  # noqa: F401
    if any(rel.endswith(TS_SUFFIXES) for rel in rels):
        import stripe_perm_lint.parse.typescript  # noqa: F401
    for language in sorted(backends):  # their parsers and grammars
        parser_of(language)
        grammar(language)


def _context():
    # fork: workers inherit the loaded parsers and catalog for free. Elsewhere (macOS, Windows)
    # spawn, which re-imports them once per worker.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    import multiprocessing  # only when a file needs parsing: a warm run starts no worker

    return multiprocessing.get_context(method)


def _serve(tasks: Connection, results: Connection) -> None:
    """Worker loop: one task (root, relative path, flags, stamped) in, one ``Parsed`` out, until
    told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    faulthandler.disable()  # a crash is reported by the supervisor in one line, not a C-level dump
    gc.freeze()  # what it inherits lives as long as it does: full collections skip it (~5% of its time)
    while True:
        task = tasks.recv()
        if task is None:
            return
        root, rel, (debug, skim), stamped = task
        results.send(parse_one(root, rel, debug, stamped, skim))


class _Worker:
    def __init__(self, context) -> None:
        task_read, self.tasks = context.Pipe(duplex=False)
        self.results, result_write = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(task_read, result_write), daemon=True)
        self.process.start()
        task_read.close()
        result_write.close()
        self.pending: collections.deque[int] = collections.deque()  # tasks sent, in order; the first is in hand
        self.started = 0.0  # when the task in hand began

    @property
    def index(self) -> int | None:
        """The task in hand (None: idle)."""
        return self.pending[0] if self.pending else None

    def give(self, index: int, task: tuple) -> None:
        if not self.pending:
            self.started = time.monotonic()
        self.pending.append(index)
        self.tasks.send(task)

    def done(self) -> int:
        """The task in hand has its answer: the next one sent, if any, is in hand from now."""
        index = self.pending.popleft()
        self.started = time.monotonic()
        return index

    def stop(self) -> None:
        try:
            self.tasks.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        for conn in (self.tasks, self.results):
            conn.close()


# Idle workers kept between the apps of one run (``shared_workers``): starting a fresh pair for
# each of a hundred small apps costs more than parsing some of them.
_idle: list[_Worker] | None = None


@contextlib.contextmanager
def shared_workers() -> Iterator[None]:
    """Within this block, workers left idle when an app's files are parsed serve the next app;
    they are stopped when it ends. Outside it, each ``parse_all`` starts and stops its own (a
    test that patches a parser before a run must not meet a worker forked before the patch)."""
    global _idle
    if _idle is not None:
        yield
        return
    _idle = []
    try:
        yield
    finally:
        workers, _idle = _idle, None
        for worker in workers:
            worker.stop()


class _Supervisor:
    def __init__(self, root, rels, flags, report, timeout, jobs, cache, ticker) -> None:
        self.root, self.rels, self.flags, self.report = root, list(rels), flags, report
        self.timeout, self.jobs, self.cache, self.ticker = timeout, jobs, cache, ticker
        self.context = _context()
        self.results: list[tuple[FileFacts, Stamp | None] | None] = [None] * len(self.rels)
        self.queue = collections.deque(_largest_first(root, self.rels))
        self.workers: list[_Worker] = []

    def run(self) -> list[tuple[FileFacts, Stamp | None]]:
        try:
            self.workers = [_idle.pop() if _idle else self._start() for _ in range(self.jobs)]
            for worker in self.workers:
                self._feed(worker)
            while any(w.pending for w in self.workers):
                self._collect()
        finally:
            for worker in self.workers:
                if _idle is not None and not worker.pending and worker.process.is_alive():
                    _idle.append(worker)
                else:
                    worker.stop()
        return [entry for entry in self.results if entry is not None]

    def _start(self) -> _Worker:
        return _Worker(self.context)

    def _feed(self, worker: _Worker) -> None:
        # The next task waits in the worker's pipe while it parses: it never sits idle while this
        # process takes in an answer and sends the next path.
        while len(worker.pending) < TASKS_IN_FLIGHT and self.queue:
            index = self.queue.popleft()
            worker.give(index, (self.root, self.rels[index], self.flags, self.cache is not None))

    def _collect(self) -> None:
        busy = [w for w in self.workers if w.pending]
        deadline = min(w.started for w in busy) + self.timeout
        from multiprocessing.connection import wait

        ready = wait([w.results for w in busy] + [w.process.sentinel for w in busy], max(deadline - time.monotonic(), 0))
        for worker in busy:
            if worker.results in ready or worker.process.sentinel in ready:
                self._receive(worker)
            elif time.monotonic() - worker.started >= self.timeout:
                self._replace(worker, f"skipped: parsing took longer than {self.timeout:g} s")

    def _receive(self, worker: _Worker) -> None:
        try:
            if not worker.results.poll():
                raise EOFError
            parsed: Parsed = worker.results.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            self._replace(worker, _death(worker.process.exitcode, language_of(self.rels[worker.index])))
            return
        self.results[worker.done()] = (_noted(parsed, self.report), parsed.stamp)
        self.ticker()
        self._feed(worker)

    def _replace(self, worker: _Worker, problem: str) -> None:
        """The worker died or overran on its file: record that, and carry on with a new one. The
        tasks sent after that file go back to the front of the queue."""
        index = worker.done()
        rel = self.rels[index]
        self.report(f"{rel}: {problem}; the run goes on (please report it if the file is valid code)")
        # Never cached (no stamp): the crash or stall may not happen again.
        self.results[index] = (_problem_facts(rel, problem), None)
        self.ticker()
        self.queue.extendleft(reversed(worker.pending))
        worker.pending.clear()
        worker.kill()
        fresh = self._start()
        self.workers[self.workers.index(worker)] = fresh
        self._feed(fresh)


def _largest_first(root: Path, rels: list[str]) -> list[int]:
    """Task order: the largest files first, so that the last to finish is a small one and no
    worker waits long on another at the end. (Answers land in their own slots: the order never
    shows in a result.) A file that cannot be read counts as empty; its task says why."""
    sizes = []
    for rel in rels:
        try:
            sizes.append(os.stat(os.path.join(root, rel)).st_size)
        except OSError:
            sizes.append(0)
    return sorted(range(len(rels)), key=lambda i: -sizes[i])


def _death(exitcode: int | None, language: str) -> str:
    parser = {"python": "libcst", "typescript": "tree-sitter"}.get(
        language, "tree-sitter" if language in BY_LANGUAGE else "Stripe URL scan")
    if exitcode is not None and exitcode < 0:
        try:
            cause = signal.Signals(-exitcode).name
        except ValueError:
            cause = f"signal {-exitcode}"
    else:
        cause = f"exit code {exitcode}"
    return f"skipped: the {language} parser ({parser}) crashed on this file ({cause})"
