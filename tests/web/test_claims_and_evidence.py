"""Program evidence on the web: the profile's specialty by default, the visa filter's counts,
claims proposed, voted on and reviewed by role, and outcomes only in cells of k = 5 or more."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imgpath.core.catalog.outcomes import K
from imgpath.services.claim_desk import ClaimDesk
from imgpath.services.open_bundle import export_bundle
from tests.web.conftest import PASSWORD, PROFILE, Client

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
H1B_PROFILE = {**PROFILE, "targets": {**PROFILE["targets"], "visa": "h1b"}}


def _search(client: Client, **params: Any) -> dict[str, Any]:
    r = client.call("GET", "/api/programs", params={"limit": 50, **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_search_keeps_the_target_specialty_and_says_so_and_lists_by_name_without_a_profile(
    client: Client,
) -> None:
    client.signup("ada@example.org")
    plain = _search(client)
    assert any("Listed by name" in n for n in plain["notes"])
    names = [p["name"] for p in plain["programs"]]
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    assert len({p["specialty"] for p in _search(client, limit=500)["programs"]}) > 1

    assert client.call("PUT", "/api/profile", json=PROFILE).status_code == 200
    found = _search(client, limit=500)
    assert any("target specialty" in n for n in found["notes"]), found["notes"]
    assert {p["specialty"] for p in found["programs"]} == {"Internal Medicine"}
    assert found["specialties"] == ["140"]
    everything = _search(client, all_specialties="true", limit=500)
    assert len({p["specialty"] for p in everything["programs"]}) > 1
    page = client.http.get("/programs").text
    assert "target specialty from your profile" in page


def test_visa_filter_changes_the_result_or_counts_the_unknown(client: Client) -> None:
    client.signup("bo@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    anyone = _search(client)
    h1b = _search(client, visa="h1b")
    counts = h1b["visa"]["h1b"]
    assert h1b["total"] == counts["evidence"]
    assert (
        counts["evidence"] + counts["unknown"] + counts["disputed"] + counts["reported_not"]
        >= h1b["total"]
    )
    assert h1b["total"] != anyone["total"] or counts["unknown"] == 0
    assert f"{counts['unknown']} unknown" in h1b["visa"]["text"]
    listing = _search(client, visa="h1b", visa_unknown="true")
    assert listing["total"] == counts["evidence"] + counts["unknown"] + counts["disputed"]
    html = client.http.get("/programs", params={"visa": "h1b"}).text
    assert f"{counts['unknown']} unknown" in html
    # Every program shown with program-level evidence carries its source and date on its page.
    florida = _search(client, state="FL", limit=200)["programs"]  # the bundled fill history
    with_evidence = next(p for p in florida if "fill_history" in p["program_evidence_kinds"])
    shown = client.call("GET", f"/api/programs/{with_evidence['code']}").json()["program_evidence"]
    facts = [
        *shown["fill_history"],
        *shown["acgme"],
        *([shown["h1b_filings"]] if shown["h1b_filings"] else []),
    ]
    assert facts
    assert all(f["source"] and f["as_of"] for f in facts)
    page = client.http.get(f"/programs/{with_evidence['code']}").text
    assert all(f["source"] in page and str(f["as_of"]) in page for f in facts)


def _roles(app: Any) -> tuple[Client, Client, Client]:
    advisor, reviewer, applicant = Client(app), Client(app), Client(app)
    advisor.signup("adv@example.org", role="advisor")
    reviewer.signup("rev@example.org", role="advisor")
    applicant.signup("app@example.org")
    desk = ClaimDesk(app.state.workspace.catalog, app.state.workspace.store)
    assert desk.appoint("rev@example.org", by="test", now=NOW)["appointed"] is True
    assert applicant.call("PUT", "/api/profile", json=H1B_PROFILE).status_code == 200
    return advisor, reviewer, applicant


CLAIM = {"field": "h1b_sponsor", "value": "yes", "kind": "reported",
         "source": "https://example.org/gme/visas", "as_of": "2026-10-01"}  # fmt: skip


def test_claims_by_role_proposed_voted_reviewed_and_in_the_fit(app: Any) -> None:
    advisor, reviewer, applicant = _roles(app)
    code = _search(applicant)["programs"][0]["code"]
    before = applicant.call("GET", f"/api/programs/{code}").json()["fit"]

    # Who may do what.
    assert applicant.call("POST", f"/api/programs/{code}/claims", json=CLAIM).status_code == 403
    bad = advisor.call("POST", f"/api/programs/{code}/claims", json={**CLAIM, "source": "a friend"})
    assert bad.status_code == 422
    assert "source" in bad.json()["fields"]
    made = advisor.call("POST", f"/api/programs/{code}/claims", json=CLAIM)
    assert made.status_code == 201, made.text
    claim = made.json()
    assert claim["status"] == "pending"
    assert (
        advisor.call(
            "POST", f"/api/claims/{claim['id']}/review", json={"decision": "accept"}
        ).status_code
        == 403
    )
    assert advisor.call("GET", "/api/claims/pending").status_code == 403
    assert [c["id"] for c in reviewer.call("GET", "/api/claims/pending").json()["pending"]] == [
        claim["id"]
    ]
    # Pending: shown, not in the fit.
    pending = applicant.call("GET", f"/api/programs/{code}").json()["fit"]
    used = ("score", "confidence", "program_facts_known", "program_evidence")
    assert {k: pending[k] for k in used} == {k: before[k] for k in used}

    voted = applicant.call("POST", f"/api/claims/{claim['id']}/vote", json={"vote": "confirm"})
    assert voted.status_code == 200
    assert voted.json()["confirmations"] == 1
    flag = reviewer.call("POST", f"/api/claims/{claim['id']}/review", json={"decision": "flag"})
    assert flag.status_code == 422
    assert "note" in flag.json()["fields"]
    accepted = reviewer.call(
        "POST", f"/api/claims/{claim['id']}/review", json={"decision": "accept"}
    )
    assert accepted.json()["status"] == "accepted"

    after = applicant.call("GET", f"/api/programs/{code}").json()
    assert {k: after["fit"][k] for k in used} != {k: before[k] for k in used}
    assert "claims" in after["program_evidence_kinds"]
    assert any(
        CLAIM["source"] in t["source"] or CLAIM["source"] in t["text"]
        for t in after["fit"]["terms"]
    ), after["fit"]["terms"]
    page = applicant.http.get(f"/programs/{code}").text
    assert "reviewed: used in the fit" in page
    assert CLAIM["source"] in page
    assert "2026-10-01" in page

    # A reviewer's own claim needs another reviewer.
    own = reviewer.call(
        "POST", f"/api/programs/{code}/claims", json={**CLAIM, "value": "no"}
    ).json()
    assert (
        reviewer.call(
            "POST", f"/api/claims/{own['id']}/review", json={"decision": "accept"}
        ).status_code
        == 403
    )

    # Deleting the applicant's account removes the vote from every count.
    shown = reviewer.call("GET", f"/api/programs/{code}/claims").json()["claims"]
    assert [c["confirmations"] for c in shown if c["id"] == claim["id"]] == [1]
    assert "Confirmed by 1, disputed by 0" in reviewer.http.get(f"/programs/{code}").text
    r = applicant.call("DELETE", "/api/account", json={"password": PASSWORD})
    assert r.status_code == 200, r.text
    shown = reviewer.call("GET", f"/api/programs/{code}/claims").json()["claims"]
    assert [c["confirmations"] for c in shown if c["id"] == claim["id"]] == [0]
    assert "Confirmed by 1" not in reviewer.http.get(f"/programs/{code}").text


def _applicants(app: Any, count: int, start: int = 0) -> list[tuple[Client, int]]:
    out = []
    for i in range(start, start + count):
        c = Client(app)
        me = c.signup(f"p{i}@example.org")
        out.append((c, int(me["id"])))
    return out


def _everywhere(app: Any, viewer: Client, code: str, tmp_path: Path) -> str:
    """Everything a person or an organisation can read about the program: pages, API, exports."""
    parts = [viewer.http.get(f"/programs/{code}").text,
             viewer.call("GET", f"/api/programs/{code}").text,
             viewer.call("GET", "/api/programs", params={"q": code, "all_specialties": "true"}).text,
             viewer.call("GET", "/api/export").text]  # fmt: skip
    bundle = tmp_path / f"bundle-{len(list(tmp_path.iterdir()))}.zip"
    export_bundle(app.state.workspace.catalog, bundle, licence="CC-BY-4.0", publisher="t", now=NOW)
    with zipfile.ZipFile(bundle) as z:
        parts += [z.read(n).decode() for n in z.namelist()]
    return "\n".join(parts)


def _share(client: Client, code: str, stage: str) -> None:
    r = client.call(
        "PUT", "/api/outcomes/consent", json={"applicant_kind": "non_us_img", "needs_visa": "yes"}
    )
    assert r.status_code == 200, r.text
    r = client.call(
        "POST", "/api/outcomes", json={"program_code": code, "match_year": 2026, "stage": stage}
    )
    assert r.status_code == 200, r.text
    assert [(x["program_code"], x["stage"]) for x in r.json()["shared"]] == [(code, stage)]


def test_no_outcome_group_below_k_reaches_a_page_the_api_or_an_export(
    app: Any, tmp_path: Path
) -> None:
    code = app.state.workspace.catalog.programs[0].code
    people = _applicants(app, K - 1)
    for client, _ in people:
        _share(client, code, "interviewed")
    viewer = people[0][0]
    seen = _everywhere(app, viewer, code, tmp_path)
    assert "imgpath users" not in seen
    assert viewer.call("GET", f"/api/programs/{code}").json()["program_evidence"]["outcomes"] == []
    # Nobody reads another person's records: the API answers with one's own only.
    assert [
        r["program_code"] for r in people[1][0].call("GET", "/api/outcomes").json()["shared"]
    ] == [code]

    fifth = _applicants(app, 1, start=K)[0][0]
    _share(fifth, code, "applied")
    cells = viewer.call("GET", f"/api/programs/{code}").json()["program_evidence"]["outcomes"]
    assert [c["people"] for c in cells] == [K]
    assert "imgpath users" in viewer.http.get(f"/programs/{code}").text
    # Within a cell, a stage reached by fewer than K people is not given as a number.
    assert all(
        not isinstance(n, int) or n == 0 or n >= K for c in cells for n in c["stages"].values()
    )

    # Opting out takes the group below k: it disappears everywhere at once.
    assert fifth.call("DELETE", "/api/outcomes/consent").json() == {"deleted": 1}
    assert "imgpath users" not in _everywhere(app, viewer, code, tmp_path)
    # Back to five, then one account is deleted: the same.
    _share(fifth, code, "applied")
    assert viewer.call("GET", f"/api/programs/{code}").json()["program_evidence"]["outcomes"] != []
    gone = people[-1][0]
    assert gone.call("DELETE", "/api/account", json={"password": PASSWORD}).status_code == 200
    assert "imgpath users" not in _everywhere(app, viewer, code, tmp_path)
    assert viewer.call("GET", f"/api/programs/{code}").json()["program_evidence"]["outcomes"] == []


def test_outcome_sharing_is_for_applicants_and_names_bad_fields(app: Any) -> None:
    advisor = Client(app)
    advisor.signup("adv2@example.org", role="advisor")
    assert advisor.call("GET", "/api/outcomes").status_code == 403
    assert advisor.http.get("/outcomes").status_code == 403
    applicant = Client(app)
    applicant.signup("sharer@example.org")
    r = applicant.call(
        "POST",
        "/api/outcomes",
        json={"program_code": "1414140C0", "match_year": 2026, "stage": "applied"},
    )
    assert r.status_code == 422
    assert "opt in" in r.json()["message"]
    applicant.call(
        "PUT", "/api/outcomes/consent", json={"applicant_kind": "non_us_img", "needs_visa": "yes"}
    )
    r = applicant.call(
        "POST", "/api/outcomes", json={"program_code": "NOPE", "match_year": 2026, "stage": "won"}
    )
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"program_code", "stage"}
    token = applicant.page_token("/outcomes")
    page = applicant.http.post("/outcomes", data={"csrf_token": token, "program_code": "1414140C0",
                                                  "match_year": "next", "stage": "applied"})  # fmt: skip
    assert page.status_code == 422
    assert "match year" in page.text
    assert 'aria-invalid="true"' in page.text
