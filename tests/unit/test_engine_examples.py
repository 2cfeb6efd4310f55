"""Small markets whose outcome is derived by hand in each docstring: one per rule of the Match."""

from __future__ import annotations

from typing import Any

from imgpath.match import Instance, explain, solve
from tests.reference.brute import stable_matchings


def run(doc: dict[str, Any]) -> Any:
    return solve(Instance.from_dict(doc))


def test_a_bumped_applicant_moves_down_their_own_list() -> None:
    """Ana proposes to City and is held; Ben, whom City prefers, bumps her; she goes on to Mercy.
    The other matching (Ana-City, Ben-Mercy) is blocked by Ben and City, so this one is unique."""
    doc = {
        "programs": {
            "City": {"quota": 1, "rol": ["ben", "ana"]},
            "Mercy": {"quota": 1, "rol": ["ana", "ben"]},
        },
        "applicants": {"ana": {"rol": ["City", "Mercy"]}, "ben": {"rol": ["City", "Mercy"]}},
    }
    result = run(doc)
    assert result.matches == {"ana": "Mercy", "ben": "City"}
    assert result.stable
    assert len(stable_matchings(doc)) == 1


def test_an_applicant_the_program_did_not_rank_never_matches_there() -> None:
    doc = {
        "programs": {"City": {"quota": 2, "rol": ["ben"]}},
        "applicants": {"ana": {"rol": ["City"]}, "ben": {"rol": ["City"]}},
    }
    result = run(doc)
    assert result.matches == {"ana": None, "ben": "City"}
    assert result.unfilled == {"City": 1}


def test_couple_bumped_partner_withdraws_and_the_vacancy_is_refilled() -> None:
    """Singles first: Sam holds City (its 1 place), Dee holds General.  The couple (cy, dan) ranks
    (City, General) first: City prefers cy to Sam, General prefers dan to Dee, so both are
    bumped; Sam goes to his second choice Mercy.  Dee has nowhere else: unmatched."""
    doc = {
        "programs": {
            "City": {"quota": 1, "rol": ["cy", "sam"]},
            "General": {"quota": 1, "rol": ["dan", "dee"]},
            "Mercy": {"quota": 1, "rol": ["sam"]},
        },
        "applicants": {
            "sam": {"rol": ["City", "Mercy"]},
            "dee": {"rol": ["General"]},
            "cy": {},
            "dan": {},
        },
        "couples": [{"members": ["cy", "dan"], "rol": [["City", "General"]]}],
    }
    result = run(doc)
    assert result.matches == {"sam": "Mercy", "dee": None, "cy": "City", "dan": "General"}
    assert result.stable


def test_instability_chaining_re_places_a_single_shut_out_by_a_couple() -> None:
    """NRMP's "Fred" case.  Singles first: Fred holds City.  Couple 1 (ed, eve) takes its first
    pair (City, State), and City, preferring Ed, bumps Fred to Mercy.  Couple 2 (hal, ivy) then
    takes (Other, State): State prefers Ivy and bumps Eve, so her partner Ed withdraws from City
    and couple 1 falls to (Rural, Rural).  City now has a vacancy that Fred prefers to Mercy:
    without instability chaining he would stay at Mercy and (Fred, City) would block."""
    doc = {
        "programs": {
            "City": {"quota": 1, "rol": ["ed", "fred"]},
            "State": {"quota": 1, "rol": ["ivy", "eve"]},
            "Mercy": {"quota": 1, "rol": ["fred"]},
            "Rural": {"quota": 2, "rol": ["ed", "eve"]},
            "Other": {"quota": 1, "rol": ["hal"]},
        },
        "applicants": {
            "fred": {"rol": ["City", "Mercy"]},
            "ed": {},
            "eve": {},
            "hal": {},
            "ivy": {},
        },
        "couples": [
            {"members": ["ed", "eve"], "rol": [["City", "State"], ["Rural", "Rural"]]},
            {"members": ["hal", "ivy"], "rol": [["Other", "State"]]},
        ],
    }
    result = run(doc)
    assert result.matches == {
        "fred": "City",
        "ed": "Rural",
        "eve": "Rural",
        "hal": "Other",
        "ivy": "State",
    }
    assert result.stable
    assert result.stats["attempts"] == 1
    assert result.stats["sweep_repairs"] == 0  # the program stack did it, not the safety net


def test_no_stable_matching_is_reported_with_its_blocking_pairs() -> None:
    """The classic couples counter-example.  P1 ranks [sol, m1], P2 ranks [m2, sol], one place
    each.  The couple ranks only (P1, P2); Sol ranks P2 then P1.
    - couple seated, Sol out: Sol and P1 block (P1 prefers Sol to m1);
    - Sol at P2, couple out: the couple blocks (P1 empty, P2 prefers m2 to Sol);
    - Sol at P1 or out, couple out: Sol and P2 block.
    So no stable matching exists, and the engine must say so and prove it."""
    doc = {
        "programs": {
            "P1": {"quota": 1, "rol": ["sol", "m1"]},
            "P2": {"quota": 1, "rol": ["m2", "sol"]},
        },
        "applicants": {"sol": {"rol": ["P2", "P1"]}, "m1": {}, "m2": {}},
        "couples": [{"members": ["m1", "m2"], "rol": [["P1", "P2"]]}],
    }
    result = run(doc)
    assert not result.stable
    assert result.stable_exists is False
    assert len(result.blocking_pairs) == 1
    assert stable_matchings(doc) == []


def test_supplemental_list_is_tried_only_once_the_advanced_position_is_held() -> None:
    """Ana ranks Derm (advanced, with list "prelims") then IM.  She gets Derm, so her list is
    tried: Prelim1 is full with someone it prefers, Prelim2 takes her.  Ben ranks Prelim2 on his
    primary list but Prelim2 prefers Ana, so Ben is unmatched."""
    doc = {
        "programs": {
            "Derm": {"quota": 1, "type": "A", "rol": ["ana"]},
            "IM": {"quota": 1, "type": "C", "rol": ["ana"]},
            "Prelim1": {"quota": 1, "type": "P", "rol": ["cat", "ana"]},
            "Prelim2": {"quota": 1, "type": "P", "rol": ["ana", "ben"]},
        },
        "applicants": {
            "ana": {
                "rol": [{"program": "Derm", "supplemental": "prelims"}, "IM"],
                "supplemental_lists": {"prelims": ["Prelim1", "Prelim2"]},
            },
            "ben": {"rol": ["Prelim2"]},
            "cat": {"rol": ["Prelim1"]},
        },
    }
    result = run(doc)
    assert result.matches == {"ana": "Derm", "ben": None, "cat": "Prelim1"}
    assert result.supplemental_matches == {"ana": "Prelim2"}
    assert result.stable


def test_no_prelim_never_costs_the_advanced_match() -> None:
    """Ana's only prelim prefers Cat and is full; Ana keeps Derm without a PGY-1 position and the
    algorithm does not go on to IM (NRMP: it "will not keep going down your list")."""
    doc = {
        "programs": {
            "Derm": {"quota": 1, "type": "A", "rol": ["ana"]},
            "IM": {"quota": 1, "type": "C", "rol": ["ana"]},
            "Prelim": {"quota": 1, "type": "P", "rol": ["cat", "ana"]},
        },
        "applicants": {
            "ana": {
                "rol": [{"program": "Derm", "supplemental": "s"}, "IM"],
                "supplemental_lists": {"s": ["Prelim"]},
            },
            "cat": {"rol": ["Prelim"]},
        },
    }
    result = run(doc)
    assert result.matches["ana"] == "Derm"
    assert result.supplemental_matches == {}
    assert result.unfilled == {"IM": 1}


def test_losing_the_advanced_position_releases_the_prelim() -> None:
    """Ana holds Derm and Prelim; then Bo, whom Derm prefers, bumps her from Derm, so Prelim is
    released and goes to Cat, whom Prelim ranked below Ana.  Ana falls to IM."""
    doc = {
        "programs": {
            "Derm": {"quota": 1, "type": "A", "rol": ["bo", "ana"]},
            "IM": {"quota": 1, "type": "C", "rol": ["ana"]},
            "Prelim": {"quota": 1, "type": "P", "rol": ["ana", "cat"]},
        },
        "applicants": {
            "ana": {
                "rol": [{"program": "Derm", "supplemental": "s"}, "IM"],
                "supplemental_lists": {"s": ["Prelim"]},
            },
            "bo": {"rol": ["Derm"]},
            "cat": {"rol": ["Prelim"]},
        },
    }
    result = run(doc)
    assert result.matches == {"ana": "IM", "bo": "Derm", "cat": "Prelim"}
    assert result.supplemental_matches == {}
    assert result.stable


def test_joint_prelim_only_takes_its_own_advanced_programs_matchees() -> None:
    """JointP is joined to Rad.  Ana matches Neuro (advanced) whose list names JointP: refused,
    even though JointP has room.  Bo matches Rad and gets JointP."""
    doc = {
        "programs": {
            "Rad": {"quota": 1, "type": "A", "rol": ["bo"]},
            "Neuro": {"quota": 1, "type": "A", "rol": ["ana"]},
            "JointP": {"quota": 2, "type": "P", "joint_with": "Rad", "rol": ["ana", "bo"]},
        },
        "applicants": {
            "ana": {
                "rol": [{"program": "Neuro", "supplemental": "s"}],
                "supplemental_lists": {"s": ["JointP"]},
            },
            "bo": {
                "rol": [{"program": "Rad", "supplemental": "s"}],
                "supplemental_lists": {"s": ["JointP"]},
            },
        },
    }
    result = run(doc)
    assert result.supplemental_matches == {"bo": "JointP"}
    assert result.stable


def test_reversion_moves_only_what_the_donor_cannot_fill() -> None:
    """Donor has 3 places and reverts up to 2 to Receiver.  Only 2 applicants want Donor, so 1
    place is unfilled and reverts (min(2, 1) = 1).  Receiver, with 1 place of its own, can then
    take its 2 best: Ed and Flo; Gil stays unmatched."""
    doc = {
        "programs": {
            "Donor": {
                "quota": 3,
                "rol": ["ann", "bea"],
                "reversions": [{"to": "Receiver", "positions": 2}],
            },
            "Receiver": {"quota": 1, "rol": ["ed", "flo", "gil"]},
        },
        "applicants": {
            "ann": {"rol": ["Donor"]},
            "bea": {"rol": ["Donor"]},
            "ed": {"rol": ["Receiver"]},
            "flo": {"rol": ["Receiver"]},
            "gil": {"rol": ["Receiver"]},
        },
    }
    result = run(doc)
    assert result.matches == {
        "ann": "Donor",
        "bea": "Donor",
        "ed": "Receiver",
        "flo": "Receiver",
        "gil": None,
    }
    assert result.reverted == {"Receiver": 1}
    assert result.unfilled == {}
    assert result.final_quotas == {"Donor": 3, "Receiver": 2}


def test_reverted_position_is_taken_back_when_the_donor_fills_it() -> None:
    """Cal prefers Receiver but Receiver ranks him last; he ends at Donor.  Donor fills all 2
    places (Ann, Cal), so nothing reverts and Receiver keeps its 1 place for Ed."""
    doc = {
        "programs": {
            "Donor": {
                "quota": 2,
                "rol": ["ann", "cal"],
                "reversions": [{"to": "Receiver", "positions": 1}],
            },
            "Receiver": {"quota": 1, "rol": ["ed", "cal"]},
        },
        "applicants": {
            "ann": {"rol": ["Donor"]},
            "cal": {"rol": ["Receiver", "Donor"]},
            "ed": {"rol": ["Receiver"]},
        },
    }
    result = run(doc)
    assert result.matches == {"ann": "Donor", "cal": "Donor", "ed": "Receiver"}
    assert result.reverted == {}


def test_explain_tells_an_unmatched_applicant_why() -> None:
    doc = {
        "programs": {
            "City": {"quota": 1, "rol": ["ben", "ana"]},
            "Mercy": {"quota": 1, "rol": ["ben"]},
        },
        "applicants": {"ana": {"rol": ["City", "Mercy"]}, "ben": {"rol": ["City"]}},
    }
    inst = Instance.from_dict(doc)
    story = explain(inst, solve(inst), "ana")
    assert story.matched is None
    assert [s.outcome for s in story.steps] == ["failed", "failed"]
    assert story.steps[0].sides[0].outcome == "filled_higher"
    assert story.steps[0].sides[0].your_rank == 2
    assert story.steps[0].sides[0].lowest_matched_rank == 1
    assert story.steps[1].sides[0].outcome == "not_ranked"
    text = story.text()
    assert "City ranked you #2 but filled all 1 position" in text
    assert "Mercy did not rank you" in text
