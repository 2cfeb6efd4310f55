"""Who may see or change whose records: the one authorization rule of the web app.

Every use case names the signed-in account (``viewer``) and, to read someone else's records,
their id (``owner_id``); :meth:`Access.owner` decides.  An applicant reaches only their own
workspace; a verified advisor reaches, read-only, the workspaces of applicants who shared with
their email.  Rotation slots belong to advisors' organisations (:meth:`Access.organisation`).
"""

from __future__ import annotations

from imgpath.errors import PermissionDeniedError
from imgpath.services.accounts import Account
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["Access"]


class Access:
    def __init__(self, store: AccountsStore) -> None:
        self.store = store

    def owner(
        self, viewer: Account, owner_id: int | None = None, *, write: bool = False
    ) -> Account:
        """The workspace's owner, if ``viewer`` may see it (and change it, with ``write``)."""
        if owner_id is None or owner_id == viewer.id:
            return viewer
        row = self.store.user(owner_id)
        allowed = (
            row is not None
            and not write
            and viewer.role == "advisor"
            and (viewer.verified or viewer.legacy)
            and row["role"] == "applicant"
            and self.store.is_shared(owner_id, viewer.id)
        )
        if not allowed:
            msg = "this workspace is not yours and was not shared with you"
            raise PermissionDeniedError(msg)
        assert row is not None
        return Account.from_row(row)

    @staticmethod
    def organisation(viewer: Account) -> Account:
        """The advisor's organisation (rotation slots are theirs); anyone else is refused."""
        if viewer.role != "advisor":
            msg = "rotation slots are run by advisors' organisations"
            raise PermissionDeniedError(msg)
        return viewer
