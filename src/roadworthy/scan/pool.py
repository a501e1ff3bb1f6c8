"""Worker processes that run one job at a time and can be killed one at a time.

`concurrent.futures.ProcessPoolExecutor` cannot stop one running task: a hung repository would
hold its worker to the end of the scan. Here each worker is a process with a pipe of its own;
the parent hands out jobs, waits on the pipes and the process sentinels, kills a worker whose
job overruns (with everything it started: the worker leads its own process group) and starts a
fresh one in its place. Leaving the `Pool` (normally, or by Ctrl-C) stops every worker.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from roadworthy.forkpool import received

if TYPE_CHECKING:  # ForkServerContext does not exist on Windows
    from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext

J = TypeVar("J")
R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[J, R]):
    job: J
    result: R | None  # None when the job failed: see ``failure``
    failure: str | None = None


@dataclass(frozen=True)
class Work(Generic[J, R]):
    """What the workers run: ``init(setup)`` once per process, then ``func(job)`` per job.

    Module-level functions and picklable values, so any start method (fork, spawn) works.
    """

    func: Callable[[J], R]
    init: Callable[[Any], None]
    setup: Any
    preload: tuple[str, ...] = ()  # modules a fork server imports once for all workers


def _serve(conn: Connection, work: Work[Any, Any], inherited: tuple[Connection, ...]) -> None:
    for end in inherited:
        # A forked worker holds copies of the parent's pipe ends (its own and the other
        # workers'); while it does, no worker sees the end of its pipe when the parent is
        # killed, and all of them wait for a job forever.
        end.close()
    if hasattr(os, "setpgid"):
        # A group of its own: a timeout kills the worker and what it started (git) together,
        # and Ctrl-C in the terminal reaches only the parent, which decides what to keep.
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's SIGTERM handler is its own
    work.init(work.setup)
    for job in received(conn):
        conn.send(work.func(job))


class _Worker:
    conn: Connection

    def __init__(self, work: Work[Any, Any], others: Iterable[_Worker] = ()) -> None:
        context = _context(work.preload)
        parent, child = context.Pipe()
        # Only a fork copies the parent's descriptors; spawn and a fork server pass the
        # child end alone (and would have to pickle these).
        fork = context.get_start_method() == "fork"
        inherited = (parent, *(w.conn for w in others)) if fork else ()
        self.process = context.Process(target=_serve, args=(child, work, inherited), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        self.job: Any = None
        self.deadline: float | None = None

    def give(self, job: Any, timeout: float | None) -> None:
        self.conn.send(job)
        self.job = job
        self.deadline = time.monotonic() + timeout if timeout else None

    def kill(self) -> None:
        pid = self.process.pid
        # Only while the worker is not yet reaped: its pid (= its group id) cannot be reused.
        if self.process.exitcode is None:
            if pid and hasattr(os, "killpg"):
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
            self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(5)
        self.kill()


class Pool(Generic[J, R]):
    def __init__(self, work: Work[J, R], *, workers: int, timeout: float | None) -> None:
        self.work = work
        self.size = max(1, workers)
        self.timeout = timeout
        self.workers: list[_Worker] = []

    def __enter__(self) -> Pool[J, R]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for worker in self.workers:
            if worker.job is not None:
                worker.kill()
            else:
                worker.stop()
        self.workers = []

    def run(self, jobs: Iterable[J]) -> Iterator[Outcome[J, R]]:
        """Outcomes in the order the jobs finish."""
        pending = deque(jobs)
        self.workers = []
        for _ in range(min(self.size, len(pending))):
            self.workers.append(_Worker(self.work, self.workers))
        while pending or any(w.job is not None for w in self.workers):
            for worker in self.workers:
                if worker.job is None and pending:
                    worker.give(pending.popleft(), self.timeout)
            busy = [w for w in self.workers if w.job is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], _wake(busy))
            for i, worker in enumerate(self.workers):
                outcome = self._collect(worker, ready) if worker.job is not None else None
                if outcome is None:
                    continue
                if outcome.failure is not None:
                    others = self.workers[:i] + self.workers[i + 1 :]
                    self.workers[i] = _Worker(self.work, others)
                yield outcome

    def _collect(self, worker: _Worker, ready: list[Any]) -> Outcome[J, R] | None:
        job = worker.job
        if worker.conn in ready:
            try:
                result = worker.conn.recv()
            except (EOFError, OSError):
                pass  # died while answering: reported below
            else:
                worker.job = None
                return Outcome(job, result)
        if worker.conn in ready or worker.process.sentinel in ready:
            worker.kill()
            return Outcome(job, None, f"worker process died (exit code {worker.process.exitcode})")
        if worker.deadline is not None and time.monotonic() >= worker.deadline:
            worker.kill()
            return Outcome(job, None, f"timed out after {self.timeout:g} s; stopped")
        return None


def _context(preload: tuple[str, ...]) -> ForkContext | ForkServerContext | SpawnContext:
    """fork where it is safe, else a fork server, else spawn; workers start warm in all three.

    fork() copies the parent, imports included, and costs nothing; it is safe on Linux in a
    process without threads (a thread holding a lock at the fork would deadlock the child).
    A fork server is a clean single-threaded process that imports ``preload`` once.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1 and "fork" in methods:
        for module in preload:
            importlib.import_module(module)
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))  # no effect once the server runs
    return context


def _wake(busy: list[_Worker]) -> float | None:
    deadlines = [w.deadline for w in busy if w.deadline is not None]
    return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
