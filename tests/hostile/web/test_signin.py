"""M3, L3, L2, L5, L6: the throttle cannot lock the owner out; X-Forwarded-For only from
configured proxies; NIST passwords; no input echoed; one strict email check."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Client


def _from(app: Any, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def _signin(http: TestClient, password: str, email: str = "victim@example.org", **kw: Any) -> Any:
    return http.post("/api/signin", json={"email": email, "password": password}, **kw)


def test_m3_an_attacker_cannot_lock_the_owner_out(client: Any) -> None:
    client.signup("victim@example.org")
    attacker = _from(client.app, "203.0.113.7")
    codes = [_signin(attacker, "wrong-password").status_code for _ in range(6)]
    assert codes[:3] == [401, 401, 401]  # signin_attempts=3 in the tests
    assert 429 in codes[3:]
    r = _signin(attacker, PASSWORD)
    assert r.status_code == 429  # the attacker's address waits, even with the right password
    assert int(r.headers["Retry-After"]) >= 1
    owner = _from(client.app, "198.51.100.20")
    assert _signin(owner, PASSWORD).status_code == 200  # the owner, elsewhere, is not held up


def test_m3_the_wait_grows_and_is_capped(app: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from imgpath.errors import RateLimitedError
    from imgpath.services.accounts import Throttle

    throttle = app.state.accounts.throttle
    now = [datetime.now(UTC)]
    throttle.clock = lambda: now[0]
    waits = []
    for _ in range(16):
        throttle.attempt("t:k", free=3, window=10**7, most=900)
        row = throttle.store.counter("t:k")
        wait = (
            0
            if row["blocked_until"] is None
            else round((row["blocked_until"] - now[0]).total_seconds())
        )
        waits.append(wait)
        if wait:  # a try before the wait is over is refused and not counted
            with pytest.raises(RateLimitedError):
                throttle.attempt("t:k", free=3, window=10**7, most=900)
        now[0] += timedelta(seconds=wait)
    assert waits[:2] == [0, 0]
    assert waits[2:6] == [2, 4, 8, 16]
    assert max(waits) == 900
    assert throttle.store.counter("t:k")["count"] == 16
    assert Throttle.key("x", "a@b.org") != Throttle.key("x", "a@b.org", "")
    assert "a@b.org" not in Throttle.key("x", "a@b.org")


def test_l3_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    database: str, settings_for: Any
) -> None:
    from imgpath.web.app import create_app
    from tests.web.conftest import TODAY

    for n, (trusted, expect_blocked) in enumerate((([], True), (["127.0.0.1/32"], False))):
        app = create_app(
            settings_for(database, trusted_proxies=trusted), today=TODAY, start_worker=False
        )
        try:
            email = f"victim{n}@example.org"
            Client(app).signup(email)
            http = _from(app, "127.0.0.1")
            for _ in range(4):
                _signin(http, "wrong-password", email, headers={"X-Forwarded-For": "10.2.2.2"})
            r = _signin(http, PASSWORD, email, headers={"X-Forwarded-For": "10.2.2.3"})
            assert (r.status_code == 429) is expect_blocked, (trusted, r.status_code)
        finally:
            app.state.close()


def test_l3_a_forwarded_header_from_an_untrusted_peer_changes_nothing(client: Any) -> None:
    client.signup("victim@example.org")
    http = _from(client.app, "203.0.113.9")
    for n in range(4):
        _signin(http, "wrong-password", headers={"X-Forwarded-For": f"10.9.9.{n}"})
    assert _signin(http, PASSWORD, headers={"X-Forwarded-For": "10.9.9.99"}).status_code == 429


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "password12", " " * 10, "\u00a0" * 10,
                                      "bad@example.org", "abcdefghij", "qwertyuiop", "short", "x" * 300,
                                      "iloveyou123", "pass\x00word-long"])  # fmt: skip
def test_l2_weak_passwords_are_refused_without_being_echoed(client: Any, password: str) -> None:
    r = client.http.post("/api/signup", json={"email": "bad@example.org", "password": password})
    assert r.status_code == 422, password
    assert "password" in r.json()["fields"]
    if len(password.strip()) >= 8:
        assert password not in r.text


def test_l2_long_passphrases_and_any_characters_are_allowed(client: Any) -> None:
    for n, password in enumerate(
        [
            "correct horse battery staple",
            "Çà et là, 東京 — ünïcödé",
            "my first car was a 1998 toyota corolla",
        ]
    ):
        r = client.http.post(
            "/api/signup", json={"email": f"ok{n}@example.org", "password": password}
        )
        assert r.status_code == 202, (password, r.text)


def test_l5_validation_errors_never_echo_input(client: Any) -> None:
    secret = "MySecretPassphrase!" * 60
    r = client.http.post("/api/signin", json={"email": "a@example.org", "password": secret})
    assert r.status_code == 422
    assert set(r.json()) == {"error", "message", "fields"}
    assert "MySecretPassphrase" not in r.text
    r = client.http.post("/api/signup", json={"email": ["not", "text"], "password": {"x": 1}})
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"email", "password"}


@pytest.mark.parametrize("email", ["@", "a\x00@b.org", "a@b", "a b@example.org", "a@@example.org",
                                   "a@example..org", "x" * 300 + "@example.org", "\"q\"@example.org",
                                   "a@[127.0.0.1]", "a@exa\nmple.org"])  # fmt: skip
def test_l6_one_strict_email_check_for_sign_up_and_sharing(client: Any, email: str) -> None:
    r = client.http.post("/api/signup", json={"email": email, "password": "some-long-passphrase"})
    assert r.status_code == 422, email
    assert "email" in r.json()["fields"]
    client.signup("sharer@example.org")
    r = client.call("POST", "/api/shares", json={"advisor_email": email, "password": PASSWORD})
    assert r.status_code == 422, email
    assert "advisor_email" in r.json()["fields"]


def test_security_events_are_logged_without_secrets(client: Any, caplog: Any) -> None:
    import logging

    client.signup("logged@example.org")
    with caplog.at_level(logging.INFO, logger="imgpath.security"):
        _signin(_from(client.app, "192.0.2.44"), "a-wrong-password-9", "logged@example.org")
        client.signin("logged@example.org")
    text = caplog.text
    assert "sign-in failed" in text
    assert "192.0.2.44" in text
    assert "sign-in: account=" in text
    assert "a-wrong-password-9" not in text
    assert PASSWORD not in text
    assert "logged@example.org" not in text
