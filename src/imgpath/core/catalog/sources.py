"""Where program-level evidence comes from, and the small parsers every importer shares.

Every imported row keeps its provenance: the :class:`Source` (one file: who published it, where,
under which licence, as of which date) and the row number in that file.  Importers never stop at
the first bad row: each bad row becomes a :class:`RowProblem` naming the row and the field, and
the good rows are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, NoReturn

from imgpath.core.geography import REGIONS, is_us_state, us_state_name

__all__ = [
    "IMPORT_KINDS",
    "FieldError",
    "RowProblem",
    "Source",
    "fail",
    "parse_date",
    "parse_int",
    "parse_money",
    "state_code",
]

IMPORT_KINDS = {
    "nrmp_program_results": "NRMP Program Results: positions offered and filled per program and year",
    "dol_lca": "US Department of Labor (OFLC) H-1B LCA disclosure data",
    "acgme_programs": "ACGME public program list (program, city, sponsoring institution)",
    "invite_sheet": "community interview-invite sheet (self-reported, unverified)",
}


@dataclass(frozen=True)
class Source:
    """One imported file and what is known about where it came from."""

    kind: str
    """One of :data:`IMPORT_KINDS`."""
    title: str
    publisher: str
    url: str
    """Where the file can be had (a URL, or a repository and commit)."""
    licence: str
    as_of: date
    """The date the data speaks for (publication, or the newest row)."""
    file: str
    id: int | None = None
    imported_at: datetime | None = None
    note: str = ""

    def cite(self, row: int | None = None) -> str:
        """A short citation: title, publisher, date, and the row when given."""
        where = f", row {row}" if row is not None else ""
        return f"{self.title} ({self.publisher}, as of {self.as_of.isoformat()}{where})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "licence": self.licence,
            "as_of": self.as_of.isoformat(),
            "file": self.file,
            "imported_at": self.imported_at.isoformat() if self.imported_at else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class RowProblem:
    """A row that was not imported: its number in the file (the header is row 1), the field at
    fault and why, worded so the person fixing the file knows what to write."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class FieldError(ValueError):
    """Raised by the parsers below; the importer turns it into a :class:`RowProblem`."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def fail(field: str, message: str) -> NoReturn:
    """Reject the row being read because of ``field``."""
    raise FieldError(field, message)


_MONTH_DAY_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M")


def parse_date(value: Any, field: str, *, required: bool = True) -> date | None:
    """A date from a spreadsheet cell: a date/datetime object, ISO text, M/D/YYYY or "September
    28, 2023"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise FieldError(field, "empty; give a date such as 2025-03-14")
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    found = _MONTH_DAY_YEAR.match(text)
    if found:
        month, day, year = (int(x) for x in found.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise FieldError(
        field, f"{text!r} is not a date; write YYYY-MM-DD, M/D/YYYY or 'March 14, 2025'"
    )


def parse_int(value: Any, field: str, *, low: int = 0, high: int = 1_000_000) -> int:
    """A whole number from a cell ("12", 12, 12.0); empty is an error."""
    if isinstance(value, bool):
        raise FieldError(field, f"{value!r} is not a whole number")
    if isinstance(value, int | float) and float(value).is_integer():
        number = int(value)
    else:
        text = str(value or "").strip().replace(",", "")
        if not text:
            raise FieldError(field, f"empty; write a whole number from {low} to {high}")
        try:
            as_float = float(text)
        except ValueError:
            raise FieldError(field, f"{text!r} is not a whole number") from None
        if not as_float.is_integer():
            raise FieldError(field, f"{text!r} is not a whole number")
        number = int(as_float)
    if not low <= number <= high:
        raise FieldError(
            field, f"{number} is out of range; write a whole number from {low} to {high}"
        )
    return number


def parse_money(value: Any, field: str) -> float | None:
    """An amount in dollars ("$65,000.00", 65000); empty is None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = float(value)
    else:
        text = str(value or "").strip().replace("$", "").replace(",", "")
        if not text:
            return None
        try:
            amount = float(text)
        except ValueError:
            raise FieldError(field, f"{text!r} is not an amount; write e.g. 65000.00") from None
    if amount < 0 or amount > 10_000_000:
        raise FieldError(field, f"{amount:g} is not a plausible wage")
    return amount


def state_code(value: Any, field: str) -> str:
    """A two-letter US state code from a code ("AL") or a name ("Alabama")."""
    text = str(value or "").strip()
    if is_us_state(text.upper()):
        return text.upper()
    by_name = _state_names().get(text.lower())
    if by_name:
        return by_name
    raise FieldError(
        field, f"{text!r} is not a US state; write a code such as AL or a name such as Alabama"
    )


@cache
def _state_names() -> dict[str, str]:
    codes = {c for region in REGIONS.values() for c in region}
    names = {us_state_name(c).lower(): c for c in codes}
    names["washington dc"] = names["washington, d.c."] = "DC"
    return names
