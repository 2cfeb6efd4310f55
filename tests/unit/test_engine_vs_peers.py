"""I4: on singles-only markets the engine's result equals the resident-optimal result of the
peers ``matching`` and ``algmatch`` (the only Python libraries for hospitals/residents)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from imgpath.match import Instance, solve
from tests.peers import algmatch_solve, matching_solve
from tests.random_markets import random_market
from tests.strategies import singles_only


@given(singles_only(max_programs=6, max_applicants=10, max_rol=5))
def test_tiny_singles_markets_match_both_peers(doc: dict[str, Any]) -> None:
    ours = solve(Instance.from_dict(doc)).matches
    assert ours == matching_solve(doc)
    assert ours == algmatch_solve(doc)


@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), mutual=st.booleans())
def test_correlated_singles_markets_of_800_match_both_peers(seed: int, mutual: bool) -> None:
    """800 applicants is past the size where ``matching`` needs its recursion workaround."""
    doc = random_market(seed, n_applicants=800, n_programs=110, rol_length=10, mutual=mutual)
    ours = solve(Instance.from_dict(doc)).matches
    assert ours == matching_solve(doc)
    assert ours == algmatch_solve(doc)
