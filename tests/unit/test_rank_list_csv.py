"""NRMP-style CSV rank lists: one rank,id line per entry."""

from __future__ import annotations

import pytest

from imgpath.core.matching.rank_lists import (
    format_rank_list,
    get_rank_list,
    parse_rank_list,
    set_rank_list,
)
from imgpath.errors import InvalidInstanceError
from imgpath.match import Instance
from tests.unit.test_instance_validation import GOOD


def test_parse_with_and_without_header() -> None:
    assert parse_rank_list("rank,id\n1,ana\n2,ben\n", source="x") == [("ana",), ("ben",)]
    assert parse_rank_list("1,ana\n\n2,ben\n", source="x") == [("ana",), ("ben",)]


def test_ranks_must_run_in_order_and_every_fault_names_its_line() -> None:
    with pytest.raises(InvalidInstanceError) as info:
        parse_rank_list("rank,id\n1,ana\n3,ben\nx,cy\n2\n", source="p.csv")
    assert [str(p) for p in info.value.problems] == [
        "line 3: rank 3 where 2 was expected; number the ranks 1, 2, 3, ... in order, without gaps",
        "line 4: rank 'x' is not a whole number; number the ranks 1, 2, 3, ...",
        "line 5: has 1 column; write 'rank,id'",
    ]


def test_couple_lists_have_two_program_columns_with_empty_for_no_match() -> None:
    rows = parse_rank_list("rank,program_1,program_2\n1,A,B\n2,A,\n", source="c.csv", columns=None)
    assert rows == [("A", "B"), ("A", None)]


def test_export_then_import_round_trips_every_kind_of_list() -> None:
    doc = Instance.from_dict(GOOD).to_dict()
    for who, supp in [
        ("IM1", None),
        ("ben", None),
        ("ana", None),
        ("ana", "prelims"),
        ("cy", None),
    ]:
        entries, header = get_rank_list(doc, who, supplemental=supp)
        text = format_rank_list(entries, header=header)
        again = parse_rank_list(text, source="x", columns=None)
        assert set_rank_list(doc, who, again, supplemental=supp) == doc


def test_import_replaces_one_list_and_the_result_is_validated() -> None:
    doc = Instance.from_dict(GOOD).to_dict()
    updated = set_rank_list(doc, "IM1", [("cy",), ("ben",)])
    assert Instance.from_dict(updated).to_dict()["programs"]["IM1"]["rol"] == ["cy", "ben"]
    with pytest.raises(InvalidInstanceError):
        Instance.from_dict(set_rank_list(doc, "IM1", [("nobody",)]))
