from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from imgpath.web.app import create_app
from imgpath.web.settings import Settings

TODAY = date(2026, 11, 22)
PROFILE = {
    "school": {"country": "NG", "graduation_date": "2022-07-15"},
    "citizenships": ["NG"],
    "exams": {"step2ck": [{"date": "2025-01-20", "result": "pass", "score": 244}]},
    "targets": {"specialty": "internal medicine", "match_year": 2027, "states": ["NY"]},
}


@pytest.fixture
def app(database: str) -> Iterator[Any]:
    """The app on SQLite and on PostgreSQL (every test using it runs on both)."""
    app = create_app(Settings(database_url=database, secret_key="k" * 40, odds_runs=2, odds_scale=0.05,
                              signin_attempts=3), today=TODAY)  # fmt: skip
    yield app
    app.state.workspace.close(wait=True)
    app.state.workspace.catalog.close()


class Client:
    """A browser-like API client: keeps its cookie and sends its CSRF token."""

    def __init__(self, app: Any) -> None:
        self.http = TestClient(app)
        self.token = ""

    def signup(self, email: str, role: str = "applicant") -> dict[str, Any]:
        r = self.http.post(
            "/api/signup", json={"email": email, "password": "long-password-1", "role": role}
        )
        assert r.status_code == 201, r.text
        self.token = r.json()["csrf_token"]
        return r.json()["account"]

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
