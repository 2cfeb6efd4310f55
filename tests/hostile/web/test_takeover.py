"""Account takeover through sign-up and email links (second attack, items 2-4).

* A sign-up with an address that has an account, verified or not, never deletes, replaces or
  takes over that account; it answers like any sign-up and mails the owner.
* A verification or email-change link works only for someone signed in as its account or who
  types its password: a forwarded or leaked link confirms nothing for anyone else.
* A password reset (and a password change) cancels pending email changes and links, and a
  reset ends every session.
"""

from __future__ import annotations

from typing import Any

from imgpath.services.mail import read_outbox
from tests.web.conftest import PASSWORD, PROFILE, Client, outbox_links, token_of

ATTACKER_PASSWORD = "attackers own passphrase"


def _subjects(app: Any, to: str) -> list[str]:
    app.state.services.mail.drain()
    return [
        str(m["Subject"])
        for m in read_outbox(app.state.settings.resolved_outbox())
        if m["To"] == to
    ]


def _signup(http: Any, email: str, password: str, role: str = "applicant") -> Any:
    return http.post("/api/signup", json={"email": email, "password": password, "role": role})


def test_a_sign_up_never_touches_a_verified_account(
    app: Any, client: Any, make_client: Any
) -> None:
    owner = client.signup("owner@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    attacker = make_client()
    fresh = _signup(attacker.http, "someone-new@example.org", ATTACKER_PASSWORD)
    again = _signup(attacker.http, "OWNER@example.org", ATTACKER_PASSWORD, role="advisor")
    assert (again.status_code, again.json()) == (fresh.status_code, fresh.json())
    assert _subjects(app, "owner@example.org")[-1] == (
        "imgpath: someone tried to create an account with your email"
    )
    assert not [x for x in outbox_links(app, "owner@example.org") if "/verify?" in x][1:]
    r = attacker.http.post(
        "/api/signin", json={"email": "owner@example.org", "password": ATTACKER_PASSWORD}
    )
    assert r.status_code == 401
    same = Client(app).signin("owner@example.org")
    assert (same["id"], same["role"]) == (owner["id"], "applicant")
    assert client.call("GET", "/api/profile").json()["profile"]["citizenships"] == ["NG"]


def test_a_sign_up_never_replaces_an_unverified_account(app: Any, make_client: Any) -> None:
    first = make_client()
    _signup(first.http, "pending@example.org", PASSWORD)
    [link] = [x for x in outbox_links(app, "pending@example.org") if "/verify?" in x]
    second = make_client()
    r = _signup(second.http, "pending@example.org", ATTACKER_PASSWORD, role="advisor")
    assert r.status_code == 202
    assert "someone tried" in _subjects(app, "pending@example.org")[-1]
    # the first account and its link are untouched: its owner confirms with their password
    r = first.http.post("/api/verify", json={"token": token_of(link), "password": PASSWORD})
    assert r.status_code == 200
    assert first.signin("pending@example.org")["role"] == "applicant"
    r = second.http.post(
        "/api/signin", json={"email": "pending@example.org", "password": ATTACKER_PASSWORD}
    )
    assert r.status_code == 401


def test_a_forwarded_verification_link_confirms_nothing_for_someone_else(
    app: Any, make_client: Any
) -> None:
    """The pre-registration attack: someone signs up with your address and password of their
    choosing; you click the link they caused to be sent.  Without their password the link does
    nothing, and your reset takes the address back."""
    squatter = make_client()
    _signup(squatter.http, "victim@example.org", ATTACKER_PASSWORD, role="advisor")
    [link] = [x for x in outbox_links(app, "victim@example.org") if "/verify?" in x]
    victim = make_client()
    r = victim.http.post("/api/verify", json={"token": token_of(link)})
    assert r.status_code == 422
    assert "password" in r.json()["fields"]
    bystander = make_client()
    bystander.signup("bystander@example.org")  # signed in, but as another account
    r = bystander.call("POST", "/api/verify", json={"token": token_of(link), "password": PASSWORD})
    assert r.status_code == 422
    r = squatter.http.post(
        "/api/signin", json={"email": "victim@example.org", "password": ATTACKER_PASSWORD}
    )
    assert r.status_code == 403  # still unconfirmed; a new link replaced the old one
    link = [x for x in outbox_links(app, "victim@example.org") if "/verify?" in x][-1]
    # a wrong password does not use the link up; the account's own password does
    r = victim.http.post(
        "/api/verify", json={"token": token_of(link), "password": "wrong wrong wrong"}
    )
    assert r.status_code == 422
    r = victim.http.post(
        "/api/verify", json={"token": token_of(link), "password": ATTACKER_PASSWORD}
    )
    assert r.status_code == 200


def test_the_verify_page_asks_for_the_password(app: Any, make_client: Any) -> None:
    someone = make_client()
    _signup(someone.http, "page@example.org", PASSWORD)
    [link] = [x for x in outbox_links(app, "page@example.org") if "/verify?" in x]
    page = someone.http.get(f"/verify?token={token_of(link)}")
    assert 'name="password"' in page.text
    csrf = someone.page_token("/verify")
    r = someone.http.post(
        "/verify", data={"csrf_token": csrf, "token": token_of(link), "password": "not it at all"}
    )
    assert r.status_code == 422
    r = someone.http.post(
        "/verify", data={"csrf_token": csrf, "token": token_of(link), "password": PASSWORD}
    )
    assert r.status_code == 200
    assert "Your email is confirmed" in r.text


def test_an_email_change_link_works_only_for_the_account(
    app: Any, client: Any, make_client: Any
) -> None:
    me = client.signup("mover@example.org")
    r = client.call(
        "POST", "/api/email", json={"new_email": "moved@example.org", "password": PASSWORD}
    )
    assert r.status_code == 202
    [link] = [x for x in outbox_links(app, "moved@example.org") if "/email/confirm?" in x]
    stranger = make_client()
    r = stranger.http.post("/api/email/confirm", json={"token": token_of(link)})
    assert r.status_code == 422
    r = stranger.http.post(
        "/api/email/confirm", json={"token": token_of(link), "password": "a guess that fails"}
    )
    assert r.status_code == 422
    assert client.call("GET", "/api/me").json()["account"]["email"] == "mover@example.org"
    r = stranger.http.post(
        "/api/email/confirm", json={"token": token_of(link), "password": PASSWORD}
    )
    assert r.status_code == 200  # whoever knows the password is the account
    assert Client(app).signin("moved@example.org")["id"] == me["id"]


def test_a_reset_cancels_a_pending_email_change_and_ends_every_session(
    app: Any, client: Any, make_client: Any
) -> None:
    """Someone with the password and a session asks to move the account to their address; the
    owner resets the password: the move's link is dead and their session is over."""
    client.signup("w@example.org")
    intruder = make_client()
    intruder.signin("w@example.org")
    r = intruder.call(
        "POST", "/api/email", json={"new_email": "evil@example.org", "password": PASSWORD}
    )
    assert r.status_code == 202
    [move] = [x for x in outbox_links(app, "evil@example.org") if "/email/confirm?" in x]
    client.http.post("/api/password/forgot", json={"email": "w@example.org"})
    [reset] = [x for x in outbox_links(app, "w@example.org") if "/reset?" in x]
    r = client.http.post(
        "/api/password/reset", json={"token": token_of(reset), "password": "brand new passphrase 9"}
    )
    assert r.status_code == 200
    assert intruder.call("GET", "/api/me").status_code == 401
    assert client.call("GET", "/api/me").status_code == 401
    r = intruder.http.post(
        "/api/email/confirm", json={"token": token_of(move), "password": "brand new passphrase 9"}
    )
    assert r.status_code == 422
    assert "token" in r.json()["fields"]
    assert Client(app).signin("w@example.org", "brand new passphrase 9")["email"] == "w@example.org"


def test_a_reset_revokes_pending_verification_links(app: Any, make_client: Any) -> None:
    squatter = make_client()
    _signup(squatter.http, "taken@example.org", ATTACKER_PASSWORD)
    [link] = [x for x in outbox_links(app, "taken@example.org") if "/verify?" in x]
    owner = make_client()
    owner.http.post("/api/password/forgot", json={"email": "taken@example.org"})
    [reset] = [x for x in outbox_links(app, "taken@example.org") if "/reset?" in x]
    assert (
        owner.http.post(
            "/api/password/reset", json={"token": token_of(reset), "password": PASSWORD}
        ).status_code
        == 200
    )
    r = squatter.http.post("/api/verify", json={"token": token_of(link), "password": PASSWORD})
    assert r.status_code == 422
    assert "token" in r.json()["fields"]


def test_a_password_change_cancels_a_pending_email_change(
    app: Any, client: Any, make_client: Any
) -> None:
    client.signup("c@example.org")
    intruder = make_client()
    intruder.signin("c@example.org")
    intruder.call(
        "POST", "/api/email", json={"new_email": "mine@example.org", "password": PASSWORD}
    )
    [move] = [x for x in outbox_links(app, "mine@example.org") if "/email/confirm?" in x]
    r = client.call(
        "POST",
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "another long passphrase"},
    )
    assert r.status_code == 200
    assert intruder.call("GET", "/api/me").status_code == 401
    r = intruder.http.post(
        "/api/email/confirm", json={"token": token_of(move), "password": "another long passphrase"}
    )
    assert r.status_code == 422
