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

The package: :mod:`.records` (account, session, policy), :mod:`.passwords` (the policy),
:mod:`.throttle` (counters), :mod:`.sessions` and :mod:`.mail_links` (mixed into
:class:`Accounts`); this module is the facade, and hashes and checks passwords.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from imgpath.errors import AuthenticationError, PermissionDeniedError, Problem, RateLimitedError
from imgpath.services.accounts.mail_links import AccountMail
from imgpath.services.accounts.passwords import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    normalise_password,
    password_problems,
    unusable,
)
from imgpath.services.accounts.records import (
    ROLES,
    Account,
    AccountPolicy,
    Session,
    check_time_zone,
    normalise_email,
    token_digest,
)
from imgpath.services.accounts.sessions import SessionKeeping
from imgpath.services.accounts.throttle import Throttle
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
    "check_time_zone",
    "normalise_email",
    "password_problems",
]

_HASHER = PasswordHasher()
_LOG = logging.getLogger("imgpath.security")
"""Security events (ASVS 7.1.3, 7.2.1): sign-in successes, failures and throttling, sign-ups,
verifications, password and email changes, resets, sign-outs everywhere, deletions. Accounts
are named by id, clients by address; passwords, tokens and emails are never logged."""
_DUMMY_HASH = _HASHER.hash("imgpath: the same work whether or not the email exists")


class Accounts(SessionKeeping, AccountMail):
    """Sign-up, sign-in, passwords, the account's own changes; the sessions
    (:class:`~imgpath.services.accounts.sessions.SessionKeeping`) and the messages and links
    (:class:`~imgpath.services.accounts.mail_links.AccountMail`) are mixed in."""

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
        password_hash = _HASHER.hash(normalise_password(password))
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

    def _use_for_user(self, token: str, purpose: str, *, password: str | None = None,
                      signed_in: Account | None = None) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
        """Use a link whose account still has the address it was sent to.

        With ``password`` given (verification, email change), the link works only for someone
        signed in as its account or who types that account's password (throttled like a
        sign-in): a forwarded or leaked link confirms nothing for anyone else.  A wrong password
        does not use the link up.
        """
        digest = token_digest(token.strip()) if token.strip() else ""
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
                int(row["id"]), password_hash=_HASHER.hash(normalise_password(password))
            )
        return Account.from_row(row)

    def get(self, user_id: int) -> Account:
        row = self.store.user(user_id)
        if row is None:
            msg = "not signed in"
            raise AuthenticationError(msg)
        return Account.from_row(row)

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
        self.store.update_user(account.id, password_hash=_HASHER.hash(normalise_password(new)))
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

    def reset_password(self, token: str, new: str) -> Account:
        """Set a new password from a reset link: it proves the address, so it confirms it; every
        session ends, every other link of the account (verification, email change) stops
        working, and the sign-in counters of the address are cleared (the owner's way past a
        lock that guessing from many places set)."""
        digest = token_digest(token.strip())
        found = self.security.token(digest)
        email = found["email"] if found else ""
        require(password_problems(new, email=email, field_name="password"))
        _, user = self._use_for_user(token, "reset")
        user_id = int(user["id"])
        self.store.update_user(user_id, password_hash=_HASHER.hash(normalise_password(new)))
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
    if len(password) > 4 * MAX_PASSWORD or unusable(password):
        forms = ["x"]
        row = None
    else:
        normalised = normalise_password(password)
        forms = [normalised] if normalised == password else [normalised, password]
    stored = row["password_hash"] if row is not None else _DUMMY_HASH
    matched = False
    for form in forms:
        with contextlib.suppress(VerificationError, InvalidHashError):
            matched = bool(_HASHER.verify(stored, form)) or matched
    return matched and row is not None
