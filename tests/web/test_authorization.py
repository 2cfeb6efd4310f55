"""Who sees what: signed-out users nothing, applicants only their own, advisors only who shared."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import PASSWORD, PROFILE

READS = ["/api/profile", "/api/pathway", "/api/saved", "/api/programs"]
PAGES = [
    "/profile",
    "/pathway",
    "/programs",
    "/odds",
    "/account",
    "/cohort",
    "/account/export.json",
]


@pytest.mark.parametrize("url", ["/api/me", "/api/export", "/api/shares", "/api/cohort", *READS])
def test_signed_out_api_gets_401(client: Any, url: str) -> None:
    assert client.http.get(url).status_code == 401


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_pages_go_to_sign_in(client: Any, url: str) -> None:
    r = client.http.get(url, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/signin"


def test_applicant_cannot_read_another_applicant(client: Any, make_client: Any) -> None:
    victim = client.signup("victim@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    other = make_client()
    other.signup("other@example.org")
    for url in READS:
        assert other.call("GET", url, params={"user": victim["id"]}).status_code == 403, url
    for url in ["/profile", "/pathway", "/programs", "/odds"]:
        assert other.http.get(url, params={"user": victim["id"]}).status_code == 403, url
    job = client.call("POST", "/api/odds", json={"specialty": ""}).json()["job"]
    assert other.call("GET", f"/api/odds/{job}").status_code == 403
    assert other.call("GET", f"/api/odds/{job}/plot.png").status_code == 403


def test_advisor_sees_only_who_shared_and_loses_it_on_revoke(client: Any, make_client: Any) -> None:
    shared = client.signup("shared@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    stranger = make_client()
    hidden = stranger.signup("hidden@example.org")
    advisor = make_client()
    advisor.signup("adv@example.org", role="advisor")
    assert advisor.call("GET", "/api/profile", params={"user": shared["id"]}).status_code == 403
    share = client.call(
        "POST", "/api/shares", json={"advisor_email": "ADV@example.org", "password": PASSWORD}
    ).json()["shares"][0]
    assert [a["email"] for a in advisor.call("GET", "/api/cohort").json()["applicants"]] == [
        "shared@example.org"
    ]
    assert (
        advisor.call("GET", "/api/profile", params={"user": shared["id"]}).json()["profile"]
        == PROFILE
    )
    assert advisor.call("GET", "/api/pathway", params={"user": shared["id"]}).status_code == 200
    assert advisor.http.get("/pathway", params={"user": shared["id"]}).status_code == 200
    assert advisor.call("GET", "/api/profile", params={"user": hidden["id"]}).status_code == 403
    # read-only: an advisor's writes go to their own workspace, never the applicant's
    assert advisor.call("PUT", "/api/saved/1414140C0", json={}).status_code == 200
    assert client.call("GET", "/api/saved").json()["saved"] == []
    client.call("DELETE", f"/api/shares/{share['id']}")
    assert advisor.call("GET", "/api/profile", params={"user": shared["id"]}).status_code == 403
    assert advisor.call("GET", "/api/cohort").json()["applicants"] == []


def test_another_users_share_cannot_be_revoked(client: Any, make_client: Any) -> None:
    client.signup("owner@example.org")
    share = client.call(
        "POST", "/api/shares", json={"advisor_email": "adv@example.org", "password": PASSWORD}
    ).json()["shares"][0]
    other = make_client()
    other.signup("intruder@example.org")
    assert other.call("DELETE", f"/api/shares/{share['id']}").status_code == 404
    assert len(client.call("GET", "/api/shares").json()["shares"]) == 1
