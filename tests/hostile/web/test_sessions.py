"""C1, M1, L4: sessions live on the server; a deleted account's cookie is dead; ids are never
reused; signing out, "everywhere", a password change and a reset end sessions; deletion and
sharing need the password."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.web.conftest import PASSWORD, PROFILE, Client


def test_c1_a_deleted_accounts_cookie_never_signs_in_as_the_next_person(
    client: Any, make_client: Any
) -> None:
    attacker = client.signup("atk1@example.org")
    stolen = dict(client.http.cookies)
    assert client.call("DELETE", "/api/account", json={"password": PASSWORD}).status_code == 200
    victim_client = make_client()
    victim = victim_client.signup("victim1@example.org")
    assert victim["id"] != attacker["id"]  # ids are never handed out again
    replay = Client(client.app)
    replay.http.cookies.update(stolen)
    assert replay.http.get("/api/me").status_code == 401
    assert replay.http.get("/profile", follow_redirects=False).status_code == 303


def test_c1_the_highest_id_is_not_reused_after_deletion(app: Any) -> None:
    accounts = app.state.accounts
    ids = []
    for n in range(3):
        accounts.sign_up(
            email=f"id{n}@example.org", password=PASSWORD, role="applicant", verified=True
        )
        ids.append(accounts.store.user_by_email(f"id{n}@example.org")["id"])
    accounts.store.delete_user(ids[-1])
    accounts.sign_up(email="next@example.org", password=PASSWORD, role="applicant", verified=True)
    assert accounts.store.user_by_email("next@example.org")["id"] > ids[-1]


def test_c1_the_cookie_is_opaque(client: Any) -> None:
    client.signup("opaque@example.org")
    [value] = [v for k, v in client.http.cookies.items() if k.endswith("imgpath_session")]
    assert len(value) >= 40  # 32 random bytes, URL-safe base64
    assert "user" not in value
    assert "csrf" not in value


def test_m1_sign_out_ends_the_session_on_the_server(client: Any) -> None:
    client.signup("out@example.org")
    copy = Client(client.app)
    copy.http.cookies.update(dict(client.http.cookies))
    assert copy.http.get("/api/me").status_code == 200
    assert client.call("POST", "/api/signout").status_code == 200
    assert copy.http.get("/api/me").status_code == 401


def test_m1_a_password_change_ends_the_other_sessions_and_everywhere_ends_all(client: Any) -> None:
    client.signup("pw@example.org")
    laptop = Client(client.app)
    laptop.signin("pw@example.org")
    r = client.call(
        "POST",
        "/api/password",
        json={"current_password": "wrong-password-9", "new_password": "another-long-passphrase"},
    )
    assert r.status_code == 422
    assert "current_password" in r.json()["fields"]
    assert "wrong-password-9" not in r.text
    r = client.call(
        "POST",
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "another-long-passphrase"},
    )
    assert r.status_code == 200
    assert r.json()["other_sessions_ended"] == 1
    assert laptop.http.get("/api/me").status_code == 401
    assert client.http.get("/api/me").status_code == 200
    phone = Client(client.app)
    phone.signin("pw@example.org", "another-long-passphrase")
    assert client.call("POST", "/api/signout-everywhere").json()["sessions_ended"] == 2
    assert phone.http.get("/api/me").status_code == 401
    assert client.http.get("/api/me").status_code == 401


def test_m1_sessions_end_when_idle_and_when_they_expire(app: Any, client: Any) -> None:
    client.signup("idle@example.org")
    accounts = app.state.accounts
    real = accounts.clock
    try:
        accounts.clock = lambda: (
            real() + timedelta(minutes=app.state.settings.session_idle_minutes + 1)
        )
        assert client.http.get("/api/me").status_code == 401
    finally:
        accounts.clock = real
    client.signin("idle@example.org")
    sessions = client.call("GET", "/api/sessions").json()["sessions"]
    assert [s["current"] for s in sessions] == [True]
    try:  # active all along, but past the absolute lifetime
        accounts.clock = lambda: (
            real() + timedelta(hours=app.state.settings.session_hours, seconds=1)
        )
        assert client.http.get("/api/me").status_code == 401
    finally:
        accounts.clock = real


def test_m1_a_password_reset_ends_every_session(app: Any, client: Any) -> None:
    from tests.web.conftest import outbox_links, token_of

    client.signup("reset@example.org")
    client.http.post("/api/password/forgot", json={"email": "reset@example.org"})
    link = [x for x in outbox_links(app, "reset@example.org") if "/reset?" in x][-1]
    r = client.http.post(
        "/api/password/reset", json={"token": token_of(link), "password": "a-brand-new-passphrase"}
    )
    assert r.status_code == 200, r.text
    assert client.http.get("/api/me").status_code == 401
    again = client.http.post(
        "/api/password/reset", json={"token": token_of(link), "password": "yet-another-passphrase"}
    )
    assert again.status_code == 422  # single use
    client.signin("reset@example.org", "a-brand-new-passphrase")


def test_l4_deleting_the_account_and_sharing_need_the_password(client: Any) -> None:
    client.signup("l4@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    r = client.call("DELETE", "/api/account", json={"confirm_email": "l4@example.org"})
    assert r.status_code == 422  # no password: refused
    r = client.call("DELETE", "/api/account", json={"password": "not-the-password"})
    assert r.status_code == 422
    assert (
        client.call("POST", "/api/shares", json={"advisor_email": "a@example.org"}).status_code
        == 422
    )
    r = client.call(
        "POST", "/api/shares", json={"advisor_email": "a@example.org", "password": "nope-nope-nope"}
    )
    assert r.status_code == 422
    assert client.call("GET", "/api/shares").json()["shares"] == []
    assert client.call("GET", "/api/profile").json()["profile"] == PROFILE
