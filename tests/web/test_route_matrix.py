"""The authorization matrix over every route of the app (accounts, workspace, tracker, docs):
each route is classified below, and the last test fails when a route is added without being
classified.  Signed out, nothing personal is reached; another person's ids and ``?user=``
reach nothing; account routes act only on the signed-in account.  (Tracker routes are also
covered record by record in test_tracker_authorization.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from imgpath.web import (
    api,
    api_accounts,
    api_claims,
    api_couples,
    api_organisations,
    api_tracker,
    docs,
    pages,
    pages_accounts,
    pages_claims,
    pages_couples,
    pages_front,
    pages_organisations,
    pages_outcomes,
    pages_pathway,
    pages_support,
    pages_tracker,
)
from tests.web.conftest import PASSWORD, PROFILE

MODULES = (api, api_accounts, api_tracker, api_claims, docs, pages, pages_accounts, pages_tracker, pages_front,
           pages_pathway, pages_support, api_organisations, api_couples, pages_organisations, pages_couples,
           pages_claims, pages_outcomes)  # fmt: skip
PUBLIC = {  # anyone, signed in or not: nothing personal is shown
    ("POST", "/api/signup"), ("POST", "/api/verify"), ("POST", "/api/signin"), ("POST", "/api/password/forgot"),
    ("POST", "/api/password/reset"), ("POST", "/api/email/confirm"), ("GET", "/api/docs"), ("GET", "/"),
    ("GET", "/signup"), ("POST", "/signup"), ("GET", "/verify"), ("POST", "/verify"), ("GET", "/signin"),
    ("POST", "/signin"), ("POST", "/signout"), ("GET", "/forgot"), ("POST", "/forgot"), ("GET", "/reset"),
    ("POST", "/reset"), ("GET", "/email/confirm"), ("POST", "/email/confirm"), ("GET", "/about"), ("GET", "/guides"),
    ("GET", "/docs/{section}/{name}"), ("GET", "/docs/{section}/images/{name}"), ("GET", "/rules/{rule_id}"), ("GET", "/rules"),
    # organisations' rotations: listings only (see test_organisation_authorization.py)
    ("GET", "/api/claims/fields"), ("GET", "/api/usce"), ("GET", "/api/organisations/{org_id}"), ("GET", "/usce"), ("GET", "/organisations/{org_id}"),
}  # fmt: skip
SHARED_READS = {  # an advisor may add ?user=ID of an applicant who shared; nobody else may
    "/api/profile", "/api/pathway", "/api/programs", "/api/saved", "/profile", "/pathway", "/programs", "/odds",
    "/api/applications", "/api/applications.csv", "/api/costs", "/api/letters", "/api/documents", "/api/rotations",
    "/api/rank-list", "/api/timeline", "/api/calendar.ics", "/applications", "/applications.csv", "/letters",
    "/rotations", "/rank-list", "/timeline", "/calendar.ics", "/support",
}  # fmt: skip


def all_routes() -> set[tuple[str, str]]:
    return {
        (m, r.path)
        for module in MODULES
        for router in (module.router, getattr(module, "api", None))
        if router is not None
        for r in router.routes
        for m in (r.methods or set()) - {"HEAD"}
    }


def _fill(path: str) -> str:
    for name in ("letter_id", "doc_id", "rotation_id", "slot_id", "applicant_id", "share_id", "request_id",
                 "couple_id", "rank", "org_id", "claim_id"):  # fmt: skip
        path = path.replace("{" + name + "}", "1")
    return path.replace("{code}", "1414140C0").replace("{job}", "0" * 32)


def test_signed_out_reaches_nothing_personal(client: Any) -> None:
    for method, path in sorted(all_routes() - PUBLIC):
        r = client.http.request(method, _fill(path), follow_redirects=False,
                                json={} if method != "GET" else None)  # fmt: skip
        if method == "GET" and not path.startswith("/api"):
            assert (r.status_code, r.headers.get("location")) == (303, "/signin"), path
        else:
            assert r.status_code in (401, 403), (method, path, r.status_code)


@pytest.fixture
def people(client: Any, make_client: Any) -> dict[str, Any]:
    """An applicant who shares with a verified advisor, another applicant, an unrelated advisor."""
    owner = client.signup("owner@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    advisor = make_client()
    advisor.signup("adv@example.org", role="advisor")
    client.call(
        "POST", "/api/shares", json={"advisor_email": "adv@example.org", "password": PASSWORD}
    )
    stranger = make_client()
    stranger.signup("stranger@example.org")
    outsider = make_client()
    outsider.signup("outsider@example.org", role="advisor")
    return {
        "owner": client,
        "owner_id": owner["id"],
        "advisor": advisor,
        "stranger": stranger,
        "outsider": outsider,
    }


def test_shared_reads_reach_only_the_advisor_shared_with(people: dict[str, Any]) -> None:
    user = {"user": people["owner_id"]}
    for path in sorted(SHARED_READS):
        assert people["advisor"].http.get(path, params=user).status_code == 200, path
        for who in ("stranger", "outsider"):
            assert people[who].http.get(path, params=user).status_code == 403, (who, path)


def test_account_routes_act_only_on_the_signed_in_account(people: dict[str, Any]) -> None:
    stranger, owner = people["stranger"], people["owner"]
    [share] = owner.call("GET", "/api/shares").json()["shares"]
    assert stranger.call("DELETE", f"/api/shares/{share['id']}").status_code == 404
    assert stranger.call("GET", "/api/shares").json()["shares"] == []
    assert all(s["current"] for s in stranger.call("GET", "/api/sessions").json()["sessions"])
    assert stranger.call("GET", "/api/export").json()["account"]["email"] == "stranger@example.org"
    for body in ({"password": PASSWORD},):
        assert stranger.call("POST", "/api/signout-everywhere", json=body).status_code == 200
    assert owner.call("GET", "/api/me").status_code == 200  # the owner's sessions are untouched
    assert people["advisor"].call("GET", "/api/me").status_code == 200


def test_every_route_is_classified_here() -> None:
    from tests.web.test_organisation_authorization import APPLICANT, ORGANISATION, SIGNED_IN
    from tests.web.test_tracker_authorization import ADVISOR_ONLY, READS

    classified = {path for _, path in PUBLIC} | SHARED_READS | set(READS) | set(ADVISOR_ONLY)
    classified |= {path for _, path in ORGANISATION + APPLICANT + SIGNED_IN}  # role by role, there
    classified |= {  # by role (advisor/organisation propose, applicant votes, reviewer reviews):
        # test_claims_and_evidence.py checks each refusal
        "/api/claims/pending", "/api/claims/{claim_id}/review", "/api/claims/{claim_id}/vote",
        "/api/programs/{code}/claims", "/claims", "/claims/{claim_id}/review", "/claims/{claim_id}/vote",
        "/programs/{code}/claims",
        # the applicant's own outcome sharing (no ids of others): test_claims_and_evidence.py
        "/outcomes", "/outcomes/consent", "/outcomes/opt-out", "/outcomes/{code}/{year}/withdraw",
        "/api/outcomes", "/api/outcomes/consent", "/api/outcomes/{code}/{year}",
    }  # fmt: skip
    own = {  # the signed-in account's own things (no ids of others are accepted: see above)
        "/api/signout", "/api/signout-everywhere", "/api/me", "/api/sessions", "/api/password", "/api/email",
        "/api/account", "/api/profile", "/api/programs/{code}", "/api/saved/{code}", "/api/shares",
        "/api/shares/{share_id}", "/api/cohort", "/api/odds", "/api/odds/{job}", "/api/odds/{job}/plot.png",
        "/api/export", "/signout-everywhere", "/account", "/account/settings", "/account/password",
        "/account/email", "/account/share", "/account/shares/{share_id}/revoke", "/account/export.json",
        "/account/delete", "/programs/{code}", "/programs/{code}/save", "/programs/{code}/unsave",
        "/odds/jobs/{job}", "/odds/jobs/{job}/plot.png", "/pathway/answer",
        "/api/verify/send", "/account/verify-email",  # a link to the account's own address
    }  # fmt: skip
    tracker = {r.path for module in (api_tracker, pages_tracker) for r in module.router.routes}
    missing = {path for _, path in all_routes()} - classified - own - tracker
    assert missing == set(), f"classify these routes in test_route_matrix.py: {sorted(missing)}"
