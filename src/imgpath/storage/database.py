"""Connect to the database and bring its schema up to date (Alembic, run in-process).

SQLite is the default (a file per user, nothing to install); any SQLAlchemy URL works, and
PostgreSQL is tested (``postgresql+psycopg://user@host/db``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from imgpath.errors import InvalidInputError

__all__ = ["MIGRATIONS", "connect", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def connect(url: str) -> Engine:
    """An engine for ``url``, with the schema migrated to the latest version.

    A URL that cannot be used is the user's to fix (bad input), with the reason.
    """
    try:
        engine = create_engine(url, future=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        msg = f"database URL {url!r} cannot be used: {exc}; write e.g. sqlite:///imgpath.db or postgresql+psycopg://user@host/db"
        raise InvalidInputError(msg) from None
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            Path(engine.url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        upgrade(engine)
    except OperationalError as exc:
        msg = f"cannot open the database at {engine.url.render_as_string(hide_password=True)}: {exc.orig}"
        raise InvalidInputError(msg) from None
    return engine


def upgrade(engine: Engine) -> None:
    """Run every pending migration (a no-op when the schema is current)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def has_table(engine: Engine, name: str) -> bool:
    return inspect(engine).has_table(name)
