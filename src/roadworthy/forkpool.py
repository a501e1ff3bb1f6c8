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
import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from roadworthy.errors import RoadworthyError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

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
    if count == 0:
        return []
    # Imported here, not at the top, so that a serial run never loads them; the workers
    # inherit them from this process.
    import pickle  # noqa: F401
    import traceback  # noqa: F401

    pending = deque(range(count))
    results: dict[int, R] = {}
    first = pending.popleft()
    results[first] = func(first)
    pool: list[_Worker] = []
    with _stop_on_sigterm(), contextlib.ExitStack() as stack:
        stack.callback(_stop, pool)
        _start(pool, func, min(processes - 1, len(pending)))
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

    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid = pid
        self.conn = conn
        self.jobs: deque[int] = deque()
        self.status: int | None = None  # exit code once reaped

    def fill(self, pending: deque[int]) -> None:
        while pending and len(self.jobs) < self.DEPTH:
            self.jobs.append(pending.popleft())
            self.conn.send(self.jobs[-1])

    def reap(self, *, wait: bool) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, 0 if wait else os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status is not None


def _start(pool: list[_Worker], func: Callable[[int], Any], n: int) -> None:
    # os.fork, not multiprocessing.Process: that refuses to start children in a daemonic
    # process (a scan's worker), and its children flush the parent's buffered output again.
    from multiprocessing.connection import Pipe

    sys.stdout.flush()
    sys.stderr.flush()
    # Signals wait until a child has its own handlers (the parent's would raise in the child).
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    # What exists now is left out of the collector's passes, in the workers especially: a
    # pass writes to every object it visits, and each page written is copied for the worker.
    gc.freeze()
    try:
        for _ in range(n):
            parent_end, child_end = Pipe()
            pid = os.fork()
            if pid == 0:
                # Every parent end made so far is closed here: a worker holding one (its own
                # or another's) would never see the parent die.
                _child(child_end, func, [w.conn for w in pool] + [parent_end], mask)
            child_end.close()
            pool.append(_Worker(pid, parent_end))
    finally:
        gc.unfreeze()
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _child(
    conn: Connection, func: Callable[[int], Any], inherited: list[Connection], mask: Any
) -> NoReturn:
    code = 1
    try:
        for end in inherited:
            end.close()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _serve(conn, func)
        code = 0
    finally:
        os._exit(code)  # never back into the parent's code (its finally blocks, atexit)


def _serve(conn: Connection, func: Callable[[int], Any]) -> None:
    # Answers are sent by a thread of their own while the next job is computed: an answer
    # larger than the socket's buffer (a chunk of components) waits for the parent to read it,
    # and the parent reads only between jobs of its own; sent in line, the worker sat idle
    # meanwhile (0.24 s of a 2 s check at 10,001 components). Sent in order: the parent takes
    # the answers as those of its jobs in the order it gave them.
    import queue

    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    gone = threading.Event()  # the parent stopped reading: no more work for it

    def send() -> None:
        while (answer := outbox.get()) is not None:
            try:
                conn.send_bytes(answer)
            except OSError:
                gone.set()
                return

    sender = threading.Thread(target=send, name="roadworthy-answers", daemon=True)
    sender.start()
    try:
        for job in received(conn, gone):
            outbox.put(_answer(func, job))
    finally:
        outbox.put(None)
        sender.join()  # every answer given is sent (or the parent is gone) before the exit


def received(conn: Connection, stop: threading.Event | None = None) -> Iterator[Any]:
    """The jobs a worker's pipe brings, until the parent sends None or goes away (or ``stop``
    is set): the loop of every pool's worker."""
    while stop is None or not stop.is_set():
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if job is None:
            return
        yield job


def _answer(func: Callable[[int], Any], job: int) -> bytes:
    import pickle
    import traceback

    try:
        return pickle.dumps((True, func(job)))
    except Exception as exc:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return pickle.dumps((False, (_portable(exc), text)))


def _portable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling; else one that says the same."""
    import pickle

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
    """Each answer ready (none may be, unless ``block``), with its worker and job. A worker
    that dies closes its end of the pipe: that is an answer too, the end of the file."""
    import pickle
    from multiprocessing.connection import wait

    busy = [w for w in pool if w.jobs]
    for conn in wait([w.conn for w in busy], None if block else 0):
        worker = next(w for w in busy if w.conn is conn)
        try:
            ok, value = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError):
            worker.reap(wait=True)
            raise WorkerDied(
                f"a worker process ended without an answer (exit code {worker.status})"
            ) from None
        if not ok:
            exc, text = value
            raise exc from RemoteTraceback(text)
        yield worker, worker.jobs.popleft(), value


def _stop(pool: list[_Worker]) -> None:
    # Signals go only to workers not yet reaped: a reaped worker's pid may be another's now.
    for worker in pool:
        if worker.status is not None:
            continue
        with contextlib.suppress(OSError):
            if worker.jobs:
                os.kill(worker.pid, signal.SIGKILL)  # busy: its answer is no longer wanted
            else:
                worker.conn.send(None)
    deadline = time.monotonic() + 5
    for worker in pool:
        while not worker.reap(wait=False) and time.monotonic() < deadline:
            time.sleep(0.005)
        if worker.status is None:
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGKILL)
            worker.reap(wait=True)
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
