"""Claim rows: every column validated with a reason that names it; exports re-import unchanged."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from imgpath.core.catalog.claims import (
    CLAIM_FIELDS,
    Claim,
    ClaimRowError,
    claim_from_row,
    claim_to_row,
)

TODAY = date(2026, 11, 22)
PROGRAMS = {"1903140C0", "1414140C0"}
GOOD = {
    "program_code": "1903140C0",
    "field": "step2ck_min",
    "value": "230",
    "kind": "cutoff",
    "source": "https://example.org/program/requirements",
    "as_of": "2026-08-01",
    "entered_by": "advisor@example.org",
    "note": "",
}


def _claim(**change: str) -> Claim:
    return claim_from_row({**GOOD, **change}, today=TODAY, programs=PROGRAMS)


def test_a_good_row() -> None:
    claim = _claim()
    assert (claim.field, claim.value, claim.kind, claim.as_of) == (
        "step2ck_min",
        230,
        "cutoff",
        date(2026, 8, 1),
    )


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"program_code": ""}, "program_code", "empty"),
        ({"program_code": "9999999C0"}, "program_code", "no program '9999999C0'"),
        ({"field": "visa"}, "field", "'visa' is not a claim field"),
        ({"value": "high"}, "value", "whole number from 1 to 300"),
        ({"value": "320"}, "value", "from 1 to 300"),
        ({"field": "j1_sponsor", "value": "maybe", "kind": "reported"}, "value", "yes or no"),
        ({"field": "j1_sponsor", "value": "yes", "kind": "cutoff"}, "kind", "use reported"),
        ({"kind": "rumour"}, "kind", "use cutoff or preference or reported"),
        ({"source": "a friend"}, "source", "give the address"),
        ({"source": ""}, "source", "give the address"),
        ({"as_of": "last year"}, "as_of", "YYYY-MM-DD"),
        ({"as_of": "2026-11-23"}, "as_of", "in the future"),
        ({"entered_by": ""}, "entered_by", "say who entered"),
        (
            {"field": "usce_type", "value": "observership", "kind": "cutoff"},
            "value",
            "any, hands_on",
        ),
        (
            {"field": "ecfmg_certified_by", "value": "never", "kind": "cutoff"},
            "value",
            "application, interview",
        ),
    ],
)
def test_each_bad_column_is_named(change: dict[str, str], column: str, words: str) -> None:
    with pytest.raises(ClaimRowError) as caught:
        _claim(**change)
    assert caught.value.column == column
    assert words in str(caught.value)


def test_user_reports_and_default_author() -> None:
    claim = claim_from_row(
        {**GOOD, "source": "user", "entered_by": ""},
        today=TODAY,
        programs=PROGRAMS,
        default_entered_by="cli",
    )
    assert (claim.source, claim.entered_by) == ("user", "cli")


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("j1_sponsor", "Yes", True),
        ("h1b_sponsor", "no", False),
        ("non_us_img_share", "37.5", 37.5),
        ("usce_months", "3", 3.0),
        ("usce_type", "HANDS_ON", "hands_on"),
        ("max_attempts", "1", 1),
    ],
)
def test_values_round_trip(field: str, text: str, value: Any) -> None:
    kind = CLAIM_FIELDS[field].kinds[0]
    claim = _claim(field=field, value=text, kind=kind)
    assert claim.value == value
    again = claim_from_row(claim_to_row(claim), today=TODAY, programs=PROGRAMS)
    assert again == claim
