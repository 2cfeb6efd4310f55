"""Several processes, one truth: ``imgpath serve --workers 2`` on PostgreSQL shares sessions and
sign-outs between its processes, an external ``imgpath worker`` runs the odds queue, and a
restart of both keeps the session and finishes a queued run."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.xdist_group("processes")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen([sys.executable, "-m", "imgpath", *args], env=env,
                                stdout=subprocess.DEVNULL, stderr=sink)  # fmt: skip


def _up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/signin").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the server did not start in 120 s"
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def test_two_server_processes_and_a_worker_share_one_state(
    postgres_url: str, tmp_path: Path
) -> None:
    from tests.web.conftest import PROFILE, wait_for_message

    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "IMGPATH_DATABASE_URL": postgres_url, "IMGPATH_DATA_DIR": str(tmp_path),
           "IMGPATH_SECRET_KEY": "p" * 40, "IMGPATH_ODDS_WORKER": "external", "IMGPATH_ODDS_RUNS": "2",
           "IMGPATH_ODDS_SCALE": "0.05"}  # fmt: skip
    log = tmp_path / "serve.log"
    server = _start(["serve", "--port", str(port), "--workers", "2", "--no-warm"], env, log)
    worker: subprocess.Popen[bytes] | None = None
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    copy = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        _up(base, server, log)
        http.post(
            "/api/signup", json={"email": "multi@example.org", "password": "a long passphrase"}
        )
        token = re.search(
            r"token=([\w-]+)", wait_for_message(tmp_path / "outbox", "multi@example.org")
        )
        assert token
        verify = {"token": token.group(1), "password": "a long passphrase"}
        assert http.post("/api/verify", json=verify).status_code == 200
        csrf = http.post(
            "/api/signin", json={"email": "multi@example.org", "password": "a long passphrase"}
        ).json()["csrf_token"]
        headers = {"X-CSRF-Token": csrf}
        assert http.put("/api/profile", json=PROFILE, headers=headers).status_code == 200
        copy.cookies.update(dict(http.cookies))
        for _ in range(30):  # each request may land on either process: all see the session
            assert copy.get("/api/me").status_code == 200
        job = http.post("/api/odds", json={"specialty": ""}, headers=headers).json()["job"]
        time.sleep(2)
        assert http.get(f"/api/odds/{job}").json()["status"] == "queued"  # external: no worker yet
        _stop(server)  # a restart ...
        server = _start(["serve", "--port", str(port), "--workers", "2", "--no-warm"], env, log)
        worker = _start(["worker"], env, tmp_path / "worker.log")
        _up(base, server, log)
        assert http.get("/api/me").status_code == 200  # ... keeps the session
        for _ in range(240):
            state = http.get(f"/api/odds/{job}").json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert state["status"] == "done", state  # ... and the queued run is done by the worker
        assert http.post("/api/signout", headers=headers).status_code == 200
        for _ in range(10):  # signed out on every process
            assert copy.get("/api/me").status_code == 401
    finally:
        http.close()
        copy.close()
        _stop(server)
        if worker is not None:
            _stop(worker)
