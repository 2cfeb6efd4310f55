"""The program catalog: programs, claims, catalog metadata, and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SEARCHED = (
    "coalesce(track, '') || ' ' || coalesce(institution, '') || ' ' || coalesce(specialty, '')"
)


def upgrade() -> None:
    op.create_table(
        "programs",
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("track", sa.String(200), nullable=False),
        sa.Column("specialty_code", sa.String(8), nullable=False),
        sa.Column("specialty", sa.String(200), nullable=False),
        sa.Column("track_type", sa.String(1), nullable=False),
        sa.Column("institution_code", sa.String(8), nullable=False),
        sa.Column("institution", sa.String(300), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("state_inferred", sa.Boolean(), nullable=False),
        sa.Column("list_source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_programs"),
    )
    op.create_index("ix_programs_specialty_code", "programs", ["specialty_code"])
    op.create_index("ix_programs_state", "programs", ["state"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_code", sa.String(12), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("value", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("entered_by", sa.String(200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["program_code"], ["programs.code"], name="fk_claims_program_code_programs"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.UniqueConstraint(
            "program_code",
            "field",
            "value",
            "kind",
            "source",
            "as_of",
            name="uq_claims_program_code_field_value_kind_source_as_of",
        ),
    )
    op.create_index("ix_claims_program_code", "claims", ["program_code"])
    op.create_table(
        "catalog_meta",
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("value", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_catalog_meta"),
    )
    # Full-text search over program, institution and specialty names, each database its own way.
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE programs_fts USING fts5("
            "code UNINDEXED, track, institution, specialty, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif op.get_context().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX ix_programs_search ON programs USING gin (to_tsvector('simple', {SEARCHED}))"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TABLE programs_fts")
    op.drop_table("catalog_meta")
    op.drop_table("claims")
    op.drop_table("programs")
