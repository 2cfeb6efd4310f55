"""The couple's pair list against an obviously-correct reference (a Python list of pairs), on
random sequences of adds, moves and removals by either partner (Hypothesis): the same pairs in
the same order, the same refusals, and certifications withdrawn by every change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgpath.errors import NotFoundError
from imgpath.services.inputs import FormError
from tests.web.conftest import PASSWORD

SIDES = ("inviter", "partner")


def _reference_add(pairs: list[tuple[Any, Any]], who: int, mine: Any, theirs: Any) -> str:
    pair = (mine, theirs) if who == 0 else (theirs, mine)  # stored as (inviter, partner)
    if mine is None and theirs is None:
        return "refused"
    if pair in pairs:
        return "refused"
    pairs.append(pair)
    return "ok"


def test_pair_edits_match_the_reference(app: Any, client: Any, make_client: Any) -> None:
    client.signup("ref-a@example.org")
    partner = make_client()
    partner.signup("ref-b@example.org")
    client.call(
        "POST",
        "/api/couple/invite",
        json={"partner_email": "ref-b@example.org", "password": PASSWORD},
    )
    invitation = partner.http.get("/api/couple").json()["invitations"][0]["id"]
    partner.call("POST", f"/api/couple/invitations/{invitation}/accept")
    accounts = app.state.accounts
    people = [
        accounts.get(c.http.get("/api/me").json()["account"]["id"]) for c in (client, partner)
    ]
    couples = app.state.couples
    couple_id = couples.store.of(people[0].id)["id"]
    programs = [p.code for p in app.state.workspace.catalog.programs if p.track_type == "C"][:3]
    choice = st.sampled_from([None, *programs])
    op = st.one_of(
        st.tuples(st.just("add"), st.integers(0, 1), choice, choice),
        st.tuples(st.just("move"), st.integers(0, 1), st.integers(0, 6), st.integers(-1, 7)),
        st.tuples(st.just("remove"), st.integers(0, 1), st.integers(0, 6), st.just(0)),
        st.tuples(st.just("certify"), st.integers(0, 1), st.just(0), st.just(0)),
    )

    @given(st.lists(op, max_size=12))
    @settings(
        max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def run(ops: list[tuple[Any, ...]]) -> None:
        couples.store.edit(couple_id, lambda _r: {"entries": [], "inviter_certified_at": None,
                                                  "partner_certified_at": None}, now=datetime.now(UTC))  # fmt: skip
        pairs: list[tuple[Any, Any]] = []
        certified = [False, False]
        for name, who, a, b in ops:
            me = people[who]
            if name == "add":
                expected = _reference_add(pairs, who, a, b)
                try:
                    couples.add_pair(me, a or "", b or "")
                    got = "ok"
                except FormError:
                    got = "refused"
            elif name == "move":
                expected = "ok" if 1 <= a <= len(pairs) else "missing"
                if expected == "ok":
                    moved = pairs.pop(a - 1)
                    pairs.insert(min(max(b, 1), len(pairs) + 1) - 1, moved)
                try:
                    couples.move_pair(me, a, b)
                    got = "ok"
                except NotFoundError:
                    got = "missing"
            elif name == "remove":
                expected = "ok" if 1 <= a <= len(pairs) else "missing"
                if expected == "ok":
                    del pairs[a - 1]
                try:
                    couples.remove_pair(me, a)
                    got = "ok"
                except NotFoundError:
                    got = "missing"
            else:
                expected = "ok" if pairs else "refused"
                try:
                    couples.certify(me)
                    got = "ok"
                except FormError:
                    got = "refused"
            assert got == expected, (name, who, a, b)
            if name == "certify" and got == "ok":
                certified[who] = True
            elif got == "ok":
                certified = [False, False]
            for viewer in (0, 1):
                shown = couples.pairs(people[viewer])
                mine_side = [(e["mine"]["code"], e["partner"]["code"]) for e in shown["entries"]]
                want = [((x, y) if viewer == 0 else (y, x)) for x, y in pairs]
                assert mine_side == [(x or "999999999", y or "999999999") for x, y in want]
                assert [shown["certified"]["mine"] is not None, shown["certified"]["partner"] is not None] == (
                    certified if viewer == 0 else certified[::-1])  # fmt: skip

    run()
