"""The condition language: three-valued logic that never guesses.

The reference is brute force: a condition whose facts are partly unknown is TRUE only if it is
true for every way of filling in the unknowns, FALSE only if false for every way.  Kleene logic is
sound but not complete against that reference, so the property checks soundness and, with no
unknowns, exact agreement with plain Python booleans.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgpath.core.pathway.conditions import Truth, parse_condition

FACTS = ["a", "b", "c", "d"]


def leaves() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda f, v: {"fact": f, "is": v}, st.sampled_from(FACTS), st.booleans()),
        st.builds(lambda f: {"fact": f, "known": True}, st.sampled_from(FACTS)),
    )


trees = st.recursive(
    leaves(),
    lambda sub: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(sub, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(sub, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, sub),
    ),
    max_leaves=8,
)


def plain(tree: dict[str, Any], facts: dict[str, bool]) -> bool:
    """Two-valued evaluation: the obviously-correct reference for complete facts."""
    if "all" in tree:
        return all(plain(t, facts) for t in tree["all"])
    if "any" in tree:
        return any(plain(t, facts) for t in tree["any"])
    if "not" in tree:
        return not plain(tree["not"], facts)
    if "known" in tree:
        return True
    return facts[tree["fact"]] == tree["is"]


def _uses_known(tree: dict[str, Any]) -> bool:
    if "known" in tree:
        return True
    children = tree.get("all") or tree.get("any") or ([tree["not"]] if "not" in tree else [])
    return any(_uses_known(t) for t in children)


@settings(max_examples=500, deadline=None)
@given(trees, st.fixed_dictionaries({f: st.sampled_from([True, False, None]) for f in FACTS}))
def test_kleene_logic_is_sound(tree: dict[str, Any], facts: dict[str, bool | None]) -> None:
    verdict = parse_condition(tree, where="t").evaluate(facts, {})
    if _uses_known(
        tree
    ):  # "known" looks at knowledge itself, not at the world: no completion reference
        return
    unknown = [f for f, v in facts.items() if v is None]
    outcomes = set()
    for values in itertools.product([True, False], repeat=len(unknown)):
        complete = {**facts, **dict(zip(unknown, values, strict=True))}
        outcomes.add(plain(tree, complete))  # type: ignore[arg-type]
    if verdict.truth is Truth.TRUE:
        assert outcomes == {True}
    elif verdict.truth is Truth.FALSE:
        assert outcomes == {False}
    else:
        assert verdict.missing, "an UNKNOWN verdict must say which facts would decide it"
        assert verdict.missing <= set(unknown)
    if not unknown:
        assert verdict.truth is Truth.of(plain(tree, facts))  # type: ignore[arg-type]


def _eval(
    cond: dict[str, Any], facts: dict[str, Any], params: dict[str, Any] | None = None
) -> Truth:
    return parse_condition(cond, where="t").evaluate(facts, params or {}).truth


@pytest.mark.parametrize(
    ("cond", "facts", "expected"),
    [
        ({"fact": "n", "gte": 3}, {"n": 3}, Truth.TRUE),
        ({"fact": "n", "gt": 3}, {"n": 3}, Truth.FALSE),
        ({"fact": "n", "lt": {"param": "limit"}}, {"n": 3}, Truth.TRUE),
        ({"fact": "n", "lte": {"fact": "m"}}, {"n": 3}, Truth.UNKNOWN),
        ({"fact": "n", "lte": {"fact": "m"}}, {"n": 3, "m": 2}, Truth.FALSE),
        ({"fact": "d", "gte": "2022-01-26"}, {"d": date(2022, 1, 26)}, Truth.TRUE),
        ({"fact": "d", "gte": "2022-01-26"}, {"d": date(2022, 1, 25)}, Truth.FALSE),
        ({"fact": "x", "in": ["A", "B"]}, {"x": "B"}, Truth.TRUE),
        ({"fact": "x", "not_in": ["A", "B"]}, {"x": "B"}, Truth.FALSE),
        ({"fact": "xs", "in": ["IR", "SY"]}, {"xs": ["NG", "IR"]}, Truth.TRUE),  # any overlap
        (
            {"fact": "xs", "all_in": ["IR", "SY"]},
            {"xs": ["NG", "IR"]},
            Truth.FALSE,
        ),  # a dual national
        ({"fact": "xs", "all_in": ["IR", "SY"]}, {"xs": ["IR"]}, Truth.TRUE),
        ({"fact": "x", "ne": "A"}, {"x": None}, Truth.UNKNOWN),
        ({"fact": "x", "known": False}, {}, Truth.TRUE),
        (
            {"all": [{"fact": "x", "is": True}, {"fact": "y", "is": True}]},
            {"y": False},
            Truth.FALSE,
        ),
        ({"any": [{"fact": "x", "is": True}, {"fact": "y", "is": True}]}, {"y": True}, Truth.TRUE),
        ({"not": {"fact": "x", "is": True}}, {}, Truth.UNKNOWN),
    ],
)
def test_operators(cond: dict[str, Any], facts: dict[str, Any], expected: Truth) -> None:
    assert _eval(cond, facts, {"limit": 4}) is expected


@pytest.mark.parametrize(
    ("cond", "message"),
    [
        ([], "must be a mapping"),
        ({"all": []}, "non-empty list"),
        ({"all": [{"fact": "x", "is": 1}], "any": []}, "nothing else"),
        ({"not": {"fact": "x", "is": 1}, "fact": "y"}, "'not' takes one condition"),
        ({"is": True}, "needs 'fact'"),
        ({"fact": "x", "is": 1, "eq": 1}, "exactly one of"),
        ({"fact": "x", "like": 1}, "exactly one of"),
        ({"fact": "x", "in": "AB"}, "takes a list"),
        ({"fact": "x", "eq": {"rule": "y"}}, "param: name"),
        ({"all": [{"fact": "x", "is": 1}, {"fact": "y"}]}, r"where\.all\[1\]"),
    ],
)
def test_malformed_conditions_say_where(cond: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_condition(cond, where="where")


def test_a_condition_lists_its_facts_and_params() -> None:
    cond = parse_condition(
        {
            "all": [
                {"fact": "a", "gte": {"param": "years"}},
                {"not": {"fact": "b", "lt": {"fact": "c"}}},
            ]
        },
        where="t",
    )
    assert cond.facts() == {"a", "b", "c"}
    assert cond.params() == {"years"}
