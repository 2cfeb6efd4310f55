"""Issue 17's "Must show", on the bundled data: the newcomer of ../shared/cases/web/newcomer-walk.md
(a 2022 Nigerian graduate, Step 2 CK 238, no ECFMG certificate, needs a visa, internal medicine)
searches for programs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from imgpath.catalog import (
    MIN_SAMPLE,
    Applicant,
    Catalog,
    SearchQuery,
    applicant_from_file,
    open_catalog,
)
from imgpath.services.catalog import load_evidence

ON = date(2026, 11, 29)
NEWCOMER = """\
name: Newcomer (test)
school: {name: University of Lagos, country: NG, wdoms_ecfmg_note: "yes", graduation_date: 2022-07-15}
citizenships: [NG]
us_status: none
in_us: false
exams:
  step1: [{date: 2024-02-10, result: pass}]
  step2ck: [{date: 2025-01-20, result: pass, score: 238}]
ecfmg: {application_submitted: true}
targets: {destination: US, specialty: internal medicine, match_year: 2027, visa: h1b}
"""
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def catalog(sqlite_url: str) -> Iterator[Catalog]:
    with open_catalog(sqlite_url) as opened:
        yield opened


@pytest.fixture
def newcomer(tmp_path: Path) -> Applicant:
    path = tmp_path / "newcomer.yaml"
    path.write_text(NEWCOMER, encoding="utf-8")
    return applicant_from_file(path, on=ON)


def _own_sample(code: str, track: str, kind: str | None) -> int:
    """Applicants of this kind behind the track's own specialty figure (the larger table)."""
    evidence = load_evidence()
    key = evidence.crosswalk.key(code, track)
    if key is None:
        return 0
    pgy1, outcomes, _ = evidence.crosswalk.rows[key]
    sizes = [evidence.pgy1[pgy1].counts(kind)[1]] if pgy1 else []
    if kind == "non_us_img" and outcomes:
        sizes.append(evidence.outcomes[outcomes].total)
    return max(sizes, default=0)


def test_the_newcomer_is_a_non_us_img_needing_an_h1b(newcomer: Applicant) -> None:
    assert newcomer.kind == "non_us_img"
    assert newcomer.needs_visa is True
    assert newcomer.j1_open is False  # the travel ban closes the J-1 to Nigerian nationals
    assert newcomer.step2ck == 238
    assert newcomer.target_specialty == "internal medicine"


def test_the_default_search_keeps_the_target_specialty(
    catalog: Catalog, newcomer: Applicant
) -> None:
    result = catalog.search(SearchQuery(sort="fit", limit=0), newcomer)
    assert {v.program.specialty_code for v in result.programs} == {"140"}
    assert result.total == 1107
    assert any("target specialty" in n for n in result.notes)
    everything = catalog.search(SearchQuery(sort="fit", limit=0, all_specialties=True), newcomer)
    assert everything.total == 6263 - everything.excluded


@pytest.mark.parametrize("query", [
    SearchQuery(sort="fit", limit=0),
    SearchQuery(sort="fit", limit=0, specialties=("internal med",)),  # with the combined specialties
    SearchQuery(sort="fit", limit=0, specialties=("medicine",)),
    SearchQuery(sort="fit", limit=0, all_specialties=True),
])  # fmt: skip
def test_no_small_sample_specialty_ranks_above_the_target(
    catalog: Catalog, newcomer: Applicant, query: SearchQuery
) -> None:
    result = catalog.search(query, newcomer)
    programs = [v for v in result.programs if v.fit is not None and not v.fit.excluded]
    target = [i for i, v in enumerate(programs) if v.program.specialty_code == "140"]
    assert target
    last_target = max(target)
    small = [i for i, v in enumerate(programs)
             if _own_sample(v.program.specialty_code, v.program.track_type, "non_us_img") < MIN_SAMPLE]  # fmt: skip
    if query.specialties or query.all_specialties:
        assert small, "the query should reach specialties with small samples"
    assert all(i > last_target for i in small)
    for i in small:
        fit = programs[i].fit
        assert fit is not None
        assert fit.thin
        assert any(t.name == "specialty_sample" for t in fit.terms)
    if small:
        assert any(f"fewer than {MIN_SAMPLE} applicants like you" in n for n in result.notes)


def test_medical_genetics_no_longer_floats_to_the_top(
    catalog: Catalog, newcomer: Applicant
) -> None:
    result = catalog.search(SearchQuery(sort="fit", limit=0, specialties=("140", "766")), newcomer)
    genetics = [v for v in result.programs if v.program.specialty_code == "766"]
    im = [
        v
        for v in result.programs
        if v.program.specialty_code == "140" and v.program.track_type == "C"
    ]
    assert genetics
    assert im
    assert all(
        g.fit and g.fit.score == 42 for g in genetics
    )  # Internal Medicine's figure, as borrowed
    assert max(v.fit.score for v in im if v.fit) >= 42
    assert "5 matched" in genetics[0].fit.terms[0].text  # type: ignore[union-attr]


def test_the_visa_filter_changes_the_result_or_says_how_many_are_unknown(
    catalog: Catalog, newcomer: Applicant
) -> None:
    plain = catalog.search(SearchQuery(sort="fit", limit=0), newcomer)
    h1b = catalog.search(SearchQuery(sort="fit", limit=0, visa="h1b"), newcomer)
    assert h1b.visa is not None
    counts = h1b.visa["h1b"]
    assert sum(counts.values()) == plain.total + plain.excluded
    changed = [v.program.code for v in h1b.programs] != [v.program.code for v in plain.programs]
    assert changed or counts["unknown"] > 0
    assert f"{counts['unknown']} unknown" in h1b.visa["text"]
    # In the default install no program has H-1B evidence yet: the filter says so, it does not
    # quietly return the unfiltered list.
    assert h1b.total == counts["evidence"] == 0
    # Without a filter, an applicant needing a visa still sees the counts.
    assert plain.visa is not None
    assert plain.visa["h1b"]["unknown"] == plain.total


def test_programs_without_evidence_are_shown_as_tied(catalog: Catalog, newcomer: Applicant) -> None:
    result = catalog.search(SearchQuery(sort="fit", limit=0), newcomer)
    assert result.ties
    biggest = max(result.ties, key=lambda t: t["count"])
    assert biggest["count"] > 500
    tied = [v for v in result.programs if v.tied_with]
    assert len(tied) >= biggest["count"]
    for view in tied:
        assert view.evidence_kinds == ()
        assert view.fit is not None
        assert any("ties with every other program like it" in t.text for t in view.fit.terms)
    # tied programs are listed by state and name, after the programs with evidence at that score
    group = [v for v in result.programs if v.fit and v.fit.score == biggest["score"]]
    evidence_first = [bool(v.evidence_kinds) for v in group]
    assert evidence_first == sorted(evidence_first, reverse=True)
    names = [
        (v.program.state, v.program.institution.lower()) for v in group if not v.evidence_kinds
    ]
    assert names == sorted(names)


def test_every_program_level_fact_shown_carries_its_source_and_date(
    catalog: Catalog, newcomer: Applicant
) -> None:
    result = catalog.search(SearchQuery(sort="fit", limit=0, all_specialties=True), newcomer)
    seen = 0
    for view in result.programs:
        if not view.evidence_kinds:
            continue
        full = catalog.show(view.program.code, newcomer)
        assert full.fit is not None
        for term in full.fit.terms:
            if term.name in ("fill_history", "h1b_filings", "acgme", "invites", "outcomes"):
                seen += 1
                assert DATE.search(term.source), (view.program.code, term)
        data = full.to_dict()["program_evidence"]
        for fill in data["fill_history"]:
            assert fill["source"]
            assert DATE.fullmatch(fill["as_of"])
            assert fill["row"] > 1
        for record in data["acgme"]:
            assert record["source"]
            assert DATE.fullmatch(record["as_of"])
        if data["invites"]:
            assert data["invites"]["self_reported"]
            assert DATE.fullmatch(data["invites"]["as_of"])
        for claim in full.claims:
            assert claim.source
            assert claim.as_of
    assert seen > 500


def test_closing_note_counts(catalog: Catalog) -> None:
    """How many programs carry program-level evidence in the default install, and from where."""
    summary = catalog.evidence_summary()
    assert summary["with_program_evidence"] == 594
    assert summary["by_kind"] == {"claims": 0, "fill_history": 362, "h1b_filings": 0, "acgme": 198,
                                  "invites": 51, "outcomes": 0}  # fmt: skip
    assert [s["kind"] for s in summary["sources"]] == [
        "nrmp_program_results",
        "acgme_programs",
        "invite_sheet",
    ]
