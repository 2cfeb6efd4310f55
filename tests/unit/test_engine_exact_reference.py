"""The engine against an independent exact reference (brute force over every matching, written
from the definitions alone: tests/reference/) on hundreds of seeded tiny markets with couples,
supplemental lists, joint preliminary programs and reversions.

Two counts must be zero: *missed* (a stable matching exists, the engine does not return one) and
*wrong claims* (the engine says none exists, or says stable about an unstable matching).  The
longer run (thousands of markets) is part of ``make bench``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from imgpath.match import Instance, solve
from tests.reference.brute import stable_matchings
from tests.reference.definitions import as_matching, assert_engine_audit_agrees
from tests.reference.tiny_markets import tiny_market

MARKETS = 300


def compare(seed: int) -> str:
    """'stable', 'none' (both agree), or what went wrong."""
    doc: dict[str, Any] = tiny_market(seed)
    result = solve(Instance.from_dict(doc), seed=seed)
    assert_engine_audit_agrees(doc, result)
    stable = stable_matchings(doc)
    if stable:
        if not result.stable:
            return "missed"
        return "stable" if as_matching(doc, result) in stable else "wrong claim"
    if result.stable or result.stable_exists is not False:
        return "wrong claim"
    return "none"


def test_no_stable_matching_missed_and_no_wrong_claim_of_none() -> None:
    counts = Counter(compare(seed) for seed in range(MARKETS))
    assert counts["missed"] == 0, counts
    assert counts["wrong claim"] == 0, counts
    # the sample must hold both kinds of market, or the test could not fail either way
    assert counts["stable"] >= MARKETS // 2, counts
    assert counts["none"] >= 1, counts
