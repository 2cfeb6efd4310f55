"""Shared test configuration: Hypothesis profiles and databases.

``ci`` (the default) derandomizes so that a failure is reproducible from a clean clone; set
``HYPOTHESIS_PROFILE=dev`` to explore new random inputs locally.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ------------------------------------------------------------------ databases

POSTGRES_URL = os.environ.get(
    "IMGPATH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _private_database(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the user's own catalog: the default database is a file in a temp folder."""
    folder = tmp_path_factory.mktemp("db")
    monkeypatch.setenv("IMGPATH_DATABASE_URL", f"sqlite:///{folder / 'imgpath.sqlite3'}")


@pytest.fixture(scope="session")
def built_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite catalog built once per session; tests copy it rather than rebuild."""
    from imgpath.catalog import open_catalog

    path = tmp_path_factory.mktemp("template") / "catalog.sqlite3"
    open_catalog(f"sqlite:///{path}").store.engine.dispose()
    return path


@pytest.fixture
def sqlite_url(built_sqlite: Path, tmp_path: Path) -> str:
    """A fresh copy of the built catalog for one test."""
    target = tmp_path / "catalog.sqlite3"
    shutil.copy(built_sqlite, target)
    return f"sqlite:///{target}"


def _postgres_schema() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL; unreachable PostgreSQL fails the test, loudly."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    if os.environ.get("IMGPATH_SKIP_POSTGRES") == "1":
        pytest.skip("IMGPATH_SKIP_POSTGRES=1: PostgreSQL tests skipped on request")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({exc.orig}); start it, set "
            "IMGPATH_TEST_POSTGRES, or set IMGPATH_SKIP_POSTGRES=1 to skip these tests deliberately"
        )
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_schema()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A built catalog on each database imgpath supports."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
    else:
        yield from _postgres_schema()
