"""Both cores for the per-distinct-value work: a fork-based map that falls back to a plain loop.

Why fork rather than a spawned pool: the function and everything it closes over (a normalizer with its
country tables, a million distinct phone numbers) are inherited by the children for free, so only the
answers travel back. Why not threads: normalizers are pure Python and hold the GIL. Small inputs stay
in-process, where forking would cost more than it saves; so does everything on platforms without fork.

`Helper` is the other shape of the same idea: one forked process doing a long job beside this one (the
report CSVs of a big run while the output is written), talking over a pipe, never outliving its owner.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import time
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

from custclean.errors import OutputError

# Below this many items per extra process, forking costs more than it saves (a fork of a big
# process takes tens of milliseconds; a normalizer handles a few thousand values in that time).
MIN_ITEMS_PER_WORKER = 20_000
_CHUNKS_PER_WORKER = 4          # uneven chunks (cheap cached values next to slow ones) even out

_job: tuple[Callable[..., Any], tuple[Sequence[Any], ...]] | None = None


def resolve_workers(workers: int) -> int:
    """Processes to use: -1 (or 0) means every core this process may run on."""
    if workers > 0:
        return workers
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:      # not on Linux
        return os.cpu_count() or 1


def _run_slice(bounds: tuple[int, int]) -> Any:
    assert _job is not None
    fn, columns = _job
    start, stop = bounds
    return fn(*(c[start:stop] for c in columns))


def _each(fn: Callable[..., Any], *columns: Sequence[Any]) -> list[Any]:
    return [fn(*args) for args in zip(*columns, strict=True)]


def _slices(total: int, parts: int) -> list[tuple[int, int]]:
    step = -(-total // parts)
    return [(start, min(start + step, total)) for start in range(0, total, step)]


def _processes(total: int, workers: int) -> int:
    """How many processes `total` items are worth: 1 unless every one gets MIN_ITEMS_PER_WORKER and fork exists."""
    count = min(resolve_workers(workers), total // MIN_ITEMS_PER_WORKER)
    return count if count >= 2 and can_fork() else 1


def parallel_map(fn: Callable[..., Any], *columns: Sequence[Any], workers: int = -1) -> list[Any]:
    """[fn(a, b, ...) for a, b, ... in zip(*columns)], in order, on up to `workers` processes.

    `fn` must be pure (its side effects stay in the child) and its results picklable.
    """
    parts = parallel_chunks(partial(_each, fn), *columns, workers=workers)
    return parts[0] if len(parts) == 1 else [item for part in parts for item in part]


def parallel_chunks(fn: Callable[..., Any], *columns: Sequence[Any], workers: int = -1) -> list[Any]:
    """[fn(*slices of the columns) for consecutive slices], in order: one slice (the whole) in-process.

    For callers whose answers are cheaper to send back packed per slice (a few arrays) than as one
    pickled object per item: the parent's result thread unpickles while holding the GIL.
    """
    total = len(columns[0]) if columns else 0
    count = _processes(total, workers)
    if count < 2:
        return [fn(*columns)]
    return _forked(fn, columns, _slices(total, count * _CHUNKS_PER_WORKER), count)


def fork_each(fn: Callable[[Any], Any], jobs: Sequence[Any], workers: int = -1) -> list[Any]:
    """[fn(job) for job in jobs], one job per forked process at a time: for a few heavy, independent jobs
    (the comparisons of ten million candidate pairs) rather than many small values."""
    count = min(resolve_workers(workers), len(jobs))
    if count < 2 or not can_fork():
        return [fn(job) for job in jobs]
    parts = _forked(partial(_each, fn), (jobs,), _slices(len(jobs), len(jobs)), count)
    return [item for part in parts for item in part]


def _forked(fn: Callable[..., Any], columns: tuple[Sequence[Any], ...], slices: list[tuple[int, int]],
            count: int) -> list[Any]:
    """fn over every slice of the columns, in order, from `count` forked processes."""
    global _job
    _job = (fn, columns)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return pool.map(_run_slice, slices, chunksize=1)
    finally:
        _job = None


# A helper process for one long job beside this one ------------------------------------------------------


def can_fork() -> bool:
    """Whether this platform forks (Linux, and macOS unless spawn is forced); elsewhere work stays in-process."""
    return "fork" in multiprocessing.get_all_start_methods()


class Abandoned(Exception):
    """The parent gave up on this run (its own error, or Ctrl-C): the helper's temp files go."""


class Stopped(OutputError):
    """The helper process ended without a word (killed, out of memory): what it was doing was not done."""


class Helper:
    """A forked process running `work(conn)`, which sends ("kind", ...) messages, or ("error", exc, trace),
    and ("done",) last; `what` names it in the error raised when it stops without a word.

    Whatever happens the helper ends with os._exit: it never runs the parent's cleanup, prints, or
    outlives `close()`; an error in it is raised here, as the same exception (one line, same exit code).
    """

    def __init__(self, work: Callable[[Connection], None], what: str = "the helper writing the output") -> None:
        self.what = what
        self.conn, theirs = multiprocessing.Pipe()
        self.ended = self.finished = False
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})     # until the helper has its own handler
        try:
            self.pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            raise
        if self.pid == 0:
            self.conn.close()
            _run_helper(theirs, work)
        theirs.close()
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})    # a Ctrl-C held back arrives here
        except BaseException:
            self.close()
            raise

    def send(self, message: str) -> None:
        self.conn.send(message)

    def expect(self, kind: str) -> tuple[Any, ...]:
        """The payload of the helper's next message, which must be `kind`; its error is raised here."""
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            raise Stopped(f"{self.what} stopped ({self._end()}); nothing was committed") from None
        if message[0] == "error":
            exc, trace = message[1], message[2]
            exc.add_note(f"in the helper process:\n{trace}")
            raise exc
        assert message[0] == kind, message[0]
        self.finished = kind == "done"
        return message[1:]

    def close(self) -> None:
        """Wait for the helper; one still writing is stopped (SIGINT: its temp files are removed)."""
        self.conn.close()
        if self.finished:
            self._wait(None)
        if self.ended:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)
        if not self._wait(10.0):
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._wait(None)

    def _wait(self, seconds: float | None) -> bool:
        deadline = None if seconds is None else time.monotonic() + seconds
        while not self.ended:
            pid, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                self.ended, self.status = True, status
            elif time.monotonic() > deadline:
                return False
            else:
                time.sleep(0.01)
        return True

    def _end(self) -> str:
        self._wait(10.0)
        code = os.waitstatus_to_exitcode(self.status) if self.ended else None
        return "still running" if code is None else f"signal {-code}" if code < 0 else f"exit {code}"


def _interrupt_once(signum: int, frame: Any) -> None:
    """Ctrl-C reaches the helper both from the terminal and from close(): the second must not cut its cleanup."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _run_helper(conn: Connection, work: Callable[[Connection], None]) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, _interrupt_once)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        work(conn)
    except BaseException as exc:
        code = 130 if isinstance(exc, KeyboardInterrupt) else 1
        if not isinstance(exc, Abandoned):
            with contextlib.suppress(BaseException):
                conn.send(("error", _portable(exc), traceback.format_exc()))
    finally:
        os._exit(code)


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a RuntimeError naming its type."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__} in a helper process")
    return exc


__all__ = [
    "MIN_ITEMS_PER_WORKER", "Abandoned", "Helper", "can_fork", "fork_each", "parallel_chunks", "parallel_map",
    "resolve_workers",
]


def beside(fn: Callable[[], Any], own: Callable[[], Any]) -> tuple[Any, Any]:
    """(fn(), own()) on two cores: fn in a forked process while own() runs here; fn's result comes back pickled.

    For one job split in two halves (merge's columns, match keys). An error on either side is raised here,
    and the forked process never outlives the call. Without fork both run here, one after the other; so
    does fn when the forked process dies without a word (killed for memory, say): slower, same answer.
    """
    if not can_fork():
        return fn(), own()
    helper = Helper(partial(_send_result, fn), what="a helper process")
    try:
        mine = own()
        try:
            theirs = helper.expect("result")[0]
            helper.expect("done")
        except Stopped:
            theirs = fn()
    finally:
        helper.close()
    return theirs, mine


def _send_result(fn: Callable[[], Any], conn: Connection) -> None:
    conn.send(("result", fn()))
    conn.send(("done",))


def share_jobs(count: int, run: Callable[[int], Any], own: Callable[[], Any]) -> tuple[list[Any], Any]:
    """([run(0), ..., run(count - 1)], own()) on this process and a forked one.

    Each process takes the next job when it is free, so jobs of uneven cost even out without guessing
    their cost (give the biggest first); this one runs own() before joining in. The forked process's
    results come back pickled. Without fork, or for a single job, everything runs here (own() first).
    """
    if count < 2 or not can_fork():
        mine = own()
        return [run(i) for i in range(count)], mine
    counter = multiprocessing.get_context("fork").Value("i", 0)

    def work() -> dict[int, Any]:
        done = {}
        while True:
            with counter.get_lock():
                at = counter.value
                counter.value += 1
            if at >= count:
                return done
            done[at] = run(at)

    def here() -> tuple[dict[int, Any], Any]:
        mine = own()
        return work(), mine

    theirs, (ours, mine) = beside(work, here)
    done = theirs | ours
    return [done[at] if at in done else run(at) for at in range(count)], mine    # a job a dead helper took


__all__ += ["Stopped", "beside", "share_jobs"]
