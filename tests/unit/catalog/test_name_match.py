"""Matching names from other lists to NRMP's institutions: clear matches are used, uncertain
ones go to review, and nothing that names another place or another hospital is accepted."""

from __future__ import annotations

import pytest

from imgpath.core.catalog.name_match import ACCEPT, Candidate, match_name, normalise

ALABAMA = [
    Candidate.of("1007", "U Alabama Med Ctr-Birmingham"),
    Candidate.of("1852", "U South Alabama Hospitals"),
    Candidate.of("1903", "Brookwood Baptist Health-AL"),
    Candidate.of("3082", "Baptist Outreach Services-AL"),
]
TENNESSEE = [
    Candidate.of("1", "U Tennessee COM-Chattanooga"),
    Candidate.of("2", "East Tennessee St Univ"),
]
CALIFORNIA = [
    Candidate.of("1049", "UC San Diego Med Ctr-CA"),
    Candidate.of("1956", "UCLA Med Ctr-CA"),
]


def test_normalise_spells_out_abbreviations_and_drops_the_state() -> None:
    assert (
        normalise("U Alabama Med Ctr-Birmingham") == "university alabama medical center birmingham"
    )
    assert normalise("THE UNIVERSITY OF ALABAMA AT BIRMINGHAM") == "university alabama birmingham"
    assert normalise("St Luke's Hosp-Bethlehem-PA") == "saint lukes hospital bethlehem"
    assert (
        normalise("Hosp of the Univ of PA") == "hospital university pa"
    )  # "of PA" is a name, not a suffix


@pytest.mark.parametrize(
    ("names", "place", "key"),
    [
        (["THE UNIVERSITY OF ALABAMA AT BIRMINGHAM"], "BIRMINGHAM", "1007"),
        (["UNIVERSITY OF SOUTH ALABAMA"], "MOBILE", "1852"),
        (["Brookwood Baptist Health"], "Birmingham", "1903"),
    ],
)
def test_clear_matches_are_used(names: list[str], place: str, key: str) -> None:
    found = match_name(names, ALABAMA, place=place)
    assert (found.status, found.key) == ("matched", key)
    assert found.score >= ACCEPT


def test_close_calls_go_to_review_with_their_candidates() -> None:
    found = match_name(["BAPTIST HEALTH"], ALABAMA, place="BIRMINGHAM")
    assert (found.status, found.key) == ("review", None)
    assert found.best is not None
    assert found.best[0].key == "1903"
    assert found.runners_up


def test_another_city_in_the_name_is_never_accepted() -> None:
    found = match_name(
        ["University of Tennessee College of Medicine"], TENNESSEE, place="Nashville"
    )
    assert found.status != "matched"


def test_a_distinctive_word_must_agree() -> None:
    found = match_name(["Naval Medical Center (San Diego)"], CALIFORNIA, place="San Diego")
    assert found.status != "matched"


def test_nothing_plausible_is_none() -> None:
    assert match_name(["ACME ANALYTICS LLC"], ALABAMA).status == "none"
    assert match_name(["Anything"], []).status == "none"
