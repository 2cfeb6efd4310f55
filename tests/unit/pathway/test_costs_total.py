"""The applicant's total leaves out what an employer pays (the H-1B payment from abroad)."""

from __future__ import annotations

from datetime import date

from imgpath.core.pathway.profile import parse_profile
from imgpath.core.pathway.render import to_text
from imgpath.services.pathway import evaluate

PROFILE = {
    "school": {"country": "PH", "wdoms_ecfmg_note": "yes", "graduation_date": "2020-06-01"},
    "citizenships": ["PH"],
    "us_status": "none",
    "in_us": False,
    "exams": {
        "step1": [{"date": "2021-06-01", "result": "pass"}],
        "step2ck": [{"date": "2022-02-01", "result": "pass"}],
        "step3": [{"date": "2024-05-01", "result": "pass"}],
    },
    "ecfmg": {"certificate_date": "2023-01-15", "credentials_verified": "yes"},
    "targets": {"match_year": 2027, "states": ["CA"], "visa": "h1b", "programs": 90},
}


def test_the_h1b_payment_is_shown_but_not_in_the_applicants_total() -> None:
    on = date(2026, 11, 29)
    report = evaluate(parse_profile(PROFILE, on=on), on)
    costs = report.costs.to_dict()
    employer = [line for line in costs["lines"] if line["paid_by"] == "employer"]
    assert [line["amount"] for line in employer] == [100_000]
    applicant = sum(
        line["amount"]
        for line in costs["lines"]
        if line["paid_by"] == "applicant" and line["amount"]
    )
    assert costs["total_known"] == applicant < 100_000
    assert costs["employer_total_known"] == 100_000
    text = to_text(report)
    assert "Paid by the employer, not in your total: $100,000" in text
    assert "Total known: $102" not in text


def test_a_sum_resting_on_a_fee_past_its_review_date_says_so() -> None:
    """The H-1B payment's review date is 2026-09-21: the day after, its sum is not a plain fact."""
    for day, caveat in ((date(2026, 9, 21), False), (date(2026, 9, 22), True)):
        report = evaluate(parse_profile(PROFILE, on=day), day)
        text = to_text(report)
        line = next(x for x in text.splitlines() if "Paid by the employer, not in your total" in x)
        assert ("past their review date" in line) is caveat, line
