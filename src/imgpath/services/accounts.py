"""Accounts: sign-up with a verified email, sign-in with a throttle, server-side sessions,
password change and reset, email change, and deletion.

* **Sessions** live in the database: the browser holds a random 256-bit token, the table its
  SHA-256, with the user, when it started, when it was last used and when it ends (absolute
  lifetime and idle timeout).  Signing out ends it; "sign out everywhere", a password change
  (the other sessions) and a reset or deletion (all of them) end the rest.
* **Email** is verified by a single-use, expiring link before the account can sign in; a share
  addressed to an email attaches only to a verified advisor account of it.  Sign-up and
  "forgot password" answer the same whether or not the address has an account.
* **Throttle**: failed sign-ins are counted per account *and* client address; after
  ``signin_attempts`` failures each try must wait, the wait doubling from 2 s up to
  ``signin_max_delay``.  The owner signing in from another address is never held up.
  Sign-ups and reset requests are limited per address and hour.  Counters live in the
  database, so every server process shares them.
* **Passwords** follow NIST SP 800-63B §3.1.1.2: at least 8 characters, up to 256, any
  characters, no composition rules; refused if common or breached (a bundled list), only
  whitespace, repetitive or sequential, or the email itself.  Hashed with argon2id.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import available_timezones

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from imgpath.errors import AuthenticationError, PermissionDeniedError, Problem, RateLimitedError
from imgpath.services.inputs import FormError, check_email, require, text_problems
from imgpath.services.mail import Mailer
from imgpath.storage.accounts_store import AccountsStore
from imgpath.storage.database import checkpoint
from imgpath.storage.security_store import SecurityStore

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "ROLES",
    "Account",
    "AccountPolicy",
    "Accounts",
    "FormError",
    "Session",
    "Throttle",
    "normalise_email",
    "password_problems",
]

ROLES = ("applicant", "advisor", "organisation")
"""An organisation places IMGs in US clinical rotations (see ``services.workspace.organisations``)."""
MIN_PASSWORD = 8
"""NIST SP 800-63B §3.1.1.2 (rev. 4 §5.1.1.2): at least 8 characters when chosen by the user."""
MAX_PASSWORD = 256
"""Long passphrases allowed (NIST: at least 64); the cap keeps argon2's input bounded."""
_HASHER = PasswordHasher()
_LOG = logging.getLogger("imgpath.security")
"""Security events (ASVS 7.1.3, 7.2.1): sign-in successes, failures and throttling, sign-ups,
verifications, password and email changes, resets, sign-outs everywhere, deletions. Accounts
are named by id, clients by address; passwords, tokens and emails are never logged."""
_DUMMY_HASH = _HASHER.hash("imgpath: the same work whether or not the email exists")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _normalise_password(password: str) -> str:
    """NFKC, as NIST SP 800-63B §5.1.1.2 advises, so one passphrase types the same everywhere."""
    return unicodedata.normalize("NFKC", password)


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("imgpath").joinpath("data", "security", "common-passwords.txt")
    return frozenset(
        line.strip().lower()
        for line in text.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )


def _sequential(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1}


def password_problems(
    password: str, *, email: str = "", field_name: str = "password"
) -> list[Problem]:
    """Why this password is refused (NIST SP 800-63B); never repeats the password itself."""
    hint = "choose a longer passphrase, e.g. three or four unrelated words"
    if "\x00" in password or any(0xD800 <= ord(c) <= 0xDFFF for c in password):
        return [
            Problem(
                field_name,
                "contains a character that cannot be used (NUL or a lone surrogate)",
                hint,
            )
        ]
    text = _normalise_password(password)
    if len(text) < MIN_PASSWORD:
        return [Problem(field_name, f"is shorter than {MIN_PASSWORD} characters", hint)]
    if len(text) > MAX_PASSWORD:
        return [Problem(field_name, f"is longer than {MAX_PASSWORD} characters", "shorten it")]
    lowered = text.lower()
    bare = "".join(lowered.split())
    local = email.split("@", maxsplit=1)[0].lower()
    if not bare:
        return [Problem(field_name, "is only spaces", hint)]
    if len(set(bare)) <= 2 or _sequential(bare):
        return [Problem(field_name, "is a repeated or sequential pattern", hint)]
    if lowered in _common_passwords() or bare in _common_passwords():
        return [Problem(field_name, "is on a list of common or breached passwords", hint)]
    if email and (lowered in (email.lower(), local) or bare in (email.lower(), local)):
        return [Problem(field_name, "is your email address", hint)]
    if bare in ("imgpath", "imgpathimgpath") or (
        bare.startswith("imgpath") and len(set(bare[7:])) <= 2
    ):
        return [Problem(field_name, "is the name of this site", hint)]
    return []


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

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Account:
        return cls(row["id"], row["email"], row["name"], row["role"], row["time_zone"],
                   row.get("email_verified_at") is not None)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role,
                "time_zone": self.time_zone, "verified": self.verified}  # fmt: skip


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
    public_url: str = "http://127.0.0.1:8000"


@dataclass
class Throttle:
    """Failure counters with growing waits, and hourly counters, kept in the database."""

    store: SecurityStore
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @staticmethod
    def key(*parts: str) -> str:
        """Counters are keyed by a hash: the table holds no email or address in clear."""
        return parts[0] + ":" + hashlib.sha256("\x1f".join(parts[1:]).encode()).hexdigest()

    def check(self, key: str) -> None:
        row = self.store.counter(key)
        now = self.clock()
        if row and row["blocked_until"] and row["blocked_until"] > now:
            wait = max(1, int((row["blocked_until"] - now).total_seconds() + 0.999))
            msg = f"too many failed tries; wait {wait} seconds before the next one"
            raise RateLimitedError(msg, retry_after=wait)

    def fail(self, key: str, *, free: int, window: int, most: int) -> None:
        """Count a failure; from the ``free``-th on, the next try waits 2, 4, 8 … ``most`` seconds."""
        now = self.clock()
        row = self.store.counter(key)
        if row is None or row["window_start"] < now - timedelta(seconds=window):
            count, start = 1, now
        else:
            count, start = row["count"] + 1, row["window_start"]
        blocked = None
        if count >= free:
            blocked = now + timedelta(seconds=min(most, 2 ** min(count - free + 1, 30)))
        self.store.put_counter(key, count, start, blocked)

    def clear(self, key: str) -> None:
        self.store.clear_counter(key)

    def hit(self, key: str, *, most: int, window: int) -> None:
        """Count one use; the ``most``+1-th within ``window`` seconds is refused."""
        now = self.clock()
        row = self.store.counter(key)
        if row is None or row["window_start"] < now - timedelta(seconds=window):
            self.store.put_counter(key, 1, now, None)
            return
        if row["count"] >= most:
            wait = max(
                1, int((row["window_start"] + timedelta(seconds=window) - now).total_seconds())
            )
            msg = f"too many requests from your address; try again in {wait} seconds"
            raise RateLimitedError(msg, retry_after=wait)
        self.store.put_counter(key, row["count"] + 1, row["window_start"], None)


class Accounts:
    def __init__(self, store: AccountsStore, security: SecurityStore, mailer: Mailer,
                 policy: AccountPolicy | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:  # fmt: skip
        self.store = store
        self.security = security
        self.mailer = mailer
        self.policy = policy or AccountPolicy()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.throttle = Throttle(security, self.clock)

    # ------------------------------------------------------------------ sign-up
    def _signup_problems(self, email: str, password: str, role: str, name: str,
                         time_zone: str) -> tuple[str, list[Problem]]:  # fmt: skip
        address, problems = check_email(email)
        problems += password_problems(password, email=address)
        if role not in ROLES:
            problems.append(
                Problem(
                    "role",
                    f"{role[:20]!r} is not a role",
                    "choose applicant, advisor or organisation",
                )
            )
        problems += text_problems(name, "name", most=200)
        zone_problem = check_time_zone(time_zone)
        if zone_problem:
            problems.append(Problem("time_zone", zone_problem))
        return address, problems

    def sign_up(self, *, email: str, password: str, role: str, name: str = "", time_zone: str = "UTC",
                client: str = "", verified: bool = False) -> None:  # fmt: skip
        """Start an account and email a link to verify the address.

        The answer is the same whether or not the address has an account (no enumeration):
        a verified owner gets a "someone tried to sign up" message instead; an unverified
        account of the address (never signed in, so empty) is replaced by the new one.
        ``verified`` (the demo account, tests) skips the email.
        """
        address, problems = self._signup_problems(email, password, role, name, time_zone)
        require(problems)
        self.throttle.hit(
            Throttle.key("signup", client), most=self.policy.signups_per_hour, window=3600
        )
        password_hash = _HASHER.hash(_normalise_password(password))
        now = self.clock()
        existing = self.store.user_by_email(address)
        if existing is not None and existing["email_verified_at"] is not None:
            self.mailer.send(address, "imgpath: someone tried to create an account with your email",
                             "Someone (perhaps you) tried to create an imgpath account with this address, "
                             "which already has one. Nothing changed.\n\nIf it was you, sign in, or reset "
                             f"your password at {self.policy.public_url}/forgot\n")  # fmt: skip
            return
        if existing is not None:
            self.store.delete_user(int(existing["id"]))
        user_id = self.store.add_user(email=address, name=name.strip(), password_hash=password_hash, role=role,
                                      time_zone=time_zone, now=now, verified=verified)  # fmt: skip
        if user_id is None:  # someone signed up with it at this very moment: say the same
            return
        if verified:
            return
        link = self._link(
            user_id, "verify", address, hours=self.policy.verify_hours, path="/verify"
        )
        self.mailer.send(address, "imgpath: confirm your email",
                         "Confirm your email to finish creating your imgpath account:\n\n"
                         f"{link}\n\nThe link works once, for {self.policy.verify_hours:g} hours. If you "
                         "did not create an account, ignore this message.\n", link=link)  # fmt: skip

    def _link(self, user_id: int, purpose: str, email: str, *, hours: float, path: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self.security.add_token({"id": _digest(token), "user_id": user_id, "purpose": purpose, "email": email,
                                 "created_at": now, "expires_at": now + timedelta(hours=hours)})  # fmt: skip
        return f"{self.policy.public_url}{path}?token={token}"

    def _use(self, token: str, purpose: str) -> dict[str, Any]:
        row = (
            self.security.use_token(_digest(token.strip()), purpose, self.clock())
            if token.strip()
            else None
        )
        if row is None:
            raise FormError([Problem("token", "this link is not valid: it was used already, it expired, "
                                     "or it was replaced by a newer one", "ask for a new link")])  # fmt: skip
        return row

    def _use_for_user(self, token: str, purpose: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Use a token whose account still has the address the link was sent to."""
        row = self._use(token, purpose)
        user = self.store.user(int(row["user_id"]))
        if user is None or user["email"] != row["email"]:
            problem = Problem(
                "token", "this link belongs to an account that changed", "ask for a new link"
            )
            raise FormError([problem])
        _LOG.info("link used: purpose=%s account=%s", purpose, user["id"])
        return row, user

    def verify(self, token: str) -> Account:
        """Mark the address verified (the link was opened and confirmed); attach pending shares."""
        _, user = self._use_for_user(token, "verify")
        self._mark_verified(user)
        return self.get(int(user["id"]))

    def _mark_verified(self, user: dict[str, Any]) -> None:
        now = self.clock()
        if user["email_verified_at"] is None:
            self.store.update_user(int(user["id"]), email_verified_at=now)
        if user["role"] == "advisor":
            self.store.attach_shares(user["email"], int(user["id"]), now)

    # ------------------------------------------------------------------ sign-in
    def sign_in(self, *, email: str, password: str, client: str = "") -> Account:
        email = normalise_email(email)[:320]
        pair = Throttle.key("signin", email, client)
        wide = Throttle.key("signin-address", client)
        try:
            self.throttle.check(pair)
            self.throttle.check(wide)
        except RateLimitedError:
            _LOG.warning("sign-in throttled: client=%s", client)
            raise
        row = self.store.user_by_email(email) if "\x00" not in email else None
        if not _password_matches(row, password):
            p = self.policy
            self.throttle.fail(
                pair, free=p.signin_attempts, window=p.signin_window, most=p.signin_max_delay
            )
            self.throttle.fail(
                wide, free=p.signin_attempts * 10, window=p.signin_window, most=p.signin_max_delay
            )
            _LOG.warning("sign-in failed: client=%s account=%s", client, row["id"] if row else "-")
            msg = "the email or password is wrong"
            raise AuthenticationError(msg)
        assert row is not None
        _LOG.info("sign-in: account=%s client=%s", row["id"], client)
        self.throttle.clear(pair)
        if row["email_verified_at"] is None:
            link = self._link(
                int(row["id"]),
                "verify",
                row["email"],
                hours=self.policy.verify_hours,
                path="/verify",
            )
            self.mailer.send(row["email"], "imgpath: confirm your email",
                             f"Confirm your email to use your imgpath account:\n\n{link}\n", link=link)  # fmt: skip
            msg = "confirm your email first: we sent a new link to it"
            raise PermissionDeniedError(msg)
        if _HASHER.check_needs_rehash(row["password_hash"]):
            self.store.update_user(
                int(row["id"]), password_hash=_HASHER.hash(_normalise_password(password))
            )
        return Account.from_row(row)

    def get(self, user_id: int) -> Account:
        row = self.store.user(user_id)
        if row is None:
            msg = "not signed in"
            raise AuthenticationError(msg)
        return Account.from_row(row)

    # ----------------------------------------------------------------- sessions
    def start_session(
        self, account: Account, *, user_agent: str = "", client: str = ""
    ) -> tuple[str, Session]:
        """A new session; returns the cookie's token (shown once, stored only as its hash)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        ends = now + timedelta(hours=self.policy.session_hours)
        values: dict[str, Any] = {"id": _digest(token), "user_id": account.id, "csrf": csrf,
                  "created_at": now, "last_seen_at": now, "expires_at": ends,
                  "user_agent": "".join(c for c in user_agent if c.isprintable())[:200],
                  "address": client[:64]}  # fmt: skip
        self.security.add_session(values)
        return token, Session(_digest(token), account, csrf, now, now, ends)

    def session(self, token: str) -> Session | None:
        """The live session of a cookie's token; None when unknown, ended, expired or idle."""
        if not token or len(token) > 100:
            return None
        found = self.security.session_and_user(_digest(token))
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

    # ---------------------------------------------------------------- passwords
    def _reauthenticate(
        self, account: Account, password: str, field_name: str = "password"
    ) -> None:
        key = Throttle.key("reauth", str(account.id))
        self.throttle.check(key)
        if not _password_matches(self.store.user(account.id), password):
            p = self.policy
            self.throttle.fail(
                key, free=p.signin_attempts, window=p.signin_window, most=p.signin_max_delay
            )
            _LOG.warning("re-authentication failed: account=%s", account.id)
            raise FormError(
                [
                    Problem(
                        field_name,
                        "is not your current password",
                        "type the password you sign in with",
                    )
                ]
            )
        self.throttle.clear(key)

    def change_password(
        self, account: Account, *, current: str, new: str, keep_session: str
    ) -> int:
        """Change the password and end every other session; how many ended."""
        require(password_problems(new, email=account.email, field_name="new_password"))
        self._reauthenticate(account, current, "current_password")
        self.store.update_user(account.id, password_hash=_HASHER.hash(_normalise_password(new)))
        _LOG.info("password changed: account=%s", account.id)
        return self.end_other_sessions(account, keep_session)

    def forgot_password(self, email: str, *, client: str = "") -> None:
        """Email a reset link if the address has an account; the same answer either way."""
        address, problems = check_email(email)
        require(problems)
        self.throttle.hit(
            Throttle.key("forgot", client), most=self.policy.signups_per_hour, window=3600
        )
        self.throttle.hit(Throttle.key("forgot-email", address), most=3, window=3600)
        row = self.store.user_by_email(address)
        if row is None:
            _HASHER.hash("the same work either way")
            return
        minutes = self.policy.reset_minutes
        link = self._link(int(row["id"]), "reset", address, hours=minutes / 60, path="/reset")
        self.mailer.send(address, "imgpath: reset your password",
                         f"Choose a new imgpath password here:\n\n{link}\n\nThe link works once, for "
                         f"{minutes:g} minutes. If you did not ask for it, ignore this message: your "
                         "password has not changed.\n", link=link)  # fmt: skip

    def reset_password(self, token: str, new: str) -> Account:
        """Set a new password from a reset link: proves the address, ends every session."""
        digest = _digest(token.strip())
        found = self.security.token(digest)
        email = found["email"] if found else ""
        require(password_problems(new, email=email, field_name="password"))
        _, user = self._use_for_user(token, "reset")
        self.store.update_user(
            int(user["id"]), password_hash=_HASHER.hash(_normalise_password(new))
        )
        self._mark_verified(user)
        self.security.end_sessions(int(user["id"]))
        _LOG.info("password reset: account=%s", user["id"])
        return self.get(int(user["id"]))

    # -------------------------------------------------------------- the account
    def update(self, account: Account, *, name: str, time_zone: str) -> Account:
        problems = text_problems(name, "name", most=200)
        zone_problem = check_time_zone(time_zone)
        if zone_problem:
            problems.append(Problem("time_zone", zone_problem))
        require(problems)
        self.store.update_user(account.id, name=name.strip(), time_zone=time_zone)
        return self.get(account.id)

    def request_email_change(self, account: Account, *, new_email: str, password: str) -> None:
        """Email a confirmation link to the new address (after the password); the email changes
        when it is opened.  The same answer whether or not the new address is taken."""
        address, problems = check_email(new_email, "new_email")
        require(problems)
        self._reauthenticate(account, password)
        if address == account.email:
            raise FormError([Problem("new_email", "is your email already")])
        if self.store.user_by_email(address) is not None:
            self.mailer.send(address, "imgpath: someone tried to move an account to your email",
                             "Someone tried to change an imgpath account's email to this address, "
                             "which already has an account. Nothing changed.\n")  # fmt: skip
            return
        link = self._link(
            account.id, "email", address, hours=self.policy.verify_hours, path="/email/confirm"
        )
        self.mailer.send(
            address,
            "imgpath: confirm your new email",
            f"Confirm that imgpath should use this address for your account:\n\n{link}\n",
            link=link,
        )
        self.mailer.send(account.email, "imgpath: your email is about to change",
                         f"Someone signed in to your account asked to change its email to {address}. "
                         "If it was not you, reset your password now.\n")  # fmt: skip

    def confirm_email_change(self, token: str) -> Account:
        row = self._use(token, "email")
        user = self.store.user(int(row["user_id"]))
        if user is None:
            raise FormError(
                [Problem("token", "this link belongs to an account that no longer exists")]
            )
        if not self.store.update_user(
            int(user["id"]), email=row["email"], email_verified_at=self.clock()
        ):
            raise FormError(
                [Problem("token", "that address has an account now", "choose another address")]
            )
        if user["role"] == "advisor":  # shares were to the old address: they end with it
            self.store.detach_shares(int(user["id"]))
            self.store.attach_shares(row["email"], int(user["id"]), self.clock())
        self.security.end_sessions(int(user["id"]))
        return self.get(int(user["id"]))

    def delete(self, account: Account, *, password: str, confirm_email: str | None = None) -> None:
        """Delete the account and everything in it, once its owner has given the password
        (and, from the page, typed the email); every session ends with it."""
        if confirm_email is not None and normalise_email(confirm_email) != account.email:
            raise FormError(
                [
                    Problem(
                        "confirm_email",
                        "does not match your email",
                        "type your account's email to confirm",
                    )
                ]
            )
        self._reauthenticate(account, password)
        self.store.delete_user(account.id)
        _LOG.info("account deleted: account=%s", account.id)
        checkpoint(self.store.engine)

    def reauthenticate(self, account: Account, password: str) -> None:
        """Check the password before a sensitive change (sharing); a FormError names ``password``."""
        self._reauthenticate(account, password)


def _password_matches(row: dict[str, Any] | None, password: str) -> bool:
    unusable = "\x00" in password or any(0xD800 <= ord(c) <= 0xDFFF for c in password)
    if row is None or len(password) > 4 * MAX_PASSWORD or unusable:
        with contextlib.suppress(VerificationError, InvalidHashError):
            _HASHER.verify(_DUMMY_HASH, "the same work whether or not the email exists")
        return False
    try:
        if _HASHER.verify(row["password_hash"], _normalise_password(password)):
            return True
    except (VerificationError, InvalidHashError):
        pass
    try:  # a hash made before passwords were normalised
        return bool(_HASHER.verify(row["password_hash"], password))
    except (VerificationError, InvalidHashError):
        return False
