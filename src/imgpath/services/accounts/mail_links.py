"""The messages of the accounts service and the links they carry: verification, password reset
and email change links are single-use, expiring tokens (the table keeps their SHA-256); every
message is capped per address and per client each hour, whether or not the address has an
account (no enumeration, no flooding)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from imgpath.errors import FormError, Problem
from imgpath.services.accounts.records import Account, AccountPolicy, token_digest
from imgpath.services.accounts.throttle import Throttle
from imgpath.services.mail import Mailer
from imgpath.storage.accounts_store import AccountsStore
from imgpath.storage.security_store import SecurityStore

__all__ = ["AccountMail"]

_LOG = logging.getLogger("imgpath.security")


class AccountMail:
    """The messages and links of :class:`~imgpath.services.accounts.Accounts` (mixed into it)."""

    store: AccountsStore
    security: SecurityStore
    mailer: Mailer
    policy: AccountPolicy
    clock: Callable[[], datetime]
    throttle: Throttle

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
        self.security.add_token({"id": token_digest(token), "user_id": user_id, "purpose": purpose, "email": email,
                                 "created_at": now, "expires_at": now + timedelta(hours=hours)})  # fmt: skip
        return f"{self.policy.public_url}{path}?token={token}"

    @staticmethod
    def _invalid_link() -> FormError:
        return FormError([Problem("token", "this link is not valid: it was used already, it expired, "
                                  "or it was replaced by a newer one", "ask for a new link")])  # fmt: skip

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

    def _mark_verified(self, user: dict[str, Any]) -> None:
        now = self.clock()
        if user["email_verified_at"] is None:
            self.store.update_user(int(user["id"]), email_verified_at=now)
        if user["role"] == "advisor":
            self.store.attach_shares(user["email"], int(user["id"]), now)
