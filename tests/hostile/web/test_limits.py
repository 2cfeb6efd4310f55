"""M2, M7, L9: no blocking work on the event loop; a locked database is a 503, not a 500; odds
runs limited per person and overall, shared fairly; a plot drawn once per run."""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from imgpath.services.workspace.odds_queue import OddsQueue, OddsWorker, QueueLimits
from imgpath.storage.jobs_store import JobsStore
from tests.web.conftest import PROFILE

ASYNC_ALLOWED = {"/api/applications/import", "/applications/import"}
"""These read an uploaded body asynchronously, then parse and save it in the thread pool."""


def test_m2_every_handler_runs_in_the_thread_pool() -> None:
    from imgpath.web import (
        api,
        api_accounts,
        api_couples,
        api_organisations,
        api_tracker,
        docs,
        pages,
        pages_accounts,
        pages_couples,
        pages_organisations,
        pages_tracker,
    )

    for module in (api, api_accounts, api_tracker, docs, pages, pages_accounts, pages_tracker,
                   api_organisations, api_couples, pages_organisations, pages_couples):  # fmt: skip
        for route in module.router.routes:
            endpoint = getattr(route, "endpoint", None)
            if endpoint is not None and route.path not in ASYNC_ALLOWED:
                assert not inspect.iscoroutinefunction(endpoint), (module.__name__, route.path)


def test_m2_a_database_lock_that_outlasts_the_wait_is_a_503(client: Any, app: Any) -> None:
    client.signup("busy@example.org")
    engine = app.state.workspace.store.engine
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL row locks wait; its lock errors map to the same BusyError (unit below)
    import sqlite3

    path = engine.url.database
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout = 100")
        engine.pool.dispose()
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def short_wait(dbapi: Any, _record: Any) -> None:
            dbapi.execute("PRAGMA busy_timeout = 200")

        r = client.call("POST", "/api/documents", json={"title": "CV"})
        assert r.status_code == 503, r.text
        assert r.json()["error"] == "BusyError"
        assert int(r.headers["Retry-After"]) >= 1
    finally:
        blocker.rollback()
        blocker.close()


def test_m2_postgres_lock_errors_are_busy_errors() -> None:
    import pytest

    from imgpath.errors import BusyError
    from imgpath.storage.database import _translate

    class Fake(Exception):
        sqlstate = "55P03"

    class Context:
        original_exception = Fake("could not obtain lock")

    with pytest.raises(BusyError):
        _translate(Context())  # type: ignore[arg-type]


def _queue(app: Any, **limits: Any) -> OddsQueue:
    return OddsQueue(JobsStore(app.state.workspace.store.engine), QueueLimits(**limits))


def test_m7_one_run_per_person_and_a_global_limit(client: Any, make_client: Any, app: Any) -> None:
    client.signup("q1@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    queue = app.state.services.queue
    first = client.call("POST", "/api/odds", json={"specialty": "internal medicine"})
    assert first.status_code == 202
    r = client.call("POST", "/api/odds", json={"specialty": "pediatrics"})
    if r.status_code == 202:  # the first finished already: a third one while the second runs
        r = client.call("POST", "/api/odds", json={"specialty": "family medicine"})
    assert r.status_code in (202, 429)
    full = _queue(app, per_user=5, overall=2)
    ids = [make_client().signup(f"g{n}@example.org")["id"] for n in range(3)]
    full.store.submit(
        "a" * 32, ids[0], {}, total=1, now=datetime.now(UTC), per_user=5, overall=1000
    )
    full.store.submit(
        "b" * 32, ids[1], {}, total=1, now=datetime.now(UTC), per_user=5, overall=1000
    )
    import pytest

    from imgpath.errors import BusyError, RateLimitedError

    with pytest.raises(BusyError):
        full.submit(ids[2], {}, total=1)
    one = _queue(app, per_user=1, overall=100)
    with pytest.raises(RateLimitedError):
        one.submit(ids[0], {}, total=1)
    del queue


def test_m7_runs_are_shared_fairly_between_people(app: Any, make_client: Any) -> None:
    app.state.worker.stop()  # this test is the only worker
    ids = [make_client().signup(f"fair{n}@example.org")["id"] for n in range(2)]
    queue = _queue(app, per_user=10, overall=100)
    order: list[str] = []
    base = datetime.now(UTC)
    for n in range(5):  # the first person queues five runs before the second queues one
        queue.store.submit(f"heavy{n}".ljust(32, "0"), ids[0], {"who": "heavy"}, total=1,
                           now=base + timedelta(seconds=n), per_user=10, overall=100)  # fmt: skip
    queue.store.submit("light".ljust(32, "0"), ids[1], {"who": "light"}, total=1,
                       now=base + timedelta(seconds=10), per_user=10, overall=100)  # fmt: skip

    def runner(request: Mapping[str, Any], progress: Any) -> tuple[Any, bytes | None]:
        order.append(request["who"])
        return {"ok": True}, b"png"

    # two workers: while one heavy run is in progress, the light one is taken before heavy #2
    first = queue.store.claim(now=datetime.now(UTC), lease_until=datetime.now(UTC) + timedelta(minutes=5),
                              most_attempts=2)  # fmt: skip
    assert first is not None
    assert first["request"]["who"] == "heavy"
    worker = OddsWorker(queue, runner)
    assert worker.run_one()
    assert order == ["light"]


def test_m7_a_run_whose_worker_died_is_taken_over(app: Any, make_client: Any) -> None:
    app.state.worker.stop()  # this test is the only worker
    user = make_client().signup("lease@example.org")["id"]
    queue = _queue(app, per_user=10, overall=100, lease_seconds=30)
    queue.store.submit(
        "dead".ljust(32, "0"),
        user,
        {"who": "x"},
        total=1,
        now=datetime.now(UTC),
        per_user=9,
        overall=99,
    )
    past = datetime.now(UTC) - timedelta(minutes=5)
    assert (
        queue.store.claim(now=past, lease_until=past + timedelta(seconds=30), most_attempts=2)
        is not None
    )
    done: list[str] = []
    assert OddsWorker(queue, lambda r, p: (done.append("ran") or {}, b"png")).run_one()
    assert done == ["ran"]
    job = app.state.workspace.store.job("dead".ljust(32, "0"))
    assert job["status"] == "done"
    assert job["attempts"] == 2


def test_l9_the_plot_is_drawn_once_per_run(client: Any, monkeypatch: Any) -> None:
    from imgpath.services import plots

    calls: list[int] = []
    real = plots.funnel_plot_bytes
    monkeypatch.setattr(plots, "funnel_plot_bytes", lambda answer: calls.append(1) or real(answer))
    client.signup("plot@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    job = client.call("POST", "/api/odds", json={"specialty": ""}).json()["job"]
    for _ in range(240):
        if client.call("GET", f"/api/odds/{job}").json()["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    for _ in range(3):
        r = client.call("GET", f"/api/odds/{job}/plot.png")
        assert r.content[:4] == b"\x89PNG"
    assert len(calls) == 1


def test_m7_the_result_cache_is_bounded(tmp_path: Any) -> None:
    from imgpath.storage.result_cache import ResultCache

    cache = ResultCache(tmp_path, max_entries=3)
    for n in range(6):
        cache.put(f"k{n}", {"n": n})
    assert len(list(cache.folder.glob("*.json"))) == 3
    assert cache.get("k5") == {"n": 5}


def test_l7_the_command_line_uses_the_same_data_dir(monkeypatch: Any, tmp_path: Any) -> None:
    from imgpath.services.catalog import database_url

    monkeypatch.delenv("IMGPATH_DATABASE_URL", raising=False)
    monkeypatch.setenv("IMGPATH_DATA_DIR", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'imgpath.sqlite3'}"
