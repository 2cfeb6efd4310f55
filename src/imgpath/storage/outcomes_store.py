"""Outcomes imgpath users opted in to share, and their aggregates, computed in the database.

Raw rows (who applied where and how far they got) are written and deleted here, and read back
only by their owner.  Everything else reads :meth:`OutcomeStore.cells`, whose SQL groups by
program, applicant type and visa need and keeps only groups of at least ``k`` people
(``HAVING count >= k``): no row about a person leaves the database any other way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, case, delete, func, insert, select

from imgpath.core.catalog.outcomes import STAGES
from imgpath.storage.catalog_store import CatalogStore
from imgpath.storage.evidence_tables import outcome_consents, outcome_records

__all__ = ["OutcomeStore"]


class OutcomeStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def consent(self, user_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(outcome_consents).where(outcome_consents.c.user_id == user_id)
            ).mappings().first()  # fmt: skip
            return None if row is None else dict(row)

    def opt_in(self, user_id: int, *, kind: str, needs_visa: bool | None, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(outcome_consents).where(outcome_consents.c.user_id == user_id))
            conn.execute(insert(outcome_consents).values(user_id=user_id, applicant_kind=kind,
                                                         needs_visa=needs_visa, opted_in_at=at))  # fmt: skip
            CatalogStore._bump(conn)

    def opt_out(self, user_id: int) -> int:
        """Withdraw consent and delete every shared record (one transaction); how many went."""
        with self.engine.begin() as conn:
            gone = conn.execute(delete(outcome_records).where(outcome_records.c.user_id == user_id))
            conn.execute(delete(outcome_consents).where(outcome_consents.c.user_id == user_id))
            CatalogStore._bump(conn)
            return int(gone.rowcount or 0)

    def put(
        self, user_id: int, program_code: str, match_year: int, stage: int, at: datetime
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(outcome_records).where(
                outcome_records.c.user_id == user_id, outcome_records.c.program_code == program_code,
                outcome_records.c.match_year == match_year))  # fmt: skip
            conn.execute(insert(outcome_records).values(user_id=user_id, program_code=program_code,
                                                        match_year=match_year, stage=stage, updated_at=at))  # fmt: skip
            CatalogStore._bump(conn)

    def remove(self, user_id: int, program_code: str, match_year: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(delete(outcome_records).where(
                outcome_records.c.user_id == user_id, outcome_records.c.program_code == program_code,
                outcome_records.c.match_year == match_year))  # fmt: skip
            CatalogStore._bump(conn)
            return bool(done.rowcount)

    def own(self, user_id: int) -> list[dict[str, Any]]:
        """One user's own shared records (for them to see, export or delete)."""
        query = (select(outcome_records.c.program_code, outcome_records.c.match_year, outcome_records.c.stage,
                        outcome_records.c.updated_at)
                 .where(outcome_records.c.user_id == user_id)
                 .order_by(outcome_records.c.match_year, outcome_records.c.program_code))  # fmt: skip
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def cells(self, k: int) -> list[dict[str, Any]]:
        """Per program x applicant type x visa need: people, how many reached each stage, the
        Match years; only groups of at least ``k`` distinct people."""
        per_person = (
            select(outcome_records.c.user_id, outcome_records.c.program_code,
                   func.max(outcome_records.c.stage).label("stage"),
                   func.min(outcome_records.c.match_year).label("first_year"),
                   func.max(outcome_records.c.match_year).label("last_year"))
            .group_by(outcome_records.c.user_id, outcome_records.c.program_code)
            .subquery()
        )  # fmt: skip
        stage_counts = [
            func.sum(case((per_person.c.stage >= level, 1), else_=0)).label(name)
            for level, name in enumerate(STAGES, start=1)
        ]
        people = func.count(func.distinct(per_person.c.user_id))
        query = (
            select(per_person.c.program_code, outcome_consents.c.applicant_kind,
                   outcome_consents.c.needs_visa, people.label("people"), *stage_counts,
                   func.min(per_person.c.first_year).label("first_year"),
                   func.max(per_person.c.last_year).label("last_year"))
            .select_from(per_person.join(outcome_consents, outcome_consents.c.user_id == per_person.c.user_id))
            .group_by(per_person.c.program_code, outcome_consents.c.applicant_kind, outcome_consents.c.needs_visa)
            .having(people >= k)
        )  # fmt: skip
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def baselines(self, k: int) -> list[dict[str, Any]]:
        """Per applicant type x visa need, across all programs: applications and invitations;
        only groups of at least ``k`` distinct people."""
        people = func.count(func.distinct(outcome_records.c.user_id))
        query = (
            select(outcome_consents.c.applicant_kind, outcome_consents.c.needs_visa,
                   people.label("people"), func.count().label("applications"),
                   func.sum(case((outcome_records.c.stage >= 2, 1), else_=0)).label("invited"))
            .select_from(outcome_records.join(outcome_consents, and_(
                outcome_consents.c.user_id == outcome_records.c.user_id)))
            .group_by(outcome_consents.c.applicant_kind, outcome_consents.c.needs_visa)
            .having(people >= k)
        )  # fmt: skip
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]
