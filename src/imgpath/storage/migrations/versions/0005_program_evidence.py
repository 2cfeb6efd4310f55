"""Program-level evidence with provenance, claim review and votes, and shared outcomes.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def _source() -> sa.Column[int]:
    return sa.Column("source_id", sa.Integer,
                     sa.ForeignKey("evidence_sources.id", ondelete="CASCADE"), nullable=False,
                     index=True)  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(
            sa.Column("status", sa.String(10), nullable=False, server_default="accepted")
        )
        batch.add_column(
            sa.Column("reviewed_by", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("review_note", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "evidence_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("publisher", sa.String(300), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("licence", sa.String(300), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("bundled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("rows_read", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_kept", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "fill_history",
        sa.Column("program_code", sa.String(12), sa.ForeignKey("programs.code"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("match_table", sa.String(40), primary_key=True),
        sa.Column("quota", sa.Integer, nullable=False),
        sa.Column("matched", sa.Integer, nullable=False),
        _source(),
        sa.Column("row", sa.Integer, nullable=False),
    )
    op.create_table(
        "h1b_filings",
        sa.Column("case_number", sa.String(24), primary_key=True),
        sa.Column("case_status", sa.String(32), nullable=False),
        sa.Column("decision_date", sa.Date, nullable=False),
        sa.Column("received_date", sa.Date, nullable=True),
        sa.Column("begin_date", sa.Date, nullable=True),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("job_title", sa.String(300), nullable=False),
        sa.Column("soc_code", sa.String(12), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("employer_name", sa.String(300), nullable=False, index=True),
        sa.Column("employer_city", sa.String(120), nullable=False, server_default=""),
        sa.Column("employer_state", sa.String(2), nullable=False, server_default=""),
        sa.Column("worksite_city", sa.String(120), nullable=False, server_default=""),
        sa.Column("worksite_state", sa.String(2), nullable=False),
        sa.Column("wage_from", sa.Float, nullable=True),
        sa.Column("wage_to", sa.Float, nullable=True),
        sa.Column("wage_unit", sa.String(20), nullable=False, server_default=""),
        sa.Column("workers", sa.Integer, nullable=False, server_default="1"),
        _source(),
        sa.Column("row", sa.Integer, nullable=False),
    )
    op.create_table(
        "acgme_programs",
        sa.Column("acgme_id", sa.String(10), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("sponsor_code", sa.String(20), nullable=False, server_default=""),
        sa.Column("sponsor", sa.String(300), nullable=False),
        sa.Column("status", sa.String(80), nullable=False),
        sa.Column("accredited_since", sa.Date, nullable=True),
        sa.Column("website", sa.String(500), nullable=False, server_default=""),
        _source(),
        sa.Column("row", sa.Integer, nullable=False),
    )
    op.create_table(
        "name_matches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("specialty_code", sa.String(8), nullable=False, server_default=""),
        sa.Column("institution_code", sa.String(8), nullable=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("candidates", sa.JSON, nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("kind", "name", "state", "specialty_code"),
    )
    op.create_table(
        "invite_reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "program_code",
            sa.String(12),
            sa.ForeignKey("programs.code"),
            nullable=False,
            index=True,
        ),
        sa.Column("reported_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(12), nullable=True),
        sa.Column("visa_required", sa.Boolean, nullable=True),
        _source(),
        sa.Column("row", sa.Integer, nullable=False),
        sa.UniqueConstraint("source_id", "row"),
    )
    op.create_table(
        "claim_votes",
        sa.Column(
            "claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("voter", sa.String(200), primary_key=True),
        sa.Column("vote", sa.String(8), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "outcome_consents",
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("applicant_kind", sa.String(12), nullable=False),
        sa.Column("needs_visa", sa.Boolean, nullable=True),
        sa.Column("opted_in_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "outcome_records",
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("program_code", sa.String(12), sa.ForeignKey("programs.code"), primary_key=True),
        sa.Column("match_year", sa.Integer, primary_key=True),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("outcome_records", "outcome_consents", "claim_votes", "invite_reports",
                  "name_matches", "acgme_programs", "h1b_filings", "fill_history",
                  "evidence_sources"):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("claims") as batch:
        for column in ("review_note", "reviewed_at", "reviewed_by", "status"):
            batch.drop_column(column)
