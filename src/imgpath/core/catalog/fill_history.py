"""NRMP *Program Results*: positions offered (the quota) and filled in the Match, per program
code and year, as NRMP publishes them each spring.

The layout read here is the one of the bundled extract (one row per program, a ``{year} Quota``
and ``{year} Matched`` column per year; see docs/reference/importers.md)::

    Table,Sponsoring Institution,...,City,...,Specialty,...,Program Code,2026 Quota,2026 Matched,...

A year with quota 0 (or empty) means the program did not offer positions in that Match.  A row
is rejected, with its row number and field, when the code is not an NRMP program code, a count is
not a whole number, or more positions were filled than offered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from imgpath.core.catalog.sources import FieldError, RowProblem, parse_int

__all__ = ["FillYear", "ProgramResultsRow", "parse_program_results_row", "year_columns"]

_CODE = re.compile(r"^\d{4}[0-9A-Z]{3}[A-Z]\d{1,2}$")
_YEAR = re.compile(r"^(\d{4}) (Quota|Matched)$")


@dataclass(frozen=True)
class FillYear:
    """One program in one Match: positions offered and filled, and where that was read."""

    program_code: str
    year: int
    quota: int
    matched: int
    table: str
    """Main (the Main Residency Match) or the NRMP table the row came from."""
    source: str
    as_of: str
    row: int

    @property
    def unfilled(self) -> int:
        return self.quota - self.matched

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "quota": self.quota, "matched": self.matched,
                "unfilled": self.unfilled, "table": self.table, "source": self.source,
                "as_of": self.as_of, "row": self.row}  # fmt: skip


@dataclass(frozen=True)
class ProgramResultsRow:
    """One parsed row: the program code and every year it offered positions."""

    program_code: str
    table: str
    institution: str
    city: str
    specialty: str
    years: tuple[tuple[int, int, int], ...]
    """(year, quota, matched) for each year with a quota above zero."""
    row: int


def year_columns(header: Sequence[str]) -> list[int]:
    """The years that have both a Quota and a Matched column, newest first."""
    seen: dict[int, set[str]] = {}
    for name in header:
        found = _YEAR.match(name.strip())
        if found:
            seen.setdefault(int(found.group(1)), set()).add(found.group(2))
    return sorted((y for y, kinds in seen.items() if kinds == {"Quota", "Matched"}), reverse=True)


def _text(row: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = str(row.get(name) or "").strip()
        if value:
            return value
    return ""


def parse_program_results_row(
    number: int, row: Mapping[str, Any], years: Sequence[int]
) -> ProgramResultsRow | RowProblem:
    """One row of the file, or the first thing wrong with it."""
    code = _text(row, "Program Code").upper()
    if not code:
        return RowProblem(
            number, "Program Code", "empty; give the NRMP program code, such as 1102040A0"
        )
    if not _CODE.match(code):
        return RowProblem(
            number,
            "Program Code",
            f"{code!r} is not an NRMP program code (4 digits for the institution, 3 for the specialty, the track letter, 1-2 digits)",
        )
    out: list[tuple[int, int, int]] = []
    for year in years:
        quota_cell, matched_cell = row.get(f"{year} Quota"), row.get(f"{year} Matched")
        if str(quota_cell or "").strip() == "" and str(matched_cell or "").strip() == "":
            continue
        try:
            quota = parse_int(quota_cell or 0, f"{year} Quota", high=2000)
            matched = parse_int(matched_cell or 0, f"{year} Matched", high=2000)
        except FieldError as exc:
            return RowProblem(number, exc.field, str(exc))
        if matched > quota:
            return RowProblem(number, f"{year} Matched",
                              f"{matched} filled but only {quota} offered; check the two columns")  # fmt: skip
        if quota > 0:
            out.append((year, quota, matched))
    return ProgramResultsRow(
        code,
        _text(row, "Table") or "Main",
        _text(row, "Sponsoring Institution Cleaned", "Sponsoring Institution"),
        _text(row, "City Cleaned", "City"),
        _text(row, "Specialty Cleaned", "Specialty"),
        tuple(out),
        number,
    )
