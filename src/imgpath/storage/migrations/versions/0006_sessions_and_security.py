"""Security: server-side sessions, email tokens, a shared sign-in throttle, verified shares,
the odds queue's lease columns, and ids that are never reused.

* ``sessions``: one row per signed-in browser; the cookie holds a random token, the table its
  SHA-256 (a stolen database does not hold usable cookies).
* ``email_tokens``: single-use, expiring links (verify an address, reset a password, change
  the email), stored hashed like sessions.
* ``throttle``: failed sign-ins per account and address, sign-ups per address (shared by every
  server process).
* ``users.email_verified_at``; ``shares.advisor_id`` (the verified advisor account a share is
  attached to) and ``shares.expires_at`` (a pending share lapses).
* What existed is kept (docs/reference/security.md, "Upgrading from 0005"): every account
  that exists is marked ``legacy`` (it signs in as before, its address not yet confirmed); every
  share to the address of an advisor account is attached to that account, as it was readable
  by it before; only shares to an address with no advisor account become pending (30 days
  from the upgrade).
* ``odds_jobs``: ``lease_until``, ``attempts`` (a worker that died gives its job back),
  ``plot`` (the PNG, rendered once).
* On SQLite, every table with an integer id is rebuilt with ``AUTOINCREMENT``, so a deleted
  row's id is never handed out again (PostgreSQL's sequences never reuse ids).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

REBUILT = ("users", "shares", "applications", "letters", "documents", "rotations", "rotation_slots")


def _when(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(_when("email_verified_at", nullable=True))
        batch.add_column(sa.Column("legacy", sa.Boolean, nullable=False, server_default=sa.false()))
    op.execute(sa.text("UPDATE users SET legacy = :yes").bindparams(yes=True))
    with op.batch_alter_table("shares") as batch:
        batch.add_column(
            sa.Column("advisor_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE",
                      name="fk_shares_advisor_id_users"), nullable=True)
        )  # fmt: skip
        batch.add_column(_when("expires_at", nullable=True))
        # named here: an index=True column in SQLite's batch copy was named after the copy
        batch.create_index("ix_shares_advisor_id", ["advisor_id"])
    op.execute(sa.text(
        "UPDATE shares SET advisor_id = (SELECT users.id FROM users WHERE users.email = "
        "shares.advisor_email AND users.role = 'advisor')"))  # fmt: skip
    lapse = datetime.now(UTC) + timedelta(days=30)
    op.execute(
        sa.text("UPDATE shares SET expires_at = :lapse WHERE advisor_id IS NULL").bindparams(
            lapse=lapse
        )
    )
    with op.batch_alter_table("odds_jobs") as batch:
        batch.add_column(_when("lease_until", nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("plot", sa.LargeBinary, nullable=True))
        batch.create_index("ix_odds_jobs_status", ["status"])
    if op.get_bind().dialect.name == "sqlite":
        # AUTOINCREMENT needs the table rebuilt (last, so no later change rebuilds it without);
        # foreign keys are off meanwhile (see storage.database.upgrade)
        for table in REBUILT:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        _when("created_at"), _when("last_seen_at"), _when("expires_at"),
        sa.Column("user_agent", sa.String(200), nullable=False, server_default=""),
        sa.Column("address", sa.String(64), nullable=False, server_default=""),
    )  # fmt: skip
    op.create_table(
        "email_tokens",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        _when("created_at"), _when("expires_at"), _when("used_at", nullable=True),
    )  # fmt: skip
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        _when("window_start"),
        _when("blocked_until", nullable=True),
    )


def downgrade() -> None:
    for table in ("throttle", "email_tokens", "sessions"):
        op.drop_table(table)
    with op.batch_alter_table("odds_jobs") as batch:
        batch.drop_index("ix_odds_jobs_status")
        for column in ("plot", "attempts", "lease_until"):
            batch.drop_column(column)
    with op.batch_alter_table("shares") as batch:
        batch.drop_index("ix_shares_advisor_id")
        batch.drop_column("expires_at")
        batch.drop_column("advisor_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("legacy")
        batch.drop_column("email_verified_at")
