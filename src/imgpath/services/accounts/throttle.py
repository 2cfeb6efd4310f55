"""Sign-in throttling and hourly limits: counters in the database, changed atomically, so every
server process shares them (see :class:`Throttle`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from imgpath.errors import RateLimitedError
from imgpath.storage.security_store import SecurityStore

__all__ = ["Throttle"]


@dataclass
class Throttle:
    """Counters kept in the database and changed atomically (every process shares them).

    A try is counted *before* it is made (:meth:`attempt`), inside one locked transaction, so
    concurrent tries cannot slip under a limit between a read and a write; a successful try is
    then cleared (:meth:`clear`) or given back (:meth:`refund`).
    """

    store: SecurityStore
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @staticmethod
    def key(*parts: str) -> str:
        """Counters are keyed by a hash: the table holds no email or address in clear."""
        return parts[0] + ":" + hashlib.sha256("\x1f".join(parts[1:]).encode()).hexdigest()

    def attempt(self, key: str, *, free: int, window: int, most: int) -> None:
        """Count one try, or refuse it (RateLimitedError) while ``key`` must wait.  From the
        ``free``-th try within ``window`` seconds on, the next waits 2, 4, 8 … ``most`` seconds."""
        now = self.clock()
        waiting: list[datetime] = []

        def change(row: dict[str, Any]) -> dict[str, Any] | None:
            if row["window_start"] < now - timedelta(seconds=window):
                row = {"count": 0, "window_start": now, "blocked_until": None}
            blocked = row["blocked_until"]
            if blocked is not None and blocked > now:
                waiting.append(blocked)
                return None
            count = int(row["count"]) + 1
            until = None
            if count >= free:
                until = now + timedelta(seconds=min(most, 2 ** min(count - free + 1, 30)))
            return {"count": count, "window_start": row["window_start"], "blocked_until": until}

        self.store.change_counter(key, now, change)
        if waiting:
            wait = max(1, int((waiting[0] - now).total_seconds() + 0.999))
            msg = f"too many failed tries; wait {wait} seconds before the next one"
            raise RateLimitedError(msg, retry_after=wait)

    def refund(self, key: str, *, free: int) -> None:
        """Give back one counted try (it succeeded, or it was refused elsewhere)."""

        def change(row: dict[str, Any]) -> dict[str, Any] | None:
            if not row["count"]:
                return None
            count = int(row["count"]) - 1
            return {"count": count, "window_start": row["window_start"],
                    "blocked_until": row["blocked_until"] if count >= free else None}  # fmt: skip

        self.store.change_counter(key, self.clock(), change)

    def clear(self, key: str) -> None:
        self.store.clear_counter(key)

    def allow(self, key: str, *, most: int, window: int) -> bool:
        """Count one use if fewer than ``most`` were counted within ``window`` seconds."""
        return self._use(key, most=most, window=window) is None

    def hit(self, key: str, *, most: int, window: int) -> None:
        """Count one use; the ``most``+1-th within ``window`` seconds is refused (429)."""
        wait = self._use(key, most=most, window=window)
        if wait is not None:
            msg = f"too many requests from your address; try again in {wait} seconds"
            raise RateLimitedError(msg, retry_after=wait)

    def _use(self, key: str, *, most: int, window: int) -> int | None:
        now = self.clock()
        waits: list[int] = []

        def change(row: dict[str, Any]) -> dict[str, Any] | None:
            if not row["count"] or row["window_start"] < now - timedelta(seconds=window):
                return {"count": 1, "window_start": now, "blocked_until": None}
            if row["count"] >= most:
                ends = row["window_start"] + timedelta(seconds=window)
                waits.append(max(1, int((ends - now).total_seconds())))
                return None
            return {"count": int(row["count"]) + 1, "window_start": row["window_start"],
                    "blocked_until": None}  # fmt: skip

        self.store.change_counter(key, now, change)
        return waits[0] if waits else None
