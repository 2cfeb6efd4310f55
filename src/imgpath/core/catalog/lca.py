"""H-1B filings for resident physicians, from the US Department of Labor's LCA disclosure data.

Before an employer petitions for an H-1B worker it files a Labor Condition Application (LCA)
with the DOL Office of Foreign Labor Certification (OFLC); OFLC publishes every decided LCA each
quarter (``LCA_Disclosure_Data_FY2025_Q4.xlsx`` and so on, https://www.dol.gov/agencies/eta/foreign-labor/performance),
one row per case, a header row of field names such as ``CASE_NUMBER``, ``CASE_STATUS``,
``VISA_CLASS``, ``JOB_TITLE``, ``SOC_CODE``, ``EMPLOYER_NAME``, ``WORKSITE_CITY``,
``WORKSITE_STATE``, ``WAGE_RATE_OF_PAY_FROM`` (the layout of FY2020 onward; column names are
matched without regard to case, and ``H-1B_DEPENDENT`` style hyphens are read as underscores).
The files are public-domain US government works.

A certified LCA is evidence that the employer meant to petition for an H-1B worker in that job;
it is not a petition, and not proof that a petition was approved.  imgpath keeps the rows that
are H-1B cases for physicians (SOC 29-121x, 29-122x, 29-124x in the 2018 SOC; 29-106x in the 2010
SOC) whose job title names a resident, PGY year, intern or house officer (or a fellow, kept apart),
and reads them as evidence that the employer files H-1B petitions for residents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from imgpath.core.catalog.sources import (
    FieldError,
    RowProblem,
    fail,
    parse_date,
    parse_int,
    parse_money,
    state_code,
)

__all__ = [
    "LCA_REQUIRED",
    "PHYSICIAN_SOC_PREFIXES",
    "H1bFiling",
    "fiscal_year",
    "normalise_header",
    "parse_lca_row",
    "role_of",
]

LCA_REQUIRED = (
    "CASE_NUMBER", "CASE_STATUS", "VISA_CLASS", "JOB_TITLE", "SOC_CODE", "EMPLOYER_NAME",
    "WORKSITE_STATE", "DECISION_DATE",
)  # fmt: skip
"""Columns an LCA file must have (present in every OFLC layout since FY2020)."""

PHYSICIAN_SOC_PREFIXES = ("29-121", "29-122", "29-124", "29-106")
"""Physicians and surgeons: 2018 SOC 29-1211 to 29-1249 (BLS, via hctadvisor.com, 2016-11), and
the 2010 SOC's 29-1061 to 29-1069 that older files use."""

_RESIDENT = re.compile(
    r"\b(RESIDENTS?|RESIDENCY|PGY[\s-]*\d|POST[\s-]*GRADUATE YEAR|HOUSE[\s-]*(STAFF|OFFICER)|INTERN)\b"
)
_FELLOW = re.compile(r"\bFELLOWS?(HIP)?\b")
_CASE = re.compile(r"^I-\d{3}-\d{5}-\d{6}$")
STATUSES = ("Certified", "Certified - Withdrawn", "Denied", "Withdrawn")


def normalise_header(name: str) -> str:
    """``h-1b_dependent `` -> ``H_1B_DEPENDENT``: how column names are compared."""
    return re.sub(r"[\s-]+", "_", name.strip()).upper()


def role_of(job_title: str) -> str | None:
    """resident, fellow, or None (an attending or other physician job)."""
    title = job_title.upper()
    if _FELLOW.search(title):
        return "fellow"
    if _RESIDENT.search(title) and "NON-RESIDENT" not in title and "NONRESIDENT" not in title:
        return "resident"
    return None


def fiscal_year(day: date) -> int:
    """The US federal fiscal year of ``day`` (FY2025 runs 2024-10-01 to 2025-09-30)."""
    return day.year + 1 if day.month >= 10 else day.year


@dataclass(frozen=True)
class H1bFiling:
    """One LCA case for a resident (or fellow) physician job."""

    case_number: str
    case_status: str
    decision_date: date
    received_date: date | None
    begin_date: date | None
    end_date: date | None
    job_title: str
    soc_code: str
    role: str
    employer_name: str
    employer_city: str
    employer_state: str
    worksite_city: str
    worksite_state: str
    wage_from: float | None
    wage_to: float | None
    wage_unit: str
    workers: int
    row: int

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.decision_date)

    @property
    def certified(self) -> bool:
        return self.case_status.lower() == "certified"


def _cell(row: Mapping[str, Any], name: str) -> Any:
    return row.get(name)


def _text(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def parse_lca_row(number: int, row: Mapping[str, Any]) -> H1bFiling | RowProblem | None:
    """One LCA row (keys already normalised): a filing for a resident or fellow physician, None
    for any other job (most of the file), or the problem that stops a physician row."""
    soc = _text(row, "SOC_CODE")
    title = _text(row, "JOB_TITLE")
    visa = _text(row, "VISA_CLASS")
    if visa and visa.upper() != "H-1B":
        return None
    if not soc.startswith(PHYSICIAN_SOC_PREFIXES):
        if soc or not title or role_of(title) is None or "PHYSICIAN" not in title.upper():
            return None
        return RowProblem(
            number, "SOC_CODE", "empty on a physician job; give the SOC code, e.g. 29-1216"
        )
    role = role_of(title)
    if role is None:
        return None
    try:
        case = _text(row, "CASE_NUMBER")
        if not _CASE.match(case):
            msg = "CASE_NUMBER"
            fail(msg, f"{case!r} is not an LCA case number such as I-200-24275-123456")
        status = _text(row, "CASE_STATUS")
        if status not in STATUSES:
            msg = "CASE_STATUS"
            fail(msg, f"{status!r}; OFLC writes one of {', '.join(STATUSES)}")
        if not visa:
            msg = "VISA_CLASS"
            fail(msg, "empty; OFLC writes H-1B, H-1B1 Chile, H-1B1 Singapore or E-3 Australian")
        employer = _text(row, "EMPLOYER_NAME")
        if not employer:
            msg = "EMPLOYER_NAME"
            fail(msg, "empty; the employer's name is needed to find its programs")
        decided = parse_date(_cell(row, "DECISION_DATE"), "DECISION_DATE")
        assert decided is not None
        received = parse_date(_cell(row, "RECEIVED_DATE"), "RECEIVED_DATE", required=False)
        begin = parse_date(_cell(row, "BEGIN_DATE"), "BEGIN_DATE", required=False)
        end = parse_date(_cell(row, "END_DATE"), "END_DATE", required=False)
        if begin and end and end < begin:
            msg = "END_DATE"
            fail(msg, f"{end} is before BEGIN_DATE {begin}")
        worksite_state = state_code(_cell(row, "WORKSITE_STATE"), "WORKSITE_STATE")
        employer_state = _text(row, "EMPLOYER_STATE")
        if employer_state:
            employer_state = state_code(employer_state, "EMPLOYER_STATE")
        wage_from = parse_money(_cell(row, "WAGE_RATE_OF_PAY_FROM"), "WAGE_RATE_OF_PAY_FROM")
        wage_to = parse_money(_cell(row, "WAGE_RATE_OF_PAY_TO"), "WAGE_RATE_OF_PAY_TO")
        workers_cell = _cell(row, "TOTAL_WORKER_POSITIONS")
        if workers_cell in (None, ""):
            workers_cell = _cell(row, "TOTAL_WORKERS")
        workers = (
            1
            if workers_cell in (None, "")
            else parse_int(workers_cell, "TOTAL_WORKER_POSITIONS", low=1, high=10_000)
        )
    except FieldError as exc:
        return RowProblem(number, exc.field, str(exc))
    return H1bFiling(
        case_number=case,
        case_status=status,
        decision_date=decided,
        received_date=received,
        begin_date=begin,
        end_date=end,
        job_title=title,
        soc_code=soc,
        role=role,
        employer_name=employer,
        employer_city=_text(row, "EMPLOYER_CITY"),
        employer_state=employer_state,
        worksite_city=_text(row, "WORKSITE_CITY"),
        worksite_state=worksite_state,
        wage_from=wage_from,
        wage_to=wage_to,
        wage_unit=_text(row, "WAGE_UNIT_OF_PAY"),
        workers=workers,
        row=number,
    )
