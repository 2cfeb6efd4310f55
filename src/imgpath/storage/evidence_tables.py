"""Tables for program-level evidence, claim review and shared outcomes (SQLAlchemy Core).

Migration 0005 creates them.  Every evidence row points at its ``evidence_sources`` row (the
file it came from) and keeps its row number there: provenance per row.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from imgpath.storage.tables import metadata

__all__ = [
    "acgme_programs",
    "claim_votes",
    "evidence_sources",
    "fill_history",
    "h1b_filings",
    "invite_reports",
    "name_matches",
    "outcome_consents",
    "outcome_records",
]


def _source() -> Column[int]:
    return Column(
        "source_id",
        Integer,
        ForeignKey("evidence_sources.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


evidence_sources = Table(
    "evidence_sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("title", String(300), nullable=False),
    Column("publisher", String(300), nullable=False),
    Column("url", String(500), nullable=False),
    Column("licence", String(300), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("file", String(300), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("bundled", Boolean, nullable=False, server_default="0"),
    Column("rows_read", Integer, nullable=False, server_default="0"),
    Column("rows_kept", Integer, nullable=False, server_default="0"),
    Column("rows_rejected", Integer, nullable=False, server_default="0"),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

fill_history = Table(
    "fill_history",
    metadata,
    Column("program_code", String(12), ForeignKey("programs.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("match_table", String(40), primary_key=True),
    Column("quota", Integer, nullable=False),
    Column("matched", Integer, nullable=False),
    _source(),
    Column("row", Integer, nullable=False),
)

h1b_filings = Table(
    "h1b_filings",
    metadata,
    Column("case_number", String(24), primary_key=True),
    Column("case_status", String(32), nullable=False),
    Column("decision_date", Date, nullable=False),
    Column("received_date", Date, nullable=True),
    Column("begin_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("job_title", String(300), nullable=False),
    Column("soc_code", String(12), nullable=False),
    Column("role", String(12), nullable=False),
    Column("employer_name", String(300), nullable=False, index=True),
    Column("employer_city", String(120), nullable=False, server_default=""),
    Column("employer_state", String(2), nullable=False, server_default=""),
    Column("worksite_city", String(120), nullable=False, server_default=""),
    Column("worksite_state", String(2), nullable=False),
    Column("wage_from", Float, nullable=True),
    Column("wage_to", Float, nullable=True),
    Column("wage_unit", String(20), nullable=False, server_default=""),
    Column("workers", Integer, nullable=False, server_default="1"),
    _source(),
    Column("row", Integer, nullable=False),
)

acgme_programs = Table(
    "acgme_programs",
    metadata,
    Column("acgme_id", String(10), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("city", String(120), nullable=False),
    Column("state", String(2), nullable=False),
    Column("sponsor_code", String(20), nullable=False, server_default=""),
    Column("sponsor", String(300), nullable=False),
    Column("status", String(80), nullable=False),
    Column("accredited_since", Date, nullable=True),
    Column("website", String(500), nullable=False, server_default=""),
    _source(),
    Column("row", Integer, nullable=False),
)

name_matches = Table(
    "name_matches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "kind", String(12), nullable=False
    ),  # lca (employer name + worksite state) or acgme (an ID)
    Column("name", String(300), nullable=False),
    Column("state", String(2), nullable=False),
    Column("specialty_code", String(8), nullable=False, server_default=""),
    Column("institution_code", String(8), nullable=True),
    Column("score", Float, nullable=False),
    Column("status", String(12), nullable=False),
    Column("candidates", JSON, nullable=False),
    Column("decided_by", String(200), nullable=False, server_default=""),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("kind", "name", "state", "specialty_code"),
)

invite_reports = Table(
    "invite_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_code", String(12), ForeignKey("programs.code"), nullable=False, index=True),
    Column("reported_on", Date, nullable=False),
    Column("kind", String(12), nullable=True),
    Column("visa_required", Boolean, nullable=True),
    _source(),
    Column("row", Integer, nullable=False),
    UniqueConstraint("source_id", "row"),
)

claim_votes = Table(
    "claim_votes",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("voter", String(200), primary_key=True),
    Column("vote", String(8), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("voted_at", DateTime(timezone=True), nullable=False),
)

outcome_consents = Table(
    "outcome_consents",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("applicant_kind", String(12), nullable=False),
    Column("needs_visa", Boolean, nullable=True),
    Column("opted_in_at", DateTime(timezone=True), nullable=False),
)

outcome_records = Table(
    "outcome_records",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("program_code", String(12), ForeignKey("programs.code"), primary_key=True),
    Column("match_year", Integer, primary_key=True),
    Column("stage", Integer, nullable=False),  # furthest reached: 1 applied ... 5 matched
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
