"""The Match cases handed over by the exact audit (tests/unit/match_cases/README.md), with their
right answers: the couple rule, proof before "none", explanations and the count of problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from imgpath.errors import InvalidInstanceError
from imgpath.match import Instance, explain, solve
from tests.reference.brute import stable_matchings
from tests.reference.definitions import as_matching, assert_engine_audit_agrees

CASES = Path(__file__).parent / "match_cases"


def case(name: str) -> dict[str, Any]:
    text = (CASES / name).read_text(encoding="utf-8")
    return yaml.safe_load(text) if name.endswith(".yaml") else json.loads(text)


def test_seat_swap_7_the_one_stable_matching_is_returned() -> None:
    """Under the published couple rule exactly one matching is stable (brute force); the engine
    used to move the couple away from it by a "seat swap" and then report none."""
    doc = case("couple-seat-swap-7.json")
    stable = stable_matchings(doc)
    assert len(stable) == 1
    result = solve(Instance.from_dict(doc))
    assert result.stable
    assert result.stable_exists is True
    assert as_matching(doc, result) == stable[0]
    assert result.matches["MD000051"] == "IM00013C"
    assert result.matches["MD000038"] == "IM00014C"
    assert_engine_audit_agrees(doc, result)


def test_a_partner_s_seat_is_never_free_for_the_other_partner() -> None:
    """Couple (m1, m2) holds (A, B) and prefers (B, A).  A ranks m1 above m2 and B ranks m2
    above m1: each program would lose the partner it prefers to take the other, so (B, A) does
    not block (it would under a rule counting the couple's own seats free, which made only
    (B, A) stable).  Both matchings are stable; the engine's audit and the reference agree."""
    import numpy as np

    from imgpath.core.matching.audit import Assignment
    from imgpath.match import audit
    from tests.reference.definitions import Matching, blocking_pairs

    doc = {
        "programs": {
            "A": {"quota": 1, "rol": ["m1", "m2"]},
            "B": {"quota": 1, "rol": ["m2", "m1"]},
        },
        "applicants": {"m1": {}, "m2": {}},
        "couples": [{"members": ["m1", "m2"], "rol": [["B", "A"], ["A", "B"]]}],
    }
    assert (
        blocking_pairs(doc, Matching({"m1": "A", "m2": "B"}, dict.fromkeys(["m1", "m2"]))) == set()
    )
    assert len(stable_matchings(doc)) == 2
    inst = Instance.from_dict(doc)
    held = Assignment(
        prim=np.array([0, 1], dtype=np.int32),
        prim_idx=np.array([-1, -1], dtype=np.int32),
        supp=np.array([-1, -1], dtype=np.int32),
        sidx=np.array([-1, -1], dtype=np.int32),
        cpair=np.array([1], dtype=np.int32),
    )
    report = audit(inst.market, held)
    assert report.valid
    assert report.stable


def test_engine_missed_stable_944_is_found() -> None:
    """2 couples were left out and the result undecided; a stable matching exists."""
    result = solve(Instance.from_dict(case("engine-missed-stable-944.json")))
    assert result.stable
    assert result.stable_exists is True
    assert result.stats["couples_left_out"] == 0


def test_the_exact_repair_is_what_finds_it_and_repeats_exactly() -> None:
    """Without the repair the 944 case stays undecided; with it, the same input, seed and bound
    give the same matching every time (CP-SAT runs on one worker with a deterministic limit)."""
    from imgpath.match import solve_market

    market = Instance.from_dict(case("engine-missed-stable-944.json")).market
    plain = solve_market(market, seed=0, exact_time=0.0)
    assert not plain.stable
    assert plain.stable_exists is None
    first = solve_market(market, seed=0)
    again = solve_market(market, seed=0)
    assert first.stable
    assert first.repair_free == again.repair_free > 0
    for mine, theirs in zip(first.assignment, again.assignment, strict=True):
        assert (mine == theirs).all()


def test_no_stable_any_rule_10_is_proven_to_have_none() -> None:
    """604,800 matchings, none stable under any couple rule: the answer is a proof, not a guess."""
    result = solve(Instance.from_dict(case("no-stable-any-rule-10.json")))
    assert not result.stable
    assert result.stable_exists is False
    assert result.blocking_pairs  # the matching returned says what breaks it


def test_same_program_pair_explained_by_the_positions_it_needs() -> None:
    doc = case("couple-same-program-explain.yaml")
    inst = Instance.from_dict(doc)
    result = solve(inst)
    assert result.matches == {"s1": "C4", "s2": "C2", "s3": "C1", "s4": "C3", "s5": None}
    for who in ("s4", "s5"):
        story = explain(inst, result, who)
        first = story.steps[0]
        assert first.outcome == "failed"
        assert {s.outcome for s in first.sides} == {"too_few_positions"}
        text = story.text()
        assert "#1 the pair needs 2 positions at C3, which has 1" in text
        assert "had room" not in text
    assert "you stay unmatched on this side" in explain(inst, result, "s5").text()
    assert "you stays" not in explain(inst, result, "s5").text()


def test_a_same_program_pair_with_room_for_one_more_names_the_kept_partner() -> None:
    """m1 holds one of P's two positions (with m2 at X); m2 could join only by displacing the
    single s, whom P ranks higher: the pair fails and the story says m1 keeps the seat."""
    doc = {
        "programs": {
            "P": {"quota": 2, "rol": ["s", "m1", "m2"]},
            "X": {"quota": 1, "rol": ["m2"]},
        },
        "applicants": {"s": {"rol": ["P"]}, "m1": {}, "m2": {}},
        "couples": [{"members": ["m1", "m2"], "rol": [["P", "P"], ["P", "X"]]}],
    }
    inst = Instance.from_dict(doc)
    result = solve(inst)
    assert result.matches == {"s": "P", "m1": "P", "m2": "X"}
    assert result.stable
    sides = explain(inst, result, "m1").steps[0].sides
    assert [s.outcome for s in sides] == ["holds", "no_room_for_both"]
    assert "you already hold a position at P (kept)" in explain(inst, result, "m1").text()


def test_explanation_positions_are_final_quotas_after_reversions() -> None:
    doc = case("reversion-explain-positions.yaml")
    inst = Instance.from_dict(doc)
    result = solve(inst)
    assert result.matches == {"john": "Adult", "yara": "Adult"}
    story = explain(inst, result, "john").to_dict()
    positions = {s["sides"][0]["program"]: s["sides"][0]["positions"] for s in story["steps"]}
    assert positions == {"Adult": 3, "Peds": 0}
    assert positions == result.final_quotas | {"Peds": 0}
    assert sum(positions.values()) == sum(p["quota"] for p in doc["programs"].values())


def test_the_count_of_problems_is_the_real_count_not_the_display_cap() -> None:
    programs = {f"P{i:03d}": {"quota": 1} for i in range(301)}
    applicants = {f"a{i:02d}": {"rol": list(programs)} for i in range(60)}
    with pytest.raises(InvalidInstanceError) as caught:
        Instance.from_dict({"programs": programs, "applicants": applicants})
    err = caught.value
    assert err.total == 60
    assert len(err.problems) == 50
    assert str(err).startswith("60 problems found (the first 50 shown")


def test_a_short_list_of_problems_says_nothing_about_a_cap() -> None:
    programs = {f"P{i:03d}": {"quota": 1} for i in range(301)}
    applicants = {f"a{i:02d}": {"rol": list(programs)} for i in range(3)}
    with pytest.raises(InvalidInstanceError) as caught:
        Instance.from_dict({"programs": programs, "applicants": applicants})
    assert str(caught.value).startswith("3 problems found:")
    assert not caught.value.truncated
