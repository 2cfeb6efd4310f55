"""Requests for a rotation's places against an obviously-correct reference (a dict of statuses),
on random sequences of requests, decisions, withdrawals and completions (Hypothesis): the same
statuses, the same refusals, and never more places held than the rotation has."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgpath.errors import NotFoundError
from imgpath.services.inputs import FormError
from tests.web.conftest import TODAY

PLACES = 1
HOLD = ("accepted", "placed", "completed")
MOVES = {  # action: (statuses it applies to, status after)
    "accept": (("requested",), "accepted"),
    "decline": (("requested", "accepted"), "declined"),
    "place": (("requested", "accepted"), "placed"),
    "complete": (("placed",), "completed"),
    "withdraw": (("requested", "accepted", "placed"), "withdrawn"),
}


def test_request_decisions_match_the_reference(app: Any, client: Any, make_client: Any) -> None:
    client.signup("ref-org@example.org", role="organisation")
    client.call("PUT", "/api/organisation", json={"name": "Reference Org"})
    accounts, orgs = app.state.accounts, app.state.organisations
    me = lambda c: accounts.get(c.http.get("/api/me").json()["account"]["id"])
    org = me(client)
    people = []
    for n in range(3):
        applicant = make_client()
        applicant.signup(f"ref{n}@example.org")
        people.append(me(applicant))
    values = {"specialty": "IM", "site": "Mercy", "setting": "inpatient", "kind": "hands_on", "weeks": 4,
              "start_on": date(2026, 10, 26), "end_on": TODAY, "cost": None, "places": PLACES,
              "letter_needs": "", "open": True, "user_id": org.id}  # fmt: skip
    op = st.tuples(st.sampled_from(["request", *MOVES]), st.integers(0, 2))

    @given(st.lists(op, min_size=4, max_size=16))
    @settings(
        max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def run(ops: list[tuple[str, int]]) -> None:
        rotation = orgs.store.add_rotation({**values, "created_at": datetime.now(UTC)})
        ids: dict[int, int] = {}
        status: dict[int, str] = {}
        for action, who in ops:
            if action == "request":
                expected = "ok" if status.get(who) in (None, "withdrawn") else "refused"
                try:
                    ids[who] = orgs.request_place(people[who], rotation, {})
                    got = "ok"
                except FormError:
                    got = "refused"
                if expected == "ok":
                    status[who] = "requested"
            elif who not in ids:
                continue
            else:
                allowed, after = MOVES[action]
                held = sum(s in HOLD for s in status.values())
                expected = "ok" if status[who] in allowed else "refused"
                if (
                    expected == "ok"
                    and after in HOLD
                    and status[who] not in HOLD
                    and held >= PLACES
                ):
                    expected = "refused"
                try:
                    if action == "withdraw":
                        orgs.withdraw(people[who], ids[who])
                    elif action == "complete":
                        orgs.complete(org, ids[who], {"completed_on": TODAY.isoformat()}, on=TODAY)
                    else:
                        getattr(orgs, action)(org, ids[who])
                    got = "ok"
                except FormError:
                    got = "refused"
                if expected == "ok":
                    status[who] = after
            assert got == expected, (action, who, status)
            assert sum(s in HOLD for s in status.values()) <= PLACES
        shown = {q["applicant"]["id"]: q["status"] for q in _requests(orgs, org, rotation)}
        assert shown == {people[w].id: s for w, s in status.items()}
        for who, request_id in ids.items():  # nobody withdraws another applicant's request
            with pytest.raises(NotFoundError):
                orgs.withdraw(people[(who + 1) % len(people)], request_id)

    run()


def _requests(orgs: Any, org: Any, rotation: int) -> list[dict[str, Any]]:
    return next(r["requests"] for r in orgs.dashboard(org)["rotations"] if r["id"] == rotation)
