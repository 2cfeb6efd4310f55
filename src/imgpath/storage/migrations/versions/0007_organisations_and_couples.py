"""Rotation organisations as a role of their own, and couples' linked rank lists.

* ``organisation_profiles``: an organisation account's public name, about text and website.
* ``offered_rotations``: the rotations an organisation offers (specialty, site, setting,
  hands-on or observership, 4 to 12 weeks, dates, cost, places, what a letter needs).
* ``rotation_requests``: an applicant's request for a place, and what the organisation decided
  (accepted, declined, placed, completed; the letter it recorded in the applicant's letters;
  the rotation record added to the applicant's rotations at completion).
* ``couples``: an invitation from one applicant to another, once accepted a linked couple with
  their rank list of pairs (NRMP R3's couples lists) and each partner's certification.

Existing data is kept as it is: advisors' ``rotation_slots`` and their ``placements`` keep
working (an advisor's slots are still run from /slots); users keep their roles (the new role
value ``organisation`` needs no column change: ``users.role`` holds 12 characters).

Revision ID: 0007_organisations
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_organisations"
down_revision = "0006"
branch_labels = None
depends_on = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user(name: str, *, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                     nullable=nullable, index=True)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "organisation_profiles",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("about", sa.Text, nullable=False, server_default=""),
        sa.Column("website", sa.String(300), nullable=False, server_default=""),
        _when("updated_at"),
    )  # fmt: skip
    op.create_table(
        "offered_rotations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user("user_id"),
        sa.Column("specialty", sa.String(120), nullable=False),
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("setting", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("weeks", sa.Integer, nullable=False),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=False),
        sa.Column("cost", sa.Float, nullable=True),
        sa.Column("places", sa.Integer, nullable=False),
        sa.Column("letter_needs", sa.Text, nullable=False, server_default=""),
        sa.Column("open", sa.Boolean, nullable=False, server_default=sa.true()),
        _when("created_at"),
        sqlite_autoincrement=True,
    )  # fmt: skip
    op.create_table(
        "rotation_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("rotation_id", sa.Integer, sa.ForeignKey("offered_rotations.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        _user("applicant_id"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        _when("created_at"),
        _when("decided_at", nullable=True),
        sa.Column("completed_on", sa.Date, nullable=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id", ondelete="SET NULL"), nullable=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("rotations.id", ondelete="SET NULL"), nullable=True),
        sa.UniqueConstraint("rotation_id", "applicant_id",
                            name="uq_rotation_requests_rotation_id_applicant_id"),
        sqlite_autoincrement=True,
    )  # fmt: skip
    op.create_table(
        "couples",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user("inviter_id"),
        sa.Column("partner_email", sa.String(320), nullable=False, index=True),
        _user("partner_id", nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("entries", sa.JSON, nullable=False),
        _when("inviter_certified_at", nullable=True),
        _when("partner_certified_at", nullable=True),
        _when("created_at"),
        _when("linked_at", nullable=True),
        _when("updated_at"),
        sqlite_autoincrement=True,
    )  # fmt: skip


def downgrade() -> None:
    for table in ("couples", "rotation_requests", "offered_rotations", "organisation_profiles"):
        op.drop_table(table)
