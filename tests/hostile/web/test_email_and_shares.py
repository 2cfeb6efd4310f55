"""H1, L1: shares reach only a verified advisor account of the address; pending shares lapse;
deleting an advisor removes the shares to it; sign-up and reset answer the same for known and
unknown addresses; sign-up is rate-limited; links are single-use and expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.web.conftest import PASSWORD, PROFILE, Client, outbox_links, token_of


def _share(client: Any, email: str) -> Any:
    return client.call("POST", "/api/shares", json={"advisor_email": email, "password": PASSWORD})


def test_h1_a_pending_share_is_not_readable_by_whoever_registers_the_address(
    client: Any, make_client: Any
) -> None:
    applicant = client.signup("ann@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    assert _share(client, "dr.advisor@example.org").status_code == 201
    [share] = client.call("GET", "/api/shares").json()["shares"]
    assert share["status"] == "pending"
    assert share["expires_at"]
    attacker = make_client()
    r = attacker.http.post(
        "/api/signup",
        json={"email": "dr.advisor@example.org", "password": PASSWORD, "role": "advisor"},
    )
    assert r.status_code == 202
    # without the link from the inbox the account cannot sign in at all
    r = attacker.http.post(
        "/api/signin", json={"email": "dr.advisor@example.org", "password": PASSWORD}
    )
    assert r.status_code == 403
    assert "confirm your email" in r.json()["message"]
    assert attacker.http.get("/api/profile", params={"user": applicant["id"]}).status_code == 401
    # the real advisor, who receives the link, gets the share
    real = make_client()
    real.signup("dr.advisor@example.org", role="advisor")
    assert [a["email"] for a in real.call("GET", "/api/cohort").json()["applicants"]] == [
        "ann@example.org"
    ]
    assert client.call("GET", "/api/shares").json()["shares"][0]["status"] == "active"


def test_h1_an_unverified_squatter_does_not_block_the_owner(app: Any, make_client: Any) -> None:
    """The squatter's never-verified account is not replaced by a second sign-up (that would let
    anyone delete a pending account); the owner of the address takes it over by a reset, which
    proves the address, and the squatter's password and link stop working."""
    squatter = make_client()
    squatter.http.post(
        "/api/signup", json={"email": "owner@example.org", "password": "squatters-pass-1"}
    )
    old = next(x for x in outbox_links(app, "owner@example.org") if "/verify?" in x)
    owner = make_client()
    r = owner.http.post("/api/signup", json={"email": "owner@example.org", "password": PASSWORD,
                                             "role": "advisor"})  # fmt: skip
    assert r.status_code == 202
    assert "someone tried" in _last_subject(app, "owner@example.org")
    owner.http.post("/api/password/forgot", json={"email": "owner@example.org"})
    reset = [x for x in outbox_links(app, "owner@example.org") if "/reset?" in x][-1]
    r = owner.http.post(
        "/api/password/reset", json={"token": token_of(reset), "password": PASSWORD}
    )
    assert r.status_code == 200
    assert owner.signin("owner@example.org")["verified"] is True
    r = squatter.http.post(
        "/api/signin", json={"email": "owner@example.org", "password": "squatters-pass-1"}
    )
    assert r.status_code == 401
    r = squatter.http.post(
        "/api/verify", json={"token": token_of(old), "password": "squatters-pass-1"}
    )
    assert r.status_code == 422


def _last_subject(app: Any, to: str) -> str:
    from imgpath.services.mail import read_outbox

    app.state.services.mail.drain()
    return str(
        [m for m in read_outbox(app.state.settings.resolved_outbox()) if m["To"] == to][-1][
            "Subject"
        ]
    )


def test_h1_deleting_an_advisor_removes_every_share_addressed_to_it(
    client: Any, make_client: Any
) -> None:
    client.signup("bea@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    advisor = make_client()
    advisor.signup("coach@example.org", role="advisor")
    _share(client, "coach@example.org")
    assert len(advisor.call("GET", "/api/cohort").json()["applicants"]) == 1
    assert advisor.call("DELETE", "/api/account", json={"password": PASSWORD}).status_code == 200
    assert client.call("GET", "/api/shares").json()["shares"] == []
    successor = make_client()
    successor.signup("coach@example.org", role="advisor")
    assert successor.call("GET", "/api/cohort").json()["applicants"] == []


def test_h1_pending_shares_lapse(app: Any, client: Any, make_client: Any) -> None:
    from datetime import UTC, datetime

    client.signup("cal@example.org")
    _share(client, "late@example.org")
    later = datetime.now(UTC) + timedelta(days=app.state.settings.share_pending_days, seconds=1)
    app.state.workspace.store.purge_shares(later)
    assert client.call("GET", "/api/shares").json()["shares"] == []
    late = make_client()
    late.signup("late@example.org", role="advisor")
    assert late.call("GET", "/api/cohort").json()["applicants"] == []


def test_h1_an_applicant_account_of_the_address_never_gets_the_share(
    client: Any, make_client: Any
) -> None:
    ann = client.signup("dee@example.org")
    _share(client, "not-an-advisor@example.org")
    other = make_client()
    other.signup("not-an-advisor@example.org", role="applicant")
    assert other.call("GET", "/api/profile", params={"user": ann["id"]}).status_code == 403


def test_l1_sign_up_and_reset_answer_the_same_for_known_and_unknown_addresses(client: Any) -> None:
    client.signup("known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        r = client.http.post(
            "/api/signup", json={"email": email, "password": "some-long-passphrase"}
        )
        answers.append((r.status_code, r.json()))
    assert answers[0] == answers[1]
    answers = []
    for email in ("known@example.org", "nobody@example.org"):
        r = client.http.post("/api/password/forgot", json={"email": email})
        answers.append((r.status_code, r.json()))
    assert answers[0] == answers[1]


def test_l1_sign_up_is_rate_limited_per_address(database: str, settings_for: Any) -> None:
    from imgpath.web.app import create_app
    from tests.web.conftest import TODAY

    app = create_app(settings_for(database, signups_per_hour=3), today=TODAY, start_worker=False)
    try:
        http = Client(app).http
        codes = [http.post("/api/signup", json={"email": f"s{n}@example.org", "password": "some-long-passphrase"}).status_code
                 for n in range(4)]  # fmt: skip
        assert codes == [202, 202, 202, 429]
    finally:
        app.state.close()


def test_links_expire(app: Any, client: Any) -> None:
    client.http.post(
        "/api/signup", json={"email": "slow@example.org", "password": "some-long-passphrase"}
    )
    link = [x for x in outbox_links(app, "slow@example.org") if "/verify?" in x][-1]
    accounts = app.state.accounts
    real = accounts.clock
    accounts.clock = lambda: real() + timedelta(hours=app.state.settings.verify_hours, seconds=1)
    try:
        r = client.http.post(
            "/api/verify", json={"token": token_of(link), "password": "some-long-passphrase"}
        )
        assert r.status_code == 422
        assert "token" in r.json()["fields"]
    finally:
        accounts.clock = real
    r = client.http.post(
        "/api/verify", json={"token": token_of(link), "password": "some-long-passphrase"}
    )
    assert r.status_code == 200


def test_changing_the_email_needs_the_password_and_the_new_inbox(app: Any, client: Any) -> None:
    client.signup("old@example.org")
    r = client.call(
        "POST", "/api/email", json={"new_email": "new@example.org", "password": "wrong-wrong-wrong"}
    )
    assert r.status_code == 422
    r = client.call(
        "POST", "/api/email", json={"new_email": "new@example.org", "password": PASSWORD}
    )
    assert r.status_code == 202
    link = [x for x in outbox_links(app, "new@example.org") if "/email/confirm?" in x][-1]
    assert client.call("GET", "/api/me").json()["account"]["email"] == "old@example.org"
    # the signed-in owner needs no password; anyone else would (tests/hostile/web/test_takeover.py)
    assert (
        client.call("POST", "/api/email/confirm", json={"token": token_of(link)}).status_code == 200
    )
    fresh = Client(app)
    assert fresh.signin("new@example.org")["email"] == "new@example.org"


def test_l10_revoking_a_share_ends_the_organisations_placements(
    client: Any, make_client: Any
) -> None:
    me = client.signup("placed@example.org")
    org = make_client()
    org.signup("org@example.org", role="advisor")
    _share(client, "org@example.org")
    slot = org.call("POST", "/api/slots", json={"site": "A", "specialty": "IM", "start_on": "2027-01-04",
                                                "end_on": "2027-01-31", "capacity": 2}).json()["id"]  # fmt: skip
    assert org.call("PUT", f"/api/slots/{slot}/applicants/{me['id']}").status_code == 200
    assert client.call("GET", "/api/rotations").json()["placements"]
    [share] = client.call("GET", "/api/shares").json()["shares"]
    client.call("DELETE", f"/api/shares/{share['id']}")
    assert client.call("GET", "/api/rotations").json()["placements"] == []
    assert org.call("GET", "/api/slots").json()["slots"][0]["placed"] == []
