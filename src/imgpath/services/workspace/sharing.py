"""Sharing a workspace, read-only, with an advisor's email; the advisor's cohort of applicants."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from imgpath.errors import FormError, NotFoundError, Problem
from imgpath.services.accounts import Account
from imgpath.services.inputs import check_email, require
from imgpath.services.workspace.access import Access
from imgpath.services.workspace.profiles import SharingPolicy
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["Sharing"]


class Sharing:
    def __init__(self, store: AccountsStore, access: Access, policy: SharingPolicy, *,
                 reauthenticate: Callable[[Account, str], None]) -> None:  # fmt: skip
        """``reauthenticate(account, password)`` raises a FormError naming ``password`` when wrong."""
        self.store = store
        self.access = access
        self.policy = policy
        self.reauthenticate = reauthenticate

    def shares(self, viewer: Account) -> list[dict[str, Any]]:
        """The applicant's shares: ``active`` (attached to a verified advisor account of that
        address) or ``pending`` until ``expires_at`` (lapsed ones are deleted)."""
        owner = self.access.owner(viewer, write=True)
        self.store.purge_shares(datetime.now(UTC))
        return [
            {"id": s["id"], "advisor_email": s["advisor_email"], "created_at": s["created_at"].isoformat(),
             "status": "active" if s["advisor_id"] is not None else "pending",
             "expires_at": s["expires_at"].isoformat() if s["expires_at"] else None}
            for s in self.store.shares_of(owner.id)
        ]  # fmt: skip

    def share(self, viewer: Account, advisor_email: str, *, password: str) -> None:
        """Share (read-only) with an advisor's address, after the password.  It takes effect only
        for a verified advisor account of that address; until one exists it is pending and
        lapses after ``pending_days``."""
        owner = self.access.owner(viewer, write=True)
        if owner.role != "applicant":
            raise FormError([Problem("advisor_email", "only applicants share their workspace")])
        email, problems = check_email(advisor_email, "advisor_email")
        if not problems and email == owner.email:
            problems.append(
                Problem("advisor_email", "is your own address", "give your advisor's email")
            )
        require(problems)
        self.reauthenticate(viewer, password)
        now = datetime.now(UTC)
        advisor = self.store.user_by_email(email)
        attached = (int(advisor["id"]) if advisor and advisor["role"] == "advisor"
                    and advisor["email_verified_at"] is not None else None)  # fmt: skip
        self.store.add_share(owner.id, email, advisor_id=attached, now=now,
                             expires_at=now + timedelta(days=self.policy.pending_days))  # fmt: skip

    def revoke(self, viewer: Account, share_id: int) -> None:
        """End a share; the advisor's organisation's placements of this applicant end with it."""
        if self.store.remove_share(self.access.owner(viewer, write=True).id, share_id) is None:
            msg = f"no share {share_id} of yours"
            raise NotFoundError(msg)

    def cohort(self, viewer: Account) -> list[dict[str, Any]]:
        """The applicants whose shares are attached to this (verified, or legacy) advisor."""
        if viewer.role != "advisor" or not (viewer.verified or viewer.legacy):
            return []
        return self.store.shared_with(viewer.id)
