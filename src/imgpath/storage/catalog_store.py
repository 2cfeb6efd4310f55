"""The catalog in the database: programs, claims about them, and name search."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, and_, case, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, RowMapping

from imgpath.core.catalog.claims import Claim, parse_value
from imgpath.core.catalog.programs import Program
from imgpath.storage.evidence_tables import claim_votes
from imgpath.storage.tables import claims, meta, programs

__all__ = ["CatalogStore"]

_WORD = re.compile(r"\w+", re.UNICODE)
_SEARCHED = (
    "coalesce(track, '') || ' ' || coalesce(institution, '') || ' ' || coalesce(specialty, '')"
)


def _program(row: RowMapping) -> Program:
    return Program(
        code=row["code"],
        track=row["track"],
        specialty_code=row["specialty_code"],
        specialty=row["specialty"],
        track_type=row["track_type"],
        institution_code=row["institution_code"],
        institution=row["institution"],
        state=row["state"],
        state_inferred=bool(row["state_inferred"]),
    )


def _claim(row: RowMapping) -> Claim:
    return Claim(
        program_code=row["program_code"],
        field=row["field"],
        value=parse_value(row["field"], row["value"]),
        kind=row["kind"],
        source=row["source"],
        as_of=row["as_of"],
        entered_by=row["entered_by"],
        note=row["note"] or "",
        id=row["id"],
        entered_at=row["entered_at"],
        status=row["status"],
        reviewed_by=row["reviewed_by"] or "",
        review_note=row["review_note"] or "",
        confirmations=int(row["confirmations"] or 0),
        disputes=int(row["disputes"] or 0),
    )


_VOTES = (
    select(
        claim_votes.c.claim_id,
        func.sum(case((claim_votes.c.vote == "confirm", 1), else_=0)).label("confirmations"),
        func.sum(case((claim_votes.c.vote == "dispute", 1), else_=0)).label("disputes"),
    )
    .group_by(claim_votes.c.claim_id)
    .subquery()
)


class CatalogStore:
    """Programs and claims in one database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        """Close pooled connections (the catalog can be opened again later)."""
        self.engine.dispose()

    # ------------------------------------------------------------ programs
    def is_built(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(programs.c.code).limit(1)).first() is not None

    def build(self, items: Sequence[Program], *, list_source: str) -> None:
        """Load the program list into an empty catalog (one transaction)."""
        rows = [
            {
                "code": p.code, "track": p.track, "specialty_code": p.specialty_code,
                "specialty": p.specialty, "track_type": p.track_type,
                "institution_code": p.institution_code, "institution": p.institution,
                "state": p.state, "state_inferred": p.state_inferred, "list_source": list_source,
            }
            for p in items
        ]  # fmt: skip
        with self.engine.begin() as conn:
            conn.execute(insert(programs), rows)
            if conn.dialect.name == "sqlite":
                conn.execute(
                    text(
                        "INSERT INTO programs_fts (code, track, institution, specialty) "
                        "SELECT code, track, institution, specialty FROM programs"
                    )
                )
            self._set_meta(conn, "list_source", list_source)
            self._set_meta(conn, "revision", "0")
            # Fresh statistics, or PostgreSQL's planner skips the search index on a new table.
            conn.execute(text("ANALYZE programs"))

    def programs(self) -> list[Program]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(programs).order_by(programs.c.code)).mappings()
            return [_program(r) for r in rows]

    def program(self, code: str) -> Program | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(programs).where(programs.c.code == code)).mappings().first()
            return None if row is None else _program(row)

    def search_codes(self, query: str) -> set[str]:
        """Codes of programs whose track, institution or specialty has every word (as a prefix)."""
        words = _WORD.findall(query.lower())
        if not words:
            return set()
        with self.engine.connect() as conn:
            dialect = conn.dialect.name
            if dialect == "sqlite":
                match = " ".join(f'"{w}"*' for w in words)
                result = conn.execute(
                    text("SELECT code FROM programs_fts WHERE programs_fts MATCH :q"), {"q": match}
                )
            elif dialect == "postgresql":
                tsquery = " & ".join(f"{w}:*" for w in words)
                result = conn.execute(
                    text(
                        f"SELECT code FROM programs WHERE to_tsvector('simple', {_SEARCHED}) "
                        "@@ to_tsquery('simple', :q)"
                    ),
                    {"q": tsquery},
                )
            else:  # any other database: a plain, slower scan
                haystack = func.lower(
                    programs.c.track + " " + programs.c.institution + " " + programs.c.specialty
                )
                result = conn.execute(
                    select(programs.c.code).where(and_(*(haystack.contains(w) for w in words)))
                )
            return {row[0] for row in result}

    # ------------------------------------------------------------ claims
    def claims(
        self,
        program_code: str | None = None,
        field: str | None = None,
        *,
        status: str | None = None,
        claim_id: int | None = None,
    ) -> list[Claim]:
        """Claims with their review status and vote counts, by program, field, newest first."""
        query = (
            select(claims, _VOTES.c.confirmations, _VOTES.c.disputes)
            .select_from(claims.outerjoin(_VOTES, _VOTES.c.claim_id == claims.c.id))
            .order_by(claims.c.program_code, claims.c.field, claims.c.as_of.desc(), claims.c.id)
        )
        if program_code is not None:
            query = query.where(claims.c.program_code == program_code)
        if field is not None:
            query = query.where(claims.c.field == field)
        if status is not None:
            query = query.where(claims.c.status == status)
        if claim_id is not None:
            query = query.where(claims.c.id == claim_id)
        with self.engine.connect() as conn:
            return [_claim(r) for r in conn.execute(query).mappings()]

    def claim(self, claim_id: int) -> Claim | None:
        found = self.claims(claim_id=claim_id)
        return found[0] if found else None

    def review_claim(
        self, claim_id: int, *, status: str, reviewer: str, note: str, at: datetime
    ) -> bool:
        """Set a claim's review status (accepted or flagged); False when there is no such claim."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(claims)
                .where(claims.c.id == claim_id)
                .values(status=status, reviewed_by=reviewer, review_note=note, reviewed_at=at)
            )
            if done.rowcount:
                self._bump(conn)
            return bool(done.rowcount)

    def vote(self, claim_id: int, *, voter: str, vote: str | None, note: str, at: datetime) -> None:
        """Record (or change, or with ``vote=None`` withdraw) one person's confirm/dispute."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(claim_votes).where(
                    claim_votes.c.claim_id == claim_id, claim_votes.c.voter == voter
                )
            )
            if vote is not None:
                conn.execute(insert(claim_votes).values(claim_id=claim_id, voter=voter, vote=vote,
                                                        note=note, voted_at=at))  # fmt: skip
            self._bump(conn)  # the counts shown with each claim change

    def forget_voter(self, voter: str) -> int:
        with self.engine.begin() as conn:
            gone = int(
                conn.execute(delete(claim_votes).where(claim_votes.c.voter == voter)).rowcount or 0
            )
            self._bump(conn)
            return gone

    def votes(self, claim_id: int) -> list[dict[str, object]]:
        """Each vote on a claim: who, which, when (for the claim's reviewer)."""
        query = select(claim_votes).where(claim_votes.c.claim_id == claim_id)
        with self.engine.connect() as conn:
            return [
                dict(r) for r in conn.execute(query.order_by(claim_votes.c.voted_at)).mappings()
            ]

    def add_claims(self, items: Sequence[Claim], *, entered_at: datetime) -> list[bool]:
        """Store claims (one transaction); for each, whether it was new (False: an exact duplicate)."""
        added: list[bool] = []
        with self.engine.begin() as conn:
            dialect = conn.dialect.name
            make = sqlite_insert if dialect == "sqlite" else pg_insert
            for claim in items:
                values = {
                    "program_code": claim.program_code, "field": claim.field, "value": claim.value_text,
                    "kind": claim.kind, "source": claim.source, "as_of": claim.as_of,
                    "entered_by": claim.entered_by, "entered_at": entered_at, "note": claim.note,
                    "status": claim.status, "reviewed_by": claim.reviewed_by,
                    "review_note": claim.review_note,
                }  # fmt: skip
                if dialect in ("sqlite", "postgresql"):
                    statement = (
                        make(claims)
                        .values(**values)
                        .on_conflict_do_nothing()
                        .returning(claims.c.id)
                    )
                    added.append(conn.execute(statement).first() is not None)
                else:
                    exists = conn.execute(
                        select(claims.c.id).where(
                            and_(
                                *(
                                    claims.c[k] == values[k]
                                    for k in (
                                        "program_code",
                                        "field",
                                        "value",
                                        "kind",
                                        "source",
                                        "as_of",
                                    )
                                )
                            )
                        )
                    ).first()
                    if exists is None:
                        conn.execute(insert(claims).values(**values))
                    added.append(exists is None)
            if any(added):
                self._bump(conn)
        return added

    def claim_ids(self, items: Sequence[Claim]) -> list[int | None]:
        """The stored id of each claim (matched on the unique key), None when not stored."""
        out: list[int | None] = []
        with self.engine.connect() as conn:
            for claim in items:
                row = conn.execute(
                    select(claims.c.id).where(
                        claims.c.program_code == claim.program_code,
                        claims.c.field == claim.field,
                        claims.c.value == claim.value_text,
                        claims.c.kind == claim.kind,
                        claims.c.source == claim.source,
                        claims.c.as_of == claim.as_of,
                    )
                ).first()
                out.append(None if row is None else int(row[0]))
        return out

    def revision(self) -> int:
        """Bumped whenever claims change, so cached views know to refresh."""
        with self.engine.connect() as conn:
            return int(self._get_meta(conn, "revision") or "0")

    def info(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {row.key: row.value for row in conn.execute(select(meta))}

    # ------------------------------------------------------------ helpers
    @classmethod
    def _bump(cls, conn: Connection) -> None:
        """Move the revision on, so that cached views of claims and evidence refresh."""
        revision = int(cls._get_meta(conn, "revision") or "0") + 1
        cls._set_meta(conn, "revision", str(revision))

    def set_meta(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            self._set_meta(conn, key, value)

    @staticmethod
    def _get_meta(conn: Connection, key: str) -> str | None:
        row = conn.execute(select(meta.c.value).where(meta.c.key == key)).first()
        return None if row is None else str(row[0])

    @staticmethod
    def _set_meta(conn: Connection, key: str, value: str) -> None:
        done = conn.execute(update(meta).where(meta.c.key == key).values(value=value))
        if done.rowcount == 0:
            conn.execute(insert(meta).values(key=key, value=value))
