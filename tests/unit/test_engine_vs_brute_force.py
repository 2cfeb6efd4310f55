"""The engine against brute force on tiny random markets (invariants I1-I3, I7-I9)."""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given

from imgpath.match import Instance, solve
from tests.reference.brute import size, stable_matchings
from tests.reference.definitions import as_matching, assert_engine_audit_agrees
from tests.strategies import markets


@given(markets())
def test_result_is_valid_and_blocking_pairs_agree_with_the_definition(doc: dict[str, Any]) -> None:
    assert_engine_audit_agrees(doc, solve(Instance.from_dict(doc)))


@given(markets())
def test_stable_found_whenever_one_exists_and_non_existence_is_real(doc: dict[str, Any]) -> None:
    assume(size(doc) <= 3000)
    result = solve(Instance.from_dict(doc))
    stable = stable_matchings(doc)
    if stable:
        assert result.stable
        assert result.stable_exists is True
        assert as_matching(doc, result) in stable
    else:
        assert not result.stable
        assert result.stable_exists is False
