"""Specialty-level evidence from NRMP's published tables, joined to program tracks.

Two published sources give specialty-level chances for IMGs:

* NRMP *Advance Data Tables 2025* (PGY-1 positions): per specialty, applicants and matches by
  type (US MD and DO seniors, US-citizen IMGs, non-US IMGs).  The "applicants" columns appear to
  count applicants of that type who ranked the specialty (the tabulation's reading, not
  confirmed), so ``matches / applicants`` is read as "share of those who ranked it who matched".
* NRMP *Charting Outcomes: Non-U.S. IMGs, 2026*: per specialty, the share of non-US IMGs who
  preferred it and matched to it, and Step 2 CK distributions of matched and unmatched applicants.

A crosswalk (``specialty_crosswalk.csv``, made by hand for imgpath) says which row of each table
a program track belongs to; tracks without a row fall back to the all-specialty figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "KINDS",
    "SMOOTHING",
    "CohortStats",
    "Crosswalk",
    "Evidence",
    "SpecialtyRow",
    "parse_charting_outcomes",
    "parse_crosswalk",
    "parse_pgy1",
    "step2_match_probability",
]

KINDS = ("us_md", "us_do", "us_img", "non_us_img")
"""Applicant types in the 2025 PGY-1 table."""

SMOOTHING = 10
"""Pseudo-applicants at the all-specialty rate added to every specialty's count (imgpath's
choice): 5 matches of 6 applicants is weak evidence of an 83% chance."""

PGY1_SOURCE = "NRMP Advance Data Tables 2025, PGY-1 matches by applicant type"
CO_SOURCE = "NRMP Charting Outcomes: Non-U.S. IMGs, 2026 Main Residency Match"


@dataclass(frozen=True)
class SpecialtyRow:
    """One specialty of the 2025 PGY-1 table."""

    name: str
    applicants: Mapping[str, int]
    matches: Mapping[str, int]
    unfilled: int

    def counts(self, kind: str | None) -> tuple[int, int]:
        """Matches and applicants of ``kind`` (None: all four types together)."""
        if kind is None:
            return sum(self.matches.values()), sum(self.applicants.values())
        return self.matches.get(kind, 0), self.applicants.get(kind, 0)

    def rate(self, kind: str | None) -> float | None:
        matched, applicants = self.counts(kind)
        return matched / applicants if applicants else None

    def share(self, kind: str) -> float | None:
        """Share of the specialty's matches (by the four listed types) that went to ``kind``."""
        total = sum(self.matches.values())
        return self.matches.get(kind, 0) / total if total else None


@dataclass(frozen=True)
class CohortStats:
    """Charting Outcomes 2026, one specialty: non-US IMGs who preferred it."""

    name: str
    matched: int
    total: int
    match_rate: float
    """Percent who matched to the specialty, as NRMP reports it."""
    step2_matched: tuple[float, float] | None = None
    """Mean and SD of Step 2 CK among matched applicants (None where NRMP suppressed it)."""
    step2_unmatched: tuple[float, float] | None = None
    step2_median: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class Crosswalk:
    """Which table rows a track belongs to, keyed by (specialty code, track type) or (code, '*')."""

    rows: Mapping[tuple[str, str], tuple[str | None, str | None, str]]

    def lookup(self, specialty_code: str, track_type: str) -> tuple[str | None, str | None, str]:
        return self.rows.get(
            (specialty_code, track_type), self.rows.get((specialty_code, "*"), (None, None, ""))
        )


@dataclass(frozen=True)
class Evidence:
    """Everything the fit reads at specialty level."""

    pgy1: Mapping[str, SpecialtyRow]
    outcomes: Mapping[str, CohortStats]
    crosswalk: Crosswalk
    overall: SpecialtyRow = field(init=False)

    outcomes_rate: float = field(init=False)

    def __post_init__(self) -> None:
        rows = list(self.pgy1.values())
        total = SpecialtyRow(
            "all specialties",
            {k: sum(r.applicants.get(k, 0) for r in rows) for k in KINDS},
            {k: sum(r.matches.get(k, 0) for r in rows) for k in KINDS},
            sum(r.unfilled for r in rows),
        )
        object.__setattr__(self, "overall", total)
        cohorts = list(self.outcomes.values())
        preferred = sum(c.total for c in cohorts)
        matched = sum(c.matched for c in cohorts)
        object.__setattr__(self, "outcomes_rate", matched / preferred if preferred else 0.0)

    def smoothed_rate(self, row: SpecialtyRow, kind: str | None) -> float | None:
        """A specialty's match rate for ``kind``, pulled toward the all-specialty rate by
        :data:`SMOOTHING` pseudo-applicants (None without any applicants of that kind)."""
        matched, applicants = row.counts(kind)
        prior = self.overall.rate(kind)
        if not applicants or prior is None:
            return None
        return (matched + SMOOTHING * prior) / (applicants + SMOOTHING)

    def smoothed_outcome(self, cohort: CohortStats) -> float:
        """Charting Outcomes' match rate, smoothed the same way (NRMP's counts, rounded rate)."""
        if not cohort.total:
            return self.outcomes_rate
        return (cohort.matched + SMOOTHING * self.outcomes_rate) / (cohort.total + SMOOTHING)


def _int(text: str | None) -> int:
    return int(text) if text not in (None, "") else 0


def _float(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def parse_pgy1(rows: Iterable[Mapping[str, str]]) -> dict[str, SpecialtyRow]:
    columns = {"us_md": "US_MD", "us_do": "US_DO", "us_img": "US_IMG", "non_us_img": "NonUS_IMG"}
    out = {}
    for row in rows:
        name = row["Specialty"].strip()
        out[name] = SpecialtyRow(
            name,
            {k: _int(row[f"Applicants_{c}"]) for k, c in columns.items()},
            {k: _int(row[f"Matches_{c}"]) for k, c in columns.items()},
            _int(row["Unfilled"]),
        )
    return out


def parse_charting_outcomes(
    summary: Iterable[Mapping[str, str]], distributions: Iterable[Mapping[str, str]]
) -> dict[str, CohortStats]:
    step2: dict[tuple[str, str], tuple[float, float]] = {}
    for row in distributions:
        if row["measure"] == "step2ck":
            mean, sd = _float(row["mean"]), _float(row["sd"])
            if mean is not None and sd:
                step2[(row["specialty"].strip(), row["cohort"])] = (mean, sd)
    out = {}
    for row in summary:
        name = row["specialty"].strip()
        out[name] = CohortStats(
            name,
            matched=_int(row["nonus_img_matched"]),
            total=_int(row["nonus_img_total"]),
            match_rate=float(row["match_rate_pct"]),
            step2_matched=step2.get((name, "matched")),
            step2_unmatched=step2.get((name, "not_matched")),
            step2_median=(
                _float(row["step2ck_median_matched"]),
                _float(row["step2ck_median_unmatched"]),
            ),
        )
    return out


def parse_crosswalk(rows: Iterable[Mapping[str, str]]) -> Crosswalk:
    return Crosswalk(
        {
            (row["specialty_code"].strip(), row["track_type"].strip()): (
                row["pgy1_table_specialty"].strip() or None,
                row["charting_outcomes_specialty"].strip() or None,
                (row.get("note") or "").strip(),
            )
            for row in rows
        }
    )


def _normal_pdf(x: float, mean: float, sd: float) -> float:
    z = (x - mean) / sd
    return math.exp(-0.5 * z * z) / (sd * math.sqrt(2 * math.pi))


def step2_match_probability(
    score: float, cohort: CohortStats, prior: float | None = None
) -> float | None:
    """P(matched to the specialty | Step 2 CK score) for a non-US IMG who preferred it.

    Bayes' rule on normal approximations of the matched and unmatched score distributions
    (NRMP publishes means and SDs, not the curve): a derived estimate, labelled as such.
    """
    if cohort.step2_matched is None or cohort.step2_unmatched is None:
        return None
    rate = cohort.match_rate / 100 if prior is None else prior
    matched = rate * _normal_pdf(score, *cohort.step2_matched)
    unmatched = (1 - rate) * _normal_pdf(score, *cohort.step2_unmatched)
    if matched + unmatched == 0:
        return None
    return matched / (matched + unmatched)
