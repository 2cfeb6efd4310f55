"""One interface, three ways to run many independent tasks.

Every task carries its own seed, so the results are the same whichever executor runs them and in
whatever order tasks finish; results come back in task order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Protocol, TypeVar

from imgpath.errors import InvalidInputError
from imgpath.extras import require_extra

__all__ = ["DaskExecutor", "Executor", "ProcessExecutor", "SerialExecutor", "make_executor"]

T = TypeVar("T")
R = TypeVar("R")
Tick = Callable[[int, int], None]
"""Progress callback: (done, total)."""


class Executor(Protocol):
    name: str
    workers: int

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Tick | None = None
    ) -> list[R]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in this process, one task after another (for debugging and tiny runs)."""

    name = "serial"
    workers = 1

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Tick | None = None
    ) -> list[R]:
        out = []
        for i, task in enumerate(tasks):
            out.append(fn(task))
            if progress:
                progress(i + 1, len(tasks))
        return out

    def close(self) -> None:
        return None


class ProcessExecutor:
    """A pool of local worker processes (the default: one per CPU)."""

    name = "process"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Tick | None = None
    ) -> list[R]:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # safe with threads; same on every OS
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        futures = {self._pool.submit(fn, task): i for i, task in enumerate(tasks)}
        out: list[Any] = [None] * len(tasks)
        for done, future in enumerate(as_completed(futures), start=1):
            out[futures[future]] = future.result()
            if progress:
                progress(done, len(tasks))
        return out

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class DaskExecutor:
    """A Dask cluster: an existing scheduler (``address``) or a local cluster of ``workers``."""

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        require_extra("dask")
        from dask.distributed import Client, LocalCluster

        self._cluster: Any = None
        if address:
            try:
                self._client = Client(address, timeout="10s")
            except OSError as exc:
                msg = f"--dask {address}: cannot reach the Dask scheduler ({exc}); start one with `dask scheduler`"
                raise InvalidInputError(msg) from None
        else:
            n = workers or os.cpu_count() or 1
            self._cluster = LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = Client(self._cluster)
        self.workers = len(self._client.scheduler_info().get("workers", {})) or (workers or 1)

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], progress: Tick | None = None
    ) -> list[R]:
        from dask.distributed import as_completed as dask_completed

        futures = self._client.map(fn, list(tasks), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        out: list[Any] = [None] * len(tasks)
        for done, future in enumerate(dask_completed(futures), start=1):
            out[index[future.key]] = future.result()
            if progress:
                progress(done, len(tasks))
        return out

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(
    kind: str = "process", *, workers: int | None = None, dask: str | None = None
) -> Executor:
    """``serial``, ``process`` (default) or ``dask`` (``dask`` = a scheduler address, or None for local)."""
    if kind == "serial":
        return SerialExecutor()
    if kind == "process":
        return ProcessExecutor(workers)
    if kind == "dask":
        return DaskExecutor(dask, workers)
    msg = f"executor {kind!r}: use serial, process or dask"
    raise InvalidInputError(msg)
