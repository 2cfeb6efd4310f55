"""ACGME's public program list: each accredited program's 10-digit ACGME ID, city, sponsoring
institution and accreditation status.

The layout read here is that of ACGME's public Accreditation Data System (ADS) program search as
tabulated in the bundled OB/GYN list (columns ``program_name, address, zip, city, state,
sponsoring_institution_code, sponsoring_institution_name, original_accreditation_date,
accreditation_status, ..., website, program_code``), where ``program_code`` is the ACGME ID.  The
first three digits of an ACGME ID are the ACGME specialty code (220: obstetrics and gynecology),
which for core specialties is also NRMP's.  ACGME and NRMP share no key, so programs are matched
to NRMP institutions by name within the state and specialty (``name_match``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from imgpath.core.catalog.sources import FieldError, RowProblem, fail, parse_date, state_code

__all__ = ["ACGME_REQUIRED", "CLOSED_STATUSES", "AcgmeProgram", "parse_acgme_row"]

ACGME_REQUIRED = ("program_name", "city", "state", "sponsoring_institution_name",
                  "accreditation_status", "program_code")  # fmt: skip

CLOSED_STATUSES = frozenset(
    {"Voluntary Withdrawal", "Accreditation Withdrawn", "Expedited Withdrawal"}
)
"""Statuses that mean the program no longer trains residents (as of the list's date)."""

_ID = re.compile(r"^(\d{10})(\.0+)?$")


@dataclass(frozen=True)
class AcgmeProgram:
    acgme_id: str
    name: str
    city: str
    state: str
    sponsor_code: str
    sponsor: str
    status: str
    accredited_since: date | None
    website: str
    row: int

    @property
    def specialty_code(self) -> str:
        return self.acgme_id[:3]

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES


def _text(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def parse_acgme_row(number: int, row: Mapping[str, Any]) -> AcgmeProgram | RowProblem:
    """One program, or the first thing wrong with its row."""
    try:
        raw_id = _text(row, "program_code")
        found = _ID.match(raw_id)
        if not found:
            msg = "program_code"
            fail(msg, f"{raw_id!r} is not a 10-digit ACGME program ID")
        name = _text(row, "program_name")
        if not name:
            msg = "program_name"
            fail(msg, "empty")
        sponsor = _text(row, "sponsoring_institution_name")
        if not sponsor:
            msg = "sponsoring_institution_name"
            fail(msg, "empty; the sponsor is needed to match NRMP's list")
        status = _text(row, "accreditation_status")
        if not status:
            msg = "accreditation_status"
            fail(msg, "empty; write the status ACGME shows, e.g. Continued Accreditation")
        state = state_code(row.get("state"), "state")
        city = _text(row, "city")
        if not city:
            msg = "city"
            fail(msg, "empty")
        since = parse_date(
            row.get("original_accreditation_date"), "original_accreditation_date", required=False
        )
    except FieldError as exc:
        return RowProblem(number, exc.field, str(exc))
    website = _text(row, "website")
    if website and not website.startswith(("http://", "https://")):
        website = ""
    return AcgmeProgram(found.group(1), name, city, state, _text(row, "sponsoring_institution_code"),
                        sponsor, status, since, website, number)  # fmt: skip
