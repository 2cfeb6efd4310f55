from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from imgpath.services.mail import read_outbox
from imgpath.settings import Settings
from imgpath.web.app import create_app

TODAY = date(2026, 11, 22)
PASSWORD = "long-password-1"
PROFILE = {
    "school": {"country": "NG", "graduation_date": "2022-07-15"},
    "citizenships": ["NG"],
    "exams": {"step2ck": [{"date": "2025-01-20", "result": "pass", "score": 244}]},
    "targets": {"specialty": "internal medicine", "match_year": 2027, "states": ["NY"]},
}


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with small costs in tests (production keeps argon2-cffi's defaults)."""
    from imgpath.services import accounts

    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", fast)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", fast.hash("dummy"))


def make_settings(database: str, folder: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database, "data_dir": folder, "secret_key": "k" * 40, "odds_runs": 2,
        "odds_scale": 0.05, "signin_attempts": 3, "signups_per_hour": 1000,
    }  # fmt: skip
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings_for(tmp_path: Path) -> Any:
    return lambda database, **kw: make_settings(database, tmp_path / "data", **kw)


@pytest.fixture
def app(database: str, tmp_path: Path) -> Iterator[Any]:
    """The app on SQLite and on PostgreSQL (every test using it runs on both)."""
    app = create_app(make_settings(database, tmp_path / "data"), today=TODAY)
    yield app
    app.state.close()


def outbox_links(app: Any, to: str) -> list[str]:
    """The links of the messages sent to ``to``, oldest first (once every queued message is out)."""
    app.state.services.mail.drain()
    folder = app.state.settings.resolved_outbox()
    return [m for msg in read_outbox(folder) if msg["To"] == to
            for m in re.findall(r"https?://\S+", msg.get_content())]  # fmt: skip


def wait_for_message(folder: Path, to: str, *, seconds: float = 20.0) -> str:
    """The newest message to ``to`` in an outbox another process writes (mail is sent off the
    request path), waiting for it up to ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        found = [m for m in read_outbox(folder) if m["To"] == to]
        if found:
            return str(found[-1].get_content())
        assert time.monotonic() < deadline, f"no message to {to} in {folder}"
        time.sleep(0.05)


def token_of(link: str) -> str:
    found = re.search(r"token=([\w-]+)", link)
    assert found, link
    return found.group(1)


class Client:
    """A browser-like API client: keeps its cookie and sends its CSRF token."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.http = TestClient(app)
        self.token = ""

    def signup(
        self, email: str, role: str = "applicant", password: str = PASSWORD
    ) -> dict[str, Any]:
        """Sign up, open the verification link from the outbox, sign in."""
        r = self.http.post("/api/signup", json={"email": email, "password": password, "role": role})
        assert r.status_code == 202, r.text
        link = [x for x in outbox_links(self.app, email.lower()) if "/verify?" in x][-1]
        r = self.http.post("/api/verify", json={"token": token_of(link), "password": password})
        assert r.status_code == 200, r.text
        return self.signin(email, password)

    def signin(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        r = self.http.post("/api/signin", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        self.token = r.json()["csrf_token"]
        return dict(r.json()["account"])

    def call(self, method: str, url: str, **kw: Any) -> Any:
        return self.http.request(method, url, headers={"X-CSRF-Token": self.token}, **kw)

    def page_token(self, url: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.http.get(url).text)
        assert found
        return found.group(1)


@pytest.fixture
def client(app: Any) -> Client:
    return Client(app)


@pytest.fixture
def make_client(app: Any) -> Any:
    return lambda: Client(app)
