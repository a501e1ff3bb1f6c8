"""Forked worker processes for the parts of one run that split cleanly (a check's components).

The workers are forks of the running process: they inherit what the run already holds (the
policy, the file listing) for free and receive only job numbers; results come back pickled,
each over the worker's own pipe, and are returned in job order whatever order they finish in.
The running process works too: N processes means N - 1 forks.
Fork is used only where it is safe (Linux, a process without threads); callers stay serial
elsewhere. Leaving `run` by any way (an error, Ctrl-C, SIGTERM) stops every worker.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from roadworthy.errors import RoadworthyError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

R = TypeVar("R")
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def usable_cores() -> int:
    """The cores this process may run on (a CPU affinity mask or a container's limit counts)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def available() -> bool:
    """Whether workers can be forked here: fork() of a process with threads can deadlock the
    child on a lock some thread held, and macOS libraries are not fork-safe."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, chained to its copy in the parent so
    that a crash file shows where the worker failed."""

    def __str__(self) -> str:
        return str(self.args[0])


class WorkerDied(Exception):
    """A worker ended without an answer (killed, out of memory, a crash of the interpreter)."""


def run(func: Callable[[int], R], count: int, processes: int) -> list[R]:
    """``[func(0), ..., func(count - 1)]``, computed by this process and ``processes - 1`` forks.

    This process computes job 0 before it forks: what that imports and compiles (a schema, a
    module loaded on first use) the workers inherit instead of each paying for it again. Then
    it takes jobs from the same queue as the workers, between collecting their answers.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pending = deque(range(count))
    results: dict[int, R] = {}
    first = pending.popleft()
    results[first] = func(first)
    pool: list[_Worker] = []
    with _stop_on_sigterm(), contextlib.ExitStack() as stack:
        stack.callback(_stop, pool)
        _start(pool, context, func, min(processes - 1, len(pending)))
        for worker in pool:
            worker.fill(pending)
        while pending or any(w.jobs for w in pool):
            if pending:
                job = pending.popleft()
                results[job] = func(job)
            for worker, job, result in _answers(pool, block=not pending):
                results[job] = result
                worker.fill(pending)
    return [results[i] for i in range(count)]


class _Worker:
    # Two jobs in flight: a worker that finishes one while this process is busy with a job of
    # its own starts on the next instead of waiting to be asked.
    DEPTH = 2

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.jobs: deque[int] = deque()

    def fill(self, pending: deque[int]) -> None:
        while pending and len(self.jobs) < self.DEPTH:
            self.jobs.append(pending.popleft())
            self.conn.send(self.jobs[-1])


def _start(pool: list[_Worker], context: Any, func: Callable[[int], Any], n: int) -> None:
    # Whatever the parent has buffered would be written again by each child as it exits.
    sys.stdout.flush()
    sys.stderr.flush()
    # Signals wait until a child has its own handlers (the parent's would raise in the child).
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        for _ in range(n):
            parent_end, child_end = context.Pipe()
            # Every parent end made so far goes to the child, to be closed there: a worker
            # holding a parent end (its own or another's) would never see the parent die.
            inherited = [w.conn for w in pool] + [parent_end]
            process = context.Process(
                target=_serve, args=(child_end, func, inherited, mask), daemon=True
            )
            process.start()
            child_end.close()
            pool.append(_Worker(process, parent_end))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _serve(
    conn: Connection, func: Callable[[int], Any], inherited: list[Connection], mask: Any
) -> None:
    for end in inherited:
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if job is None:
            return
        try:
            conn.send_bytes(_answer(func, job))
        except OSError:
            return


def _answer(func: Callable[[int], Any], job: int) -> bytes:
    try:
        return pickle.dumps((True, func(job)))
    except Exception as exc:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return pickle.dumps((False, (_portable(exc), text)))


def _portable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling; else one that says the same."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
    except Exception:
        copy = None
    if isinstance(copy, Exception) and str(copy) == str(exc):
        return copy
    if isinstance(exc, RoadworthyError):
        return RoadworthyError(str(exc))
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def _answers(pool: list[_Worker], *, block: bool) -> Iterator[tuple[_Worker, int, Any]]:
    """Each answer ready (all at once when ``block`` is false, so none may be ready), with the
    worker that gave it and its job, in the order the worker took its jobs."""
    from multiprocessing.connection import wait

    busy = [w for w in pool if w.jobs]
    ready = wait(
        [w.conn for w in busy] + [w.process.sentinel for w in busy], 0 if not block else None
    )
    for worker in busy:
        if worker.conn in ready:
            try:
                ok, value = pickle.loads(worker.conn.recv_bytes())
            except (EOFError, OSError):
                ok, value = None, None
            if ok:
                yield worker, worker.jobs.popleft(), value
                continue
            if ok is False:
                exc, text = value
                raise exc from RemoteTraceback(text)
        if worker.conn in ready or worker.process.sentinel in ready:
            worker.process.join()
            raise WorkerDied(
                f"a worker process ended without an answer (exit code {worker.process.exitcode})"
            )


def _stop(pool: list[_Worker]) -> None:
    for worker in pool:
        if not worker.jobs:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        elif worker.process.exitcode is None:
            worker.process.kill()  # busy: its answer is no longer wanted
    for worker in pool:
        worker.process.join(5)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM (a CI runner cancelling the job) stops the run like Ctrl-C: the workers are
    stopped on the way out instead of being left to finish work nobody will read."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
