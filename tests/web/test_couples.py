"""Couples' rank lists through the API, on SQLite and PostgreSQL (NRMP R3's rules: pairs of
equal-length lists, No Match on one side, no repeated pair, 300 pairs at most, each partner
certifies), the invitation that links two accounts, and programs found by name."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from imgpath.services.workspace.couples import MAX_PAIRS, NO_MATCH_CODE
from imgpath.web.pages_couples import PICK_LIMIT
from tests.web.conftest import PASSWORD


def codes(app: Any, n: int) -> list[str]:
    return [p.code for p in app.state.workspace.catalog.programs if p.track_type == "C"][:n]


@pytest.fixture
def couple(client: Any, make_client: Any) -> tuple[Any, Any]:
    """Two applicants linked by an invitation (Ada invited Ben, who accepted)."""
    client.signup("ada@example.org")
    ben = make_client()
    ben.signup("ben@example.org")
    r = client.call(
        "POST",
        "/api/couple/invite",
        json={"partner_email": "Ben@Example.org", "password": PASSWORD},
    )
    assert r.status_code == 201, r.text
    [invitation] = ben.http.get("/api/couple").json()["invitations"]
    assert ben.call("POST", f"/api/couple/invitations/{invitation['id']}/accept").status_code == 200
    return client, ben


def test_a_pair_list_is_shared_and_each_partner_certifies(
    app: Any, couple: tuple[Any, Any]
) -> None:
    ada, ben = couple
    a, b, c = codes(app, 3)
    r = ada.call("POST", "/api/couple/pairs", json={"mine": a, "partner": b})
    assert r.status_code == 201, r.text
    ada.call("POST", "/api/couple/pairs", json={"mine": c, "partner": NO_MATCH_CODE})
    ben.call("POST", "/api/couple/pairs", json={"mine": "", "partner": a})  # Ben's side is No Match
    mine = ada.http.get("/api/couple").json()["pairs"]
    theirs = ben.http.get("/api/couple").json()["pairs"]
    assert [(e["mine"]["code"], e["partner"]["code"]) for e in mine["entries"]] == [
        (a, b),
        (c, NO_MATCH_CODE),
        (a, NO_MATCH_CODE),
    ]
    # Ben sees the same pairs from his side
    assert [(e["mine"]["code"], e["partner"]["code"]) for e in theirs["entries"]] == [
        (b, a),
        (NO_MATCH_CODE, c),
        (NO_MATCH_CODE, a),
    ]
    assert (mine["length"], mine["ranks_in_all"], mine["limit"], mine["limit_in_all"]) == (
        3,
        6,
        300,
        600,
    )
    assert mine["unique"] == {"mine": 2, "partner": 1}
    # each partner certifies their own list; any change withdraws both certifications
    assert ada.call("POST", "/api/couple/certify").status_code == 200
    assert ben.http.get("/api/couple").json()["pairs"]["certified"]["partner"] is not None
    assert ben.http.get("/api/couple").json()["pairs"]["certified"]["mine"] is None
    ben.call("POST", "/api/couple/certify")
    moved = ben.call("POST", "/api/couple/pairs/3/move", json={"to": 1})
    assert moved.status_code == 200
    assert moved.json()["certified"] == {"mine": None, "partner": None}
    assert [
        e["partner"]["code"] for e in ada.http.get("/api/couple").json()["pairs"]["entries"]
    ] == [NO_MATCH_CODE, b, NO_MATCH_CODE]
    assert ada.call("DELETE", "/api/couple/pairs/1").status_code == 200
    assert ada.call("DELETE", "/api/couple/pairs/9").status_code == 404


def test_pairs_are_checked_and_named(app: Any, couple: tuple[Any, Any]) -> None:
    ada, _ = couple
    a, b = codes(app, 2)
    both = ada.call("POST", "/api/couple/pairs", json={"mine": "No Match", "partner": ""})
    assert (both.status_code, set(both.json()["fields"])) == (422, {"pair"})
    bad = ada.call("POST", "/api/couple/pairs", json={"mine": "NOPE", "partner": "ALSO-NOT"})
    assert set(bad.json()["fields"]) == {"mine", "partner"}
    ada.call("POST", "/api/couple/pairs", json={"mine": a, "partner": b})
    twice = ada.call("POST", "/api/couple/pairs", json={"mine": a, "partner": b})
    assert twice.status_code == 422
    assert "rank 1 already" in twice.json()["fields"]["pair"]
    # the same program may appear again in another pair
    assert ada.call("POST", "/api/couple/pairs", json={"mine": a, "partner": ""}).status_code == 201
    empty_certify = ada.call("DELETE", "/api/couple/pairs/1")
    assert empty_certify.status_code == 200


def test_the_300th_pair_is_accepted_and_the_301st_refused(
    app: Any, couple: tuple[Any, Any]
) -> None:
    """NRMP: each partner at most 300 ranks, so at most 300 pairs (600 ranks in all)."""
    ada, ben = couple
    programs = codes(app, 20)
    pairs = [{"inviter": x, "partner": y} for x in programs for y in programs][: MAX_PAIRS - 1]
    store = app.state.couples.store
    couple_id = store.of(ben.http.get("/api/me").json()["account"]["id"])["id"]
    store.edit(couple_id, lambda _row: {"entries": pairs}, now=datetime.now(UTC))
    last = ada.call("POST", "/api/couple/pairs", json={"mine": programs[0], "partner": ""})
    assert last.status_code == 201, last.text
    assert last.json()["length"] == MAX_PAIRS
    over = ben.call("POST", "/api/couple/pairs", json={"mine": programs[1], "partner": ""})
    assert over.status_code == 422
    assert "301 pairs" in over.json()["fields"]["pair"]
    assert "600 ranks" in over.json()["fields"]["pair"]
    assert ada.http.get("/api/couple").json()["pairs"]["length"] == MAX_PAIRS


def test_linking_needs_the_password_and_the_partners_acceptance(
    client: Any, make_client: Any
) -> None:
    client.signup("cy@example.org")
    wrong = client.call(
        "POST",
        "/api/couple/invite",
        json={"partner_email": "di@example.org", "password": "nope-nope-1"},
    )
    assert (wrong.status_code, set(wrong.json()["fields"])) == (422, {"password"})
    own = client.call(
        "POST", "/api/couple/invite", json={"partner_email": "cy@example.org", "password": PASSWORD}
    )
    assert set(own.json()["fields"]) == {"partner_email"}
    # inviting an address without an account answers the same (no enumeration)
    assert client.call("POST", "/api/couple/invite",
                       json={"partner_email": "di@example.org", "password": PASSWORD}).status_code == 201  # fmt: skip
    assert (
        client.call("POST", "/api/couple/pairs", json={"mine": "", "partner": ""}).status_code
        == 422
    )
    di, eve, adv = make_client(), make_client(), make_client()
    di.signup("di@example.org")
    eve.signup("eve@example.org")
    adv.signup("adv@example.org", role="advisor")
    [invitation] = di.http.get("/api/couple").json()["invitations"]
    # only the invited address may accept or decline
    assert eve.call("POST", f"/api/couple/invitations/{invitation['id']}/accept").status_code == 404
    assert (
        eve.call("POST", f"/api/couple/invitations/{invitation['id']}/decline").status_code == 404
    )
    assert adv.call("POST", f"/api/couple/invitations/{invitation['id']}/accept").status_code == 403
    assert eve.http.get("/api/couple").json() == {
        "couple": None,
        "invitations": [],
        "limit": MAX_PAIRS,
    }
    assert di.call("POST", f"/api/couple/invitations/{invitation['id']}/accept").status_code == 200
    assert "pairs" in di.http.get("/api/couple").json()
    assert "pairs" not in eve.http.get("/api/couple").json()
    assert (
        eve.call("POST", "/api/couple/pairs", json={"mine": "", "partner": ""}).status_code == 422
    )
    # either partner ends the link
    assert di.call("DELETE", "/api/couple").status_code == 200
    assert client.http.get("/api/couple").json()["couple"] is None


def test_programs_are_found_by_name(app: Any, client: Any) -> None:
    client.signup("fay@example.org")
    program = next(
        p for p in app.state.workspace.catalog.programs if p.track_type == "C" and p.state
    )
    word = max(program.institution.split(), key=len)
    r = client.http.get("/find-program", params={"q": f"{word} {program.state}", "for": "rank-list"},
                        headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200
    assert "<html" not in r.text  # a fragment for htmx
    found = re.findall(r'name="program_code" value="([^"]+)"', r.text)
    assert program.code in found or len(found) == PICK_LIMIT
    assert found
    assert all(app.state.workspace.catalog.show(c).program.state == program.state for c in found)
    assert all(
        word.lower() in app.state.workspace.catalog.show(c).program.name.lower() for c in found
    )
    by_code = client.http.get(
        "/find-program", params={"q": program.code.lower(), "for": "applications"}
    )
    assert "<html" in by_code.text
    assert program.code in by_code.text
    assert f'value="{program.code}"' in by_code.text


def test_a_partner_deleting_their_account_ends_the_couple(couple: tuple[Any, Any]) -> None:
    ada, ben = couple
    assert ben.call("DELETE", "/api/account", json={"password": PASSWORD}).status_code == 200
    assert ada.http.get("/api/couple").json()["couple"] is None
    # Ada may invite someone else now
    r = ada.call(
        "POST",
        "/api/couple/invite",
        json={"partner_email": "cal@example.org", "password": PASSWORD},
    )
    assert r.status_code == 201
