"""Bad instances are refused with a message naming the record and field and saying how to fix it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from imgpath.errors import InvalidInstanceError
from imgpath.match import NRMP_MAX_RANKS, Instance, Limits

GOOD: dict[str, Any] = {
    "programs": {
        "IM1": {"quota": 2, "rol": ["ana", "ben", "cy"], "type": "C"},
        "DERM": {"quota": 1, "rol": ["ana"], "type": "A"},
        "PRE": {"quota": 1, "rol": ["ana"], "type": "P"},
    },
    "applicants": {
        "ana": {
            "rol": [{"program": "DERM", "supplemental": "prelims"}, "IM1"],
            "supplemental_lists": {"prelims": ["PRE"]},
        },
        "ben": {"rol": ["IM1"]},
        "cy": {},
        "dee": {},
    },
    "couples": [{"members": ["cy", "dee"], "rol": [["IM1", None]]}],
}


def problems_of(doc: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(InvalidInstanceError) as info:
        Instance.from_dict(doc, **kwargs)
    return [str(p) for p in info.value.problems]


def broken(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    change(doc)
    return doc


def test_the_good_document_is_accepted_and_round_trips() -> None:
    inst = Instance.from_dict(GOOD)
    assert Instance.from_dict(inst.to_dict()).to_dict() == inst.to_dict()
    assert inst.to_dict()["applicants"]["ana"] == GOOD["applicants"]["ana"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["applicants"]["ben"]["rol"].append("NOPE"),
            "applicants['ben'].rol[1]: unknown program 'NOPE'; every program ranked must be listed",
        ),
        (
            lambda d: d["programs"]["IM1"]["rol"].append("zed"),
            "programs['IM1'].rol[3]: unknown applicant 'zed'",
        ),
        (
            lambda d: d["applicants"]["ben"]["rol"].append("IM1"),
            "applicants['ben'].rol[1]: program 'IM1' is ranked twice",
        ),
        (
            lambda d: d["programs"]["IM1"]["rol"].append("ana"),
            "programs['IM1'].rol: ranks applicant 'ana' more than once",
        ),
        (
            lambda d: d["couples"][0]["members"].__setitem__(1, "ghost"),
            "couples[0].members: member 'ghost' is not listed under 'applicants'",
        ),
        (
            lambda d: d["couples"].append({"members": ["dee", "ben"], "rol": []}),
            "couples[1].members: member 'dee' is already in couples[0]",
        ),
        (
            lambda d: d["programs"]["IM1"].__setitem__("quota", -1),
            "programs['IM1'].quota: quota is -1; a quota must be 0 or more",
        ),
        (
            lambda d: (
                d["programs"]["IM1"].__setitem__("reversions", [{"to": "PRE", "positions": 1}]),
                d["programs"]["PRE"].__setitem__("reversions", [{"to": "IM1", "positions": 1}]),
            ),
            "programs.reversions: circular reversion IM1 -> PRE -> IM1",
        ),
        (
            lambda d: d["programs"]["IM1"].__setitem__(
                "reversions", [{"to": "PRE", "positions": 3}]
            ),
            "programs['IM1'].reversions: reverts 3 positions but has a quota of 2",
        ),
        (
            lambda d: d["applicants"]["cy"].__setitem__("rol", ["IM1"]),
            "applicants['cy'].rol: 'cy' is in couples[0] but also has a rank list of their own",
        ),
        (
            lambda d: d["couples"][0]["rol"].append([None, None]),
            "couples[0].rol[1]: both sides are null",
        ),
        (
            lambda d: d["applicants"]["ana"]["rol"].__setitem__(
                0, {"program": "DERM", "supplemental": "missing"}
            ),
            "applicants['ana'].rol[0].supplemental: no supplemental list named 'missing'",
        ),
        (
            lambda d: d["applicants"]["ana"]["supplemental_lists"]["prelims"].append("IM1"),
            "applicants['ana'].supplemental_lists['prelims'][1]: 'IM1' is a type C program",
        ),
        (
            lambda d: d["programs"]["IM1"].__setitem__("quota", "2"),
            "programs['IM1'].quota: input should be a valid integer; write a whole number",
        ),
        (
            lambda d: d["programs"]["IM1"].__setitem__("seats", 2),
            "programs['IM1'].seats: extra inputs are not permitted",
        ),
        (
            lambda d: d["programs"]["PRE"].__setitem__("joint_with", "IM1"),
            "programs['PRE'].joint_with: 'IM1' is not an advanced (type A) program",
        ),
    ],
)
def test_each_kind_of_mistake_is_named_with_its_place_and_fix(change: Any, expected: str) -> None:
    found = problems_of(broken(change))
    assert any(expected in p for p in found), found


def test_rank_lists_over_nrmps_limit_are_refused() -> None:
    doc = {
        "programs": {f"P{i}": {"quota": 1} for i in range(NRMP_MAX_RANKS + 1)},
        "applicants": {"ana": {"rol": [f"P{i}" for i in range(NRMP_MAX_RANKS + 1)]}},
    }
    assert problems_of(doc) == [
        "applicants['ana'].rol: has 301 ranks, over the limit of 300; shorten the list"
    ]
    doc["applicants"]["ana"]["rol"] = doc["applicants"]["ana"]["rol"][:300]
    Instance.from_dict(doc)  # 300 is allowed
    assert problems_of(doc, limits=Limits(max_ranks=10))[0].startswith(
        "applicants['ana'].rol: has 300"
    )


def test_all_problems_are_reported_at_once() -> None:
    doc = broken(
        lambda d: (
            d["applicants"]["ben"]["rol"].extend(["X1", "X2"]),
            d["programs"]["IM1"].__setitem__("quota", -5),
        )
    )
    assert len(problems_of(doc)) == 3


def test_a_document_that_is_not_an_object_is_refused() -> None:
    assert "must be an object with a 'programs' key" in problems_of([1, 2])[0]  # type: ignore[arg-type]
