"""Accounts: sign-up with a verified email, sign-in with a throttle, server-side sessions,
password change and reset, email change, and deletion.

* **Sessions** live in the database: the browser holds a random 256-bit token, the table its
  SHA-256, with the user, when it started, when it was last used and when it ends (absolute
  lifetime and idle timeout).  Signing out ends it; "sign out everywhere", a password change
  (the other sessions) and a reset or deletion (all of them) end the rest.
* **Email** is verified by a single-use, expiring link before the account can sign in; the link
  works only for someone signed in as its account or who types its password.  A share addressed
  to an email attaches only to a verified advisor account of it.  Sign-up and "forgot password"
  answer the same, in the same time, whether or not the address has an account; a sign-up never
  touches an existing account (its owner is mailed).  Messages are made and sent off the request
  path and capped per address and per client each hour.
* **Throttle**: sign-in tries are counted (atomically, before the password is checked) per
  account *and* client address; after ``signin_attempts`` each try must wait, the wait doubling
  from 2 s up to ``signin_max_delay``.  The owner signing in from another address is not held
  up; a wider count per account (20 times as many tries, from anywhere) is cleared by a reset.
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


class Accounts:
    def __init__(self, store: AccountsStore, security: SecurityStore, mailer: Mailer,
                 policy: AccountPolicy | None = None,
                 clock: Callable[[], datetime] | None = None,
                 deliver: Callable[[Callable[[], None]], None] | None = None) -> None:  # fmt: skip
        """``deliver(job)`` runs a mail job (make the link, send the message) off the request
        path (:class:`~imgpath.services.mail.MailQueue`); without it jobs run at once."""
        self.store = store
        self.security = security
        self.mailer = mailer
        self.policy = policy or AccountPolicy()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.throttle = Throttle(security, self.clock)
        self.deliver: Callable[[Callable[[], None]], None] = deliver or (lambda job: job())

    # -------------------------------------------------------------------- mail
    def _may_mail(self, address: str, client: str) -> bool:
        """Count one message to ``address`` asked for from ``client``; False past either hourly
        cap (then nothing is sent, and the answer stays the same: no enumeration, no flooding).
        Counted whether or not the address has an account."""
        p = self.policy
        to_address = self.throttle.allow(
            Throttle.key("mail-to", address), most=p.mails_per_address, window=3600
        )
        from_client = self.throttle.allow(Throttle.key("mail-from", client), most=p.mails_per_client, window=3600)  # fmt: skip
        if not (to_address and from_client):
            _LOG.warning("email not sent: hourly cap reached (%s) client=%s",
                         "address" if not to_address else "client", client)  # fmt: skip
            return False
        return True

    def _send_verification(self, user_id: int, address: str, intro: str) -> None:
        link = self._link(
            user_id, "verify", address, hours=self.policy.verify_hours, path="/verify"
        )
        self.mailer.send(address, "imgpath: confirm your email",
                         f"{intro}\n\n{link}\n\nOpen it and type your imgpath password to confirm. The link "
                         f"works once, for {self.policy.verify_hours:g} hours. If you did not create an "
                         "account, ignore this message.\n", link=link)  # fmt: skip

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

        An address that has an account (verified or not) is never deleted, replaced or taken
        over: its owner is told by email instead.  The answer, and the work done before it
        (hash, insert attempt, mail counters), is the same either way (no enumeration).
        ``verified`` (the demo account, tests) skips the email.
        """
        address, problems = self._signup_problems(email, password, role, name, time_zone)
        require(problems)
        self.throttle.hit(
            Throttle.key("signup", client), most=self.policy.signups_per_hour, window=3600
        )
        password_hash = _HASHER.hash(_normalise_password(password))
        user_id = self.store.add_user(email=address, name=name.strip(), password_hash=password_hash, role=role,
                                      time_zone=time_zone, now=self.clock(), verified=verified)  # fmt: skip
        if verified:  # the demo account and tests: no message, whether it was there or not
            return
        if not self._may_mail(address, client):
            return
        if user_id is not None:
            self.deliver(lambda: self._send_verification(
                user_id, address, "Confirm your email to finish creating your imgpath account:"))  # fmt: skip
        else:
            self.deliver(lambda: self._tell_owner_of_signup(address))

    def _tell_owner_of_signup(self, address: str) -> None:
        row = self.store.user_by_email(address)
        unconfirmed = row is not None and row["email_verified_at"] is None and not row["legacy"]
        self.mailer.send(address, "imgpath: someone tried to create an account with your email",
                         "Someone (perhaps you) tried to create an imgpath account with this address, "
                         "which already has one. Nothing changed: the account and everything in it are "
                         "as they were.\n\n"
                         + ("The account's email is not confirmed yet: sign in with the password you chose "
                            "to get a new confirmation link. " if unconfirmed else "")
                         + "If it was you, sign in, or reset your password at "
                         f"{self.policy.public_url}/forgot\n")  # fmt: skip

    def _link(self, user_id: int, purpose: str, email: str, *, hours: float, path: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self.security.add_token({"id": _digest(token), "user_id": user_id, "purpose": purpose, "email": email,
                                 "created_at": now, "expires_at": now + timedelta(hours=hours)})  # fmt: skip
        return f"{self.policy.public_url}{path}?token={token}"

    @staticmethod
    def _invalid_link() -> FormError:
        return FormError([Problem("token", "this link is not valid: it was used already, it expired, "
                                  "or it was replaced by a newer one", "ask for a new link")])  # fmt: skip

    def _use_for_user(self, token: str, purpose: str, *, password: str | None = None,
                      signed_in: Account | None = None) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
        """Use a link whose account still has the address it was sent to.

        With ``password`` given (verification, email change), the link works only for someone
        signed in as its account or who types that account's password (throttled like a
        sign-in): a forwarded or leaked link confirms nothing for anyone else.  A wrong password
        does not use the link up.
        """
        digest = _digest(token.strip()) if token.strip() else ""
        if password is not None:
            found = self.security.token(digest) if digest else None
            now = self.clock()
            if (found is None or found["purpose"] != purpose or found["used_at"] is not None
                    or found["expires_at"] <= now):  # fmt: skip
                raise self._invalid_link()
            user_id = int(found["user_id"])
            if signed_in is None or signed_in.id != user_id:
                if not password:  # not a guess: not counted
                    raise FormError([Problem("password", "is needed to use this link",
                                             "sign in first, or type the password of the account "
                                             "the link was sent for")])  # fmt: skip
                self._check_password(user_id, password)
        row = self.security.use_token(digest, purpose, self.clock()) if digest else None
        if row is None:
            raise self._invalid_link()
        user = self.store.user(int(row["user_id"]))
        if user is None or (purpose != "email" and user["email"] != row["email"]):
            problem = Problem(
                "token", "this link belongs to an account that changed", "ask for a new link"
            )
            raise FormError([problem])
        _LOG.info("link used: purpose=%s account=%s", purpose, user["id"])
        return row, user

    def verify(
        self, token: str, *, password: str = "", signed_in: Account | None = None
    ) -> Account:
        """Mark the address verified and attach pending shares; the link works for someone
        signed in as its account, or with that account's password."""
        _, user = self._use_for_user(token, "verify", password=password, signed_in=signed_in)
        self._mark_verified(user)
        return self.get(int(user["id"]))

    def send_verification(self, account: Account, *, client: str = "") -> None:
        """Email a new confirmation link to the account's address (an account older than
        verification, or one whose link expired); capped like every message."""
        if account.verified:
            raise FormError([Problem("email", "is confirmed already")])
        if self._may_mail(account.email, client):
            self.deliver(lambda: self._send_verification(
                account.id, account.email, "Confirm the email of your imgpath account:"))  # fmt: skip

    def _mark_verified(self, user: dict[str, Any]) -> None:
        now = self.clock()
        if user["email_verified_at"] is None:
            self.store.update_user(int(user["id"]), email_verified_at=now)
        if user["role"] == "advisor":
            self.store.attach_shares(user["email"], int(user["id"]), now)

    # ------------------------------------------------------------------ sign-in
    def _signin_keys(self, email: str, client: str) -> list[tuple[str, int]]:
        """The counters a sign-in counts, with their free tries: this address and client (the
        usual backoff), this client over every address, this address over every client (a
        wide net for spread-out guessing, which a password reset clears)."""
        n = self.policy.signin_attempts
        return [(Throttle.key("signin", email, client), n),
                (Throttle.key("signin-address", client), n * 10),
                (Throttle.key("signin-account", email), n * 20)]  # fmt: skip

    def sign_in(self, *, email: str, password: str, client: str = "") -> Account:
        email = normalise_email(email)[:320]
        p = self.policy
        keys = self._signin_keys(email, client)
        counted: list[tuple[str, int]] = []
        try:
            for key, free in keys:
                self.throttle.attempt(
                    key, free=free, window=p.signin_window, most=p.signin_max_delay
                )
                counted.append((key, free))
        except RateLimitedError:
            for key, free in counted:  # a refused try was not a try
                self.throttle.refund(key, free=free)
            _LOG.warning("sign-in throttled: client=%s", client)
            raise
        row = self.store.user_by_email(email) if "\x00" not in email else None
        if not _password_matches(row, password):
            _LOG.warning("sign-in failed: client=%s account=%s", client, row["id"] if row else "-")
            msg = "the email or password is wrong"
            raise AuthenticationError(msg)
        assert row is not None
        _LOG.info("sign-in: account=%s client=%s", row["id"], client)
        self.throttle.clear(keys[0][0])
        self.throttle.refund(keys[1][0], free=keys[1][1])
        self.throttle.clear(keys[2][0])
        if row["email_verified_at"] is None and not row["legacy"]:
            if self._may_mail(row["email"], client):
                self.deliver(lambda: self._send_verification(
                    int(row["id"]), row["email"], "Confirm your email to use your imgpath account:"))  # fmt: skip
            msg = "confirm your email first: open the link we sent to it"
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
    def _check_password(self, user_id: int, password: str, field_name: str = "password") -> None:
        """The account's password, or a FormError naming ``field_name``; tries are counted
        before they are made (atomic, like sign-in), and a right one clears the count."""
        key = Throttle.key("reauth", str(user_id))
        p = self.policy
        self.throttle.attempt(
            key, free=p.signin_attempts, window=p.signin_window, most=p.signin_max_delay
        )
        if not _password_matches(self.store.user(user_id), password):
            _LOG.warning("re-authentication failed: account=%s", user_id)
            raise FormError([Problem(field_name, "is not the password of this account",
                                     "type the password you sign in with")])  # fmt: skip
        self.throttle.clear(key)

    def _reauthenticate(
        self, account: Account, password: str, field_name: str = "password"
    ) -> None:
        self._check_password(account.id, password, field_name)

    def change_password(
        self, account: Account, *, current: str, new: str, keep_session: str
    ) -> int:
        """Change the password, end every other session and cancel a pending email change
        (someone who knew the old password may have asked for it); how many sessions ended."""
        require(password_problems(new, email=account.email, field_name="new_password"))
        self._reauthenticate(account, current, "current_password")
        self.store.update_user(account.id, password_hash=_HASHER.hash(_normalise_password(new)))
        self.security.revoke_tokens(account.id, ("email", "reset"))
        _LOG.info("password changed: account=%s", account.id)
        return self.end_other_sessions(account, keep_session)

    def forgot_password(self, email: str, *, client: str = "") -> None:
        """Email a reset link if the address has an account.  The answer and the work on the
        request path are the same either way: the look-up, the link and the message are made
        off it."""
        address, problems = check_email(email)
        require(problems)
        self.throttle.hit(
            Throttle.key("forgot", client), most=self.policy.signups_per_hour, window=3600
        )
        if self._may_mail(address, client):
            self.deliver(lambda: self._send_reset(address))

    def _send_reset(self, address: str) -> None:
        row = self.store.user_by_email(address)
        if row is None:
            return
        minutes = self.policy.reset_minutes
        link = self._link(int(row["id"]), "reset", address, hours=minutes / 60, path="/reset")
        self.mailer.send(address, "imgpath: reset your password",
                         f"Choose a new imgpath password here:\n\n{link}\n\nThe link works once, for "
                         f"{minutes:g} minutes. If you did not ask for it, ignore this message: your "
                         "password has not changed.\n", link=link)  # fmt: skip

    def reset_password(self, token: str, new: str) -> Account:
        """Set a new password from a reset link: it proves the address, so it confirms it; every
        session ends, every other link of the account (verification, email change) stops
        working, and the sign-in counters of the address are cleared (the owner's way past a
        lock that guessing from many places set)."""
        digest = _digest(token.strip())
        found = self.security.token(digest)
        email = found["email"] if found else ""
        require(password_problems(new, email=email, field_name="password"))
        _, user = self._use_for_user(token, "reset")
        user_id = int(user["id"])
        self.store.update_user(user_id, password_hash=_HASHER.hash(_normalise_password(new)))
        self._mark_verified(user)
        self.security.revoke_tokens(user_id, ("verify", "email", "reset"))
        self.security.end_sessions(user_id)
        self.throttle.clear(Throttle.key("signin-account", user["email"]))
        self.throttle.clear(Throttle.key("reauth", str(user_id)))
        _LOG.info("password reset: account=%s", user_id)
        return self.get(user_id)

    # -------------------------------------------------------------- the account
    def update(self, account: Account, *, name: str, time_zone: str) -> Account:
        problems = text_problems(name, "name", most=200)
        zone_problem = check_time_zone(time_zone)
        if zone_problem:
            problems.append(Problem("time_zone", zone_problem))
        require(problems)
        self.store.update_user(account.id, name=name.strip(), time_zone=time_zone)
        return self.get(account.id)

    def request_email_change(self, account: Account, *, new_email: str, password: str,
                             client: str = "") -> None:  # fmt: skip
        """Email a confirmation link to the new address (after the password); the email changes
        when it is opened by the account's owner.  The same answer whether or not the new
        address is taken."""
        address, problems = check_email(new_email, "new_email")
        require(problems)
        self._reauthenticate(account, password)
        if address == account.email:
            raise FormError([Problem("new_email", "is your email already")])
        if self._may_mail(address, client):
            self.deliver(lambda: self._send_email_change(account, address))

    def _send_email_change(self, account: Account, address: str) -> None:
        if self.store.user_by_email(address) is not None:
            self.mailer.send(address, "imgpath: someone tried to move an account to your email",
                             "Someone tried to change an imgpath account's email to this address, "
                             "which already has an account. Nothing changed.\n")  # fmt: skip
            return
        link = self._link(
            account.id, "email", address, hours=self.policy.verify_hours, path="/email/confirm"
        )
        self.mailer.send(address, "imgpath: confirm your new email",
                         "Confirm that imgpath should use this address for your account (sign in, or "
                         f"type your imgpath password, when you open it):\n\n{link}\n", link=link)  # fmt: skip
        self.mailer.send(account.email, "imgpath: your email is about to change",
                         f"Someone signed in to your account asked to change its email to {address}. "
                         "If it was not you, reset your password now: that cancels the change.\n")  # fmt: skip

    def confirm_email_change(self, token: str, *, password: str = "",
                             signed_in: Account | None = None) -> Account:  # fmt: skip
        """Move the account to the new address; only for someone signed in as the account or
        who types its password.  Every session ends."""
        row, user = self._use_for_user(token, "email", password=password, signed_in=signed_in)
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
    """Whether ``password`` is the row's; the same argon2 work whether or not there is a row
    (no account enumeration by timing): one check per form of the password (NFKC-normalised,
    and as typed when that differs: hashes made before passwords were normalised)."""
    unusable = "\x00" in password or any(0xD800 <= ord(c) <= 0xDFFF for c in password)
    if len(password) > 4 * MAX_PASSWORD or unusable:
        forms = ["x"]
        row = None
    else:
        normalised = _normalise_password(password)
        forms = [normalised] if normalised == password else [normalised, password]
    stored = row["password_hash"] if row is not None else _DUMMY_HASH
    matched = False
    for form in forms:
        with contextlib.suppress(VerificationError, InvalidHashError):
            matched = bool(_HASHER.verify(stored, form)) or matched
    return matched and row is not None
