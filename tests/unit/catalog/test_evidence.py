"""NRMP's specialty tables as the fit reads them, and the crosswalk to program tracks."""

from __future__ import annotations

import csv
import io
import itertools
from importlib import resources

import pytest

from imgpath.core.catalog.evidence import SMOOTHING, step2_match_probability
from imgpath.services.catalog import PROGRAM_LIST, load_evidence


def test_every_program_track_has_a_crosswalk_entry() -> None:
    text = (
        resources.files("imgpath")
        .joinpath("data", "catalog", PROGRAM_LIST)
        .read_text(encoding="utf-8")
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    evidence = load_evidence()
    keys = {(r["specialty_code"], r["track_type"]) for r in rows}
    assert len(rows) == 6263
    for code, kind in keys:
        assert (code, kind) in evidence.crosswalk.rows or (code, "*") in evidence.crosswalk.rows
    for pgy1, outcomes, _ in evidence.crosswalk.rows.values():
        assert pgy1 is None or pgy1 in evidence.pgy1
        assert outcomes is None or outcomes in evidence.outcomes


def test_published_totals() -> None:
    evidence = load_evidence()
    im = evidence.pgy1["Internal Medicine (Categorical)"]
    assert (im.matches["non_us_img"], im.applicants["non_us_img"]) == (3573, 7630)
    assert evidence.outcomes["Internal Medicine"].match_rate == 48.5
    assert evidence.outcomes["Pediatrics"].step2_median == (240, 233)
    # 5,721 of 11,685 non-US IMGs matched to their preferred specialty in 2026 (research notes, §2)
    assert evidence.outcomes_rate == pytest.approx(5721 / 11685, abs=0.005)


def test_smoothing_pulls_small_specialties_toward_the_overall_rate() -> None:
    evidence = load_evidence()
    row = evidence.pgy1["Medicine-Medical Genetics"]
    matched, applicants = row.counts("non_us_img")
    prior = evidence.overall.rate("non_us_img")
    assert prior is not None
    expected = (matched + SMOOTHING * prior) / (applicants + SMOOTHING)
    assert evidence.smoothed_rate(row, "non_us_img") == pytest.approx(expected)
    big = evidence.pgy1["Internal Medicine (Categorical)"]
    assert evidence.smoothed_rate(big, "non_us_img") == pytest.approx(3573 / 7630, abs=0.002)


def test_step2_estimate_rises_with_the_score_and_matches_the_notes() -> None:
    cohort = load_evidence().outcomes["Internal Medicine"]
    estimates = [step2_match_probability(s, cohort) for s in range(200, 280, 5)]
    assert all(a is not None and b is not None and a < b for a, b in itertools.pairwise(estimates))
    # The research notes (data-sources.md §2, derived) give about 49% at 245 and 25% at 215.
    assert step2_match_probability(245, cohort) == pytest.approx(0.49, abs=0.02)
    assert step2_match_probability(215, cohort) == pytest.approx(0.25, abs=0.02)


def test_suppressed_cohorts_give_no_estimate() -> None:
    outcomes = load_evidence().outcomes
    assert outcomes["Dermatology"].step2_matched is None
    assert step2_match_probability(250, outcomes["Dermatology"]) is None
