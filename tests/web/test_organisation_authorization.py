"""Who may touch organisations' rotations and couples' lists, route by route: the public pages
show nothing personal; only an organisation reaches the organisation routes (and only its own
rotations and requests); only applicants request places and link as couples.  The last test
fails if a route of these modules is added without being listed here."""

from __future__ import annotations

from typing import Any

import pytest

from imgpath.web import api_couples, api_organisations, pages_couples, pages_organisations
from tests.web.conftest import PASSWORD

PUBLIC = [("GET", "/api/usce"), ("GET", "/api/organisations/{org_id}"), ("GET", "/usce"),
          ("GET", "/organisations/{org_id}")]  # fmt: skip
ORGANISATION = [  # the organisation's own profile, rotations and the requests for them
    ("GET", "/api/organisation"), ("PUT", "/api/organisation"), ("POST", "/api/organisation/rotations"),
    ("PUT", "/api/organisation/rotations/{rotation_id}"), ("DELETE", "/api/organisation/rotations/{rotation_id}"),
    ("POST", "/api/organisation/requests/{request_id}/accept"), ("POST", "/api/organisation/requests/{request_id}/decline"),
    ("POST", "/api/organisation/requests/{request_id}/place"), ("POST", "/api/organisation/requests/{request_id}/complete"),
    ("POST", "/api/organisation/requests/{request_id}/letter"),
    ("GET", "/organisation"), ("POST", "/organisation/profile"), ("POST", "/organisation/rotations"),
    ("POST", "/organisation/rotations/{rotation_id}"), ("POST", "/organisation/rotations/{rotation_id}/remove"),
    ("POST", "/organisation/requests/{request_id}/accept"), ("POST", "/organisation/requests/{request_id}/decline"),
    ("POST", "/organisation/requests/{request_id}/place"), ("POST", "/organisation/requests/{request_id}/complete"),
    ("POST", "/organisation/requests/{request_id}/letter"),
]  # fmt: skip
APPLICANT = [  # an applicant's own requests and couple
    ("POST", "/api/usce/{rotation_id}/requests"), ("GET", "/api/usce/requests"),
    ("POST", "/api/usce/requests/{request_id}/withdraw"), ("POST", "/usce/{rotation_id}/request"),
    ("POST", "/usce/requests/{request_id}/withdraw"),
    ("GET", "/api/couple"), ("POST", "/api/couple/invite"), ("POST", "/api/couple/invitations/{couple_id}/accept"),
    ("POST", "/api/couple/invitations/{couple_id}/decline"), ("DELETE", "/api/couple"), ("POST", "/api/couple/pairs"),
    ("POST", "/api/couple/pairs/{rank}/move"), ("DELETE", "/api/couple/pairs/{rank}"), ("POST", "/api/couple/certify"),
    ("GET", "/couple"), ("POST", "/couple/invite"), ("POST", "/couple/invitations/{couple_id}/accept"),
    ("POST", "/couple/invitations/{couple_id}/decline"), ("POST", "/couple/end"), ("POST", "/couple/pairs"),
    ("POST", "/couple/pairs/{rank}/move"), ("POST", "/couple/pairs/{rank}/remove"), ("POST", "/couple/certify"),
]  # fmt: skip
SIGNED_IN = [("GET", "/find-program")]
"""Any signed-in account: program search results, nothing personal."""
MODULES = (api_organisations, api_couples, pages_organisations, pages_couples)
ROTATION = {"specialty": "IM", "site": "Mercy", "weeks": 4, "start_on": "2027-01-04", "places": 1}
BODY = {**ROTATION, "name": "Taken over", "completed_on": "2026-11-22", "writer": "Dr W", "mine": "", "partner": "",
        "to": 1, "partner_email": "x@example.org", "password": PASSWORD, "direction": "up"}  # fmt: skip
"""Every field any of these routes asks for, so a refusal is about who asks, not the body."""


def fill(path: str, ids: dict[str, Any]) -> str:
    for key, value in ids.items():
        path = path.replace("{" + key + "}", str(value))
    return path


def _send(who: Any, method: str, url: str, body: dict[str, Any] | None) -> Any:
    if url.startswith("/api"):
        return who.call(method, url, json=body if method in ("POST", "PUT") else None)
    return who.http.request(method, url, data={**(body or {}), "csrf_token": who.token or "none"},
                            follow_redirects=False)  # fmt: skip


@pytest.fixture
def world(client: Any, make_client: Any) -> dict[str, Any]:
    """An organisation with a rotation and one request from an applicant in a couple; a rival
    organisation, an advisor, an applicant outside all of it."""
    org = client
    org_id = org.signup("org@example.org", role="organisation")["id"]
    org.call("PUT", "/api/organisation", json={"name": "Bridge"})
    rotation = org.call("POST", "/api/organisation/rotations", json=ROTATION).json()["id"]
    ada, ben, rival, advisor, outsider = (make_client() for _ in range(5))
    ada.signup("ada@example.org")
    ben.signup("ben@example.org")
    rival.signup("rival@example.org", role="organisation")
    rival.call("PUT", "/api/organisation", json={"name": "Rival"})
    advisor.signup("adv@example.org", role="advisor")
    outsider.signup("out@example.org")
    request_id = ada.call("POST", f"/api/usce/{rotation}/requests", json={"message": "hi"}).json()[
        "id"
    ]
    ada.call(
        "POST",
        "/api/couple/invite",
        json={"partner_email": "ben@example.org", "password": PASSWORD},
    )
    couple = ben.http.get("/api/couple").json()["invitations"][0]["id"]
    ben.call("POST", f"/api/couple/invitations/{couple}/accept")
    ids = {
        "org_id": org_id,
        "rotation_id": rotation,
        "request_id": request_id,
        "couple_id": couple,
        "rank": 1,
    }
    return {"org": org, "ada": ada, "ben": ben, "rival": rival, "advisor": advisor, "outsider": outsider,
            "ids": ids}  # fmt: skip


def _state(world: dict[str, Any]) -> Any:
    return (world["org"].http.get("/api/organisation").json(), world["ada"].http.get("/api/couple").json(),
            world["ada"].http.get("/api/usce/requests").json())  # fmt: skip


def test_signed_out_reaches_only_the_public_pages(make_client: Any, world: dict[str, Any]) -> None:
    nobody = make_client()
    for method, path in PUBLIC:
        assert nobody.http.request(method, fill(path, world["ids"])).status_code == 200, path
    public = nobody.http.get(fill("/organisations/{org_id}", world["ids"])).text
    assert "Bridge" in public
    assert "ada@example.org" not in public
    before = _state(world)
    for method, path in ORGANISATION + APPLICANT + SIGNED_IN:
        r = nobody.http.request(method, fill(path, world["ids"]), follow_redirects=False)
        expected = (
            {(303, "/signin")}
            if method == "GET" and not path.startswith("/api")
            else {(401, None), (403, None)}
        )
        assert (r.status_code, r.headers.get("location")) in expected, (method, path)
    assert _state(world) == before


def test_other_roles_cannot_reach_the_organisation_routes(world: dict[str, Any]) -> None:
    before = _state(world)
    for who in ("ada", "advisor", "outsider"):
        for method, path in ORGANISATION:
            r = _send(world[who], method, fill(path, world["ids"]), BODY)
            assert r.status_code == 403, (who, method, path, r.status_code)
    assert _state(world) == before


def test_another_organisation_reaches_nothing_of_this_one(world: dict[str, Any]) -> None:
    before = _state(world)
    for method, path in ORGANISATION:
        if "{" not in path:
            continue  # its own profile and list only
        r = _send(world["rival"], method, fill(path, world["ids"]), BODY)
        assert r.status_code == 404, (method, path, r.status_code)
    assert _state(world) == before


def test_only_applicants_request_places_and_link_as_couples(world: dict[str, Any]) -> None:
    before = _state(world)
    for who in ("org", "rival", "advisor"):
        for method, path in APPLICANT:
            r = _send(world[who], method, fill(path, world["ids"]), BODY)
            assert r.status_code == 403, (who, method, path, r.status_code)
    assert _state(world) == before


def test_an_applicant_outside_the_couple_reaches_nothing_of_it(world: dict[str, Any]) -> None:
    outsider = world["outsider"]
    before = _state(world)
    assert outsider.http.get("/api/usce/requests").json()["requests"] == []
    assert (
        outsider.call(
            "POST", fill("/api/usce/requests/{request_id}/withdraw", world["ids"])
        ).status_code
        == 404
    )
    for path in (
        "/api/couple/invitations/{couple_id}/accept",
        "/api/couple/invitations/{couple_id}/decline",
    ):
        assert outsider.call("POST", fill(path, world["ids"])).status_code == 404, path
    for method, path in (("POST", "/api/couple/pairs"), ("POST", "/api/couple/certify"),
                         ("DELETE", "/api/couple/pairs/{rank}"), ("POST", "/api/couple/pairs/{rank}/move")):  # fmt: skip
        r = _send(outsider, method, fill(path, world["ids"]), BODY)
        assert r.status_code == 422, (
            method,
            path,
        )  # "you are not linked": nothing of theirs is touched
    assert outsider.call("DELETE", "/api/couple").status_code == 404
    assert _state(world) == before


def test_every_route_of_these_modules_is_listed_here() -> None:
    routes = {
        (m, r.path)
        for module in MODULES
        for r in module.router.routes
        for m in r.methods - {"HEAD"}
    }  # type: ignore[attr-defined]
    listed = set(PUBLIC + ORGANISATION + APPLICANT + SIGNED_IN)
    assert routes - listed == set(), (
        f"list these routes in test_organisation_authorization.py: {sorted(routes - listed)}"
    )
    assert listed - routes == set()
