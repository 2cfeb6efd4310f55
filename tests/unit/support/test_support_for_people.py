"""The directory filtered for realistic people: stage from the plan, citizenship, states, status."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from imgpath.errors import InvalidInputError
from imgpath.pathway import load_profile
from imgpath.support import Fit, SupportReport, support_for, support_listing

ROOT = Path(__file__).resolve().parents[3]
ON = date(2026, 11, 30)


def fits(report: SupportReport) -> dict[str, Fit]:
    return {m.entry.id: m.fit for m in report.matches}


def match(report: SupportReport, entry_id: str) -> Any:
    return next(m for m in report.matches if m.entry.id == entry_id)


NIGERIAN = load_profile(ROOT / "examples" / "profile-nigeria.yaml", on=ON)

J1_RESIDENT_NY = {
    "school": {"country": "IN", "graduation_date": "2019-05-01"},
    "citizenships": ["IN"],
    "us_status": "j1",
    "in_us": True,
    "exams": {
        "step1": [{"date": "2020-01-10", "result": "pass"}],
        "step2ck": [{"date": "2020-06-10", "result": "pass", "score": 250}],
    },
    "ecfmg": {"certificate_date": "2021-02-01", "credentials_verified": "yes"},
    "progress": {"matched": True, "residency_start": "2024-07-01"},
    "targets": {"states": ["NY"], "specialty": "internal medicine"},
}


def test_the_nigerian_newcomer_sees_what_fits_her_stage_and_nothing_for_later() -> None:
    report = support_for(NIGERIAN, ON, include_unfit=True)
    s = report.situation
    assert (s.destination, s.stage, s.citizenships, s.states) == (
        "US",
        "exams",
        ("NG",),
        ("NY", "TX", "TN"),
    )
    assert "ecfmg_certificate" in s.stage_reason
    assert s.status == "none"
    assert s.lives_in_destination is False
    found = fits(report)
    assert found["us.ama_imgs"] is Fit.fits
    assert found["us.cleveland_global_observer"] is Fit.fits  # Nigeria is not excluded
    # J-1 waivers are for residents finishing training; state programs for other states.
    arc = match(report, "us.arc_j1")
    assert arc.fit is Fit.does_not_fit
    assert any("preparing for or taking the exams" in r for r in arc.reasons)
    assert found["us.mn_img_program"] is Fit.does_not_fit
    # Programs for people already living in the US do not fit someone abroad.
    assert found["us.upwardly_global"] is Fit.does_not_fit
    # Other destinations never fit.
    others = [m for m in report.matches if m.entry.serves.destination != "US"]
    assert others
    assert all(m.fit is Fit.does_not_fit for m in others)


def test_by_default_only_what_fits_or_may_fit_is_listed() -> None:
    report = support_for(NIGERIAN, ON)
    assert {m.fit for m in report.matches} <= {Fit.fits, Fit.may_fit}
    order = [m.fit for m in report.matches]
    assert order == sorted(order, key=lambda f: f is not Fit.fits)


def test_a_j1_resident_in_new_york_gets_the_waiver_programs_of_new_york() -> None:
    report = support_for(J1_RESIDENT_NY, ON, include_unfit=True)
    assert report.situation.stage == "in_residency"
    assert report.situation.status == "temporary"
    found = fits(report)
    assert found["us.ny_conrad30"] is Fit.fits
    assert found["us.arc_j1"] is Fit.fits  # New York is one of the 13 Appalachian states
    assert found["us.hhs_j1_clinical"] is Fit.fits  # internal medicine
    assert found["us.3rnet_j1"] is Fit.fits
    tx = match(report, "us.tx_conrad30")
    assert tx.fit is Fit.does_not_fit
    assert any("Texas (TX)" in r for r in tx.reasons)
    assert found["us.aapi_observership"] is Fit.does_not_fit  # observerships are before residency


def test_the_state_option_replaces_the_target_states() -> None:
    report = support_for(J1_RESIDENT_NY, ON, states=["TX"], kinds=["visa_legal"])
    ids = set(fits(report))
    assert "us.tx_conrad30" in ids
    assert "us.ny_conrad30" not in ids
    assert all(m.entry.kind == "visa_legal" for m in report.matches)
    assert report.situation.states == ("TX",)


def test_a_j1_resident_in_psychiatry_fits_hhs_but_a_surgeon_does_not() -> None:
    surgeon = J1_RESIDENT_NY | {"targets": {"states": ["NY"], "specialty": "general surgery"}}
    report = support_for(surgeon, ON, include_unfit=True)
    hhs = match(report, "us.hhs_j1_clinical")
    assert hhs.fit is Fit.does_not_fit
    assert any("general surgery" in r for r in hhs.reasons)
    psych = J1_RESIDENT_NY | {"targets": {"states": ["NY"], "specialty": "psychiatry"}}
    found = fits(support_for(psych, ON, include_unfit=True))
    assert found["us.hhs_j1_clinical"] is Fit.fits
    assert found["us.apa_img"] is Fit.fits


def test_stages_follow_the_plan() -> None:
    base: dict[str, Any] = {
        "school": {"country": "EG"},
        "citizenships": ["EG"],
        "exams": {
            "step1": [{"date": "2024-01-10", "result": "pass"}],
            "step2ck": [{"date": "2024-06-10", "result": "pass", "score": 240}],
        },
        "ecfmg": {"certificate_date": "2025-02-01", "credentials_verified": "yes"},
    }
    certified = support_for(base, ON).situation
    assert certified.stage == "certified", certified.stage_reason
    applying = support_for(base | {"progress": {"eras_submitted": True}}, ON).situation
    assert applying.stage == "applying"
    matched = support_for(base | {"progress": {"matched": True}}, ON).situation
    assert matched.stage == "matched"
    practising = support_for(base | {"progress": {"licensed_states": ["OH"]}}, ON).situation
    assert practising.stage == "practising"
    nothing = support_for({}, ON).situation
    assert nothing.stage == "exams"


def test_a_us_citizen_latin_american_graduate_fits_the_ucla_program() -> None:
    person = {
        "school": {"country": "MX", "graduation_date": "2023-06-01"},
        "citizenships": ["US", "MX"],
        "targets": {"states": ["CA"], "specialty": "family medicine"},
    }
    report = support_for(person, ON, include_unfit=True)
    assert report.situation.status == "citizen"
    assert fits(report)["us.ucla_img_program"] is Fit.fits
    visa = person | {"citizenships": ["MX"], "us_status": "f1"}
    ucla = match(support_for(visa, ON, include_unfit=True), "us.ucla_img_program")
    assert ucla.fit is Fit.does_not_fit
    assert any("permanent resident" in r for r in ucla.reasons)


def test_what_the_profile_does_not_say_makes_an_entry_may_fit_and_says_what_to_add() -> None:
    report = support_for({"school": {"country": "NG"}}, ON)
    assert "us.wa_clinical_experience_license" not in fits(report)  # stage exams is known
    mn = match(
        support_for({"school": {"country": "NG"}}, ON, include_unfit=True), "us.mn_img_program"
    )
    assert mn.fit is Fit.may_fit
    assert any("targets.states" in u for u in mn.unknowns)
    assert any("living in US" in u for u in mn.unknowns)


def test_excluded_citizenships_are_applied() -> None:
    iranian = {"school": {"country": "IR"}, "citizenships": ["IR"]}
    cleveland = match(support_for(iranian, ON, include_unfit=True), "us.cleveland_global_observer")
    assert cleveland.fit is Fit.does_not_fit
    assert any("Iran" in r for r in cleveland.reasons)
    dual = {"school": {"country": "IR"}, "citizenships": ["CA", "IR"]}
    assert (
        fits(support_for(dual, ON, include_unfit=True))["us.cleveland_global_observer"]
        is Fit.does_not_fit
    )


def test_heritage_organisations_fit_by_citizenship_and_explain_otherwise() -> None:
    indian_to_uk = {
        "school": {"country": "IN"},
        "citizenships": ["IN"],
        "targets": {"destination": "UK"},
    }
    report = support_for(indian_to_uk, ON, include_unfit=True)
    assert fits(report)["uk.bapio"] is Fit.fits
    nigerian_to_uk = indian_to_uk | {"citizenships": ["NG"], "school": {"country": "NG"}}
    bapio = match(support_for(nigerian_to_uk, ON, include_unfit=True), "uk.bapio")
    assert bapio.fit is Fit.does_not_fit
    assert any("heritage" in r for r in bapio.reasons)


def test_refugee_programmes_say_the_profile_cannot_tell() -> None:
    syrian_in_london = {
        "school": {"country": "SY"},
        "citizenships": ["SY"],
        "uk_status": "visa",
        "targets": {"destination": "UK"},
    }
    report = support_for(syrian_in_london, ON)
    bridges = match(report, "uk.building_bridges")
    assert bridges.fit is Fit.may_fit
    assert any("refugee" in u for u in bridges.unknowns)
    # GMC's workshop is for registered doctors; the plan says she is not registered yet.
    assert "uk.gmc_welcome_to_uk_practice" not in fits(report)
    assert report.situation.stage == "exams"


def test_a_canadian_permanent_resident_family_doctor_fits_practice_ready_ontario() -> None:
    person = {
        "school": {"country": "PH"},
        "citizenships": ["PH"],
        "ca_status": "permanent_resident",
        "training_abroad": {"postgraduate_years": 3, "practice_years": 8},
        "targets": {"destination": "CA", "specialty": "family medicine"},
    }
    report = support_for(person, ON, include_unfit=True)
    assert report.situation.practised_abroad is True
    found = fits(report)
    assert found["ca.practice_ready_ontario"] is Fit.fits
    assert found["ca.mcc_nac_pra"] is Fit.fits
    windmill = match(report, "ca.windmill_microlending")
    assert windmill.fit is Fit.may_fit  # whether they live in Canada is not in the profile
    no_practice = person | {"training_abroad": {"postgraduate_years": 0, "practice_years": 0}}
    assert (
        fits(support_for(no_practice, ON, include_unfit=True))["ca.practice_ready_ontario"]
        is Fit.does_not_fit
    )


def test_filters_name_the_bad_field() -> None:
    with pytest.raises(InvalidInputError, match="state: 'XX' is not a US state code"):
        support_for(NIGERIAN, ON, states=["XX"])
    with pytest.raises(InvalidInputError, match="kind: 'grants' is not a kind of support"):
        support_for(NIGERIAN, ON, kinds=["grants"])


def test_a_bad_profile_names_its_field() -> None:
    from imgpath.pathway import InvalidProfileError

    with pytest.raises(InvalidProfileError, match=r"citizenships\[0\]"):
        support_for({"citizenships": ["ZZ"]}, ON)


def test_the_listing_without_a_profile_filters_by_destination_kind_and_state() -> None:
    everything = support_listing(ON)
    assert {m.fit for m in everything.matches} == {Fit.listed}
    assert not everything.situation.assessed
    canada = support_listing(ON, destination="CA")
    assert canada.matches
    assert all(m.entry.serves.destination == "CA" for m in canada.matches)
    ny = support_listing(ON, destination="US", states=["NY"], kinds=["visa_legal"])
    ids = {m.entry.id for m in ny.matches}
    assert "us.ny_conrad30" in ids
    assert "us.tx_conrad30" not in ids
    with pytest.raises(InvalidInputError, match="destination 'DE'"):
        support_listing(ON, destination="DE")


def test_the_json_form_carries_source_dates_grade_and_review_for_every_entry() -> None:
    data = support_for(NIGERIAN, ON).to_dict()
    assert data["as_of"] == "2026-11-30"
    assert data["situation"]["stage"] == "exams"
    for entry in data["entries"]:
        assert entry["sources"][0]["url"].startswith("http")
        assert {
            "as_of",
            "grade",
            "review_by",
            "stale",
            "needs_confirmation",
            "fit",
            "reasons",
        } <= set(entry)


def test_a_plan_already_computed_gives_the_same_answer() -> None:
    from imgpath.pathway import plan

    report = plan(NIGERIAN, ON)
    assert support_for(NIGERIAN, ON, report=report) == support_for(NIGERIAN, ON)
    with pytest.raises(ValueError, match="not 2026-12-01"):
        support_for(NIGERIAN, date(2026, 12, 1), report=report)
