"""Server-side sessions: the browser holds a random 256-bit token, the table its SHA-256, with
the account, when it started, was last used and ends (absolute lifetime and idle timeout)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from imgpath.services.accounts.records import Account, AccountPolicy, Session, token_digest
from imgpath.storage.security_store import SecurityStore

__all__ = ["SessionKeeping"]

_LOG = logging.getLogger("imgpath.security")


class SessionKeeping:
    """The sessions half of :class:`~imgpath.services.accounts.Accounts` (mixed into it)."""

    security: SecurityStore
    policy: AccountPolicy
    clock: Callable[[], datetime]

    def start_session(
        self, account: Account, *, user_agent: str = "", client: str = ""
    ) -> tuple[str, Session]:
        """A new session; returns the cookie's token (shown once, stored only as its hash)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        ends = now + timedelta(hours=self.policy.session_hours)
        values: dict[str, Any] = {"id": token_digest(token), "user_id": account.id, "csrf": csrf,
                  "created_at": now, "last_seen_at": now, "expires_at": ends,
                  "user_agent": "".join(c for c in user_agent if c.isprintable())[:200],
                  "address": client[:64]}  # fmt: skip
        self.security.add_session(values)
        return token, Session(token_digest(token), account, csrf, now, now, ends)

    def session(self, token: str) -> Session | None:
        """The live session of a cookie's token; None when unknown, ended, expired or idle."""
        if not token or len(token) > 100:
            return None
        found = self.security.session_and_user(token_digest(token))
        if found is None:
            return None
        row, user = found
        now = self.clock()
        idle = timedelta(minutes=self.policy.idle_minutes)
        if row["expires_at"] <= now or row["last_seen_at"] + idle <= now:
            self.security.end_session(row["id"])
            return None
        if now - row["last_seen_at"] > timedelta(seconds=min(60, idle.total_seconds() / 10)):
            self.security.touch_session(row["id"], now)
        return Session(
            row["id"],
            Account.from_row(user),
            row["csrf"],
            row["created_at"],
            now,
            row["expires_at"],
        )

    def end_session(self, session_id: str) -> None:
        self.security.end_session(session_id)

    def end_other_sessions(self, account: Account, keep: str) -> int:
        return self.security.end_sessions(account.id, keep=keep)

    def sign_out_everywhere(self, account: Account) -> int:
        _LOG.info("signed out everywhere: account=%s", account.id)
        return self.security.end_sessions(account.id)

    def sessions(self, account: Account, current: str = "") -> list[dict[str, Any]]:
        """The account's sessions (no tokens): when each started, was last used, ends; which is this."""
        return [{"started": r["created_at"].isoformat(), "last_seen": r["last_seen_at"].isoformat(),
                 "expires": r["expires_at"].isoformat(), "browser": r["user_agent"], "address": r["address"],
                 "current": r["id"] == current} for r in self.security.sessions_of(account.id)]  # fmt: skip
