"""Who reviews claims in the web app, and forgetting a person's contributions (SQLAlchemy Core).

Migration 0008 creates ``claim_reviewers``: one row per account appointed to accept or flag
claims (``imgpath programs claims reviewers add EMAIL``).  :func:`forget_contributions` runs inside
account deletion's transaction: the person's confirm/dispute votes, shared outcomes, consent and
appointment all go with the account, so every aggregate loses them at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    delete,
    insert,
    select,
)

from imgpath.storage.catalog_store import CatalogStore
from imgpath.storage.evidence_tables import claim_votes, outcome_consents, outcome_records
from imgpath.storage.tables import claim_reviewers

__all__ = ["ReviewersStore", "claim_reviewers", "forget_contributions", "voter_id"]


def voter_id(user_id: int) -> str:
    """The id an account acts under on claims (``claim_votes.voter``, ``Actor.id``)."""
    return f"user:{user_id}"


def forget_contributions(conn: Connection, user_id: int) -> None:
    """Delete the user's votes on claims, shared outcomes and consent, and reviewer appointment,
    inside the caller's transaction (account deletion); aggregates are recomputed on next read."""
    conn.execute(delete(claim_votes).where(claim_votes.c.voter == voter_id(user_id)))
    for table in (outcome_records, outcome_consents, claim_reviewers):
        conn.execute(delete(table).where(table.c.user_id == user_id))
    CatalogStore._bump(conn)


class ReviewersStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def is_reviewer(self, user_id: int) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(claim_reviewers.c.user_id).where(claim_reviewers.c.user_id == user_id)
            ).first()
        return found is not None

    def appoint(self, user_id: int, *, by: str, at: datetime) -> bool:
        """False when already a reviewer."""
        with self.engine.begin() as conn:
            if conn.execute(
                select(claim_reviewers.c.user_id).where(claim_reviewers.c.user_id == user_id)
            ).first():
                return False
            conn.execute(
                insert(claim_reviewers).values(user_id=user_id, appointed_by=by, appointed_at=at)
            )
        return True

    def dismiss(self, user_id: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(delete(claim_reviewers).where(claim_reviewers.c.user_id == user_id))
        return bool(done.rowcount)

    def reviewers(self) -> list[dict[str, Any]]:
        """Every appointment with the account's email and name."""
        from imgpath.storage.accounts_store import users

        query = (
            select(
                users.c.id,
                users.c.email,
                users.c.name,
                users.c.role,
                claim_reviewers.c.appointed_by,
                claim_reviewers.c.appointed_at,
            )
            .join(users, users.c.id == claim_reviewers.c.user_id)
            .order_by(users.c.email)
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]
