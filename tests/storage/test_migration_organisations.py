"""Migration 0007 (organisations and couples) keeps what was there: an advisor's rotation slot
and the applicant placed in it survive the upgrade and still show, with the advisor's name, on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from imgpath.storage.accounts_store import users
from imgpath.storage.database import MIGRATIONS, upgrade
from imgpath.storage.tracker_store import TrackerStore


def _at_0006(url: str) -> None:
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for uid, email, name, role in ((1, "coach@example.org", "Coach Ltd", "advisor"),
                                       (2, "ada@example.org", "", "applicant")):  # fmt: skip
            conn.execute(text("INSERT INTO users (id, email, name, password_hash, role, time_zone, created_at) "
                              "VALUES (:i, :e, :n, 'x', :r, 'UTC', :t)"), {"i": uid, "e": email, "n": name, "r": role, "t": now})  # fmt: skip
        conn.execute(text("INSERT INTO rotation_slots (id, user_id, site, specialty, start_on, end_on, kind, capacity) "
                          "VALUES (7, 1, 'Mercy', 'IM', :s, :e, 'hands_on', 2)"), {"s": date(2027, 1, 4), "e": date(2027, 1, 31)})  # fmt: skip
        conn.execute(text("INSERT INTO placements (slot_id, applicant_id) VALUES (7, 2)"))
    engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_slots_and_placements_survive_the_upgrade(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'old.sqlite3'}"
        if kind == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    _at_0006(url)
    engine = create_engine(url)
    upgrade(engine)
    names = set(inspect(engine).get_table_names())
    assert {"organisation_profiles", "offered_rotations", "rotation_requests", "couples"} <= names
    with engine.connect() as conn:  # the accounts are as they were
        assert (
            conn.execute(users.select().where(users.c.id == 1)).mappings().one()["role"]
            == "advisor"
        )
    [placed] = TrackerStore(engine).placements_of(2)
    assert (placed["id"], placed["site"], placed["organisation"], placed["source"]) == (
        7,
        "Mercy",
        "Coach Ltd",
        "slot",
    )
    engine.dispose()
