"""A schema-driven fuzz of every API operation (schemathesis, from the OpenAPI document): signed
in, with a valid CSRF token, on SQLite and PostgreSQL, a bounded number of generated requests per
operation; no answer may be a server error (5xx)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.web.conftest import PROFILE, Client

EXAMPLES = 12
"""Generated requests per operation and database (the whole fuzz takes a few minutes)."""


def test_no_api_operation_answers_a_server_error(app: Any) -> None:
    client = Client(app)
    client.signup("fuzz@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    who = {"client": client}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def call(case: Any) -> None:
            signed_in = who["client"]
            headers = {**(case.headers or {}), "X-CSRF-Token": signed_in.token}
            response = case.call(headers=headers, cookies=dict(signed_in.http.cookies))
            statuses[response.status_code] += 1
            assert response.status_code < 500, (response.status_code, response.text[:200])

        try:
            call()
        except AssertionError as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
        if who["client"].http.get("/api/me").status_code == 401:  # the fuzz signed out: again
            who["client"] = Client(app)
            who["client"].signup(f"fuzz{operations}@example.org")
    assert operations > 50
    print(sorted(statuses.items()))
    assert statuses[401] < sum(statuses.values()) / 4  # signed in: most requests reach the handler
    assert not failures, "\n".join(failures)
