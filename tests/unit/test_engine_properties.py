"""Properties of the engine on larger random markets, and on singles-only markets (I4-I6, I9)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from imgpath.match import Instance, solve
from tests.random_markets import random_market
from tests.reference.brute import stable_matchings
from tests.reference.deferred_acceptance import applicant_proposing, program_proposing
from tests.reference.definitions import as_matching, assert_engine_audit_agrees
from tests.strategies import singles_only


@settings(max_examples=40)
@given(
    seed=st.integers(0, 2**32 - 1),
    couples=st.integers(0, 25),
    advanced=st.sampled_from([0.0, 0.1, 0.2]),
    reversions=st.integers(0, 6),
)
def test_medium_markets_valid_and_audited_correctly(
    seed: int, couples: int, advanced: float, reversions: int
) -> None:
    doc = random_market(
        seed, n_applicants=150, n_programs=20, couples=couples, advanced_share=advanced,
        reversions=reversions,
    )  # fmt: skip
    assert_engine_audit_agrees(doc, solve(Instance.from_dict(doc)))


@given(singles_only(max_programs=5, max_applicants=8, max_rol=5))
def test_singles_equal_textbook_applicant_proposing_deferred_acceptance(
    doc: dict[str, Any],
) -> None:
    result = solve(Instance.from_dict(doc))
    assert result.stable
    assert result.matches == applicant_proposing(doc)


@given(singles_only(max_programs=4, max_applicants=6))
def test_singles_result_is_the_applicant_optimal_stable_matching(doc: dict[str, Any]) -> None:
    result = solve(Instance.from_dict(doc))
    stable = stable_matchings(doc)
    assert as_matching(doc, result) in stable
    for m in stable:  # every applicant does at least as well as in any stable matching
        for a, app in doc["applicants"].items():
            rol = app.get("rol", [])
            mine = result.matches[a]
            theirs = m.primary[a]
            rank_mine = rol.index(mine) if mine else len(rol)
            rank_theirs = rol.index(theirs) if theirs else len(rol)
            assert rank_mine <= rank_theirs


@given(singles_only(max_programs=5, max_applicants=8, max_rol=5))
def test_rural_hospitals_theorem(doc: dict[str, Any]) -> None:
    """I5: both extreme stable matchings match the same applicants and fill programs equally."""
    ours = solve(Instance.from_dict(doc)).matches
    other = program_proposing(doc)
    assert {a for a, p in ours.items() if p} == {a for a, p in other.items() if p}
    for p in doc["programs"]:
        assert sum(v == p for v in ours.values()) == sum(v == p for v in other.values())


@given(singles_only(max_programs=4, max_applicants=6, max_rol=4), st.data())
def test_no_applicant_gains_by_misreporting(doc: dict[str, Any], data: st.DataObject) -> None:
    """I6: permuting or truncating one's own list never yields a program one truly prefers."""
    truth = solve(Instance.from_dict(doc)).matches
    a = data.draw(st.sampled_from(sorted(doc["applicants"])))
    rol = doc["applicants"][a].get("rol", [])
    lie = data.draw(st.lists(st.sampled_from(rol), unique=True) if rol else st.just([]))
    liar_doc = {**doc, "applicants": {**doc["applicants"], a: {"rol": lie}}}
    got = solve(Instance.from_dict(liar_doc)).matches[a]
    true_rank = rol.index(truth[a]) if truth[a] else len(rol)
    lie_rank = rol.index(got) if got else len(rol)
    assert lie_rank >= true_rank


@given(singles_only(max_programs=5, max_applicants=8), st.randoms())
def test_singles_result_does_not_depend_on_input_order(doc: dict[str, Any], rnd: Any) -> None:
    items = list(doc["applicants"].items())
    rnd.shuffle(items)
    shuffled = {**doc, "applicants": dict(items)}
    assert solve(Instance.from_dict(doc)).matches == solve(Instance.from_dict(shuffled)).matches


@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), couples=st.integers(1, 40))
def test_same_input_and_seed_give_the_same_result(seed: int, couples: int) -> None:
    """I9: runs end, and deterministically."""
    inst = Instance.from_dict(random_market(seed, n_applicants=200, n_programs=15, couples=couples))
    first = solve(inst, seed=7)
    again = solve(inst, seed=7)
    assert first.matches == again.matches
    assert first.supplemental_matches == again.supplemental_matches
    assert first.stats["attempts"] == again.stats["attempts"]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), couples=st.integers(5, 40))
def test_resuming_from_checkpoints_gives_the_result_of_a_full_replay(
    seed: int, couples: int
) -> None:
    """Restarts resume from saved states instead of replaying every couple from the singles
    phase; that must change only the work done, never the matching."""
    from imgpath.core.matching import solve as engine

    doc = random_market(seed, n_applicants=150, n_programs=12, couples=couples, advanced_share=0.1)
    market = Instance.from_dict(doc).market
    saved = engine.CHECKPOINT
    try:
        engine.CHECKPOINT = 2
        often = engine.solve_market(market, seed=seed % 7, attempts=3)
        engine.CHECKPOINT = 10**9  # only the state after the singles phase: a full replay
        replay = engine.solve_market(market, seed=seed % 7, attempts=3)
    finally:
        engine.CHECKPOINT = saved
    assert often.left_out == replay.left_out
    assert often.restarts == replay.restarts
    for mine, theirs in zip(often.assignment, replay.assignment, strict=True):
        assert (mine == theirs).all()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), couples=st.integers(5, 40))
def test_trying_couple_orders_in_threads_changes_nothing_but_time(seed: int, couples: int) -> None:
    from imgpath.core.matching.solve import solve_market

    doc = random_market(seed, n_applicants=150, n_programs=12, couples=couples, advanced_share=0.1)
    market = Instance.from_dict(doc).market
    one = solve_market(market, seed=seed % 5, attempts=5, workers=1)
    two = solve_market(market, seed=seed % 5, attempts=5, workers=2)
    three = solve_market(market, seed=seed % 5, attempts=5, workers=3)
    for other in (two, three):
        assert (other.attempts, other.restarts, other.left_out, other.steps) == (
            one.attempts, one.restarts, one.left_out, one.steps)  # fmt: skip
        for mine, theirs in zip(one.assignment, other.assignment, strict=True):
            assert (mine == theirs).all()
