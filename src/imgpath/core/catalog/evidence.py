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
from typing import Any

__all__ = [
    "KINDS",
    "MIN_SAMPLE",
    "CohortStats",
    "Crosswalk",
    "Estimate",
    "Evidence",
    "SpecialtyRow",
    "parse_charting_outcomes",
    "parse_crosswalk",
    "parse_pgy1",
    "step2_match_probability",
]

KINDS = ("us_md", "us_do", "us_img", "non_us_img")
"""Applicant types in the 2025 PGY-1 table."""

MIN_SAMPLE = 30
"""The fewest applicants of one type behind a specialty figure that imgpath uses on its own
(imgpath's choice, stated in every explanation).  A figure from fewer people is replaced by its
parent specialty's (Internal Medicine/Medical Genetics borrows Internal Medicine's); a figure from
more is pulled toward the parent's with this many pseudo-applicants, so 5 matches of 6 applicants
never reads as an 83% chance and never floats above the parent specialty."""

PGY1_SOURCE = "NRMP Advance Data Tables 2025, PGY-1 matches by applicant type"
CO_SOURCE = "NRMP Charting Outcomes: Non-U.S. IMGs, 2026 Main Residency Match"
_LABEL = {"us_img": "US-citizen IMGs", "non_us_img": "non-US IMGs", "us_md": "US MD seniors",
          "us_do": "US DO seniors"}  # fmt: skip
Key = tuple[str, str]
"""(specialty code, track type or '*'): one row of the crosswalk."""


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
    """Which table rows a track belongs to, keyed by (specialty code, track type) or (code, '*');
    and each row's parent specialty (the figure a small sample borrows)."""

    rows: Mapping[Key, tuple[str | None, str | None, str]]
    parents: Mapping[Key, Key] = field(default_factory=dict)

    def key(self, specialty_code: str, track_type: str) -> Key | None:
        """The crosswalk row a track uses (None: the track has none)."""
        for key in ((specialty_code, track_type), (specialty_code, "*")):
            if key in self.rows:
                return key
        return None

    def lookup(self, specialty_code: str, track_type: str) -> tuple[str | None, str | None, str]:
        key = self.key(specialty_code, track_type)
        return self.rows[key] if key is not None else (None, None, "")

    def parent(self, key: Key) -> Key | None:
        """The parent row of ``key`` (None: the all-specialty figure is the parent)."""
        parent = self.parents.get(key)
        return None if parent is None else self.key(*parent)


@dataclass(frozen=True)
class Estimate:
    """The specialty-level chance for one track and one kind of applicant, and how it was made."""

    rate: float
    text: str
    source: str
    fallback: bool
    """True when neither the track nor a parent has figures (the all-specialty rate is used)."""
    sample: int
    """Applicants of this kind behind the track's own figure (0 when it has none)."""
    borrowed: str | None = None
    """The specialty whose figure is used because the track's own sample is below MIN_SAMPLE."""


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


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
        object.__setattr__(self, "_cache", {})

    # ------------------------------------------------------------ one table, parent-shrunk
    def _own(self, key: Key, kind: str | None, table: str) -> tuple[int, int, str] | None:
        pgy1_name, co_name, _ = self.crosswalk.rows[key]
        if table == "co":
            cohort = self.outcomes.get(co_name) if co_name else None
            return None if cohort is None else (cohort.matched, cohort.total, cohort.name)
        row = self.pgy1.get(pgy1_name) if pgy1_name else None
        if row is None:
            return None
        matched, applicants = row.counts(kind)
        return (matched, applicants, row.name) if applicants else None

    def _top(self, kind: str | None, table: str) -> float:
        if table == "co":
            return self.outcomes_rate
        return self.overall.rate(kind) or 0.0

    def table_rate(self, key: Key | None, kind: str | None, table: str) -> float:
        """``key``'s rate in one table ("pgy1" or "co"), shrunk toward its parent's rate in the
        same table with MIN_SAMPLE pseudo-applicants; below MIN_SAMPLE the parent's rate."""
        if key is None:
            return self._top(kind, table)
        parent = self.table_rate(self.crosswalk.parent(key), kind, table)
        own = self._own(key, kind, table)
        if own is None or own[1] < MIN_SAMPLE:
            return parent
        matched, applicants, _ = own
        return (matched + MIN_SAMPLE * parent) / (applicants + MIN_SAMPLE)

    def _parent_name(self, key: Key) -> str:
        parent = self.crosswalk.parent(key)
        if parent is None:
            return "all specialties"
        pgy1_name, co_name, _ = self.crosswalk.rows[parent]
        return co_name or pgy1_name or f"specialty {parent[0]}"

    def estimate(
        self, specialty_code: str, track_type: str, kind: str | None, step2ck: int | None = None
    ) -> Estimate:
        """The specialty-level chance that applicants like this one match, with its explanation.

        Non-US IMGs use Charting Outcomes 2026 (and, with a Step 2 CK score, a Bayes estimate on
        its score distributions); everyone else, and tracks Charting Outcomes lacks, the 2025
        PGY-1 table.  Every figure is shrunk toward the parent specialty's; one from fewer than
        MIN_SAMPLE applicants is replaced by the parent's estimate, and the text says so.
        """
        key = (specialty_code, track_type, kind, step2ck)
        cache: dict[Any, Estimate] = self._cache  # type: ignore[attr-defined]
        if key not in cache:
            cache[key] = self._estimate(
                self.crosswalk.key(specialty_code, track_type), kind, step2ck
            )
        return cache[key]

    def _estimate(self, key: Key | None, kind: str | None, step2ck: int | None) -> Estimate:
        label = _LABEL.get(kind or "", "applicants of all types")
        if key is None:
            return self._fallback(kind, label)
        pgy1_name, co_name, _ = self.crosswalk.rows[key]
        shrink = f"shrunk toward {self._parent_name(key)} with {MIN_SAMPLE} pseudo-applicants"
        small: tuple[int, int, str] | None = None
        cohort = self.outcomes.get(co_name) if co_name and kind == "non_us_img" else None
        if cohort is not None:
            if cohort.total >= MIN_SAMPLE:
                prior = self.table_rate(key, kind, "co")
                said = (f"{cohort.matched} of {cohort.total} non-US IMGs who preferred {cohort.name} in 2026 "
                        f"matched to it ({cohort.match_rate:g}%; {_pct(prior)} {shrink})")  # fmt: skip
                source = f"{CO_SOURCE}; minimum sample and shrinkage by imgpath"
                if step2ck is not None:
                    p = step2_match_probability(step2ck, cohort, prior)
                    if p is not None:
                        text = f"{said}; with Step 2 CK {step2ck} the estimate is {_pct(p)}"
                        return Estimate(p, text, f"{source}; normal approximation by imgpath",
                                        False, cohort.total)  # fmt: skip
                return Estimate(prior, said, source, False, cohort.total)
            small = (cohort.matched, cohort.total, cohort.name)
        own = self._own(key, kind, "pgy1")
        if own is not None and own[1] >= MIN_SAMPLE:
            rate = self.table_rate(key, kind, "pgy1")
            text = (f"In 2025, {own[0]} of {own[1]} {label} who ranked {own[2]} matched to it "
                    f"(PGY-1); {_pct(rate)} {shrink}")  # fmt: skip
            return Estimate(rate, text, f"{PGY1_SOURCE}; shrinkage by imgpath", False, own[1])
        small = small or own
        parent = self.crosswalk.parent(key)
        if parent is None and small is None:
            return self._fallback(kind, label)
        base = self._estimate(parent, kind, step2ck)
        name = self._parent_name(key)
        if small is None:
            head = f"No {label} figures for {co_name or pgy1_name or 'this track'}"
        else:
            head = (f"Only {small[1]} {label} in the figures for {small[2]} ({small[0]} matched), "
                    f"fewer than imgpath's minimum sample of {MIN_SAMPLE}")  # fmt: skip
        text = f"{head}: the figure of {name} is used. {base.text}"
        return Estimate(base.rate, text, base.source, base.fallback, small[1] if small else 0, name)

    def _fallback(self, kind: str | None, label: str) -> Estimate:
        rate = self.overall.rate(kind)
        if rate is None:
            return Estimate(0.0, "No specialty figures", PGY1_SOURCE, True, 0)
        text = f"No figures for this track; in 2025, {_pct(rate)} of {label} who ranked any specialty matched (PGY-1)"
        return Estimate(rate, text, PGY1_SOURCE, True, 0)


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
    """The crosswalk file's rows; ``parent`` is written CODE:TYPE (140:C) or left empty."""
    table: dict[Key, tuple[str | None, str | None, str]] = {}
    parents: dict[Key, Key] = {}
    for row in rows:
        key = (row["specialty_code"].strip(), row["track_type"].strip())
        table[key] = (
            row["pgy1_table_specialty"].strip() or None,
            row["charting_outcomes_specialty"].strip() or None,
            (row.get("note") or "").strip(),
        )
        parent = (row.get("parent") or "").strip()
        if parent:
            code, _, track = parent.partition(":")
            parents[key] = (code, track or "*")
    return Crosswalk(table, parents)


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
