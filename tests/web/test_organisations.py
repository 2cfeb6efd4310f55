"""Rotation organisations through the API, on SQLite and PostgreSQL: the public page and the
browse list, requests and decisions, places never exceeded, completion and letters (which reach
the applicant's letters), placements with the organisation's name, the 4-12 week and date
rules on their day-of edges, and who may do what."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.web.conftest import TODAY

ROTATION = {"specialty": "Internal medicine", "site": "Mercy Hospital, Brooklyn NY", "setting": "inpatient",
            "kind": "hands_on", "weeks": 4, "start_on": "2027-01-04", "cost": 2500, "places": 1,
            "letter_needs": "Four weeks with the same attending."}  # fmt: skip


@pytest.fixture
def org(make_client: Any) -> Any:
    """A signed-in organisation with a public name."""
    org = make_client()
    org.signup("placements@example.org", role="organisation")
    r = org.call(
        "PUT",
        "/api/organisation",
        json={"name": "Bridge USCE", "website": "https://bridge.example.org"},
    )
    assert r.status_code == 200, r.text
    return org


def _offer(org: Any, **changes: Any) -> int:
    r = org.call("POST", "/api/organisation/rotations", json={**ROTATION, **changes})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_an_applicant_requests_is_placed_completes_and_gets_the_letter(
    org: Any, client: Any, make_client: Any
) -> None:
    rotation = _offer(org)
    page = (
        make_client()
        .http.get(f"/api/organisations/{org.http.get('/api/me').json()['account']['id']}")
        .json()
    )
    assert page["organisation"]["name"] == "Bridge USCE"
    [shown] = page["rotations"]
    assert (shown["end_on"], shown["places_left"], shown["cost"]) == ("2027-01-31", 1, 2500)
    assert make_client().http.get("/api/usce").json()["rotations"][0]["id"] == rotation  # public

    client.signup("ada@example.org")
    r = client.call(
        "POST", f"/api/usce/{rotation}/requests", json={"message": "Step 2 CK 238, visa needed"}
    )
    assert r.status_code == 201, r.text
    request_id = r.json()["id"]
    again = client.call("POST", f"/api/usce/{rotation}/requests", json={})
    assert again.status_code == 422
    assert "already" in again.json()["fields"]["rotation"]

    [mine] = client.http.get("/api/usce/requests").json()["requests"]
    assert (mine["status"], mine["rotation"]["organisation"]) == ("requested", "Bridge USCE")
    board = org.http.get("/api/organisation").json()
    [seen] = board["rotations"][0]["requests"]
    assert (seen["applicant"]["email"], seen["message"]) == (
        "ada@example.org",
        "Step 2 CK 238, visa needed",
    )

    assert org.call("POST", f"/api/organisation/requests/{request_id}/accept").status_code == 200
    early = org.call(
        "POST",
        f"/api/organisation/requests/{request_id}/complete",
        json={"completed_on": "2027-01-31"},
    )
    assert early.status_code == 422  # not placed yet
    assert org.call("POST", f"/api/organisation/requests/{request_id}/place").status_code == 200
    placements = client.http.get("/api/rotations").json()["placements"]
    assert [(p["organisation"], p["site"], p["status"]) for p in placements] == [
        ("Bridge USCE", "Mercy Hospital, Brooklyn NY", "placed")
    ]
    timeline = client.http.get("/api/timeline").json()
    assert any(i["title"] == "Placed by Bridge USCE: Internal medicine at Mercy Hospital, Brooklyn NY"
               for i in timeline["timeline"])  # fmt: skip

    # completion: not after today (day-of accepted, the day after refused), not before the first day
    future = org.call(
        "POST",
        f"/api/organisation/requests/{request_id}/complete",
        json={"completed_on": "2026-11-23"},
    )
    assert future.status_code == 422
    assert "after today" in future.json()["fields"]["completed_on"]
    before = org.call(
        "POST",
        f"/api/organisation/requests/{request_id}/complete",
        json={"completed_on": "2027-01-03"},
    )
    assert before.status_code == 422

    r = org.call("POST", f"/api/organisation/requests/{request_id}/letter",
                 json={"writer": "Dr Grace Hopper", "letter_status": "uploaded"})  # fmt: skip
    assert r.status_code == 201, r.text
    [letter] = client.http.get("/api/letters").json()["letters"]
    assert (letter["writer"], letter["kind"], letter["status"]) == (
        "Dr Grace Hopper",
        "us_clinical",
        "uploaded",
    )
    assert "Recorded by Bridge USCE" in letter["notes"]
    twice = org.call(
        "POST", f"/api/organisation/requests/{request_id}/letter", json={"writer": "Dr X"}
    )
    assert twice.status_code == 422
    assert len(client.http.get("/api/letters").json()["letters"]) == 1
    # the applicant owns the letter: they may delete it, and the request forgets it
    assert client.call("DELETE", f"/api/letters/{letter['id']}").status_code == 200
    assert (
        org.http.get("/api/organisation").json()["rotations"][0]["requests"][0]["letter"] is False
    )


def test_completion_on_the_day_is_accepted_and_counts_as_usce(
    org: Any, client: Any, app: Any
) -> None:
    assert _offer(org, start_on=TODAY.isoformat())  # a rotation starting today may be listed
    # one that began four weeks ago (listed then), ending today
    org_id = org.http.get("/api/me").json()["account"]["id"]
    rotation = app.state.organisations.store.add_rotation({**ROTATION, "start_on": date(2026, 10, 26), "end_on": TODAY,
                                                           "user_id": org_id, "created_at": datetime.now(UTC)})  # fmt: skip
    client.signup("bo@example.org")
    request_id = client.call("POST", f"/api/usce/{rotation}/requests", json={}).json()["id"]
    org.call("POST", f"/api/organisation/requests/{request_id}/place")
    before = client.http.get("/api/rotations").json()
    assert (before["months"], len(before["placements"])) == (0, 1)
    r = org.call(
        "POST",
        f"/api/organisation/requests/{request_id}/complete",
        json={"completed_on": TODAY.isoformat()},
    )
    assert r.status_code == 200, r.text
    [mine] = [
        q
        for q in client.http.get("/api/usce/requests").json()["requests"]
        if q["rotation_id"] == rotation
    ]
    assert (mine["status"], mine["completed_on"]) == ("completed", TODAY.isoformat())
    # the completed rotation is now her own USCE record (hands-on, four weeks), with the organisation's name
    after = client.http.get("/api/rotations").json()
    assert after["placements"] == []
    [record] = after["rotations"]
    assert (
        record["site"],
        record["start_on"],
        record["end_on"],
        record["kind"],
        record["cost"],
    ) == (
        "Mercy Hospital, Brooklyn NY (placed by Bridge USCE)",
        "2026-10-26",
        TODAY.isoformat(),
        "hands_on",
        2500,
    )
    assert after["hands_on_months"] == 0.9  # 28 days / 30.44
    assert record["letter_earned"] is False
    org.call("POST", f"/api/organisation/requests/{request_id}/letter", json={"writer": "Dr Late"})
    assert client.http.get("/api/rotations").json()["rotations"][0]["letter_earned"] is True
    again = org.call(
        "POST",
        f"/api/organisation/requests/{request_id}/complete",
        json={"completed_on": TODAY.isoformat()},
    )
    assert again.status_code == 422  # completed once
    assert len(client.http.get("/api/rotations").json()["rotations"]) == 1


@pytest.mark.parametrize(
    ("weeks", "ok"), [(3, False), (4, True), (12, True), (13, False), (0, False)]
)
def test_weeks_run_from_4_to_12(org: Any, weeks: int, ok: bool) -> None:
    r = org.call("POST", "/api/organisation/rotations", json={**ROTATION, "weeks": weeks})
    assert (r.status_code == 201) is ok, r.text
    if not ok:
        assert set(r.json()["fields"]) == {"weeks"}


def test_rotation_fields_are_checked_and_named(org: Any) -> None:
    bad = {**ROTATION, "start_on": "2026-11-21", "cost": -5, "places": 0, "kind": "shadowing",
           "setting": "moon", "specialty": "", "site": "a\nb"}  # fmt: skip
    r = org.call("POST", "/api/organisation/rotations", json=bad)
    assert r.status_code == 422
    fields = r.json()["fields"]
    assert set(fields) == {"start_on", "cost", "places", "kind", "setting", "specialty", "site"}
    assert "in the past" in fields["start_on"]
    assert org.http.get("/api/organisation").json()["rotations"] == []
    nameless = org.call(
        "PUT", "/api/organisation", json={"name": " ", "website": "javascript:alert(1)"}
    )
    assert set(nameless.json()["fields"]) == {"name", "website"}


def test_an_organisation_needs_a_public_name_before_listing(make_client: Any) -> None:
    org = make_client()
    org.signup("unnamed@example.org", role="organisation")
    r = org.call("POST", "/api/organisation/rotations", json=ROTATION)
    assert r.status_code == 422
    assert "name" in r.json()["fields"]


def test_places_are_never_exceeded_even_at_once(org: Any, make_client: Any) -> None:
    rotation = _offer(org, places=2)
    ids = []
    for n in range(4):
        applicant = make_client()
        applicant.signup(f"app{n}@example.org")
        ids.append(applicant.call("POST", f"/api/usce/{rotation}/requests", json={}).json()["id"])
    with ThreadPoolExecutor(4) as pool:
        codes = list(
            pool.map(
                lambda i: org.call("POST", f"/api/organisation/requests/{i}/accept").status_code,
                ids,
            )
        )
    assert sorted(codes) == [200, 200, 422, 422]
    [shown] = org.http.get("/api/organisation").json()["rotations"]
    assert shown["places_left"] == 0
    # fewer places than are taken is refused; declining one frees a place
    r = org.call("PUT", f"/api/organisation/rotations/{rotation}", json={**ROTATION, "places": 1})
    assert r.status_code == 422
    assert "places" in r.json()["fields"]
    accepted = [q["id"] for q in shown["requests"] if q["status"] == "accepted"]
    waiting = [q["id"] for q in shown["requests"] if q["status"] == "requested"]
    assert org.call("POST", f"/api/organisation/requests/{accepted[0]}/decline").status_code == 200
    assert org.call("POST", f"/api/organisation/requests/{waiting[0]}/place").status_code == 200
    # a rotation with places taken cannot be deleted, only closed
    r = org.call("DELETE", f"/api/organisation/rotations/{rotation}")
    assert r.status_code == 422
    closed = org.call(
        "PUT",
        f"/api/organisation/rotations/{rotation}",
        json={**ROTATION, "places": 2, "open": False},
    )
    assert closed.status_code == 200, closed.text
    assert org.http.get("/api/usce").json()["rotations"] == []


def test_who_may_do_what(org: Any, client: Any, make_client: Any) -> None:
    rotation = _offer(org)
    client.signup("owner@example.org")
    request_id = client.call("POST", f"/api/usce/{rotation}/requests", json={}).json()["id"]
    rival = make_client()
    rival.signup("rival@example.org", role="organisation")
    rival.call("PUT", "/api/organisation", json={"name": "Rival"})
    advisor, other = make_client(), make_client()
    advisor.signup("adv@example.org", role="advisor")
    other.signup("other@example.org")
    decisions = [
        ("POST", f"/api/organisation/requests/{request_id}/{a}")
        for a in ("accept", "decline", "place")
    ]
    edits = [
        ("PUT", f"/api/organisation/rotations/{rotation}"),
        ("DELETE", f"/api/organisation/rotations/{rotation}"),
    ]
    for method, url in decisions + edits:  # another organisation: not found; others: forbidden
        body = ROTATION if method == "PUT" else None
        assert rival.call(method, url, json=body).status_code == 404, url
        for who in (client, advisor, other):
            assert who.call(method, url, json=body).status_code == 403, url
    for who in (org, rival, advisor):  # only applicants request places
        assert who.call("POST", f"/api/usce/{rotation}/requests", json={}).status_code == 403
    assert other.http.get("/api/usce/requests").json()["requests"] == []  # only their own
    assert other.call("POST", f"/api/usce/requests/{request_id}/withdraw").status_code == 404
    assert rival.http.get("/api/organisation").json()["rotations"] == []
    assert client.http.get("/api/organisation").status_code == 403
    # nothing changed
    [q] = org.http.get("/api/organisation").json()["rotations"][0]["requests"]
    assert q["status"] == "requested"
    assert client.call("POST", f"/api/usce/requests/{request_id}/withdraw").status_code == 200
    assert client.http.get("/api/usce/requests").json()["requests"][0]["status"] == "withdrawn"
    # a withdrawn request may be made again
    assert client.call("POST", f"/api/usce/{rotation}/requests", json={}).status_code == 201


def test_deleting_accounts_keeps_the_others_data(org: Any, client: Any) -> None:
    from tests.web.conftest import PASSWORD

    rotation = _offer(org)
    client.signup("keep@example.org")
    request_id = client.call("POST", f"/api/usce/{rotation}/requests", json={}).json()["id"]
    org.call("POST", f"/api/organisation/requests/{request_id}/place")
    org.call("POST", f"/api/organisation/requests/{request_id}/letter", json={"writer": "Dr Kept"})
    r = org.call("DELETE", "/api/account", json={"password": PASSWORD})
    assert r.status_code == 200, r.text
    assert [x["writer"] for x in client.http.get("/api/letters").json()["letters"]] == ["Dr Kept"]
    assert client.http.get("/api/rotations").json()["placements"] == []
    assert client.http.get("/api/usce").json()["rotations"] == []


def test_export_holds_the_requests_and_the_organisations_rotations(org: Any, client: Any) -> None:
    rotation = _offer(org)
    client.signup("exp@example.org")
    client.call("POST", f"/api/usce/{rotation}/requests", json={"message": "hello"})
    [mine] = client.http.get("/api/export").json()["rotation_requests"]
    assert (mine["message"], mine["rotation"]["organisation"]) == ("hello", "Bridge USCE")
    theirs = org.http.get("/api/export").json()["organisation"]
    assert theirs["organisation"]["name"] == "Bridge USCE"
    assert theirs["rotations"][0]["requests"][0]["applicant"]["email"] == "exp@example.org"


def test_the_demo_organisation_is_created_once_with_two_rotations(
    app: Any, make_client: Any
) -> None:
    from imgpath.services.workspace.demo_organisation import (
        DEMO_ORGANISATION_EMAIL,
        DEMO_ORGANISATION_PASSWORD,
        ensure_demo_organisation,
    )

    for _ in range(2):
        ensure_demo_organisation(app.state.accounts, app.state.organisations, on=TODAY)
    listed = make_client().http.get("/api/usce").json()["rotations"]
    assert [(r["specialty"], r["kind"], r["start_on"], r["places_left"]) for r in listed] == [
        ("Internal medicine", "hands_on", "2027-01-04", 2),
        ("Family medicine", "observership", "2027-02-01", 3),
    ]
    assert {r["organisation"] for r in listed} == {"Harbour Clinical Rotations (demo)"}
    org = app.state.accounts.sign_in(
        email=DEMO_ORGANISATION_EMAIL, password=DEMO_ORGANISATION_PASSWORD
    )
    assert org.role == "organisation"
