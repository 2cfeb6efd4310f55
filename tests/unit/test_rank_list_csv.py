"""NRMP-style CSV rank lists: one rank,id line per entry."""

from __future__ import annotations

import pytest

from imgpath.core.matching.rank_lists import (
    format_rank_list,
    get_rank_list,
    parse_rank_list,
    set_rank_list,
)
from imgpath.errors import DocumentSyntaxError, InvalidInstanceError
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


# ------------------------------------------------------------ hostile and cut-short files


@pytest.mark.parametrize("text", ["", "\n\n  \n", "rank,applicant\n", "rank,id\r\n\r\n"])
def test_a_file_without_entries_is_refused_unless_asked(text: str) -> None:
    with pytest.raises(InvalidInstanceError) as info:
        parse_rank_list(text, source="p.csv", columns=None)
    assert "--allow-empty" in str(info.value)
    assert parse_rank_list(text, source="p.csv", columns=None, allow_empty=True) == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('rank,applicant\n1,"ana\n', "p.csv, line 2: a quote opened here is never closed"),
        ('rank,applicant\n1,"an"a\n', "p.csv, line 2: text follows a closing quote"),
        (
            "rank,applicant\n1," + "x" * 140_000 + "\n",
            "p.csv, line 2: a cell is longer than 131,072",
        ),
        ("rank,applicant\n1,a\x00na\n", "p.csv, line 2, column 4: contains a NUL character"),
    ],
)
def test_malformed_csv_names_the_line(text: str, error: str) -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_rank_list(text, source="p.csv")
    assert str(info.value).startswith(error)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rank,applicant,x,y,z\n1,ana,1,2,3\n", "line 1: unknown column(s) 'x', 'y', 'z'"),
        ("position,applicant\n1,ana\n", "line 1: the first column is 'position'"),
        ("rank,applicant\n1,ana,extra\n", "line 2: has 3 columns; write 'rank,id'"),
        (
            "rank,applicant\n" + "1" * 5000 + ",ana\n",
            "line 2: rank 111111111... where 1 was expected",
        ),
        ("rank,applicant\n²,ana\n", "line 2: rank '²' is not a whole number"),
        ("rank,applicant\n١,ana\n", "line 2: rank '١' is not a whole number"),
        ("rank,applicant\n1,ana\u202e\n", "line 2: the id 'ana\\u202e' contains U+202E"),
        ("rank,applicant\n1,\u200bana\n", "line 2: the id '\\u200bana' contains U+200B"),
    ],
)
def test_bad_lines_are_listed(text: str, problem: str) -> None:
    with pytest.raises(InvalidInstanceError) as info:
        parse_rank_list(text, source="p.csv", columns=None)
    assert any(str(p).startswith(problem) for p in info.value.problems), info.value.problems


def test_cr_only_and_crlf_line_ends_and_a_bom_are_fine() -> None:
    for text in ("rank,applicant\r1,ana\r2,ben\r", "rank,applicant\r\n1,ana\r\n2,ben\r\n"):
        assert parse_rank_list(text, source="x") == [("ana",), ("ben",)]


@pytest.mark.parametrize(
    ("who", "supp", "entries", "takes"),
    [
        ("IM1", None, [("ana", "x")], "a program's list takes 1"),
        ("ben", None, [("IM1", "a", "b", "c")], "an applicant's list takes 1 or 2"),
        ("ana", "prelims", [("PRE", "x")], "a supplemental list takes 1"),
        ("cy", None, [("IM1",)], "a couple's list takes 2 or 4"),
    ],
)
def test_a_list_takes_only_its_own_columns(
    who: str, supp: str | None, entries: list[tuple[str, ...]], takes: str
) -> None:
    doc = Instance.from_dict(GOOD).to_dict()
    with pytest.raises(InvalidInstanceError) as info:
        set_rank_list(doc, who, entries, supplemental=supp, source="x.csv")
    assert takes in str(info.value)
