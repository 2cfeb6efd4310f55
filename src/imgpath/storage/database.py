"""Connect to the database and bring its schema up to date (Alembic, run in-process).

SQLite is the default (a file per user, nothing to install); any SQLAlchemy URL works, and
PostgreSQL is tested (``postgresql+psycopg://user@host/db``).

SQLite runs in WAL mode with a busy timeout (writers wait for each other instead of failing),
``secure_delete`` on, and its file private to this user (mode 600).  Database errors that mean
"busy" (a lock that did not come free in time) become :class:`BusyError` (HTTP 503, retry);
values the database cannot hold (NUL in PostgreSQL text, integers past 64 bits) become
:class:`InvalidInputError` (422) — a safety net under the field-by-field checks of the services.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from imgpath.errors import BusyError, InvalidInputError
from imgpath.extras import require_extra

__all__ = ["MIGRATIONS", "checkpoint", "connect", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")
_BUSY_SQLSTATES = {"40001", "40P01", "55P03", "57014"}
"""PostgreSQL: serialization failure, deadlock, lock not available, statement timeout."""
_BAD_VALUE_SQLSTATES = {"22021", "22003", "22P05", "22008", "22007", "54000"}
"""PostgreSQL: bad byte sequence, number out of range, untranslatable character, datetime
out of range, bad datetime format, program limit exceeded."""


def _sqlite_pragmas(busy_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    return on_connect


def _translate(context: ExceptionContext) -> None:
    """Busy and out-of-range database errors as imgpath errors (never a 500)."""
    error = context.original_exception
    text = str(error).lower()
    sqlstate = getattr(error, "sqlstate", None) or getattr(
        getattr(error, "diag", None), "sqlstate", None
    )
    if (
        "database is locked" in text
        or "database table is locked" in text
        or sqlstate in _BUSY_SQLSTATES
    ):
        msg = "the database is busy with other changes; try again in a few seconds"
        raise BusyError(msg, retry_after=2) from None
    if "nul (0x00)" in text or sqlstate in _BAD_VALUE_SQLSTATES or "too large to convert" in text:
        msg = "a value cannot be stored (a NUL character, or a number or date out of range); check what you typed"
        raise InvalidInputError(msg) from None


def _private_file(path: Path) -> None:
    """Create the SQLite file (and its folder) readable by this user only."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if name.exists():
            name.chmod(0o600)


def connect(url: str, *, busy_seconds: float = 10.0) -> Engine:
    """An engine for ``url``, with the schema migrated to the latest version.

    A URL that cannot be used is the user's to fix (bad input), with the reason.
    """
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except ModuleNotFoundError:  # a driver that is an optional part (psycopg: imgpath[postgres])
        if url.startswith("postgres"):
            require_extra("postgres")
        raise
    except (ArgumentError, NoSuchModuleError) as exc:
        msg = f"database URL {url!r} cannot be used: {exc}; write e.g. sqlite:///imgpath.db or postgresql+psycopg://user@host/db"
        raise InvalidInputError(msg) from None
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            _private_file(Path(engine.url.database).expanduser())
        event.listen(engine, "connect", _sqlite_pragmas(int(busy_seconds * 1000)))
    event.listen(engine, "handle_error", _translate)
    try:
        upgrade(engine)
    except OperationalError as exc:
        msg = f"cannot open the database at {engine.url.render_as_string(hide_password=True)}: {exc.orig}"
        raise InvalidInputError(msg) from None
    return engine


def upgrade(engine: Engine) -> None:
    """Run every pending migration (a no-op when the schema is current).

    On SQLite, foreign keys are off while migrations run (SQLite's own procedure for rebuilding
    a table: otherwise dropping the old copy would cascade into its children), and checked
    before the change is committed.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        msg = f"the database's links between tables are broken: {broken[:5]}"
                        raise InvalidInputError(msg)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()


def checkpoint(engine: Engine) -> None:
    """SQLite: fold the write-ahead log into the file and empty it (deleted rows leave the log)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def has_table(engine: Engine, name: str) -> bool:
    return inspect(engine).has_table(name)
