"""The odds queue's storage: jobs are rows of ``odds_jobs``; workers claim them with a lease.

A claim, a submission (with its limits) and a lease takeover each run as one serialised
transaction (:func:`~imgpath.storage.tracker_store.serialised`: SQLite ``BEGIN IMMEDIATE``,
PostgreSQL an advisory lock), so any number of server and worker processes share one queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update

from imgpath.storage.accounts_store import odds_jobs
from imgpath.storage.tracker_store import serialised

__all__ = ["QUEUE_LOCK", "JobsStore"]

QUEUE_LOCK = 0x0DD5
"""The advisory-lock key of the queue on PostgreSQL (user ids are positive, so no clash)."""
ACTIVE = ("queued", "running")


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class JobsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def submit(self, job_id: str, user_id: int, request: Mapping[str, Any], *, total: int, now: datetime,
               per_user: int, overall: int) -> Literal["queued", "user_full", "queue_full"]:  # fmt: skip
        """Queue a job unless the user or the whole queue is at its limit."""
        with serialised(self.engine, -QUEUE_LOCK) as conn:
            mine = conn.execute(select(func.count()).select_from(odds_jobs).where(
                odds_jobs.c.user_id == user_id, odds_jobs.c.status.in_(ACTIVE))).scalar_one()  # fmt: skip
            if mine >= per_user:
                return "user_full"
            everyone = conn.execute(select(func.count()).select_from(odds_jobs)
                                    .where(odds_jobs.c.status.in_(ACTIVE))).scalar_one()  # fmt: skip
            if everyone >= overall:
                return "queue_full"
            conn.execute(insert(odds_jobs).values(id=job_id, user_id=user_id, status="queued", done=0, total=total,
                                                  request=dict(request), created_at=now, attempts=0))  # fmt: skip
        return "queued"

    def claim(
        self, *, now: datetime, lease_until: datetime, most_attempts: int
    ) -> dict[str, Any] | None:
        """The next job to run, fairly: among queued jobs (and running ones whose worker stopped
        renewing the lease), the one whose owner has the fewest jobs running, oldest first."""
        running = odds_jobs.alias("running")
        busy = (select(func.count()).select_from(running)
                .where(running.c.user_id == odds_jobs.c.user_id, running.c.status == "running",
                       running.c.lease_until >= now).scalar_subquery())  # fmt: skip
        stale = and_(odds_jobs.c.status == "running", odds_jobs.c.lease_until < now)
        with serialised(self.engine, -QUEUE_LOCK) as conn:
            conn.execute(update(odds_jobs).where(stale, odds_jobs.c.attempts >= most_attempts).values(
                status="failed", error="the run stopped twice (its worker ended); start it again", lease_until=None))  # fmt: skip
            found = conn.execute(
                select(odds_jobs.c.id).where(or_(odds_jobs.c.status == "queued", stale))
                .order_by(busy, odds_jobs.c.created_at, odds_jobs.c.id).limit(1)
            ).first()  # fmt: skip
            if found is None:
                return None
            conn.execute(update(odds_jobs).where(odds_jobs.c.id == found[0]).values(
                status="running", lease_until=lease_until, attempts=odds_jobs.c.attempts + 1))  # fmt: skip
            row = (
                conn.execute(select(odds_jobs).where(odds_jobs.c.id == found[0])).mappings().first()
            )
        return {k: _aware(v) for k, v in dict(row).items()} if row else None

    def renew(self, job_id: str, lease_until: datetime, **values: Any) -> None:
        """Extend a running job's lease (and record its progress)."""
        with self.engine.begin() as conn:
            conn.execute(update(odds_jobs).where(odds_jobs.c.id == job_id, odds_jobs.c.status == "running")
                         .values(lease_until=lease_until, **values))  # fmt: skip

    def finish(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(odds_jobs).where(odds_jobs.c.id == job_id).values(lease_until=None, **values)
            )

    def plot(self, job_id: str) -> bytes | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(odds_jobs.c.plot).where(odds_jobs.c.id == job_id)).first()
        return bytes(found[0]) if found and found[0] is not None else None

    def prune(self, user_id: int, keep: int) -> int:
        """Delete the user's finished jobs beyond the ``keep`` newest."""
        with self.engine.begin() as conn:
            kept = select(odds_jobs.c.id).where(odds_jobs.c.user_id == user_id).order_by(
                odds_jobs.c.created_at.desc()).limit(keep)  # fmt: skip
            kept_ids = [r[0] for r in conn.execute(kept)]
            return conn.execute(delete(odds_jobs).where(
                odds_jobs.c.user_id == user_id, odds_jobs.c.status.not_in(ACTIVE),
                odds_jobs.c.id.not_in(kept_ids))).rowcount  # fmt: skip

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(odds_jobs.c.status, func.count()).group_by(odds_jobs.c.status)
            )
            return {str(s): int(n) for s, n in rows}
