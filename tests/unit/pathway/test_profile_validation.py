"""Bad profiles are refused with every problem listed, each naming its field and the fix."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from imgpath.core.pathway.profile import InvalidProfileError, parse_profile

ON = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"school": {"country": "XX"}}, "school.country", "unknown country code 'XX'"),
        ({"citizenships": ["NG", "ZZ"]}, "citizenships[1]", "ISO 3166 two-letter code"),
        ({"nationality": "Nigeria"}, "nationality", "unknown country code"),
        (
            {"targets": {"states": ["NY", "New York"]}},
            "targets.states[1]",
            "two-letter code such as TX",
        ),
        ({"job_offers": [{"state": "QQ"}]}, "job_offers[0].state", "unknown US state code"),
        (
            {"training_abroad": {"licenses": [{"country": "Narnia"}]}},
            "training_abroad.licenses[0].country",
            "unknown country",
        ),
        (
            {"exams": {"step1": [{"date": "2027-01-10", "result": "pass"}]}},
            "exams.step1[0].date",
            "after the evaluation date 2026-11-22",
        ),
        (
            {
                "exams": {
                    "oet": [
                        {
                            "date": "2026-12-01",
                            "listening": 400,
                            "reading": 400,
                            "writing": 400,
                            "speaking": 400,
                        }
                    ]
                }
            },
            "exams.oet[0].date",
            "after the evaluation date",
        ),
        (
            {"ecfmg": {"certificate_date": "2030-01-01"}},
            "ecfmg.certificate_date",
            "after the evaluation date",
        ),
        (
            {"exams": {"step2ck": [{"date": "2025-01-10", "result": "pass", "score": 320}]}},
            "exams.step2ck[0].score",
            "less than or equal to 300",
        ),
        (
            {
                "exams": {
                    "oet": [
                        {
                            "date": "2025-01-10",
                            "listening": 600,
                            "reading": 400,
                            "writing": 400,
                            "speaking": 400,
                        }
                    ]
                }
            },
            "exams.oet[0].listening",
            "less than or equal to 500",
        ),
        (
            {
                "exams": {
                    "ielts": [
                        {
                            "date": "2025-01-10",
                            "overall": 7.25,
                            "listening": 7,
                            "reading": 7,
                            "writing": 7,
                            "speaking": 7,
                        }
                    ]
                }
            },
            "exams.ielts[0].overall",
            "halves",
        ),
        (
            {"exams": {"step1": [{"date": "2025-01-10", "result": "passed"}]}},
            "exams.step1[0].result",
            "'pass', 'fail'",
        ),
        (
            {"exams": {"step1": [{"date": "10/01/2025", "result": "pass"}]}},
            "exams.step1[0].date",
            "YYYY-MM-DD",
        ),
        ({"school": {"graduation_date": "2020-02-30"}}, "school.graduation_date", "YYYY-MM-DD"),
        ({"targets": {"match_year": 1999}}, "targets.match_year", "greater than or equal to 2000"),
        ({"ecfmg": {"pathway": 7}}, "ecfmg.pathway", "less than or equal to 6"),
        ({"us_gme_months": -1}, "us_gme_months", "greater than or equal to 0"),
        (
            {"school": {"wdoms_ecfmg_note": "maybe"}},
            "school.wdoms_ecfmg_note",
            "'yes', 'no' or 'unknown'",
        ),
        ({"shcool": {}}, "shcool", "check its spelling"),
    ],
)
def test_a_bad_profile_names_the_field(data: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InvalidProfileError) as caught:
        parse_profile(data, on=ON)
    problems = {p.location: f"{p.message}; {p.hint}" for p in caught.value.problems}
    assert field in problems, problems
    assert words in problems[field] or words in str(caught.value), problems[field]


def test_every_problem_is_reported_at_once() -> None:
    bad = {
        "school": {"country": "XX"},
        "citizenships": ["ZZ"],
        "exams": {"step1": [{"date": "2020-01-10", "result": "pass", "score": 999}]},
        "targets": {"states": ["QQ"]},
    }
    with pytest.raises(InvalidProfileError) as caught:
        parse_profile(bad, on=ON, source="me.yaml")
    assert [p.location for p in caught.value.problems] == [
        "school.country", "citizenships[0]", "exams.step1[0].score", "targets.states[0]",
    ]  # fmt: skip
    assert str(caught.value).startswith("me.yaml: 4 problems in the profile:")


def test_a_scheduled_exam_may_lie_in_the_future() -> None:
    profile = parse_profile(
        {"exams": {"step1": [{"date": "2027-01-10", "result": "scheduled"}]}}, on=ON
    )
    assert profile.exams.step1[0].result == "scheduled"


def test_codes_are_normalized() -> None:
    profile = parse_profile(
        {"school": {"country": "ng"}, "citizenships": [" in "], "targets": {"states": ["ny"]}},
        on=ON,
    )
    assert profile.school.country == "NG"
    assert profile.citizenships == ("IN",)
    assert profile.targets.states == ("NY",)


def test_an_empty_profile_is_valid() -> None:
    assert parse_profile({}, on=ON).targets.destination == "US"


@pytest.mark.parametrize("data", [None, [], "a profile", 3])
def test_a_profile_must_be_a_mapping(data: Any) -> None:
    with pytest.raises(InvalidProfileError, match="valid dictionary"):
        parse_profile(data, on=ON)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"school": {"country": False}}, "school.country", 'write "NO" for Norway'),
        ({"citizenships": ["IN", False]}, "citizenships[1]", 'write "NO" for Norway'),
        ({"nationality": False}, "nationality", 'write "NO" for Norway'),
        (
            {"training_abroad": {"licenses": [{"country": False}]}},
            "training_abroad.licenses[0].country",
            "Norway",
        ),
        ({"targets": {"specialty": True}}, "targets.specialty", 'quote the value, e.g. "Y"'),
        ({"school": {"name": False}}, "school.name", 'quote the value, e.g. "NO"'),
    ],
)
def test_a_yes_no_value_where_text_belongs_says_how_yaml_read_it(
    data: dict[str, Any], field: str, words: str
) -> None:
    """YAML 1.1 reads unquoted NO (Norway), Y, ON... as booleans: say so, not "not a string"."""
    with pytest.raises(InvalidProfileError) as caught:
        parse_profile(data, on=ON)
    problems = {p.location: str(p) for p in caught.value.problems}
    assert field in problems, problems
    assert "was read as the yes/no value" in problems[field]
    assert words in problems[field]
    assert "input should be a valid string" not in problems[field]


def test_norway_written_as_text_is_norway() -> None:
    profile = parse_profile({"school": {"country": "NO"}, "citizenships": ["no"]}, on=ON)
    assert (profile.school.country, profile.citizenships) == ("NO", ("NO",))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"uk_status": "settled"}, "uk_status"),
        ({"j1": {"waiver": "granted"}}, "j1.waiver"),
        ({"j1": {"home_years": -1}}, "j1.home_years"),
    ],
)
def test_visa_and_uk_status_fields_are_checked(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidProfileError) as caught:
        parse_profile(data, on=ON)
    assert field in {p.location for p in caught.value.problems}
