"""Users and their workspaces in the database (SQLAlchemy Core); the web app's only store.

Methods take ids and plain data and return plain data; who may see what is decided in
``services.workspace``, not here.  Every write is one transaction, so a killed server leaves
either the old row or the new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Engine,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from imgpath.storage.reviewers_store import forget_contributions
from imgpath.storage.tables import odds_jobs, profiles, saved_programs, shares, users
from imgpath.storage.tracker_store import delete_user_records

__all__ = ["AccountsStore", "odds_jobs", "profiles", "saved_programs", "shares", "users"]


class AccountsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ users
    def add_user(self, *, email: str, name: str, password_hash: str, role: str, time_zone: str,
                 now: datetime, verified: bool = False) -> int | None:  # fmt: skip
        """The new user's id, or None when the email is taken."""
        try:
            with self.engine.begin() as conn:
                found = conn.execute(
                    insert(users).values(email=email, name=name, password_hash=password_hash, role=role,
                                         time_zone=time_zone, created_at=now,
                                         email_verified_at=now if verified else None)
                )  # fmt: skip
                key = found.inserted_primary_key
                assert key is not None
                return int(key[0])
        except IntegrityError:
            return None

    def user(self, user_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return dict(row) if row else None

    def user_by_email(self, email: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.email == email)).mappings().first()
        return dict(row) if row else None

    def update_user(self, user_id: int, **values: Any) -> bool:
        """Change the user's columns; False when the new email belongs to someone else."""
        try:
            with self.engine.begin() as conn:
                conn.execute(update(users).where(users.c.id == user_id).values(**values))
        except IntegrityError:
            return False
        return True

    def delete_user(self, user_id: int) -> None:
        """Everything of the user goes, in one transaction (children first: SQLite may lack
        cascades), and every share attached to the account or (if it was verified) addressed to
        its email; pending shares to a never-verified address keep waiting for its owner."""
        from imgpath.storage.security_store import email_tokens, sessions

        with self.engine.begin() as conn:
            found = conn.execute(
                select(users.c.email, users.c.email_verified_at).where(users.c.id == user_id)
            ).first()
            delete_user_records(conn, user_id)
            forget_contributions(conn, user_id)  # votes, shared outcomes: out of every aggregate
            for table in (odds_jobs, saved_programs, profiles, sessions, email_tokens):
                conn.execute(delete(table).where(table.c.user_id == user_id))
            addressed = shares.c.advisor_email == (found[0] if found else "")
            if found is None or found[1] is None:  # never verified: shares to the address wait on
                addressed = shares.c.id.is_(None)
            conn.execute(delete(shares).where(or_(
                shares.c.applicant_id == user_id, shares.c.advisor_id == user_id, addressed)))  # fmt: skip
            conn.execute(delete(users).where(users.c.id == user_id))

    # ------------------------------------------------------------------ shares
    def shares_of(self, applicant_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(shares).where(shares.c.applicant_id == applicant_id).order_by(shares.c.id)
            )
            return [dict(r) for r in rows.mappings()]

    def shared_with(self, advisor_id: int) -> list[dict[str, Any]]:
        """The applicants whose shares are attached to this advisor: id, email, name."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(users.c.id, users.c.email, users.c.name)
                .join(shares, shares.c.applicant_id == users.c.id)
                .where(shares.c.advisor_id == advisor_id)
                .order_by(users.c.name, users.c.email)
            )
            return [dict(r) for r in rows.mappings()]

    def is_shared(self, applicant_id: int, advisor_id: int) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(shares.c.id).where(
                    shares.c.applicant_id == applicant_id, shares.c.advisor_id == advisor_id
                )
            ).first()
        return row is not None

    def add_share(self, applicant_id: int, advisor_email: str, *, advisor_id: int | None,
                  expires_at: datetime | None, now: datetime) -> bool:  # fmt: skip
        """False when this applicant already shares with this address."""
        try:
            with self.engine.begin() as conn:
                there = conn.execute(select(shares.c.id).where(
                    shares.c.applicant_id == applicant_id, shares.c.advisor_email == advisor_email)).first()  # fmt: skip
                if there is not None:
                    return False
                conn.execute(insert(shares).values(
                    applicant_id=applicant_id, advisor_email=advisor_email, created_at=now,
                    advisor_id=advisor_id, expires_at=None if advisor_id else expires_at))  # fmt: skip
        except IntegrityError:
            return False
        return True

    def attach_shares(self, advisor_email: str, advisor_id: int, now: datetime) -> int:
        """Attach the unexpired pending shares to this address to its (just verified) advisor."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(shares)
                .where(shares.c.advisor_email == advisor_email, shares.c.advisor_id.is_(None),
                       shares.c.expires_at > now)
                .values(advisor_id=advisor_id, expires_at=None)
            )  # fmt: skip
        return done.rowcount

    def detach_shares(self, advisor_id: int) -> int:
        """The advisor's address changed: its shares are no longer attached to the account."""
        with self.engine.begin() as conn:
            return conn.execute(delete(shares).where(shares.c.advisor_id == advisor_id)).rowcount

    def purge_shares(self, now: datetime) -> int:
        """Delete pending shares that lapsed."""
        with self.engine.begin() as conn:
            return conn.execute(delete(shares).where(
                shares.c.advisor_id.is_(None), shares.c.expires_at <= now)).rowcount  # fmt: skip

    def remove_share(self, applicant_id: int, share_id: int) -> dict[str, Any] | None:
        """Delete the share and the placements its advisor made of this applicant; the share."""
        from imgpath.storage.tracker_store import unplace_everywhere

        with self.engine.begin() as conn:
            row = conn.execute(select(shares).where(
                shares.c.id == share_id, shares.c.applicant_id == applicant_id)).mappings().first()  # fmt: skip
            if row is None:
                return None
            conn.execute(delete(shares).where(shares.c.id == share_id))
            if row["advisor_id"] is not None:
                unplace_everywhere(
                    conn, organisation_id=row["advisor_id"], applicant_id=applicant_id
                )
        return dict(row)

    # --------------------------------------------------------------- profiles
    def profile(self, user_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(profiles.c.data).where(profiles.c.user_id == user_id)).first()
        return dict(row[0]) if row else None

    def save_profile(self, user_id: int, data: Mapping[str, Any], *, now: datetime) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(profiles)
                .where(profiles.c.user_id == user_id)
                .values(data=dict(data), updated_at=now)
            )
            if done.rowcount == 0:
                conn.execute(
                    insert(profiles).values(user_id=user_id, data=dict(data), updated_at=now)
                )

    # ---------------------------------------------------------- saved programs
    def saved(self, user_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(saved_programs)
                .where(saved_programs.c.user_id == user_id)
                .order_by(saved_programs.c.saved_at)
            ).mappings()
            return [dict(r) for r in rows]

    def save_program(self, user_id: int, code: str, note: str, *, now: datetime) -> bool:
        """False when it was saved already."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(saved_programs).values(
                        user_id=user_id, program_code=code, note=note, saved_at=now
                    )
                )
        except IntegrityError:
            return False
        return True

    def unsave_program(self, user_id: int, code: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(
                delete(saved_programs).where(
                    saved_programs.c.user_id == user_id, saved_programs.c.program_code == code
                )
            )
        return done.rowcount > 0

    # ---------------------------------------------------------------- odds jobs
    def job(self, job_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(odds_jobs).where(odds_jobs.c.id == job_id)).mappings().first()
        return dict(row) if row else None

    def jobs(self, user_id: int) -> list[dict[str, Any]]:
        """The user's odds runs, newest first (without their plots)."""
        columns = [c for c in odds_jobs.c if c.name != "plot"]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*columns)
                .where(odds_jobs.c.user_id == user_id)
                .order_by(odds_jobs.c.created_at.desc())
            ).mappings()
            return [dict(r) for r in rows]
