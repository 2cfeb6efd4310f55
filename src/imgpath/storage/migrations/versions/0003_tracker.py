"""The season's tracker: applications, letters and their programs, documents, rotations, the rank
list, and organisations' rotation slots with the applicants placed in them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _owner() -> sa.Column[int]:
    return sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                     nullable=False, index=True)  # fmt: skip


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "applications", _id(), _owner(),
        sa.Column("program_code", sa.String(12), sa.ForeignKey("programs.code"), nullable=False),
        sa.Column("service", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("dates", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "program_code"),
    )  # fmt: skip
    op.create_table(
        "letters", _id(), _owner(),
        sa.Column("writer", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_on", sa.Date, nullable=True),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
    )  # fmt: skip
    op.create_table(
        "letter_assignments",
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("program_code", sa.String(12), sa.ForeignKey("programs.code"), primary_key=True),
        _owner(),
    )  # fmt: skip
    op.create_table(
        "documents", _id(), _owner(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()),
    )  # fmt: skip
    op.create_table(
        "rotations", _id(), _owner(),
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("specialty", sa.String(120), nullable=False),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cost", sa.Float, nullable=True),
        sa.Column("supervisor", sa.String(200), nullable=False, server_default=""),
        sa.Column("letter_earned", sa.Boolean, nullable=False, server_default=sa.false()),
    )  # fmt: skip
    op.create_table(
        "rank_lists",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("entries", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )  # fmt: skip
    op.create_table(
        "rotation_slots", _id(), _owner(),
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("specialty", sa.String(120), nullable=False),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
    )  # fmt: skip
    op.create_table(
        "placements",
        sa.Column("slot_id", sa.Integer, sa.ForeignKey("rotation_slots.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("applicant_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
    )  # fmt: skip


def downgrade() -> None:
    for table in ("placements", "rotation_slots", "rank_lists", "rotations", "documents",
                  "letter_assignments", "letters", "applications"):  # fmt: skip
        op.drop_table(table)
