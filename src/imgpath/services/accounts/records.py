"""The records of the accounts service: an account, a signed-in session, the policy (lifetimes,
limits, the site's address), and the checks on an account's own fields (email, time zone)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

__all__ = [
    "ROLES",
    "Account",
    "AccountPolicy",
    "Session",
    "check_time_zone",
    "normalise_email",
    "token_digest",
]

ROLES = ("applicant", "advisor", "organisation")
"""An organisation places IMGs in US clinical rotations (see ``services.workspace.organisations``)."""


def token_digest(token: str) -> str:
    """What the database keeps of a session's or a link's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_time_zone(name: str) -> str | None:
    """The problem with a time zone name, or None."""
    if name in ("UTC", "Etc/UTC") or name in _zones():
        return None
    return f"{name[:64]!r} is not a time zone; use a name such as Africa/Lagos or America/New_York"


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    role: str
    time_zone: str
    verified: bool = True
    legacy: bool = False
    """An account older than email verification whose address is not confirmed yet: it signs
    in, and keeps the shares it had at the upgrade; new shares wait until it confirms."""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Account:
        verified = row.get("email_verified_at") is not None
        return cls(row["id"], row["email"], row["name"], row["role"], row["time_zone"],
                   verified, bool(row.get("legacy")) and not verified)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role,
                "time_zone": self.time_zone, "verified": self.verified, "legacy": self.legacy}  # fmt: skip


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the account, this session's CSRF token, and its times."""

    id: str
    account: Account
    csrf: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class AccountPolicy:
    session_hours: float = 12.0
    idle_minutes: float = 30.0
    verify_hours: float = 24.0
    reset_minutes: float = 60.0
    share_pending_days: int = 30
    signin_attempts: int = 5
    signin_window: int = 3600
    signin_max_delay: int = 900
    signups_per_hour: int = 10
    mails_per_address: int = 5
    """Messages (verification, reset, notices) to one address per hour."""
    mails_per_client: int = 20
    """Messages asked for from one client address per hour."""
    public_url: str = "http://127.0.0.1:8000"
