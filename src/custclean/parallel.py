"""Both cores for the per-distinct-value work: a fork-based map that falls back to a plain loop.

Why fork rather than a spawned pool: the function and everything it closes over (a normalizer with its
country tables, a million distinct phone numbers) are inherited by the children for free, so only the
answers travel back. Why not threads: normalizers are pure Python and hold the GIL. Small inputs stay
in-process, where forking would cost more than it saves; so does everything on platforms without fork.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

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


def _run_slice(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None
    fn, columns = _job
    start, stop = bounds
    return [fn(*args) for args in zip(*(c[start:stop] for c in columns), strict=True)]


def _slices(total: int, parts: int) -> list[tuple[int, int]]:
    step = -(-total // parts)
    return [(start, min(start + step, total)) for start in range(0, total, step)]


def parallel_map(fn: Callable[..., Any], *columns: Sequence[Any], workers: int = -1) -> list[Any]:
    """[fn(a, b, ...) for a, b, ... in zip(*columns)], in order, on up to `workers` processes.

    `fn` must be pure (its side effects stay in the child) and its results picklable.
    """
    total = len(columns[0]) if columns else 0
    count = min(resolve_workers(workers), total // MIN_ITEMS_PER_WORKER)
    if count < 2 or not _can_fork():
        return [fn(*args) for args in zip(*columns, strict=True)]
    return _forked(fn, columns, _slices(total, count * _CHUNKS_PER_WORKER), count)


def fork_each(fn: Callable[[Any], Any], jobs: Sequence[Any], workers: int = -1) -> list[Any]:
    """[fn(job) for job in jobs], one job per forked process at a time: for a few heavy, independent jobs
    (the comparisons of ten million candidate pairs) rather than many small values."""
    count = min(resolve_workers(workers), len(jobs))
    if count < 2 or not _can_fork():
        return [fn(job) for job in jobs]
    return _forked(fn, (jobs,), _slices(len(jobs), len(jobs)), count)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _forked(fn: Callable[..., Any], columns: tuple[Sequence[Any], ...], slices: list[tuple[int, int]],
            count: int) -> list[Any]:
    """The results of fn over every slice of the columns, in order, from `count` forked processes."""
    global _job
    _job = (fn, columns)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            parts = pool.map(_run_slice, slices, chunksize=1)
    finally:
        _job = None
    return [item for part in parts for item in part]


__all__ = ["MIN_ITEMS_PER_WORKER", "fork_each", "parallel_map", "resolve_workers"]
