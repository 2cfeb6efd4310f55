"""Claim reviewers: the accounts appointed to accept or flag claims in the web app.

Revision ID: 0008
Revises: 0007_organisations
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007_organisations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_reviewers",
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("appointed_by", sa.String(200), nullable=False),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("claim_reviewers")
