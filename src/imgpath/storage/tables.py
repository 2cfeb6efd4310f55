"""The database tables (SQLAlchemy Core).  Alembic migrations create and change them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["claims", "meta", "metadata", "programs"]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

programs = Table(
    "programs",
    metadata,
    Column("code", String(12), primary_key=True),
    Column("track", String(200), nullable=False),
    Column("specialty_code", String(8), nullable=False, index=True),
    Column("specialty", String(200), nullable=False),
    Column("track_type", String(1), nullable=False),
    Column("institution_code", String(8), nullable=False),
    Column("institution", String(300), nullable=False),
    Column("state", String(2), nullable=False, index=True),
    Column("state_inferred", Boolean, nullable=False),
    Column("list_source", String(200), nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_code", String(12), ForeignKey("programs.code"), nullable=False, index=True),
    Column("field", String(40), nullable=False),
    Column("value", String(100), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("source", String(500), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("entered_by", String(200), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    # review (migration 0005): pending, accepted or flagged; imports by the operator are accepted
    Column("status", String(10), nullable=False, server_default="accepted"),
    Column("reviewed_by", String(200), nullable=False, server_default=""),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("review_note", Text, nullable=False, server_default=""),
    UniqueConstraint("program_code", "field", "value", "kind", "source", "as_of"),
)

meta = Table(
    "catalog_meta",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", String(500), nullable=False),
)
"""Small facts about the catalog: where the program list came from, a revision counter."""
