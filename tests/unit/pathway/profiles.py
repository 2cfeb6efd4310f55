"""Hypothesis strategies: random but valid profiles, with evaluation days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from imgpath.core.pathway.profile import EXAMS

COUNTRIES = [
    "NG",
    "IN",
    "PK",
    "EG",
    "PH",
    "IR",
    "US",
    "CA",
    "PR",
    "GB",
    "DE",
    "CU",
    "VE",
    "SY",
    "AF",
]
STATES = ["NY", "CA", "TX", "FL", "TN", "VA", "IL", "AZ", "MI", "NC", "WI", "OH", "PR"]
RESULTS = ["pass", "fail", "incomplete", "pending", "scheduled"]

days = st.dates(date(2012, 1, 1), date(2031, 12, 31))


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def attempts(draw: st.DrawFn, on: date, scored: bool) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        result = draw(st.sampled_from(RESULTS))
        when = (
            draw(st.dates(on + timedelta(days=1), on + timedelta(days=200)))
            if result == "scheduled"
            else draw(st.dates(on - timedelta(days=4000), on))
        )
        attempt: dict[str, Any] = {"date": when, "result": result}
        if scored and result in ("pass", "fail") and draw(st.booleans()):
            attempt["score"] = draw(st.integers(150, 280))
        out.append(attempt)
    return out


@st.composite
def profiles(draw: st.DrawFn) -> tuple[dict[str, Any], date]:
    """A profile and its evaluation day; every field may be missing."""
    on = draw(days)
    past = st.dates(on - timedelta(days=6000), on)
    yes_no = st.sampled_from(["yes", "no", "unknown"])
    school: dict[str, Any] = {
        "country": draw(_maybe(st.sampled_from(COUNTRIES))),
        "wdoms_ecfmg_note": draw(yes_no),
        "wdoms_canada_note": draw(yes_no),
        "gmc_acceptable": draw(yes_no),
        "graduation_date": draw(
            _maybe(st.dates(on - timedelta(days=8000), on + timedelta(days=700)))
        ),
        "credit_years": draw(_maybe(st.integers(2, 7))),
    }
    exams: dict[str, Any] = {
        name: draw(attempts(on, name in ("step1", "step2ck", "step3"))) for name in EXAMS
    }
    score = st.integers(200, 500)
    exams["oet"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "date": past,
                    "listening": score,
                    "reading": score,
                    "writing": score,
                    "speaking": score,
                }
            ),
            max_size=2,
        )
    )
    band = st.sampled_from([6.0, 6.5, 7.0, 7.5, 8.0])
    exams["ielts"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "date": past,
                    "overall": band,
                    "listening": band,
                    "reading": band,
                    "writing": band,
                    "speaking": band,
                }
            ),
            max_size=1,
        )
    )
    ecfmg: dict[str, Any] = {
        "application_submitted": draw(_maybe(st.booleans())),
        "pathway": draw(_maybe(st.integers(1, 6))),
        "pathway_status": draw(
            _maybe(st.sampled_from(["not_applied", "applied", "accepted", "rejected"]))
        ),
        "credentials_verified": draw(st.sampled_from(["yes", "no", "in_progress", "unknown"])),
        "certificate_date": draw(_maybe(past)),
        "certificate_basis": draw(_maybe(st.sampled_from(["step2cs", "pathway"]))),
        "certificate_expires": draw(_maybe(days)),
        "statement_of_need": draw(yes_no),
    }
    licence = st.fixed_dictionaries(
        {
            "country": st.sampled_from(COUNTRIES[:6]),
            "full": st.booleans(),
            "issued": _maybe(past),
            "expires": _maybe(days),
        }
    )
    training = {
        "postgraduate_years": draw(_maybe(st.integers(0, 8))),
        "practice_years": draw(_maybe(st.integers(0, 20))),
        "practice_years_last_5": draw(_maybe(st.integers(0, 5))),
        "practice_years_last_10": draw(_maybe(st.integers(0, 10))),
        "good_standing": draw(_maybe(st.booleans())),
        "licenses": draw(st.lists(licence, max_size=2)),
    }
    flag = _maybe(st.booleans())
    offer = st.fixed_dictionaries(
        {
            "state": st.sampled_from(STATES),
            "full_time": flag,
            "hospital": flag,
            "academic": flag,
            "underserved": flag,
            "rural": flag,
            "group_practice": flag,
        }
    )
    profile = {
        "school": school,
        "citizenships": draw(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True)),
        "us_status": draw(
            _maybe(
                st.sampled_from(
                    ["none", "citizen", "permanent_resident", "h1b", "j1", "f1", "other"]
                )
            )
        ),
        "in_us": draw(flag),
        "uk_status": draw(_maybe(st.sampled_from(["citizen", "ilr", "euss", "visa", "none"]))),
        "j1": {
            "held": draw(flag),
            "waiver": draw(_maybe(st.sampled_from(["none", "applied", "approved"]))),
            "home_years": draw(_maybe(st.integers(0, 5))),
        },
        "exams": exams,
        "ecfmg": ecfmg,
        "training_abroad": training,
        "us_gme_months": draw(_maybe(st.integers(0, 80))),
        "usce": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "months": st.integers(1, 6),
                        "type": st.sampled_from(
                            ["hands_on", "observership", "externship", "research"]
                        ),
                    }
                ),
                max_size=2,
            )
        ),
        "targets": {
            "destination": draw(st.sampled_from(["US", "US", "US", "UK", "CA", "AU"])),
            "states": draw(st.lists(st.sampled_from(STATES), max_size=3, unique=True)),
            "match_year": draw(_maybe(st.integers(on.year, on.year + 3))),
            "visa": draw(st.sampled_from(["j1", "h1b", "o1", "none", "unknown"])),
            "programs": draw(_maybe(st.integers(1, 300))),
            "specialties": draw(_maybe(st.integers(1, 3))),
        },
        "job_offers": draw(st.lists(offer, max_size=2)),
        "progress": {
            "eras_submitted": draw(flag),
            "nrmp_registered": draw(flag),
            "rank_list_certified": draw(flag),
            "matched": draw(flag),
            "residency_start": draw(_maybe(days)),
        },
    }
    return profile, on
