"""The fit: hand-worked examples, and the array version against the term-by-term one."""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgpath.core.catalog.claims import CLAIM_FIELDS, ECFMG_STAGES, USCE_TYPES, Claim
from imgpath.core.catalog.fill_history import FillYear
from imgpath.core.catalog.fit import (
    CONFIDENCE_LABELS,
    FILL_FACTOR,
    OUTCOME_BOUNDS,
    PREFERENCE_FACTOR,
    Applicant,
    build_table,
    explain,
    score_all,
    thin_samples,
)
from imgpath.core.catalog.outcomes import OutcomeCell
from imgpath.core.catalog.program_evidence import NO_EVIDENCE, H1bEvidence, ProgramEvidence
from imgpath.core.catalog.programs import Program, parse_programs
from imgpath.services.catalog import PROGRAM_LIST, load_evidence

EVIDENCE = load_evidence()
_TEXT = (
    resources.files("imgpath").joinpath("data", "catalog", PROGRAM_LIST).read_text(encoding="utf-8")
)
ALL = parse_programs(csv.DictReader(io.StringIO(_TEXT)), source=PROGRAM_LIST)
IM = next(p for p in ALL if p.specialty_code == "140" and p.track_type == "C")
TY = next(p for p in ALL if p.specialty_code == "999")
NUS = Applicant(kind="non_us_img", needs_visa=True, j1_open=True, h1b_open=True, step2ck=245,
                attempts=1, years_since_graduation=3.0, usce_months=2, usce_hands_on_months=0, ecfmg_certified=False)  # fmt: skip


def claim(field: str, value: object, kind: str = "reported", code: str | None = None) -> Claim:
    return Claim(code or IM.code, field, value, kind, "user", date(2026, 1, 1), "test")


def fit(applicant: Applicant, *claims: Claim, program: Program = IM):  # type: ignore[no-untyped-def]
    return explain(applicant, program, claims, EVIDENCE)


def test_base_is_the_charting_outcomes_estimate_for_a_non_us_img() -> None:
    f = fit(NUS)
    assert f.score == 48  # 49% for Step 2 CK 245 in internal medicine (smoothed prior)
    assert f.terms[0].name == "specialty"
    assert "Charting Outcomes" in f.terms[0].source
    assert not f.excluded
    assert f.confidence == "low"
    assert (f.known, f.relevant) == (0, 7)


def test_a_us_img_uses_the_pgy1_table() -> None:
    f = fit(Applicant(kind="us_img", needs_visa=False))
    # 1,145 of 2,099 US IMGs who ranked internal medicine matched (2025), shrunk toward the
    # all-specialty rate with 30 pseudo-applicants.
    prior = EVIDENCE.overall.rate("us_img")
    assert prior is not None
    assert f.score == round(100 * (1145 + 30 * prior) / (2099 + 30)) == 54
    assert "PGY-1" in f.terms[0].text
    assert f.relevant == 6  # no visa term for someone who needs none


def test_a_track_without_figures_falls_back_and_says_so() -> None:
    nuclear = next(p for p in ALL if p.specialty_code == "200")
    f = fit(Applicant(kind="us_img"), program=nuclear)
    assert "No figures for this track" in f.terms[0].text
    assert f.confidence == "low"


@pytest.mark.parametrize(
    ("claims", "applicant", "excluded"),
    [
        ([claim("j1_sponsor", False), claim("h1b_sponsor", False)], NUS, True),
        ([claim("j1_sponsor", False)], NUS, False),  # H-1B unknown: not excluded
        (
            [claim("j1_sponsor", False)],
            Applicant(kind="non_us_img", needs_visa=True, h1b_open=False),
            True,
        ),
        (
            [claim("h1b_sponsor", False)],
            Applicant(kind="non_us_img", needs_visa=True, j1_open=False),
            True,
        ),
        (
            [claim("j1_sponsor", False), claim("j1_sponsor", True), claim("h1b_sponsor", False)],
            NUS,
            False,
        ),  # conflict
        (
            [claim("j1_sponsor", False), claim("h1b_sponsor", False)],
            Applicant(kind="us_img", needs_visa=False),
            False,
        ),
        ([claim("step2ck_min", 250, "cutoff")], NUS, True),
        (
            [claim("step2ck_min", 250, "cutoff"), claim("step2ck_min", 240, "cutoff")],
            NUS,
            False,
        ),  # least strict
        (
            [claim("step2ck_min", 250, "cutoff")],
            Applicant(kind="non_us_img"),
            False,
        ),  # score unknown
        ([claim("max_attempts", 1, "cutoff")], Applicant(kind="non_us_img", attempts=2), True),
        ([claim("max_years_since_graduation", 2, "cutoff")], NUS, True),
        ([claim("usce_months", 1, "cutoff")], NUS, False),
        ([claim("usce_months", 1, "cutoff"), claim("usce_type", "hands_on", "cutoff")], NUS, True),
        ([claim("ecfmg_certified_by", "application", "cutoff")], NUS, True),
        ([claim("ecfmg_certified_by", "rank_list", "cutoff")], NUS, False),
        ([claim("step2ck_min", 250, "preference")], NUS, False),
    ],
)
def test_exclusions(claims: list[Claim], applicant: Applicant, excluded: bool) -> None:
    assert fit(applicant, *claims).excluded is excluded


def test_a_missed_preference_lowers_the_index() -> None:
    plain = fit(NUS).score
    lowered = fit(NUS, claim("step2ck_min", 250, "preference"))
    assert (
        lowered.score == round(plain * PREFERENCE_FACTOR["step2ck_min"])
        or abs(lowered.score - plain * 0.6) <= 1
    )
    assert any(t.effect == "factor" and t.name == "step2ck_min" for t in lowered.terms)


def test_the_img_share_factor_is_bounded() -> None:
    plain = fit(NUS).score
    high = fit(NUS, claim("non_us_img_share", 100))
    none = fit(NUS, claim("non_us_img_share", 0))
    assert high.score == min(100, round(plain * 2)) or abs(high.score - min(100, plain * 2)) <= 1
    assert abs(none.score - plain * 0.2) <= 1
    conflict = fit(NUS, claim("non_us_img_share", 10), claim("non_us_img_share", 60))
    assert conflict.score == plain
    assert any(t.effect == "conflict" for t in conflict.terms)


def test_known_facts_raise_confidence_not_the_index() -> None:
    known = fit(NUS, claim("j1_sponsor", True), claim("non_us_img_share", 34.4 * 100 / 100),
                claim("step2ck_min", 220, "cutoff"), claim("max_attempts", 2, "cutoff"),
                claim("max_years_since_graduation", 5, "preference"))  # fmt: skip
    assert known.confidence == "high"
    assert (known.known, known.relevant) == (5, 7)
    medium = fit(
        NUS,
        claim("j1_sponsor", True),
        claim("step2ck_min", 220, "cutoff"),
        claim("usce_months", 0, "preference"),
    )
    assert medium.confidence == "medium"


# ------------------------------------------------------------------ arrays vs terms

FIELDS = list(CLAIM_FIELDS)


def values(field: str) -> st.SearchStrategy[object]:
    return {
        "j1_sponsor": st.booleans(),
        "h1b_sponsor": st.booleans(),
        "us_img_share": st.sampled_from([0.0, 5.0, 12.0, 40.0, 100.0]),
        "non_us_img_share": st.sampled_from([0.0, 5.0, 34.0, 60.0, 100.0]),
        "step2ck_min": st.integers(200, 260),
        "max_attempts": st.integers(1, 3),
        "max_years_since_graduation": st.integers(0, 10),
        "usce_months": st.sampled_from([0.0, 1.0, 3.0, 6.0]),
        "usce_type": st.sampled_from(USCE_TYPES),
        "ecfmg_certified_by": st.sampled_from(ECFMG_STAGES),
    }[field]


@st.composite
def claim_sets(draw: st.DrawFn, programs: list[Program]) -> list[Claim]:
    out = []
    for _ in range(draw(st.integers(0, 40))):
        program = draw(st.sampled_from(programs))
        field = draw(st.sampled_from(FIELDS))
        kind = draw(st.sampled_from(CLAIM_FIELDS[field].kinds))
        status = draw(st.sampled_from(["accepted", "accepted", "pending", "flagged"]))
        out.append(
            Claim(
                program.code,
                field,
                draw(values(field)),
                kind,
                "user",
                date(2026, 1, 1),
                "t",
                status=status,
            )
        )
    return out


@st.composite
def evidence_sets(draw: st.DrawFn, programs: list[Program]) -> dict[str, ProgramEvidence]:
    """Random program-level evidence: fill history, H-1B filings, outcome cells."""
    out = {}
    baseline = {("non_us_img", True): 0.3, ("us_img", None): 0.5}
    for program in programs:
        if not draw(st.booleans()):
            continue
        fill = tuple(
            FillYear(program.code, year, quota, min(quota, quota - draw(st.integers(0, 3))), "Main", "NRMP", "2026-04-27", 2)
            for year, quota in zip(range(2026, 2026 - draw(st.integers(0, 3)), -1), [draw(st.integers(1, 20))] * 3,
                                   strict=False)
        )  # fmt: skip
        h1b = None
        if draw(st.booleans()):
            h1b = H1bEvidence(program.institution_code, program.institution, ("X",), draw(st.integers(0, 3)), 0,
                              (2025,), date(2025, 3, 1), None, None, 95.0, "matched", "DOL", "2025-03-01")  # fmt: skip
        cells = ()
        if draw(st.booleans()):
            people = draw(st.integers(5, 40))
            invited = draw(st.integers(0, people))
            kind, visa = draw(st.sampled_from(list(baseline)))
            cells = (OutcomeCell(program.code, kind, visa, people, {"applied": people, "invited": invited},
                                 2026, 2026),)  # fmt: skip
        out[program.code] = ProgramEvidence(program.code, fill, h1b, (), None, cells, baseline)
    return out


applicants = st.builds(
    Applicant,
    kind=st.sampled_from([None, "us_img", "non_us_img", "us_md"]),
    needs_visa=st.sampled_from([None, True, False]),
    j1_open=st.sampled_from([None, True, False]),
    h1b_open=st.sampled_from([None, True, False]),
    step2ck=st.one_of(st.none(), st.integers(190, 280)),
    attempts=st.one_of(st.none(), st.integers(0, 4)),
    years_since_graduation=st.one_of(st.none(), st.floats(0, 15)),
    usce_months=st.sampled_from([0.0, 1.0, 2.0, 4.0, 8.0]),
    usce_hands_on_months=st.sampled_from([0.0, 1.0, 3.0]),
    ecfmg_certified=st.sampled_from([None, True, False]),
)


@settings(max_examples=150, deadline=None)
@given(st.data(), applicants)
def test_arrays_agree_with_terms(data: st.DataObject, applicant: Applicant) -> None:
    programs = data.draw(
        st.lists(st.sampled_from(ALL), min_size=1, max_size=25, unique_by=lambda p: p.code)
    )
    claims = data.draw(claim_sets(programs))
    found = data.draw(evidence_sets(programs))
    table = build_table(programs, claims, EVIDENCE, found)
    scores, excluded, confidence = score_all(applicant, table)
    thin = thin_samples(applicant, table)
    for i, program in enumerate(programs):
        mine = [c for c in claims if c.program_code == program.code]
        expected = explain(applicant, program, mine, EVIDENCE, found.get(program.code, NO_EVIDENCE))
        assert bool(thin[i]) is expected.thin
        assert bool(table.evidence_any[i]) is bool(expected.evidence)
        assert (int(scores[i]), bool(excluded[i]), CONFIDENCE_LABELS[confidence[i]]) == (
            expected.score,
            expected.excluded,
            expected.confidence,
        ), (program.code, mine, expected.terms)


# ------------------------------------------------------------------ program-level evidence


def test_pending_and_flagged_claims_are_shown_not_used() -> None:
    pending = Claim(
        IM.code, "j1_sponsor", False, "reported", "user", date(2026, 1, 1), "t", status="pending"
    )
    flagged = Claim(
        IM.code, "h1b_sponsor", False, "reported", "user", date(2026, 1, 1), "t", status="flagged"
    )
    f = fit(NUS, pending, flagged)
    assert not f.excluded
    assert any(
        t.name == "claims" and "2 claim(s) await review or were flagged" in t.text for t in f.terms
    )
    assert fit(NUS, claim("j1_sponsor", False), claim("h1b_sponsor", False)).excluded


def test_fill_history_and_outcomes_enter_the_index_with_sources() -> None:
    plain = fit(NUS).score
    unfilled = FillYear(IM.code, 2026, 20, 15, "Main", "NRMP Program Results", "2026-04-27", 7)
    filled = FillYear(IM.code, 2025, 20, 20, "Main", "NRMP Program Results", "2026-04-27", 7)
    f = explain(NUS, IM, (), EVIDENCE, ProgramEvidence(IM.code, (unfilled, filled)))
    term = next(t for t in f.terms if t.name == "fill_history")
    assert term.factor == FILL_FACTOR
    assert abs(f.score - plain * FILL_FACTOR) <= 1
    assert "1 of 2 Matches (2026)" in term.text
    assert "row 7, as of 2026-04-27" in term.source
    assert f.evidence == ("fill_history",)
    # 18 of 20 non-US IMGs needing a visa were invited, against 30% across programs: pushed up
    cell = OutcomeCell(IM.code, "non_us_img", True, 20, {"applied": 20, "invited": 15}, 2026, 2026)
    pe = ProgramEvidence(IM.code, outcomes=(cell,), outcome_baseline={("non_us_img", True): 0.3})
    g = explain(NUS, IM, (), EVIDENCE, pe)
    term = next(t for t in g.terms if t.name == "outcomes")
    expected = min(((15 + 30 * 0.3) / (20 + 30)) / 0.3, OUTCOME_BOUNDS[1])
    assert term.factor == pytest.approx(expected)
    assert (
        "imgpath users: 15 of 20 non-US IMGs needing a visa who applied were invited" in term.text
    )
    assert g.score > plain


def test_h1b_filings_are_visa_evidence_but_a_claim_of_no_makes_a_dispute() -> None:
    h1b = H1bEvidence(IM.institution_code, IM.institution, ("X HOSPITAL",), 3, 0, (2025,), date(2025, 3, 1),
                      None, None, 95.0, "matched", "DOL OFLC LCA disclosure data", "2025-03-01")  # fmt: skip
    pe = ProgramEvidence(IM.code, h1b=h1b)
    h1b_only = Applicant(
        kind="non_us_img", needs_visa=True, j1_open=False, h1b_open=True, step2ck=245
    )
    f = explain(h1b_only, IM, (), EVIDENCE, pe)
    assert next(t for t in f.terms if t.name == "visa").effect == "ok"
    no = explain(h1b_only, IM, (claim("h1b_sponsor", False),), EVIDENCE, pe)
    assert not no.excluded
    assert next(t for t in no.terms if t.name == "visa").effect == "conflict"
    assert explain(h1b_only, IM, (claim("h1b_sponsor", False),), EVIDENCE).excluded


def test_the_explanation_says_what_is_unknown() -> None:
    f = fit(NUS)
    last = f.terms[-1]
    assert last.name == "unknown"
    for words in ("visa sponsorship", "fill history", "outcomes of imgpath users", "step2ck min"):
        assert words in last.text
    assert any("ties with every other program like it" in t.text for t in f.terms)
