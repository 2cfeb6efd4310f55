"""The odds queue: runs wait in the database and workers take them, fairly and with limits.

The interface is small: :meth:`OddsQueue.submit` (from a request), :meth:`OddsQueue.plot` (a
finished run's plot), and :class:`OddsWorker` (runs jobs); progress is read from the job's row.  Behind it is a database-polling queue
(``odds_jobs``), the same on SQLite and PostgreSQL, so any number of server processes and
``imgpath worker`` processes share it and a restart loses nothing:

* **Limits.** At most ``per_user`` runs queued or running per person (429 beyond), at most
  ``overall`` for everyone (503 beyond).
* **Fairness.** A free worker takes the queued run whose owner has the fewest runs in progress,
  oldest first, so one person's runs never hold up another's first.
* **Leases.** A running job carries a lease its worker renews every few seconds; if the worker
  dies (a restart, a crash), another takes the job over once the lease lapses (at most twice).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from imgpath.errors import BusyError, ImgpathError, RateLimitedError
from imgpath.storage.jobs_store import JobsStore

__all__ = ["OddsQueue", "OddsWorker", "QueueLimits", "Runner"]

Runner = Callable[[Mapping[str, Any], Callable[[int, int], None]], tuple[Any, bytes | None]]
"""Runs one job's request; given a progress callback; returns (result, plot PNG)."""


@dataclass(frozen=True)
class QueueLimits:
    per_user: int = 1
    overall: int = 20
    keep: int = 20
    lease_seconds: float = 30.0
    poll_seconds: float = 1.0
    most_attempts: int = 2


class OddsQueue:
    def __init__(self, store: JobsStore, limits: QueueLimits | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:  # fmt: skip
        self.store = store
        self.limits = limits or QueueLimits()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.wake = threading.Event()
        """Set when a job is submitted, so a worker in this process starts it at once."""

    def submit(self, user_id: int, request: Mapping[str, Any], *, total: int) -> str:
        job_id = uuid.uuid4().hex
        outcome = self.store.submit(job_id, user_id, request, total=total, now=self.clock(),
                                    per_user=self.limits.per_user, overall=self.limits.overall)  # fmt: skip
        if outcome == "user_full":
            n = self.limits.per_user
            msg = (f"you already have {n} odds run{'s' if n > 1 else ''} in progress; "
                   "wait for it to finish, then start the next")  # fmt: skip
            raise RateLimitedError(msg, retry_after=30)
        if outcome == "queue_full":
            msg = "the odds queue is full right now; try again in a few minutes"
            raise BusyError(msg, retry_after=60)
        self.store.prune(user_id, self.limits.keep)
        self.wake.set()
        return job_id

    def plot(self, job_id: str) -> bytes | None:
        """The finished job's plot (PNG), drawn once by the worker."""
        return self.store.plot(job_id)


class OddsWorker:
    """Threads that take jobs from the queue and run them (in the server, or ``imgpath worker``)."""

    def __init__(self, queue: OddsQueue, runner: Runner, *, concurrency: int = 1) -> None:
        self.queue = queue
        self.runner = runner
        self.concurrency = concurrency
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for i in range(self.concurrency):
            thread = threading.Thread(target=self._loop, name=f"imgpath-odds-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, *, wait: bool = True, timeout: float = 30.0) -> None:
        self._stop.set()
        self.queue.wake.set()
        if wait:
            for thread in self._threads:
                thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_one()
            except Exception:
                logging.getLogger("imgpath").warning(
                    "odds worker: could not take a job", exc_info=True
                )
                ran = False
            if not ran:
                self.queue.wake.wait(self.queue.limits.poll_seconds)
                self.queue.wake.clear()

    def run_one(self) -> bool:
        """Take one job and run it to the end; False when the queue is empty."""
        limits, clock = self.queue.limits, self.queue.clock
        lease = timedelta(seconds=limits.lease_seconds)
        job = self.queue.store.claim(
            now=clock(), lease_until=clock() + lease, most_attempts=limits.most_attempts
        )
        if job is None:
            return False
        job_id = str(job["id"])
        progress = {"done": 0, "total": int(job["total"])}
        keeper_stop = threading.Event()

        def keep_lease() -> None:  # renew while the run computes, with its progress
            while not keeper_stop.wait(limits.lease_seconds / 3):
                self.queue.store.renew(job_id, clock() + lease, **progress)

        def on_progress(done: int, total: int) -> None:
            progress.update(done=done, total=total)

        keeper = threading.Thread(
            target=keep_lease, name=f"imgpath-lease-{job_id[:6]}", daemon=True
        )
        keeper.start()
        try:
            result, plot = self.runner(job["request"], on_progress)
        except ImgpathError as exc:
            self.queue.store.finish(job_id, status="failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: keep the job's record, say so
            self.queue.store.finish(
                job_id, status="failed", error=f"internal error: {type(exc).__name__}"
            )
        else:
            self.queue.store.finish(
                job_id, status="done", result=result, plot=plot, done=progress["total"]
            )
        finally:
            keeper_stop.set()
            keeper.join()
        return True
