"""Program-level evidence in the database: sources, fill history, H-1B filings, ACGME records,
invite reports and the name matches that tie them to NRMP institutions.

Writes come in batches inside one transaction per batch, so a large file streams through in
bounded memory and a killed import leaves whole batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from imgpath.core.catalog.acgme import AcgmeProgram
from imgpath.core.catalog.fill_history import FillYear
from imgpath.core.catalog.invites import InviteReport
from imgpath.core.catalog.lca import H1bFiling
from imgpath.core.catalog.sources import Source
from imgpath.storage.catalog_store import CatalogStore
from imgpath.storage.evidence_tables import (
    acgme_programs,
    evidence_sources,
    fill_history,
    h1b_filings,
    invite_reports,
    name_matches,
)

__all__ = ["EvidenceStore", "MatchRow"]

MatchRow = dict[str, Any]


def _source(row: Any) -> Source:
    return Source(kind=row["kind"], title=row["title"], publisher=row["publisher"], url=row["url"],
                  licence=row["licence"], as_of=row["as_of"], file=row["file"], id=row["id"],
                  imported_at=row["imported_at"], note=row["note"])  # fmt: skip


class EvidenceStore:
    """Evidence tables of one database (the catalog's engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------ sources
    def add_source(self, source: Source, *, bundled: bool, at: datetime) -> Source:
        with self.engine.begin() as conn:
            new_id = conn.execute(
                insert(evidence_sources)
                .values(kind=source.kind, title=source.title, publisher=source.publisher,
                        url=source.url, licence=source.licence, as_of=source.as_of,
                        file=source.file, note=source.note, bundled=bundled, imported_at=at)
                .returning(evidence_sources.c.id)
            ).scalar_one()  # fmt: skip
        return replace(source, id=int(new_id), imported_at=at)

    def finish_source(
        self, source_id: int, *, read: int, kept: int, rejected: int, as_of: date | None = None
    ) -> None:
        values: dict[str, Any] = {"rows_read": read, "rows_kept": kept, "rows_rejected": rejected}
        if as_of is not None:
            values["as_of"] = as_of
        with self.engine.begin() as conn:
            conn.execute(
                update(evidence_sources).where(evidence_sources.c.id == source_id).values(**values)
            )
            CatalogStore._bump(conn)

    def sources(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(evidence_sources).order_by(evidence_sources.c.id)).mappings()
            return [
                {**_source(r).to_dict(), "bundled": bool(r["bundled"]), "rows_read": r["rows_read"],
                 "rows_kept": r["rows_kept"], "rows_rejected": r["rows_rejected"]}
                for r in rows
            ]  # fmt: skip

    def source_map(self) -> dict[int, Source]:
        with self.engine.connect() as conn:
            return {
                int(r["id"]): _source(r) for r in conn.execute(select(evidence_sources)).mappings()
            }

    def has_bundled(self) -> bool:
        with self.engine.connect() as conn:
            query = (
                select(evidence_sources.c.id).where(evidence_sources.c.bundled.is_(True)).limit(1)
            )
            return conn.execute(query).first() is not None

    # ------------------------------------------------------------ writes
    def put_fill(
        self, source_id: int, items: Sequence[tuple[str, str, int, int, int, int]]
    ) -> None:
        """(program code, table, year, quota, matched, row): the newest import of a year wins."""
        if not items:
            return
        groups: dict[tuple[str, int], set[str]] = {}
        for code, table, year, _quota, _matched, _row in items:
            groups.setdefault((table, year), set()).add(code)
        with self.engine.begin() as conn:
            for (table, year), codes in groups.items():
                conn.execute(delete(fill_history).where(
                    fill_history.c.match_table == table, fill_history.c.year == year,
                    fill_history.c.program_code.in_(sorted(codes))))  # fmt: skip
            conn.execute(insert(fill_history), [
                {"program_code": c, "match_table": t, "year": y, "quota": q, "matched": m,
                 "source_id": source_id, "row": r} for c, t, y, q, m, r in items])  # fmt: skip

    def put_filings(self, source_id: int, items: Sequence[H1bFiling]) -> None:
        """Store LCA cases; a case seen again (quarterly files are cumulative) is replaced."""
        if not items:
            return
        unique = {f.case_number: f for f in items}
        with self.engine.begin() as conn:
            conn.execute(delete(h1b_filings).where(h1b_filings.c.case_number.in_(list(unique))))
            conn.execute(insert(h1b_filings), [
                {"case_number": f.case_number, "case_status": f.case_status,
                 "decision_date": f.decision_date, "received_date": f.received_date,
                 "begin_date": f.begin_date, "end_date": f.end_date, "job_title": f.job_title[:300],
                 "soc_code": f.soc_code[:12], "role": f.role, "employer_name": f.employer_name[:300],
                 "employer_city": f.employer_city[:120], "employer_state": f.employer_state,
                 "worksite_city": f.worksite_city[:120], "worksite_state": f.worksite_state,
                 "wage_from": f.wage_from, "wage_to": f.wage_to, "wage_unit": f.wage_unit[:20],
                 "workers": f.workers, "source_id": source_id, "row": f.row}
                for f in unique.values()])  # fmt: skip

    def put_acgme(self, source_id: int, items: Sequence[AcgmeProgram]) -> None:
        if not items:
            return
        unique = {p.acgme_id: p for p in items}
        with self.engine.begin() as conn:
            conn.execute(delete(acgme_programs).where(acgme_programs.c.acgme_id.in_(list(unique))))
            conn.execute(insert(acgme_programs), [
                {"acgme_id": p.acgme_id, "name": p.name[:300], "city": p.city[:120], "state": p.state,
                 "sponsor_code": p.sponsor_code[:20], "sponsor": p.sponsor[:300], "status": p.status[:80],
                 "accredited_since": p.accredited_since, "website": p.website[:500],
                 "source_id": source_id, "row": p.row}
                for p in unique.values()])  # fmt: skip

    def put_invites(self, source_id: int, items: Sequence[InviteReport]) -> None:
        if not items:
            return
        with self.engine.begin() as conn:
            conn.execute(insert(invite_reports), [
                {"program_code": r.program_code, "reported_on": r.reported_on, "kind": r.kind,
                 "visa_required": r.visa_required, "source_id": source_id, "row": r.row}
                for r in items])  # fmt: skip

    # ------------------------------------------------------------ name matches
    def put_matches(self, items: Sequence[MatchRow]) -> list[str]:
        """Store automatic matches (one transaction), except where a person already decided the
        name; returns each name's status after the write (a person's decision wins)."""
        out = []
        with self.engine.begin() as conn:
            for values in items:
                where = and_(name_matches.c.kind == values["kind"], name_matches.c.name == values["name"],
                             name_matches.c.state == values["state"],
                             name_matches.c.specialty_code == values.get("specialty_code", ""))  # fmt: skip
                found = conn.execute(select(name_matches.c.status).where(where)).first()
                if found is None:
                    conn.execute(insert(name_matches).values(**values))
                elif found[0] in ("confirmed", "rejected"):
                    out.append(str(found[0]))
                    continue
                else:
                    conn.execute(update(name_matches).where(where).values(**values))
                out.append(str(values["status"]))
        return out

    def matches(
        self, *, status: Iterable[str] | None = None, kind: str | None = None
    ) -> list[MatchRow]:
        query = select(name_matches).order_by(
            name_matches.c.kind, name_matches.c.state, name_matches.c.name
        )
        if status is not None:
            query = query.where(name_matches.c.status.in_(list(status)))
        if kind is not None:
            query = query.where(name_matches.c.kind == kind)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def decide(
        self, match_id: int, *, status: str, institution_code: str | None, by: str, at: datetime
    ) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(update(name_matches).where(name_matches.c.id == match_id).values(
                status=status, institution_code=institution_code, decided_by=by, decided_at=at))  # fmt: skip
            if done.rowcount:
                CatalogStore._bump(conn)
            return bool(done.rowcount)

    # ------------------------------------------------------------ reads for the catalog
    def fill_rows(self) -> list[FillYear]:
        sources = self.source_map()
        query = select(fill_history).order_by(
            fill_history.c.program_code, fill_history.c.year.desc()
        )
        with self.engine.connect() as conn:
            return [FillYear(r["program_code"], r["year"], r["quota"], r["matched"], r["match_table"],
                             sources[r["source_id"]].title, sources[r["source_id"]].as_of.isoformat(),
                             r["row"]) for r in conn.execute(query).mappings()]  # fmt: skip

    def lca_by_institution(self) -> list[dict[str, Any]]:
        """Filings of employers matched (or confirmed) to an NRMP institution, one row each."""
        accepted = select(name_matches.c.name, name_matches.c.state, name_matches.c.institution_code,
                          name_matches.c.score, name_matches.c.status).where(
            name_matches.c.kind == "lca", name_matches.c.status.in_(("matched", "confirmed"))).subquery()  # fmt: skip
        query = (
            select(h1b_filings.c.employer_name, h1b_filings.c.worksite_state, h1b_filings.c.role,
                   h1b_filings.c.case_status, h1b_filings.c.decision_date, h1b_filings.c.wage_from,
                   h1b_filings.c.wage_to, h1b_filings.c.wage_unit, h1b_filings.c.source_id,
                   accepted.c.institution_code, accepted.c.score, accepted.c.status)
            .select_from(h1b_filings.join(accepted, and_(
                func.upper(h1b_filings.c.employer_name) == accepted.c.name,
                h1b_filings.c.worksite_state == accepted.c.state)))
        )  # fmt: skip
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def employers(self) -> list[tuple[str, str, str]]:
        """Distinct (employer name upper-cased, worksite state, a worksite city) of stored filings."""
        query = (
            select(func.upper(h1b_filings.c.employer_name), h1b_filings.c.worksite_state,
                   func.max(h1b_filings.c.worksite_city))
            .group_by(func.upper(h1b_filings.c.employer_name), h1b_filings.c.worksite_state)
        )  # fmt: skip
        with self.engine.connect() as conn:
            return [(str(a), str(b), str(c or "")) for a, b, c in conn.execute(query)]

    def acgme_rows(self) -> list[tuple[AcgmeProgram, int]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(acgme_programs).order_by(acgme_programs.c.acgme_id)
            ).mappings()
            return [(AcgmeProgram(r["acgme_id"], r["name"], r["city"], r["state"], r["sponsor_code"],
                                  r["sponsor"], r["status"], r["accredited_since"], r["website"], r["row"]),
                     int(r["source_id"])) for r in rows]  # fmt: skip

    def invite_rows(self) -> list[tuple[InviteReport, int]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(invite_reports).order_by(invite_reports.c.program_code)
            ).mappings()
            return [(InviteReport(r["program_code"], r["reported_on"], r["kind"], r["visa_required"], r["row"]),
                     int(r["source_id"])) for r in rows]  # fmt: skip

    def counts(self) -> dict[str, int]:
        """Rows per evidence table (for ``imgpath programs evidence --summary``)."""
        with self.engine.connect() as conn:
            return {table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                    for table in (fill_history, h1b_filings, acgme_programs, invite_reports, name_matches)}  # fmt: skip

    @staticmethod
    def bump(conn: Connection) -> None:
        CatalogStore._bump(conn)
