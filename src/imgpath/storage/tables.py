"""The database tables (SQLAlchemy Core), in one place: the catalog's, the accounts', the
season tracker's, and the rotation organisations' and couples'.  Alembic migrations create and change them.  (The security tables are in
``security_store`` and the evidence tables in ``evidence_tables``, on the same ``metadata``,
until the work on them in parallel has merged.)

No table object leaves ``imgpath.storage``: the stores take and return plain values."""

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
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

__all__ = [
    "applications",
    "claim_reviewers",
    "claims",
    "couples",
    "documents",
    "letter_assignments",
    "letters",
    "meta",
    "metadata",
    "odds_jobs",
    "offered_rotations",
    "organisation_profiles",
    "placements",
    "profiles",
    "programs",
    "rank_lists",
    "rotation_requests",
    "rotation_slots",
    "rotations",
    "saved_programs",
    "shares",
    "users",
]

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


# ---------------------------------------------------------------- accounts
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(12), nullable=False),
    Column("time_zone", String(64), nullable=False, server_default="UTC"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("email_verified_at", DateTime(timezone=True), nullable=True),
    Column("legacy", Boolean, nullable=False, server_default=false()),
    sqlite_autoincrement=True,
)
"""``sqlite_autoincrement``: a deleted user's id is never given to the next person (finding C1).
``legacy``: the account existed before email verification (migration 0006); it signs in without
a confirmed address and keeps the shares it had then (docs/reference/security.md)."""
profiles = Table(
    "profiles",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
saved_programs = Table(
    "saved_programs",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("program_code", String(12), ForeignKey("programs.code"), primary_key=True),
    Column("note", Text, nullable=False, server_default=""),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)
shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("applicant_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("advisor_email", String(320), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("advisor_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    sqlite_autoincrement=True,
)
"""A share is *attached* (``advisor_id``) only to a verified advisor account of that address;
until then it is pending and lapses at ``expires_at``."""
odds_jobs = Table(
    "odds_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(12), nullable=False),
    Column("done", Integer, nullable=False, server_default="0"),
    Column("total", Integer, nullable=False, server_default="0"),
    Column("request", JSON, nullable=False),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("plot", LargeBinary, nullable=True),
)


# ---------------------------------------------------------- season tracker
def _owner() -> Column[int]:
    return Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                  index=True)  # fmt: skip


applications = Table(
    "applications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _owner(),
    Column("program_code", String(12), ForeignKey("programs.code"), nullable=False),
    Column("service", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("dates", JSON, nullable=False),  # status -> ISO day it was reached
    Column("notes", Text, nullable=False, server_default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "program_code"),
    sqlite_autoincrement=True,
)  # fmt: skip
letters = Table(
    "letters", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _owner(),
    Column("writer", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("requested_on", Date, nullable=True),
    Column("notes", Text, nullable=False, server_default=""),
    sqlite_autoincrement=True,
)  # fmt: skip
letter_assignments = Table(
    "letter_assignments", metadata,
    Column("letter_id", Integer, ForeignKey("letters.id", ondelete="CASCADE"), primary_key=True),
    Column("program_code", String(12), ForeignKey("programs.code"), primary_key=True),
    _owner(),
)  # fmt: skip
documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _owner(),
    Column("title", String(200), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("due_on", Date, nullable=True),
    Column("done", Boolean, nullable=False, server_default=false()),
    sqlite_autoincrement=True,
)  # fmt: skip
rotations = Table(
    "rotations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _owner(),
    Column("site", String(200), nullable=False),
    Column("specialty", String(120), nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("kind", String(16), nullable=False),  # hands_on | observership
    Column("cost", Float, nullable=True),
    Column("supervisor", String(200), nullable=False, server_default=""),
    Column("letter_earned", Boolean, nullable=False, server_default=false()),
    sqlite_autoincrement=True,
)  # fmt: skip
rank_lists = Table(
    "rank_lists", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("entries", JSON, nullable=False),  # [{"program": code, "supplemental": [codes]}]
    Column("updated_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip
rotation_slots = Table(
    "rotation_slots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _owner(),  # the organisation
    Column("site", String(200), nullable=False),
    Column("specialty", String(120), nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("capacity", Integer, nullable=False),
    sqlite_autoincrement=True,
)  # fmt: skip
placements = Table(
    "placements", metadata,
    Column("slot_id", Integer, ForeignKey("rotation_slots.id", ondelete="CASCADE"),
           primary_key=True),
    Column("applicant_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)  # fmt: skip


# ------------------------------------------------- organisations and couples
organisation_profiles = Table(
    "organisation_profiles", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("about", Text, nullable=False, server_default=""),
    Column("website", String(300), nullable=False, server_default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip
offered_rotations = Table(
    "offered_rotations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),  # the organisation
    Column("specialty", String(120), nullable=False),
    Column("site", String(200), nullable=False),
    Column("setting", String(32), nullable=False),  # inpatient | outpatient | ...
    Column("kind", String(16), nullable=False),  # hands_on | observership
    Column("weeks", Integer, nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("cost", Float, nullable=True),  # US dollars; NULL: not stated
    Column("places", Integer, nullable=False),
    Column("letter_needs", Text, nullable=False, server_default=""),
    Column("open", Boolean, nullable=False, server_default=true()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)  # fmt: skip
rotation_requests = Table(
    "rotation_requests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rotation_id", Integer, ForeignKey("offered_rotations.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("applicant_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("status", String(16), nullable=False),
    Column("message", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("completed_on", Date, nullable=True),
    Column("letter_id", Integer, ForeignKey("letters.id", ondelete="SET NULL"), nullable=True),
    Column("record_id", Integer, ForeignKey("rotations.id", ondelete="SET NULL"), nullable=True),
    # the applicant's own rotation record, added at completion (it counts in their USCE totals)
    UniqueConstraint("rotation_id", "applicant_id"),
    sqlite_autoincrement=True,
)  # fmt: skip
couples = Table(
    "couples", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("inviter_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("partner_email", String(320), nullable=False, index=True),
    Column("partner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True,
           index=True),
    Column("status", String(12), nullable=False),  # invited | linked
    Column("entries", JSON, nullable=False),  # [{"inviter": code|None, "partner": code|None}]
    Column("inviter_certified_at", DateTime(timezone=True), nullable=True),
    Column("partner_certified_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)  # fmt: skip
claim_reviewers = Table(
    "claim_reviewers",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("appointed_by", String(200), nullable=False),
    Column("appointed_at", DateTime(timezone=True), nullable=False),
)
"""Accounts appointed to accept or flag claims (migration 0008)."""
