"""The REST API on SQLite and PostgreSQL: accounts, profile, pathway, programs, odds, export."""

from __future__ import annotations

import time
from typing import Any

import pytest

from imgpath.market import DEFAULT_APPLICATIONS
from tests.web.conftest import PASSWORD, PROFILE, Client


def test_sign_up_profile_pathway_programs_save_export(client: Any) -> None:
    me = client.signup("ada@example.org")
    assert me["role"] == "applicant"
    r = client.call("PUT", "/api/profile", json=PROFILE)
    assert r.status_code == 200, r.text
    pathway = client.call("GET", "/api/pathway").json()
    assert pathway["img"]["kind"] == "non_us_img"
    assert {s["id"] for s in pathway["steps"]} >= {"usmle_step1", "ecfmg_certificate", "nrmp_match"}
    found = client.call(
        "GET", "/api/programs", params={"specialty": "internal medicine", "state": "NY", "limit": 5}
    ).json()
    assert found["total"] > 50
    assert len(found["programs"]) == 5
    assert all(p["fit"]["terms"] for p in found["programs"])
    code = found["programs"][0]["code"]
    assert client.call("PUT", f"/api/saved/{code}", json={"note": "first"}).json()["added"] is True
    assert [s["code"] for s in client.call("GET", "/api/saved").json()["saved"]] == [code]
    export = client.call("GET", "/api/export").json()
    assert export["account"]["email"] == "ada@example.org"
    assert export["profile"] == PROFILE
    assert export["saved_programs"][0]["note"] == "first"


def test_bad_profile_is_refused_with_the_field_named_and_nothing_saved(client: Any) -> None:
    client.signup("bo@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    bad = {
        **PROFILE,
        "exams": {"step2ck": [{"date": "2027-05-01", "result": "pass", "score": 244}]},
    }
    r = client.call("PUT", "/api/profile", json=bad)
    assert r.status_code == 422
    assert "exams.step2ck[0].date" in r.json()["fields"]
    assert client.call("GET", "/api/profile").json()["profile"] == PROFILE


def test_bad_signup_and_unknown_program(client: Any) -> None:
    r = client.http.post("/api/signup", json={"email": "nope", "password": "short", "role": "boss"})
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"email", "password", "role"}
    client.signup("cy@example.org")
    fresh = client.http.post(
        "/api/signup", json={"email": "new@example.org", "password": "long-password-1"}
    )
    r = client.http.post(
        "/api/signup", json={"email": "CY@example.org", "password": "long-password-1"}
    )
    assert r.status_code == fresh.status_code == 202  # the same answer: no account enumeration
    assert r.json() == fresh.json()
    r = client.call("PUT", "/api/saved/NOPE00000", json={})
    assert r.status_code == 404
    r = client.call("GET", "/api/programs", params={"state": "ZZ"})
    assert r.status_code == 422
    assert "state" in r.json()["fields"]


def test_unknown_addresses_and_bad_query_values_get_a_page_not_a_traceback(client: Any) -> None:
    r = client.http.get("/no-such-page")
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "There is no page at this address" in r.text
    assert client.http.get("/api/no-such-route").json() == {
        "error": "NotFoundError",
        "message": "There is no page at this address.",
        "fields": {},
    }
    client.signup("dee@example.org")
    r = client.http.get("/programs", params={"offset": "ten"})
    assert r.status_code == 422
    assert "text/html" in r.headers["content-type"]
    assert "offset" in r.text
    r = client.http.get("/api/programs", params={"limit": "ten"})
    assert r.status_code == 422
    assert set(r.json()) == {"error", "message", "fields"}
    assert "limit" in r.json()["fields"]


def test_sign_in_is_rate_limited(client: Any) -> None:
    client.signup("di@example.org")
    client.call("POST", "/api/signout")
    for _ in range(3):
        assert (
            client.http.post(
                "/api/signin", json={"email": "di@example.org", "password": "wrong-password"}
            ).status_code
            == 401
        )
    r = client.http.post(
        "/api/signin", json={"email": "di@example.org", "password": "long-password-1"}
    )
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0


def test_changes_need_the_csrf_token(client: Any) -> None:
    client.signup("ed@example.org")
    r = client.http.put("/api/profile", json=PROFILE)
    assert r.status_code == 403
    assert "CSRF" in r.json()["message"]
    r = client.http.post("/profile", data={"school.country": "NG"})
    assert r.status_code == 403


def test_odds_run_in_the_background_with_progress(client: Any) -> None:
    client.signup("fa@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    job = client.call("POST", "/api/odds", json={"specialty": "internal medicine"}).json()["job"]
    for _ in range(240):
        state = client.call("GET", f"/api/odds/{job}").json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert state["status"] == "done", state
    assert state["done"] == state["total"] == 2
    result = state["result"]
    assert result["model_year"] == 2026
    assert result["specialty"] == "Internal Medicine (Categorical)"
    assert result["person"]["type"] == "non_us_img"
    rows = result["rows"]
    assert [r["applications"] for r in rows] == list(DEFAULT_APPLICATIONS)
    chances = [r["p_match"] for r in rows]
    interviews = [r["interviews"] for r in rows]
    assert chances == sorted(chances)
    assert chances[-1] > chances[0]
    assert interviews == sorted(interviews)
    assert interviews[-1] > interviews[0]
    for r in rows:
        assert r["interviews_range"][0] <= r["interviews"] <= r["interviews_range"][1]
        assert r["p_match_range"][0] <= r["p_match"] <= r["p_match_range"][1]
    assert rows[0]["eras_fee_usd"] == 110.0  # 10 programs at $11 (ERAS 2026 fees)
    assert result["national"]["published"] == pytest.approx(0.564)  # NRMP 2026, non-US IMGs
    assert result["national"]["source"]
    assert result["not_modelled"]
    assert result["assumptions"]
    assert all(f["grade"] in "HMLU" and f["source"] for f in result["figures"])
    assert "10 applications:" in result["description"]
    assert client.call("GET", f"/api/odds/{job}/plot.png").content[:4] == b"\x89PNG"
    schema = client.http.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"OddsJobOut", "OddsAnswerOut", "OddsFunnelRow"} <= set(schema)


def test_an_unknown_specialty_is_refused_naming_the_field(client: Any) -> None:
    client.signup("sp@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    r = client.call("POST", "/api/odds", json={"specialty": "astrology"})
    assert r.status_code == 422, r.text
    assert "no specialty matches 'astrology'" in r.json()["fields"]["specialty"]
    assert not r.json()["fields"]["specialty"].startswith("specialty:"), r.text  # said once


def test_delete_account_removes_everything(client: Any, make_client: Any) -> None:
    client.signup("gi@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    client.call(
        "POST", "/api/shares", json={"advisor_email": "adv@example.org", "password": PASSWORD}
    )
    r = client.call("DELETE", "/api/account", json={"password": "not-my-password"})
    assert r.status_code == 422
    assert "password" in r.json()["fields"]
    assert client.call("DELETE", "/api/account", json={"password": PASSWORD}).status_code == 200
    assert client.call("GET", "/api/me").status_code == 401
    advisor = make_client()
    advisor.signup("adv@example.org", role="advisor")
    assert advisor.call("GET", "/api/cohort").json()["applicants"] == []


def test_profile_from_yaml_with_dates_is_saved_through_the_page(client: Any) -> None:
    client.signup("ha@example.org")
    token = client.page_token("/profile")
    text = "school:\n  country: NG\n  graduation_date: 2022-07-15\ncitizenships: [NG]\n"
    r = client.http.post("/profile", data={"csrf_token": token, "yaml": text})
    assert r.status_code == 200, r.text
    assert (
        client.call("GET", "/api/profile").json()["profile"]["school"]["graduation_date"]
        == "2022-07-15"
    )


def test_the_demo_applicant_is_created_once_with_a_profile_and_a_saved_program(app: Any) -> None:
    from imgpath.services.workspace.demo_account import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo
    from tests.web.conftest import TODAY

    for _ in range(2):
        ensure_demo(app.state.accounts, app.state.workspace, on=TODAY, tracker=app.state.tracker)
    demo = app.state.accounts.sign_in(email=DEMO_EMAIL, password=DEMO_PASSWORD)
    assert app.state.workspace.profile(demo)["school"]["graduation_date"] == "2022-07-15"
    assert [s["code"] for s in app.state.workspace.saved(demo)] == ["1414140C0"]
    tracker = app.state.tracker
    assert [(a["program_code"], a["status"]) for a in tracker.applications(demo)] == [
        ("1414140C0", "applied")
    ]
    assert [x["programs"] for x in tracker.letters(demo)] == [["1414140C0"], []]
    assert [d["done"] for d in tracker.documents(demo)] == [True, False]
    assert tracker.rank_list(demo, on=TODAY)["length"] == 1


def test_a_restart_loses_no_odds_run(
    app: Any, client: Any, database: str, settings_for: Any
) -> None:
    """A run queued while no worker runs is done by the next server process's worker."""
    from imgpath.web.app import create_app
    from tests.web.conftest import TODAY

    client.signup("ro@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    app.state.close()  # the server (and its worker) stops ...
    stopped = create_app(settings_for(database), today=TODAY, start_worker=False)
    waiting = Client(stopped)
    waiting.signin("ro@example.org")
    job = waiting.call("POST", "/api/odds", json={"specialty": ""}).json()["job"]
    time.sleep(1.5)
    assert waiting.call("GET", f"/api/odds/{job}").json()["status"] == "queued"
    stopped.state.close()
    again = create_app(settings_for(database), today=TODAY)  # ... and a new one starts
    try:
        reader = Client(again)
        reader.signin("ro@example.org")
        for _ in range(240):
            state = reader.call("GET", f"/api/odds/{job}").json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert state["status"] == "done", state
    finally:
        again.state.close()
