"""Accounts: sign-up, sign-in with argon2 and a rate limit, roles, export and deletion.

The rate limit counts failed sign-ins per email and per client address in this process (a
sliding window).  It slows password guessing against one account or from one address; a
deployment behind several processes should also limit at its proxy.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from imgpath.errors import (
    AuthenticationError,
    InvalidInputError,
    Problem,
    RateLimitedError,
)
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["ROLES", "Account", "Accounts", "FormError", "SignInLimiter"]

ROLES = ("applicant", "advisor")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HASHER = PasswordHasher()
MIN_PASSWORD = 10


class FormError(InvalidInputError):
    """Bad form or API input, with every problem keyed by its field name."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))

    def by_field(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self.problems:
            out.setdefault(p.location, f"{p.message}; {p.hint}" if p.hint else p.message)
        return out


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    role: str
    time_zone: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Account:
        return cls(row["id"], row["email"], row["name"], row["role"], row["time_zone"])

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role, "time_zone": self.time_zone}  # fmt: skip


@dataclass
class SignInLimiter:
    """At most ``attempts`` failures per key in ``window`` seconds."""

    attempts: int = 5
    window: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            seen = self._failures.get(key)
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if seen and len(seen) >= self.attempts:
                wait = int(self.window - (now - seen[0])) + 1
                msg = f"too many failed sign-ins; try again in {wait} seconds"
                raise RateLimitedError(msg, retry_after=wait)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_time_zone(name: str) -> str | None:
    """The problem with a time zone name, or None."""
    if name in ("UTC", "Etc/UTC") or name in _zones():
        return None
    return f"{name!r} is not a time zone; use a name such as Africa/Lagos or America/New_York"


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _password_matches(row: dict[str, Any] | None, password: str) -> bool:
    if row is None:
        _HASHER.hash(password)  # the same work either way: no telling which emails exist
        return False
    try:
        return bool(_HASHER.verify(row["password_hash"], password))
    except (VerificationError, InvalidHashError):
        return False


class Accounts:
    def __init__(self, store: AccountsStore, limiter: SignInLimiter | None = None) -> None:
        self.store = store
        self.limiter = limiter or SignInLimiter()

    def sign_up(self, *, email: str, password: str, role: str, name: str = "", time_zone: str = "UTC",
                now: datetime | None = None) -> Account:  # fmt: skip
        email = normalise_email(email)
        problems = []
        if not _EMAIL.match(email):
            problems.append(
                Problem("email", "is not an email address", "write it as name@example.org")
            )
        if len(password) < MIN_PASSWORD:
            problems.append(
                Problem(
                    "password", f"is shorter than {MIN_PASSWORD} characters", "choose a longer one"
                )
            )
        if role not in ROLES:
            problems.append(
                Problem("role", f"{role!r} is not a role", "choose applicant or advisor")
            )
        if len(name) > 200:
            problems.append(Problem("name", "is longer than 200 characters", "shorten it"))
        zone_problem = check_time_zone(time_zone)
        if zone_problem:
            problems.append(Problem("time_zone", zone_problem))
        if problems:
            raise FormError(problems)
        user_id = self.store.add_user(email=email, name=name.strip(), password_hash=_HASHER.hash(password),
                                      role=role, time_zone=time_zone, now=now or datetime.now(UTC))  # fmt: skip
        if user_id is None:
            raise FormError([Problem("email", "already has an account", "sign in instead")])
        return self.get(user_id)

    def sign_in(self, *, email: str, password: str, client: str = "") -> Account:
        email = normalise_email(email)
        keys = (f"email:{email}", f"client:{client}")
        self.limiter.check(*keys)
        row = self.store.user_by_email(email)
        if not _password_matches(row, password):
            self.limiter.failed(*keys)
            msg = "the email or password is wrong"
            raise AuthenticationError(msg)
        assert row is not None
        self.limiter.succeeded(keys[0])
        return Account.from_row(row)

    def get(self, user_id: int) -> Account:
        row = self.store.user(user_id)
        if row is None:
            msg = "not signed in"
            raise AuthenticationError(msg)
        return Account.from_row(row)

    def update(self, account: Account, *, name: str, time_zone: str) -> Account:
        zone_problem = check_time_zone(time_zone)
        if zone_problem:
            raise FormError([Problem("time_zone", zone_problem)])
        self.store.update_user(account.id, name=name.strip()[:200], time_zone=time_zone)
        return self.get(account.id)

    def delete(self, account: Account, *, confirm_email: str) -> None:
        """Delete the account and everything in it, once its owner has typed its email."""
        if normalise_email(confirm_email) != account.email:
            raise FormError(
                [
                    Problem(
                        "confirm_email",
                        "does not match your email",
                        "type your account's email to confirm",
                    )
                ]
            )
        self.store.delete_user(account.id)
