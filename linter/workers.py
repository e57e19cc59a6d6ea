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

import dataclasses
import faulthandler
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Sequence

from stripe_perm_lint.discover import PYTHON_SUFFIXES, language_of
from stripe_perm_lint.facts import FileFacts, ParseProblem, Position
from stripe_perm_lint.sources import read_source

# Real files parse in well under a second; the slowest legitimate ones (megabyte data modules)
# in tens of seconds. Past this a file is skipped rather than stall a pre-commit hook.
PARSE_TIMEOUT_SECONDS = 60.0
# One worker per this many files, up to the cores: small apps need no second process.
FILES_PER_WORKER = 50
MAX_WORKERS = 8


@dataclass(frozen=True)
class Parsed:
    facts: FileFacts
    notes: tuple[str, ...] = ()  # lines for stderr: internal errors, asking for a report


def parse_one(root: Path, rel: str, debug: bool = False, skim: bool = False) -> Parsed:
    """Read and parse one file in this process (``skim``: see ``stripe_perm_lint.prefilter``)."""
    from stripe_perm_lint.parse import parse_file

    notes: list[str] = []
    source = read_source(root / rel)
    if source.text is None:
        return Parsed(FileFacts(path=rel, language=language_of(rel), problems=(ParseProblem(source.problem, Position(1, 1)),)))
    facts = parse_file(rel, source.text, debug=debug, report=notes.append, skim=skim)
    if source.problem:
        facts = dataclasses.replace(facts, problems=(ParseProblem(source.problem, Position(1, 1)), *facts.problems))
    return Parsed(facts, tuple(notes))


def parse_all(
    root: Path,
    rels: Sequence[str],
    debug: bool = False,
    report: Callable[[str], None] | None = None,
    timeout: float = PARSE_TIMEOUT_SECONDS,
    jobs: int | None = None,
    skim: bool = False,
) -> list[FileFacts]:
    """Facts of every file in ``rels`` (paths relative to ``root``), in that order. ``report``
    receives the lines meant for stderr; ``skim`` lets the prefilter skim files."""
    report = report or (lambda line: print(f"stripe-perm-lint: {line}", file=sys.stderr))
    if not rels:
        return []
    _preload_parsers(rels)
    jobs = jobs or min(os.cpu_count() or 1, MAX_WORKERS, 1 + (len(rels) - 1) // FILES_PER_WORKER)
    try:
        return _Supervisor(root, rels, (debug, skim), report, timeout, jobs).run()
    except OSError as exc:  # no processes here (a locked-down sandbox): parse in this process
        report(f"cannot start a parser process ({exc}); parsing in-process, without crash isolation")
        return [_noted(parse_one(root, rel, debug, skim), report) for rel in rels]


def _noted(parsed: Parsed, report: Callable[[str], None]) -> FileFacts:
    for note in parsed.notes:
        report(note)
    return parsed.facts


def _preload_parsers(rels: Sequence[str]) -> None:
    """Import the parsers, and build the catalog tables they read, before forking, so each worker
    starts with them loaded. (Even a 3-file app parses in a worker: in-process parsing saved
    about 2% of such a run's time, too little to give up crash isolation for.)"""
    from stripe_perm_lint.catalog import load_catalog

    load_catalog().load_parser_tables()
    if any(rel.endswith(PYTHON_SUFFIXES) for rel in rels):
        import stripe_perm_lint.parse.python  # noqa: F401
    if not all(rel.endswith(PYTHON_SUFFIXES) for rel in rels):
        import stripe_perm_lint.parse.typescript  # noqa: F401


def _context():
    # fork: workers inherit the loaded parsers and catalog for free. Elsewhere (macOS, Windows)
    # spawn, which re-imports them once per worker.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _serve(tasks: Connection, results: Connection, root: Path, flags: tuple[bool, bool]) -> None:
    """Worker loop: one relative path in, one ``Parsed`` out, until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    faulthandler.disable()  # a crash is reported by the supervisor in one line, not a C-level dump
    while True:
        rel = tasks.recv()
        if rel is None:
            return
        results.send(parse_one(root, rel, *flags))


class _Worker:
    def __init__(self, context, root: Path, flags: tuple[bool, bool]) -> None:
        task_read, self.tasks = context.Pipe(duplex=False)
        self.results, result_write = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(task_read, result_write, root, flags), daemon=True)
        self.process.start()
        task_read.close()
        result_write.close()
        self.index: int | None = None  # the task in hand
        self.started = 0.0

    def give(self, index: int, rel: str) -> None:
        self.index, self.started = index, time.monotonic()
        self.tasks.send(rel)

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


class _Supervisor:
    def __init__(self, root, rels, flags, report, timeout, jobs) -> None:
        self.root, self.rels, self.flags, self.report = root, list(rels), flags, report
        self.timeout, self.jobs = timeout, jobs
        self.context = _context()
        self.results: list[FileFacts | None] = [None] * len(self.rels)
        self.next = 0
        self.workers: list[_Worker] = []

    def run(self) -> list[FileFacts]:
        try:
            self.workers = [_Worker(self.context, self.root, self.flags) for _ in range(self.jobs)]
            for worker in self.workers:
                self._feed(worker)
            while any(w.index is not None for w in self.workers):
                self._collect()
        finally:
            for worker in self.workers:
                worker.stop()
        return [facts for facts in self.results if facts is not None]

    def _feed(self, worker: _Worker) -> None:
        if self.next < len(self.rels):
            worker.give(self.next, self.rels[self.next])
            self.next += 1
        else:
            worker.index = None

    def _collect(self) -> None:
        busy = [w for w in self.workers if w.index is not None]
        deadline = min(w.started for w in busy) + self.timeout
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
        self.results[worker.index] = _noted(parsed, self.report)
        self._feed(worker)

    def _replace(self, worker: _Worker, problem: str) -> None:
        """The worker died or overran on its file: record that, and carry on with a new one."""
        rel = self.rels[worker.index]
        self.report(f"{rel}: {problem}; the run goes on (please report it if the file is valid code)")
        self.results[worker.index] = FileFacts(path=rel, language=language_of(rel), problems=(ParseProblem(problem, Position(1, 1)),))
        worker.kill()
        fresh = _Worker(self.context, self.root, self.flags)
        self.workers[self.workers.index(worker)] = fresh
        self._feed(fresh)


def _death(exitcode: int | None, language: str) -> str:
    parser = {"python": "libcst", "typescript": "tree-sitter"}.get(language, "Stripe URL scan")
    if exitcode is not None and exitcode < 0:
        try:
            cause = signal.Signals(-exitcode).name
        except ValueError:
            cause = f"signal {-exitcode}"
    else:
        cause = f"exit code {exitcode}"
    return f"skipped: the {language} parser ({parser}) crashed on this file ({cause})"
