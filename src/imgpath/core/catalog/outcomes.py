"""Outcomes imgpath users chose to share, and the only form in which they are ever shown.

An applicant who opts in shares, per program and Match year, how far they got (applied,
invited, interviewed, ranked, matched), with their applicant type and whether they need a visa.
Nothing else about them is kept with it.  What leaves the database is an **aggregate per cell**
(program x applicant type x visa need), and only when the cell holds at least :data:`K` people.
Within a shown cell, a count below K (or a count that leaves fewer than K people on the other
side) is shown as a range, never as the number, so that no person's outcome can be read off.

The threshold K = 5 is imgpath's rule (a common small-cell threshold); it applies everywhere the
figures go: services, command line, web pages and API, and the open data export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

__all__ = ["STAGES", "K", "OutcomeCell", "match_day", "season_problems", "shown_count"]

K = 5
"""Fewest people per cell before any figure about them is shown."""

STAGES = ("applied", "invited", "interviewed", "ranked", "matched")
"""How far an application got, in order; each stage implies the ones before it."""

_KIND = {"non_us_img": "non-US IMGs", "us_img": "US-citizen IMGs", "us_md": "US MD graduates",
         "us_do": "US DO graduates", "unknown": "applicants"}  # fmt: skip
_VISA = {True: " needing a visa", False: " not needing a visa", None: ""}
_VERB = {"invited": "were invited", "interviewed": "interviewed", "ranked": "ranked it",
         "matched": "matched there"}  # fmt: skip


def shown_count(count: int, total: int, k: int = K) -> str:
    """``count`` of ``total`` as it may be shown: exact only when both it and the rest are at least k."""
    if count < k:
        return f"fewer than {k}"
    if total - count < k:
        return f"at least {total - k + 1}"
    return str(count)


@dataclass(frozen=True)
class OutcomeCell:
    """One cell: people of one applicant type and visa need who applied to one program.

    Built only from a database aggregate that already holds ``people >= K``."""

    program_code: str
    kind: str
    needs_visa: bool | None
    people: int
    stages: Mapping[str, int]
    first_year: int
    last_year: int

    def __post_init__(self) -> None:
        if self.people < K:
            msg = f"an outcome cell of {self.people} people cannot be shown (k = {K})"
            raise ValueError(msg)

    @property
    def who(self) -> str:
        return f"{_KIND.get(self.kind, self.kind)}{_VISA[self.needs_visa]}"

    @property
    def years(self) -> str:
        if self.first_year == self.last_year:
            return f"{self.first_year} Match"
        return f"{self.first_year}-{self.last_year} Matches"

    def rate(self, stage: str) -> float | None:
        """The share that reached ``stage``, or None when the count may not be shown exactly."""
        count = self.stages.get(stage, 0)
        if shown_count(count, self.people) != str(count):
            return None
        return count / self.people

    def sentences(self) -> list[str]:
        """ "imgpath users: 7 of 12 non-US IMGs needing a visa were invited (2026 Match)"."""
        out = []
        for stage in STAGES[1:]:
            count = self.stages.get(stage, 0)
            out.append(f"imgpath users: {shown_count(count, self.people)} of {self.people} {self.who} "
                       f"who applied {_VERB[stage]} ({self.years})")  # fmt: skip
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicant_type": self.kind,
            "needs_visa": self.needs_visa,
            "people": self.people,
            "stages": {s: shown_count(self.stages.get(s, 0), self.people) for s in STAGES[1:]},
            "match_years": [self.first_year, self.last_year],
            "k": K,
            "source": "imgpath users who opted in to share their season",
        }


def match_day(year: int) -> date:
    """The Main Residency Match Day of ``year``: the third Friday of March, as NRMP has held it
    (2025-03-21, 2026-03-20; NRMP Main Residency Match calendars, read 2026-11-29)."""
    first = date(year, 3, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 14)


def season_problems(match_year: int, stage: str, today: date) -> list[tuple[str, str]]:
    """What is impossible about one shared outcome on ``today``, as (field, message): a season
    whose applications have not opened (ERAS opens in June of the year before its Match), or
    "matched" before that year's Match Day."""
    out = []
    if match_year > today.year + 1 or (match_year == today.year + 1 and today.month < 6):
        out.append(("match_year", f"applications for the {match_year} Match have not opened yet"))
    elif stage == "matched" and today < match_day(match_year):
        out.append(
            (
                "stage",
                f"the {match_year} Match Day ({match_day(match_year).isoformat()}) has not come yet",
            )
        )
    return out
