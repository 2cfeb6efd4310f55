"""Upgrading a database made by 0005 (before sessions and verified email) keeps its data.

Migration 0006 once left every existing account unverified: nobody could sign in and every
share lost its advisor (then lapsed).  The rule now (docs/reference/security.md, "Upgrading
from 0005"): existing accounts are *legacy* (they sign in as before, their address not yet
confirmed), a share to the address of an existing advisor account stays attached to it, and
only shares to an address without an advisor account become pending.  New shares to a legacy
advisor wait until its owner confirms the address.  Run with Alembic on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from imgpath.storage.database import MIGRATIONS
from tests.web.conftest import (
    PASSWORD,
    PROFILE,
    TODAY,
    Client,
    make_settings,
    outbox_links,
    token_of,
)

BEFORE = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database at revision 0005."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    engine.dispose()
    return url


def _fill_as_0005(url: str) -> None:
    """What 0005 held: two applicants (one shares with an advisor, an unknown address and an
    applicant's address), the advisor, their profile and a tracker record."""
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    engine = create_engine(url)
    people = [(1, "ann@example.org", "applicant"), (2, "coach@example.org", "advisor"),
              (3, "bo@example.org", "applicant"), (4, "quiet@example.org", "advisor")]  # fmt: skip
    with engine.begin() as conn:
        for user_id, email, role in people:
            conn.execute(text("INSERT INTO users (id, email, name, password_hash, role, time_zone, created_at) "
                              "VALUES (:i, :e, :n, :h, :r, 'UTC', :c)"),
                         {"i": user_id, "e": email, "n": email.split("@")[0], "h": hashed, "r": role, "c": BEFORE})  # fmt: skip
        conn.execute(text("INSERT INTO profiles (user_id, data, updated_at) VALUES (1, :d, :c)"),
                     {"d": json.dumps(PROFILE), "c": BEFORE})  # fmt: skip
        for n, email in enumerate(("coach@example.org", "nobody@example.org", "bo@example.org"), 1):
            conn.execute(text("INSERT INTO shares (id, applicant_id, advisor_email, created_at) "
                              "VALUES (:i, 1, :e, :c)"), {"i": n, "e": email, "c": BEFORE})  # fmt: skip
        conn.execute(text("INSERT INTO documents (id, user_id, title, kind, done) "
                          "VALUES (1, 1, 'Passport scan', 'other', :f)"), {"f": False})  # fmt: skip
        if engine.dialect.name == "postgresql":
            for table in ("users", "shares", "documents"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)"))
    engine.dispose()


def test_upgrading_from_0005_keeps_accounts_shares_and_data(
    old_database: str, tmp_path: Path
) -> None:
    from imgpath.web.app import create_app

    _fill_as_0005(old_database)
    upgraded_at = datetime.now(UTC)
    app = create_app(
        make_settings(old_database, tmp_path / "data"), today=TODAY, start_worker=False
    )
    try:
        ann, coach = Client(app), Client(app)
        me = ann.signin("ann@example.org")  # legacy accounts sign in as before
        assert (me["id"], me["verified"], me["legacy"]) == (1, False, True)
        assert ann.call("GET", "/api/profile").json()["profile"]["citizenships"] == ["NG"]
        titles = [d["title"] for d in ann.call("GET", "/api/documents").json()["documents"]]
        assert titles == ["Passport scan"]
        shares = {s["advisor_email"]: s for s in ann.call("GET", "/api/shares").json()["shares"]}
        assert shares["coach@example.org"]["status"] == "active"
        assert shares["coach@example.org"]["expires_at"] is None
        for pending in ("nobody@example.org", "bo@example.org"):  # no advisor account there
            assert shares[pending]["status"] == "pending"
            lapses = datetime.fromisoformat(shares[pending]["expires_at"]).replace(tzinfo=UTC)
            assert upgraded_at + timedelta(days=29) < lapses < upgraded_at + timedelta(days=31)
        coach.signin("coach@example.org")
        assert [a["email"] for a in coach.call("GET", "/api/cohort").json()["applicants"]] == [
            "ann@example.org"
        ]
        assert coach.call("GET", "/api/profile", params={"user": 1}).status_code == 200

        # a share made after the upgrade to a legacy advisor waits for a confirmed address
        r = ann.call(
            "POST", "/api/shares", json={"advisor_email": "quiet@example.org", "password": PASSWORD}
        )
        assert r.status_code == 201
        quiet = Client(app)
        quiet.signin("quiet@example.org")
        assert quiet.call("GET", "/api/cohort").json()["applicants"] == []
        assert quiet.call("POST", "/api/verify/send").status_code == 202
        link = [x for x in outbox_links(app, "quiet@example.org") if "/verify?" in x][-1]
        # signed in as the account: no password needed; the account is confirmed, the share attaches
        assert quiet.call("POST", "/api/verify", json={"token": token_of(link)}).status_code == 200
        assert [a["email"] for a in quiet.call("GET", "/api/cohort").json()["applicants"]] == [
            "ann@example.org"
        ]
        assert quiet.call("GET", "/api/me").json()["account"]["verified"] is True
        # new accounts after the upgrade are not legacy: they confirm before signing in
        r = Client(app).http.post(
            "/api/signup", json={"email": "new@example.org", "password": PASSWORD}
        )
        assert r.status_code == 202
        r = Client(app).http.post(
            "/api/signin", json={"email": "new@example.org", "password": PASSWORD}
        )
        assert r.status_code == 403
    finally:
        app.state.close()


def test_the_upgrade_is_reversible(old_database: str) -> None:
    """0006's downgrade gives back the 0005 tables with their rows."""
    from imgpath.storage.database import connect

    _fill_as_0005(old_database)
    engine = connect(old_database)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
    with engine.connect() as conn:
        emails = conn.execute(text("SELECT advisor_email FROM shares ORDER BY id")).scalars().all()
        columns = conn.execute(text("SELECT * FROM users")).keys()
    engine.dispose()
    assert emails == ["coach@example.org", "nobody@example.org", "bo@example.org"]
    assert "legacy" not in columns
