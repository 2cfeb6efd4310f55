"""NRMP's specialty tables as the fit reads them, and the crosswalk to program tracks."""

from __future__ import annotations

import csv
import io
import itertools
from importlib import resources

import pytest

from imgpath.core.catalog.evidence import MIN_SAMPLE, step2_match_probability
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


def test_a_small_sample_borrows_its_parent_specialty() -> None:
    evidence = load_evidence()
    # 5 of 6 non-US IMGs who ranked Medicine-Medical Genetics matched (2025): too few to use.
    row = evidence.pgy1["Medicine-Medical Genetics"]
    assert row.counts("non_us_img") == (5, 6)
    genetics = evidence.estimate("766", "C", "non_us_img", 238)
    im = evidence.estimate("140", "C", "non_us_img", 238)
    assert genetics.rate == im.rate
    assert genetics.borrowed == "Internal Medicine"
    assert f"fewer than imgpath's minimum sample of {MIN_SAMPLE}" in genetics.text
    assert im.text in genetics.text


def test_a_large_sample_is_shrunk_toward_its_parent() -> None:
    evidence = load_evidence()
    row = evidence.pgy1["Internal Medicine (Categorical)"]
    matched, applicants = row.counts("us_img")
    prior = evidence.overall.rate("us_img")
    assert prior is not None
    expected = (matched + MIN_SAMPLE * prior) / (applicants + MIN_SAMPLE)
    assert evidence.estimate("140", "C", "us_img").rate == pytest.approx(expected)
    # Internal medicine preliminary years are shrunk toward categorical internal medicine.
    prelim = evidence.pgy1["Medicine-Preliminary (PGY-1 Only)"]
    m, n = prelim.counts("us_img")
    parent = evidence.table_rate(("140", "C"), "us_img", "pgy1")
    assert evidence.estimate("140", "P", "us_img").rate == pytest.approx(
        (m + MIN_SAMPLE * parent) / (n + MIN_SAMPLE)
    )


@pytest.mark.parametrize("kind", [None, "us_img", "non_us_img", "us_md"])
def test_no_specialty_below_the_minimum_sample_uses_its_own_figure(kind: str | None) -> None:
    evidence = load_evidence()
    for key, (pgy1, outcomes, _) in evidence.crosswalk.rows.items():
        own = []
        if kind == "non_us_img" and outcomes:
            own.append(evidence.outcomes[outcomes].total)
        if pgy1:
            own.append(evidence.pgy1[pgy1].counts(kind)[1])
        estimate = evidence.estimate(*key, kind, 240)
        if all(n < MIN_SAMPLE for n in own):
            parent = evidence.crosswalk.parent(key)
            if parent is not None:
                assert estimate.rate == evidence.estimate(*parent, kind, 240).rate, key
                assert estimate.borrowed, key
            else:
                assert estimate.fallback, key


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
