"""No data lost when the server is killed in the middle of a write.

A real ``imgpath serve`` process is killed with SIGKILL while it is inside the write transaction
of a 3,000-row application import, with a second client saving documents at the same time.
Afterwards the database must hold every change the server acknowledged, the import wholly or not
at all, and (SQLite) pass its own integrity check; the server must start again on it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.xdist_group("durability")
ROWS = 3000
HELD = 0.05
"""A write lock held this long is the import's (a document is saved in a few milliseconds; on
SQLite the probe cannot tell whose lock it sees, so it waits for a long one)."""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(database: str, port: int, folder: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "IMGPATH_DATABASE_URL": database, "IMGPATH_DATA_DIR": str(folder),
           "IMGPATH_SECRET_KEY": "d" * 40}  # fmt: skip
    log = folder / "server.log"
    with log.open("ab") as sink:
        server = subprocess.Popen([sys.executable, "-m", "imgpath", "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=sink)  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/signin").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        assert server.poll() is None, (
            server.stderr.read().decode() if server.stderr else "server died"
        )
        assert time.monotonic() < deadline, "the server did not start in 60 s"
        time.sleep(0.1)


def _account(http: httpx.Client, folder: Any, email: str) -> str:
    """Sign up through the outbox's link, sign in; the session's CSRF token."""
    import re

    from tests.web.conftest import wait_for_message

    http.post("/api/signup", json={"email": email, "password": "long-password-1"})
    text = wait_for_message(folder / "outbox", email)
    found = re.search(r"token=([\w-]+)", text)
    assert found, text
    http.post("/api/verify", json={"token": found.group(1), "password": "long-password-1"})
    r = http.post("/api/signin", json={"email": email, "password": "long-password-1"})
    return str(r.json()["csrf_token"])


def _mid_write(database: str) -> tuple[Any, Any]:
    """A probe that is true while another connection holds the write lock on applications, and
    what closes it."""
    if database.startswith("sqlite"):
        path = database.removeprefix("sqlite:///")

        def sqlite_busy() -> bool:
            conn = sqlite3.connect(path, timeout=0)
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            finally:
                conn.rollback()
                conn.close()
            return False

        return sqlite_busy, lambda: None
    schema = parse_qs(urlsplit(database).query)["options"][0].removeprefix("-csearch_path=")
    engine = create_engine(database)
    query = text("SELECT count(*) FROM pg_locks WHERE relation = CAST(:t AS regclass) "
                 "AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()")  # fmt: skip

    def postgres_busy() -> bool:
        with engine.connect() as conn:
            return bool(conn.execute(query, {"t": f"{schema}.applications"}).scalar_one())

    return postgres_busy, engine.dispose


def test_killing_the_server_mid_write_loses_nothing_acknowledged(
    database: str, tmp_path: Any
) -> None:
    port = _port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(database, port, tmp_path)
    try:
        http = httpx.Client(base_url=base, timeout=60)
        token = _account(http, tmp_path, "kill@example.org")
        headers = {"X-CSRF-Token": token}
        engine = create_engine(database)
        with engine.connect() as conn:
            codes = [
                r[0]
                for r in conn.execute(
                    text("SELECT code FROM programs ORDER BY code LIMIT :n"), {"n": ROWS}
                )
            ]
        engine.dispose()
        before = [
            http.post("/api/letters", json={"writer": f"Dr {n}"}, headers=headers).json()["id"]
            for n in range(5)
        ]
        sheet = "Program code,Status,Notes\n" + "".join(
            f"{c},applied,row {i}\n" for i, c in enumerate(codes)
        )

        acknowledged: list[int] = []
        stop = threading.Event()

        def save_documents() -> None:
            with httpx.Client(base_url=base, timeout=60, cookies=http.cookies) as other:
                n = 0
                while not stop.is_set():
                    try:
                        r = other.post(
                            "/api/documents", json={"title": f"doc {n}"}, headers=headers
                        )
                    except httpx.TransportError:
                        return
                    if r.status_code == 201:
                        acknowledged.append(r.json()["id"])
                    n += 1

        def send_import() -> None:
            with contextlib.suppress(httpx.TransportError):  # killed before it answered
                http.post(
                    "/api/applications/import",
                    content=sheet,
                    headers={**headers, "Content-Type": "text/csv"},
                )

        writer = threading.Thread(target=save_documents)
        importer = threading.Thread(target=send_import)
        busy, close_probe = _mid_write(database)
        writer.start()
        time.sleep(0.5)  # some acknowledged documents before the import starts
        importer.start()
        deadline = time.monotonic() + 60
        held_since = None
        while held_since is None or time.monotonic() - held_since < HELD:
            assert time.monotonic() < deadline, "never saw the import's write transaction"
            assert importer.is_alive(), "the import finished before it could be caught mid-write"
            held_since = (held_since or time.monotonic()) if busy() else None
            time.sleep(0.002)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        stop.set()
        importer.join(timeout=30)
        writer.join(timeout=30)
        http.close()
        close_probe()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)

    engine = create_engine(database)
    with engine.connect() as conn:
        imported = conn.execute(text("SELECT count(*) FROM applications")).scalar_one()
        letters = {r[0] for r in conn.execute(text("SELECT id FROM letters"))}
        documents = {r[0] for r in conn.execute(text("SELECT id FROM documents"))}
        if database.startswith("sqlite"):
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    engine.dispose()
    assert imported in (0, ROWS), f"half an import survived: {imported} of {ROWS} rows"
    assert set(before) <= letters
    assert set(acknowledged) <= documents, "a document the server acknowledged was lost"

    server = _serve(database, port, tmp_path)  # it starts again on what was left
    try:
        http = httpx.Client(base_url=base, timeout=60)
        r = http.post(
            "/api/signin", json={"email": "kill@example.org", "password": "long-password-1"}
        )
        assert r.status_code == 200
        assert len(http.get("/api/applications").json()["applications"]) == imported
        assert len(http.get("/api/documents").json()["documents"]) == len(documents)
        http.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
