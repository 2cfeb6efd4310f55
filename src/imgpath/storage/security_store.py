"""Server-side sessions, single-use email tokens and the sign-in throttle (SQLAlchemy Core).

Secrets are never stored: a session or token row is keyed by the SHA-256 of the random value
the browser or the email holds.  Every process of a deployment shares these tables, so a
sign-out, a password change or a throttle counts everywhere at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from imgpath.storage.tables import metadata

__all__ = ["SecurityStore", "email_tokens", "sessions", "throttle"]


def _when(name: str, *, nullable: bool = False) -> Column[datetime]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


sessions = Table(
    "sessions", metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's token, hex
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    _when("created_at"), _when("last_seen_at"), _when("expires_at"),
    Column("user_agent", String(200), nullable=False, server_default=""),
    Column("address", String(64), nullable=False, server_default=""),
)  # fmt: skip
email_tokens = Table(
    "email_tokens", metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the link's token, hex
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),  # verify | reset | email
    Column("email", String(320), nullable=False),
    _when("created_at"), _when("expires_at"), _when("used_at", nullable=True),
)  # fmt: skip
throttle = Table(
    "throttle", metadata,
    Column("key", String(400), primary_key=True),
    Column("count", Integer, nullable=False),
    _when("window_start"),
    _when("blocked_until", nullable=True),
)  # fmt: skip


def _aware(value: Any) -> Any:
    """SQLite hands back naive datetimes; every time imgpath stores is UTC."""
    from datetime import UTC

    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _row(found: Any) -> dict[str, Any] | None:
    return {k: _aware(v) for k, v in found.items()} if found else None


class SecurityStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ---------------------------------------------------------------- sessions
    def add_session(self, values: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(sessions).values(**values))

    def session(self, session_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            found = (
                conn.execute(select(sessions).where(sessions.c.id == session_id)).mappings().first()
            )
        return _row(found)

    def session_and_user(self, session_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The session and its user's row, in one query (every signed-in request asks)."""
        users = metadata.tables["users"]
        columns = [*sessions.c, *(c.label(f"user__{c.name}") for c in users.c)]
        with self.engine.connect() as conn:
            found = conn.execute(select(*columns).join(users, users.c.id == sessions.c.user_id)
                                 .where(sessions.c.id == session_id)).mappings().first()  # fmt: skip
        if found is None:
            return None
        row = {k: _aware(v) for k, v in found.items()}
        user = {k.removeprefix("user__"): row.pop(k) for k in list(row) if k.startswith("user__")}
        return row, user

    def touch_session(self, session_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(sessions).where(sessions.c.id == session_id).values(last_seen_at=now)
            )

    def sessions_of(self, user_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            found = conn.execute(select(sessions).where(sessions.c.user_id == user_id)
                                 .order_by(sessions.c.last_seen_at.desc())).mappings()  # fmt: skip
            return [r for r in (_row(f) for f in found) if r]

    def end_session(self, session_id: str) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(delete(sessions).where(sessions.c.id == session_id)).rowcount > 0

    def end_sessions(self, user_id: int, *, keep: str | None = None) -> int:
        """End every session of the user (but ``keep``); how many ended."""
        query = delete(sessions).where(sessions.c.user_id == user_id)
        if keep:
            query = query.where(sessions.c.id != keep)
        with self.engine.begin() as conn:
            return conn.execute(query).rowcount

    def purge_sessions(self, now: datetime, idle_before: datetime) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(sessions).where(
                or_(sessions.c.expires_at < now, sessions.c.last_seen_at < idle_before))).rowcount  # fmt: skip

    # ------------------------------------------------------------ email tokens
    def add_token(self, values: dict[str, Any], *, replace: bool = True) -> None:
        """Store a token; with ``replace``, earlier unused ones of the same purpose stop working."""
        with self.engine.begin() as conn:
            if replace:
                conn.execute(delete(email_tokens).where(
                    email_tokens.c.user_id == values["user_id"],
                    email_tokens.c.purpose == values["purpose"]))  # fmt: skip
            conn.execute(insert(email_tokens).values(**values))

    def revoke_tokens(self, user_id: int, purposes: tuple[str, ...]) -> int:
        """Every unused link of the user for these purposes stops working; how many."""
        with self.engine.begin() as conn:
            return conn.execute(delete(email_tokens).where(
                email_tokens.c.user_id == user_id, email_tokens.c.purpose.in_(purposes),
                email_tokens.c.used_at.is_(None))).rowcount  # fmt: skip

    def use_token(self, token_id: str, purpose: str, now: datetime) -> dict[str, Any] | None:
        """The token's row, marked used, if it exists, has this purpose, is unused and unexpired.

        The mark is a conditional update, so two requests with one token cannot both succeed.
        """
        with self.engine.begin() as conn:
            done = conn.execute(
                update(email_tokens)
                .where(email_tokens.c.id == token_id, email_tokens.c.purpose == purpose,
                       email_tokens.c.used_at.is_(None), email_tokens.c.expires_at > now)
                .values(used_at=now)
            )  # fmt: skip
            if done.rowcount != 1:
                return None
            found = (
                conn.execute(select(email_tokens).where(email_tokens.c.id == token_id))
                .mappings()
                .first()
            )
        return _row(found)

    def token(self, token_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            found = (
                conn.execute(select(email_tokens).where(email_tokens.c.id == token_id))
                .mappings()
                .first()
            )
        return _row(found)

    def purge_tokens(self, now: datetime) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(email_tokens).where(
                or_(email_tokens.c.expires_at < now, email_tokens.c.used_at.is_not(None)))).rowcount  # fmt: skip

    # ---------------------------------------------------------------- throttle
    def counter(self, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(throttle).where(throttle.c.key == key)).mappings().first()
        return _row(found)

    def change_counter(
        self,
        key: str,
        now: datetime,
        change: Callable[[dict[str, Any]], dict[str, Any] | None],
    ) -> dict[str, Any] | None:
        """Apply ``change`` to the counter ``key`` atomically; the new values, or None if refused.

        ``change`` gets the row (``count`` 0 for a new key) and returns the values to store, or
        None to leave it.  The row is locked from the read to the write (PostgreSQL: ``FOR
        UPDATE``; SQLite: the insert-or-ignore takes the database's write lock first), so two
        processes counting at the same moment both count: a burst of concurrent tries cannot
        slip under a limit between a read and a write.
        """
        with self.engine.begin() as conn:
            fresh = {"key": key, "count": 0, "window_start": now, "blocked_until": None}
            dialect = conn.dialect.name
            if dialect in ("postgresql", "sqlite"):
                module = postgresql if dialect == "postgresql" else sqlite
                conn.execute(
                    module.insert(throttle)
                    .values(**fresh)
                    .on_conflict_do_nothing(index_elements=["key"])
                )
            elif conn.execute(select(throttle.c.key).where(throttle.c.key == key)).first() is None:
                with contextlib.suppress(IntegrityError), conn.begin_nested():
                    conn.execute(insert(throttle).values(**fresh))
            found = (
                conn.execute(select(throttle).where(throttle.c.key == key).with_for_update())
                .mappings()
                .first()
            )
            row = _row(found) or fresh
            values = change(row)
            if values is not None:
                conn.execute(update(throttle).where(throttle.c.key == key).values(**values))
        return values

    def clear_counter(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(throttle).where(throttle.c.key == key))

    def purge_counters(self, before: datetime) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(throttle).where(throttle.c.window_start < before)).rowcount
