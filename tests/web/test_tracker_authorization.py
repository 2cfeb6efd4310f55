"""Who may touch the season tracker, route by route: nobody signed out, an applicant only their
own records, an advisor (read-only) only applicants who shared with them, an organisation only
its own rotation slots.  The last test fails if a tracker route is added without being listed here."""

from __future__ import annotations

from typing import Any

import pytest

from imgpath.web import api_tracker, pages_tracker
from tests.web.conftest import PASSWORD

READS = ["/api/applications", "/api/applications.csv", "/api/costs", "/api/letters", "/api/documents",
         "/api/rotations", "/api/rank-list", "/api/timeline", "/api/calendar.ics",
         "/applications", "/applications.csv", "/letters", "/rotations", "/rank-list", "/timeline",
         "/calendar.ics"]  # fmt: skip
ADVISOR_ONLY = [
    "/api/cohort/table",
    "/api/cohort.csv",
    "/api/slots",
    "/cohort",
    "/cohort.csv",
    "/slots",
]
# Changes aimed at another person's records, by the ids and codes in their URLs.
TARGETED = [("PATCH", "/api/letters/{L}", {"status": "uploaded"}), ("DELETE", "/api/letters/{L}", None),
            ("PUT", "/api/letters/{L}/programs/{a}", None), ("DELETE", "/api/letters/{L}/programs/{a}", None),
            ("PATCH", "/api/documents/{D}", {"done": True}), ("DELETE", "/api/documents/{D}", None),
            ("DELETE", "/api/rotations/{R}", None), ("DELETE", "/api/applications/{a}", None),
            ("POST", "/api/rank-list/{a}/move", {"to": 1}), ("PUT", "/api/rank-list/{a}/supplemental", {"programs": []}),
            ("DELETE", "/api/rank-list/{a}", None),
            ("POST", "/letters/{L}/status", {"status": "uploaded"}), ("POST", "/letters/{L}/assign", {"program_code": "{a}"}),
            ("POST", "/letters/{L}/programs/{a}/remove", {}), ("POST", "/letters/{L}/remove", {}),
            ("POST", "/documents/{D}/done", {"done": "yes"}), ("POST", "/documents/{D}/remove", {}),
            ("POST", "/rotations/{R}/remove", {}), ("POST", "/applications/{a}/remove", {}),
            ("POST", "/rank-list/{a}/move", {"direction": "top"}), ("POST", "/rank-list/{a}/supplemental", {"supplemental": ""}),
            ("POST", "/rank-list/{a}/remove", {})]  # fmt: skip
# Changes that only ever touch the caller's own records (no one else's id in them).
OWN = [("PUT", "/api/applications/{a}"), ("POST", "/api/applications/import"), ("POST", "/api/letters"),
       ("POST", "/api/documents"), ("POST", "/api/rotations"), ("POST", "/api/rank-list"), ("POST", "/api/rank-list/what-if"),
       ("POST", "/applications"), ("POST", "/applications/import"), ("POST", "/letters"), ("POST", "/documents"),
       ("POST", "/rotations"), ("POST", "/rank-list"), ("POST", "/rank-list/what-if")]  # fmt: skip
SLOTS = [("POST", "/api/slots"), ("DELETE", "/api/slots/{S}"), ("PUT", "/api/slots/{S}/applicants/{V}"),
         ("DELETE", "/api/slots/{S}/applicants/{V}"), ("POST", "/slots"), ("POST", "/slots/{S}/place"),
         ("POST", "/slots/{S}/applicants/{V}/remove"), ("POST", "/slots/{S}/remove")]  # fmt: skip


@pytest.fixture
def world(app: Any, client: Any, make_client: Any) -> dict[str, Any]:
    """A victim applicant with one of everything, shared with one advisor; an intruder; a stranger."""
    a = next(p.code for p in app.state.workspace.catalog.programs if p.track_type == "C")
    victim = client.signup("victim@example.org")
    client.call("PUT", f"/api/applications/{a}", json={"status": "interviewed"})
    letter = client.call("POST", "/api/letters", json={"writer": "Dr Obi"}).json()["id"]
    client.call("PUT", f"/api/letters/{letter}/programs/{a}")
    doc = client.call("POST", "/api/documents", json={"title": "CV"}).json()["id"]
    rotation = client.call("POST", "/api/rotations", json={"site": "Mercy", "specialty": "IM",
                                                            "start_on": "2026-01-05", "end_on": "2026-02-01"}).json()["id"]  # fmt: skip
    client.call("POST", "/api/rank-list", json={"program_code": a})
    client.call(
        "POST", "/api/shares", json={"advisor_email": "coach@example.org", "password": PASSWORD}
    )
    coach, intruder, stranger = make_client(), make_client(), make_client()
    coach.signup("coach@example.org", role="advisor")
    intruder.signup("intruder@example.org")
    stranger.signup("stranger@example.org", role="advisor")
    slot = stranger.call("POST", "/api/slots", json={"site": "Mercy", "specialty": "IM", "start_on": "2027-01-04",
                                                     "end_on": "2027-01-31"}).json()["id"]  # fmt: skip
    ids = {"a": a, "L": letter, "D": doc, "R": rotation, "S": slot, "V": victim["id"]}
    return {"victim": client, "coach": coach, "intruder": intruder, "stranger": stranger, "ids": ids,
            "before": _records(client)}  # fmt: skip


def _records(client: Any) -> dict[str, Any]:
    data = client.http.get("/api/export").json()
    return {k: data[k] for k in ("applications", "letters", "documents", "rotations", "rank_list")}


def _fill(template: str, ids: dict[str, Any]) -> str:
    for key, value in ids.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def _send(who: Any, method: str, url: str, body: Any) -> Any:
    if url.startswith("/api"):
        return who.call(method, url, json=body)
    token = who.token or "none"
    return who.http.request(
        method, url, data={**(body or {}), "csrf_token": token}, follow_redirects=False
    )


def test_signed_out_gets_nothing(make_client: Any, world: dict[str, Any]) -> None:
    nobody = make_client()
    for url in READS + ADVISOR_ONLY:
        r = nobody.http.get(
            _fill(url, world["ids"]) + f"?user={world['ids']['V']}", follow_redirects=False
        )
        assert (r.status_code, r.headers.get("location")) in ((401, None), (303, "/signin")), url
    for method, url, body in TARGETED:
        r = nobody.http.request(
            method, _fill(url, world["ids"]), json=body if url.startswith("/api") else None
        )
        assert r.status_code in (401, 403), (method, url)
    assert _records(world["victim"]) == world["before"]


def test_another_applicant_and_an_advisor_not_shared_with_cannot_read(
    world: dict[str, Any],
) -> None:
    for who in (world["intruder"], world["stranger"]):
        for url in READS:
            r = who.http.get(f"{url}?user={world['ids']['V']}")
            assert r.status_code == 403, url


def test_nobody_changes_another_persons_records(world: dict[str, Any]) -> None:
    ids = world["ids"]
    for who in (world["intruder"], world["coach"]):
        for method, url, body in TARGETED:
            filled = {
                k: _fill(v, ids) if isinstance(v, str) else v for k, v in (body or {}).items()
            }
            r = _send(who, method, _fill(url, ids), filled if body is not None else None)
            assert r.status_code in (403, 404, 422), (who, method, url, r.status_code)
    assert _records(world["victim"]) == world["before"]


def test_the_advisor_shared_with_reads_every_tracker_view(world: dict[str, Any]) -> None:
    for url in READS:
        r = world["coach"].http.get(f"{url}?user={world['ids']['V']}")
        assert r.status_code == 200, url
        if url.endswith(("/letters", "letters")) and not url.startswith("/api"):
            assert "Dr Obi" in r.text
            assert "Add a letter" not in r.text  # read-only: no forms
    world["victim"].call(
        "DELETE", f"/api/shares/{world['victim'].http.get('/api/shares').json()['shares'][0]['id']}"
    )
    assert world["coach"].http.get(f"/api/letters?user={world['ids']['V']}").status_code == 403


def test_own_changes_never_reach_another_persons_records(world: dict[str, Any]) -> None:
    body = {"status": "applied", "writer": "Dr X", "title": "CV", "site": "S", "specialty": "IM",
            "start_on": "2026-01-01", "end_on": "2026-01-02", "program_code": world["ids"]["a"]}  # fmt: skip
    for who in (world["intruder"], world["coach"]):
        for method, url in OWN:
            target = _fill(url, world["ids"])
            if target.endswith("/import"):
                who.http.post(target, content=f"Program code\n{world['ids']['a']}\n",
                              headers={"X-CSRF-Token": who.token, "Content-Type": "text/csv"})  # fmt: skip
            else:
                _send(who, method, target, body)
    assert _records(world["victim"]) == world["before"]


def test_slots_belong_to_their_organisation(world: dict[str, Any]) -> None:
    ids = world["ids"]
    world["victim"].call(
        "POST", "/api/shares", json={"advisor_email": "stranger@example.org", "password": PASSWORD}
    )
    assert (
        world["stranger"].call("PUT", _fill("/api/slots/{S}/applicants/{V}", ids)).status_code
        == 200
    )
    body = {
        "site": "x",
        "specialty": "y",
        "start_on": "2027-01-01",
        "end_on": "2027-01-02",
        "applicant": str(ids["V"]),
    }
    for method, url in SLOTS:  # an applicant runs no slots
        r = _send(
            world["victim"], method, _fill(url, ids), body if method in ("POST", "PUT") else None
        )
        assert r.status_code == 403, (method, url)
    for method, url in SLOTS[1:4] + SLOTS[5:]:  # another organisation's slot: not found
        r = _send(
            world["coach"], method, _fill(url, ids), body if method in ("POST", "PUT") else None
        )
        assert r.status_code == 404, (method, url)
    # the placement survived every attempt by the other organisation and by the applicant
    assert [p["site"] for p in world["victim"].http.get("/api/rotations").json()["placements"]] == [
        "Mercy"
    ]
    # the slot's owner cannot place an applicant who did not share with them
    intruder = world["intruder"].http.get("/api/me").json()["account"]["id"]
    r = world["stranger"].call("PUT", _fill("/api/slots/{S}/applicants/", ids) + str(intruder))
    assert r.status_code == 403
    assert world["victim"].http.get("/api/slots").status_code == 403


def test_every_tracker_route_is_covered_here() -> None:
    listed = set(READS + ADVISOR_ONLY) | {u for _, u, _ in TARGETED} | {u for _, u in OWN + SLOTS}
    normal = {_fill(u, {"L": "{letter_id}", "D": "{doc_id}", "R": "{rotation_id}", "a": "{code}",
                         "S": "{slot_id}", "V": "{applicant_id}"}) for u in listed}  # fmt: skip
    routes = {
        r.path for router in (api_tracker.router, pages_tracker.router) for r in router.routes
    }  # type: ignore[attr-defined]
    assert routes - normal == set()
