"""The season tracker through the API, on SQLite and PostgreSQL: applications (with CSV and fees),
letters (four per program), documents, rotations against USCE asks, the rank list, the timeline
and its calendar, the advisor's cohort table and rotation slots."""

from __future__ import annotations

import csv
import io
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import icalendar

from imgpath.core.catalog.claims import Claim
from tests.web.conftest import PASSWORD, PROFILE


def codes(app: Any, kind: str, n: int) -> list[str]:
    return [p.code for p in app.state.workspace.catalog.programs if p.track_type == kind][:n]


def test_applications_move_through_statuses_with_dates_and_fees(app: Any, client: Any) -> None:
    client.signup("ana@example.org")
    a, b = codes(app, "C", 2)
    r = client.call(
        "PUT",
        f"/api/applications/{a}",
        json={"status": "applied", "dates": {"applied": "2026-09-24"}},
    )
    assert r.status_code == 200, r.text
    for status in ("invited", "interviewed"):
        r = client.call("PUT", f"/api/applications/{a}", json={"status": status})
    got = r.json()["application"]
    assert got["status"] == "interviewed"
    assert got["dates"] == {
        "applied": "2026-09-24",
        "invited": "2026-11-22",
        "interviewed": "2026-11-22",
    }
    client.call(
        "PUT", f"/api/applications/{b}", json={"status": "applied", "service": "ResidencyCAS"}
    )
    costs = client.http.get("/api/costs").json()
    assert costs["eras_programs"] == 1
    assert costs["residencycas_programs"] == 1
    assert costs["eras"]["total_known"] > 0
    assert any("ResidencyCAS" in n for n in costs["notes"])

    r = client.call(
        "PUT", f"/api/applications/{a}", json={"status": "accepted", "dates": {"when": "x"}}
    )
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"dates.when"}
    r = client.call("PUT", "/api/applications/NOPE", json={"status": "applied"})
    assert r.status_code == 422
    assert "no program with code" in r.json()["fields"]["program_code"]


def test_applications_csv_round_trip_and_an_all_or_nothing_import(app: Any, client: Any) -> None:
    client.signup("ben@example.org")
    a, b, c = codes(app, "C", 3)
    sheet = f"NRMP code,Status,Date applied,Interview date,Notes\n{a},applied,2026-09-24,,first\n{b},interviewed,2026-09-24,2026-11-02,\n"
    r = client.http.post("/api/applications/import", content=sheet,
                         headers={"X-CSRF-Token": client.token, "Content-Type": "text/csv"})  # fmt: skip
    assert r.json() == {"imported": 2}
    rows = list(csv.DictReader(io.StringIO(client.http.get("/api/applications.csv").text)))
    got = sorted(
        (x["Program code"], x["Status"], x["Applied"], x["Interview"], x["Notes"]) for x in rows
    )
    assert got == sorted(
        [
            (a, "applied", "2026-09-24", "", "first"),
            (b, "interviewed", "2026-09-24", "2026-11-02", ""),
        ]
    )
    bad = f"Program code,Status\n{c},applied\nZZZ,applied\n{a},maybe\n"
    r = client.http.post("/api/applications/import", content=bad,
                         headers={"X-CSRF-Token": client.token, "Content-Type": "text/csv"})  # fmt: skip
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"row 3: program_code", "row 4: status"}
    assert len(client.http.get("/api/applications").json()["applications"]) == 2  # c not added
    r = client.http.post("/api/applications/import", content="Name\nx\n",
                         headers={"X-CSRF-Token": client.token, "Content-Type": "text/csv"})  # fmt: skip
    assert "program code column" in r.json()["fields"]["file"]


def test_a_fifth_letter_for_one_program_is_refused(app: Any, client: Any) -> None:
    client.signup("cy@example.org")
    programs = codes(app, "C", 6)
    ids = [
        client.call("POST", "/api/letters", json={"writer": f"Dr {n}"}).json()["id"]
        for n in range(5)
    ]
    for n, letter in enumerate(ids[:4], start=1):
        r = client.call("PUT", f"/api/letters/{letter}/programs/{programs[0]}")
        assert r.json() == {"letters_for_program": n}
    r = client.call("PUT", f"/api/letters/{ids[4]}/programs/{programs[0]}")
    assert r.status_code == 422
    message = r.json()["fields"]["program_code"]
    assert "at most 4 per program" in message
    assert "Dr 4's letter was not assigned" in message
    # one letter may go to many programs; unassigning frees a place
    for code in programs[1:]:
        assert client.call("PUT", f"/api/letters/{ids[4]}/programs/{code}").status_code == 200
    assert client.call("DELETE", f"/api/letters/{ids[0]}/programs/{programs[0]}").status_code == 200
    assert client.call("PUT", f"/api/letters/{ids[4]}/programs/{programs[0]}").json() == {
        "letters_for_program": 4
    }
    letters = {x["id"]: x for x in client.http.get("/api/letters").json()["letters"]}
    assert len(letters[ids[4]]["programs"]) == 6
    assert (
        client.call("PATCH", f"/api/letters/{ids[0]}", json={"status": "uploaded"}).status_code
        == 200
    )
    assert (
        client.call("PATCH", f"/api/letters/{ids[0]}", json={"status": "lost"}).status_code == 422
    )
    assert client.call("POST", "/api/letters", json={"writer": " "}).json()["fields"] == {
        "writer": "is required; fill it in"
    }


def test_rotations_add_up_and_are_checked_against_program_asks(app: Any, client: Any) -> None:
    client.signup("dee@example.org")
    [asking] = codes(app, "C", 1)
    claim = Claim(program_code=asking, field="usce_months", value=2.0, kind="cutoff", source="https://example.org/im",
                  as_of=date(2026, 9, 1), entered_by="test")  # fmt: skip
    app.state.workspace.catalog.add_claim(claim, now=datetime.now(UTC))
    client.call("PUT", f"/api/saved/{asking}", json={})
    for start, end, kind in (
        ("2026-01-05", "2026-02-01", "hands_on"),
        ("2026-03-02", "2026-03-29", "observership"),
    ):
        r = client.call("POST", "/api/rotations", json={"site": "Mercy Hospital", "specialty": "internal medicine",
                                                         "start_on": start, "end_on": end, "kind": kind, "cost": 3500})  # fmt: skip
        assert r.status_code == 201, r.text
    got = client.http.get("/api/rotations").json()
    assert got["months"] == 1.8
    assert got["hands_on_months"] == 0.9
    assert got["cost"] == 7000
    assert got["requirements"] == [{"program": asking, "name": got["requirements"][0]["name"], "required_months": 2.0,
                                     "hands_on_only": False, "have_months": 1.8, "met": False, "kind": "cutoff",
                                     "source": "https://example.org/im", "as_of": "2026-09-01"}]  # fmt: skip
    r = client.call("POST", "/api/rotations", json={"site": "X", "specialty": "IM", "start_on": "2026-02-01",
                                                     "end_on": "2026-01-01", "cost": -5})  # fmt: skip
    assert set(r.json()["fields"]) == {"end_on", "cost"}


def test_rank_list_reorders_checks_supplemental_lists_and_explains(app: Any, client: Any) -> None:
    client.signup("eve@example.org")
    a, b, c = codes(app, "C", 3)
    [adv] = codes(app, "A", 1)
    p1, p2 = codes(app, "P", 2)
    for code in (a, b, c, adv):
        assert client.call("POST", "/api/rank-list", json={"program_code": code}).status_code == 201
    order = lambda r: [e["program"]["code"] for e in r.json()["entries"]]
    assert order(client.call("POST", f"/api/rank-list/{c}/move", json={"to": 1})) == [c, a, b, adv]
    assert order(client.call("POST", f"/api/rank-list/{c}/move", json={"to": 99})) == [a, b, adv, c]
    r = client.call("POST", "/api/rank-list", json={"program_code": a})
    assert "on your list already" in r.json()["fields"]["program_code"]
    r = client.call("PUT", f"/api/rank-list/{a}/supplemental", json={"programs": [p1]})
    assert "only an advanced" in r.json()["fields"]["supplemental"]
    r = client.call("PUT", f"/api/rank-list/{adv}/supplemental", json={"programs": [a]})
    assert "not a preliminary" in r.json()["fields"]["supplemental"]
    r = client.call("PUT", f"/api/rank-list/{adv}/supplemental", json={"programs": [p2, p1]})
    entries = r.json()["entries"]
    assert [p["code"] for p in entries[2]["supplemental"]] == [p2, p1]
    assert "supplemental list in order" in entries[2]["explanation"]
    assert entries[1]["explanation"].startswith("Tried only if program 1 does not take you.")
    assert any("not marked interviewed" in w for w in entries[0]["warnings"])
    assert entries[3]["explanation"].startswith("Tried only if programs 1 to 3 do not take you.")
    assert r.json()["limit"] == 300
    assert order(client.call("DELETE", f"/api/rank-list/{b}")) == [a, adv, c]


def test_timeline_merges_everything_and_downloads_as_icalendar(app: Any, client: Any) -> None:
    client.signup("fay@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    [a] = codes(app, "C", 1)
    client.call(
        "PUT",
        f"/api/applications/{a}",
        json={"status": "invited", "dates": {"interview": "2026-12-03"}},
    )
    client.call(
        "POST",
        "/api/documents",
        json={"title": "Personal statement", "kind": "personal_statement", "due_on": "2026-12-01"},
    )
    client.call(
        "POST",
        "/api/rotations",
        json={"site": "Mercy", "specialty": "IM", "start_on": "2027-01-04", "end_on": "2027-01-31"},
    )
    items = client.http.get("/api/timeline").json()["timeline"]
    kinds = {i["kind"] for i in items}
    assert kinds == {"deadline", "application", "document", "rotation"}
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    r = client.http.get("/api/calendar.ics")
    assert r.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(items)
    summaries = {str(e["SUMMARY"]) for e in events}
    assert (
        f"Interview: {client.http.get('/api/applications').json()['applications'][0]['program']['name']}"
        in summaries
    )
    rotation = next(e for e in events if str(e["SUMMARY"]).startswith("Rotation"))
    assert (rotation.decoded("DTEND") - rotation.decoded("DTSTART")).days == 28


def test_advisor_cohort_table_csv_and_rotation_slots(
    app: Any, client: Any, make_client: Any
) -> None:
    applicant = client.signup("gus@example.org")
    client.call(
        "POST", "/api/shares", json={"advisor_email": "org@example.org", "password": PASSWORD}
    )
    [a] = codes(app, "C", 1)
    client.call("PUT", f"/api/applications/{a}", json={"status": "interviewed"})
    client.call("POST", "/api/letters", json={"writer": "Dr Obi"})
    org = make_client()
    org.signup("org@example.org", role="advisor")
    [row] = org.http.get("/api/cohort/table").json()["applicants"]
    assert row["stage"] == "interviewed"
    assert row["missing"] == ["profile", "letter: Dr Obi", "rank list"]
    lines = list(csv.reader(io.StringIO(org.http.get("/api/cohort.csv").text)))
    assert lines[1][:4] == ["", "gus@example.org", "1", "interviewed"]

    slot = org.call("POST", "/api/slots", json={"site": "Mercy", "specialty": "IM", "start_on": "2027-01-04",
                                                "end_on": "2027-01-31", "capacity": 1}).json()["id"]  # fmt: skip
    r = org.call("PUT", f"/api/slots/{slot}/applicants/{applicant['id']}")
    assert r.json()["slots"][0]["placed"][0]["email"] == "gus@example.org"
    mine = client.http.get("/api/rotations").json()["placements"]
    assert [(p["site"], p["organisation"]) for p in mine] == [("Mercy", "org@example.org")]
    assert any(
        i["title"].startswith("Placed by org@example.org")
        for i in client.http.get("/api/timeline").json()["timeline"]
    )
    other = make_client()
    other_id = other.signup("hal@example.org")["id"]
    other.call(
        "POST", "/api/shares", json={"advisor_email": "org@example.org", "password": PASSWORD}
    )
    r = org.call("PUT", f"/api/slots/{slot}/applicants/{other_id}")
    assert r.status_code == 422
    assert "is full" in r.json()["fields"]["applicant"]
    assert client.call("POST", "/api/slots", json={"site": "x", "specialty": "y", "start_on": "2027-01-01",
                                                    "end_on": "2027-01-02"}).status_code == 403  # fmt: skip


def test_export_and_delete_cover_the_tracker(app: Any, client: Any) -> None:
    client.signup("ivy@example.org")
    [a] = codes(app, "C", 1)
    client.call("PUT", f"/api/applications/{a}", json={"status": "applied"})
    letter = client.call("POST", "/api/letters", json={"writer": "Dr Ade"}).json()["id"]
    client.call("PUT", f"/api/letters/{letter}/programs/{a}")
    client.call("POST", "/api/rank-list", json={"program_code": a})
    data = client.http.get("/api/export").json()
    assert [x["program_code"] for x in data["applications"]] == [a]
    assert data["letters"][0]["programs"] == [a]
    assert data["rank_list"] == [{"program": a, "supplemental": []}]
    assert client.call("DELETE", "/api/account", json={"password": PASSWORD}).status_code == 200
    tracker = app.state.tracker
    from imgpath.storage.tracker_store import applications, letter_assignments, letters

    with tracker.store.engine.connect() as conn:
        for table in (applications, letters, letter_assignments):
            assert conn.execute(table.select()).first() is None


def test_what_if_runs_simulated_matches_at_the_rank_lists_length(app: Any, client: Any) -> None:
    client.signup("jo@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    assert client.call("POST", "/api/rank-list/what-if").json()["fields"]["program_code"] == (
        "your rank list is empty; add programs first"
    )
    im = [p.code for p in app.state.workspace.catalog.programs
          if p.track_type == "C" and p.specialty == "Internal Medicine"][:7]  # fmt: skip
    for code in im:
        client.call("POST", "/api/rank-list", json={"program_code": code})
    assert "a market calibrated to NRMP 2026)" in client.http.get("/rank-list").text
    job = client.call("POST", "/api/rank-list/what-if").json()["job"]
    for _ in range(240):
        state = client.http.get(f"/api/odds/{job}").json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert state["status"] == "done", state
    assert state["request"]["ranks"] == 7
    assert state["request"]["specialty"] == "Internal Medicine"
    at_seven = [row for row in state["result"]["by_interviews"] if row["interviews"] == 7]
    assert len(at_seven) == 1
    low, high = at_seven[0]["interval_90"]
    assert 0 < low <= at_seven[0]["p_match"] <= high <= 1
    assert state["result"]["specialty"] == "Internal Medicine (Categorical)"
    page = client.http.get("/odds").text
    shown = round(100 * at_seven[0]["p_match"])
    assert (
        f"What if you rank 7 programs (your rank list's length) in Internal Medicine (Categorical): {shown}%"
        in page
    )


def _parallel(calls: list[Any]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_limits_hold_when_requests_arrive_at_once(app: Any, client: Any, make_client: Any) -> None:
    applicant = client.signup("kim@example.org")
    program = codes(app, "C", 1)[0]
    letters = [
        client.call("POST", "/api/letters", json={"writer": f"Dr {n}"}).json()["id"]
        for n in range(8)
    ]
    done = _parallel(
        [lambda n=n: client.call("PUT", f"/api/letters/{n}/programs/{program}") for n in letters]
    )
    assert sorted(r.status_code for r in done) == [200] * 4 + [422] * 4
    assert (
        sum(program in x["programs"] for x in client.http.get("/api/letters").json()["letters"])
        == 4
    )

    ten = codes(
        app,
        "C",
        10,
    )
    done = _parallel(
        [lambda c=c: client.call("POST", "/api/rank-list", json={"program_code": c}) for c in ten]
    )
    assert {r.status_code for r in done} == {201}
    assert sorted(
        e["program"]["code"] for e in client.http.get("/api/rank-list").json()["entries"]
    ) == sorted(ten)

    org = make_client()
    org.signup("place@example.org", role="advisor")
    people = [applicant["id"]]
    for n in range(5):
        other = make_client()
        people.append(other.signup(f"p{n}@example.org")["id"])
        other.call(
            "POST", "/api/shares", json={"advisor_email": "place@example.org", "password": PASSWORD}
        )
    client.call(
        "POST", "/api/shares", json={"advisor_email": "place@example.org", "password": PASSWORD}
    )
    slot = org.call("POST", "/api/slots", json={"site": "Mercy", "specialty": "IM", "start_on": "2027-01-04",
                                                "end_on": "2027-01-31", "capacity": 1}).json()["id"]  # fmt: skip
    done = _parallel(
        [lambda p=p: org.call("PUT", f"/api/slots/{slot}/applicants/{p}") for p in people]
    )
    assert sorted(r.status_code for r in done) == [200] + [422] * 5
    assert len(org.http.get("/api/slots").json()["slots"][0]["placed"]) == 1


def test_an_update_changes_only_what_it_names(app: Any, client: Any) -> None:
    client.signup("lee@example.org")
    [a] = codes(app, "C", 1)
    client.call(
        "PUT",
        f"/api/applications/{a}",
        json={"status": "interviewed", "service": "ResidencyCAS", "notes": "keep"},
    )
    got = client.call(
        "PUT", f"/api/applications/{a}", json={"dates": {"interview": "2026-12-01"}}
    ).json()["application"]
    assert (got["status"], got["service"], got["notes"]) == ("interviewed", "ResidencyCAS", "keep")
    client.http.post("/api/applications/import", content=f"Program code,Notes\n{a},new\n",
                     headers={"X-CSRF-Token": client.token, "Content-Type": "text/csv"})  # fmt: skip
    [got] = client.http.get("/api/applications").json()["applications"]
    assert (got["status"], got["service"], got["notes"]) == ("interviewed", "ResidencyCAS", "new")
    token = client.page_token("/applications")
    client.http.post(
        "/applications",
        data={"csrf_token": token, "program_code": a, "status": "ranked", "notes": ""},
    )
    [got] = client.http.get("/api/applications").json()["applications"]
    assert (got["status"], got["notes"]) == ("ranked", "new")


def test_bad_input_is_refused_with_the_field_named_never_a_500(
    app: Any, client: Any, make_client: Any
) -> None:
    client.signup("max@example.org")
    csv_headers = {"X-CSRF-Token": client.token, "Content-Type": "text/csv"}
    r = client.http.post(
        "/api/applications/import",
        content="Program code\nCaf\xe9\n".encode("latin-1"),
        headers=csv_headers,
    )
    assert r.status_code == 422
    assert "not UTF-8" in r.json()["fields"]["file"]
    r = client.http.post(
        "/api/applications/import",
        content='Program code,Notes\nX,"' + "x" * 200_000 + '"\n',
        headers=csv_headers,
    )
    assert r.status_code == 422
    assert "not readable CSV" in r.json()["fields"]["file"]
    for method, url in (("PATCH", "/api/letters/99999999999999999999"), ("GET", "/api/applications?user=9223372036854775808"),
                        ("DELETE", "/api/documents/0")):  # fmt: skip
        assert client.call(method, url, json={"status": "uploaded"}).status_code == 422, url
    assert client.http.get("/letters?user=99999999999").status_code == 422
    r = client.call("POST", "/api/documents", json={"title": "CV", "due_on": "9999-12-31"})
    assert "outside 1950-2100" in r.json()["fields"]["due_on"]
    r = client.call("POST", "/api/letters", json={"writer": "Dr \x00 Null"})
    assert "NUL" in r.json()["fields"]["writer"]
    org = make_client()
    me = org.signup("self@example.org", role="advisor")
    r = org.call("POST", "/api/slots", json={"site": "x", "specialty": "y", "start_on": "2027-01-01",
                                             "end_on": "2027-01-02", "capacity": 0})  # fmt: skip
    assert "from 1 to 100" in r.json()["fields"]["capacity"]
    slot = org.call("POST", "/api/slots", json={"site": "x", "specialty": "y", "start_on": "2027-01-01",
                                                "end_on": "2027-01-02"}).json()["id"]  # fmt: skip
    assert org.call("PUT", f"/api/slots/{slot}/applicants/{me['id']}").status_code == 422


def test_calendar_events_keep_their_ids_when_more_are_added(app: Any, client: Any) -> None:
    client.signup("ned@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    a, b = codes(app, "C", 2)
    client.call("PUT", f"/api/applications/{b}", json={"status": "applied"})
    uids = lambda: {
        str(e["UID"])
        for e in icalendar.Calendar.from_ical(client.http.get("/api/calendar.ics").content).walk(
            "VEVENT"
        )
    }
    before = uids()
    client.call(
        "PUT",
        f"/api/applications/{a}",
        json={"status": "applied", "dates": {"applied": "2026-01-02"}},
    )
    after = uids()
    assert before < after
    assert len(after - before) == 1
