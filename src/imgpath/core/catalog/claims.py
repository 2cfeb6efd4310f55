"""Claims: what someone says about a program, with its source, date, kind and author.

FREIDA's fields are often empty or stale and no list says where a fact came from, so the catalog
keeps facts about programs as *claims*: "program 1903140C0 sponsors J-1 visas", said by this
source, as of this date, entered by this person.  Unknown stays unknown (no claim); claims that
disagree are all kept and shown.  The kind says how to read a threshold: a **cutoff** the
program applies strictly, a **preference**, or a **reported** figure.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
    "CLAIM_COLUMNS",
    "CLAIM_FIELDS",
    "CLAIM_STATUSES",
    "ECFMG_STAGES",
    "KINDS",
    "USCE_TYPES",
    "Claim",
    "ClaimField",
    "ClaimRowError",
    "check_source",
    "claim_from_row",
    "claim_to_row",
    "parse_value",
    "source_kind",
]

KINDS = {
    "cutoff": "a requirement the program applies strictly (an applicant who misses it is not considered)",
    "preference": "a preference: missing it lowers the chances but does not exclude",
    "reported": "a reported fact or figure (sponsorship, share of IMG residents)",
}

ECFMG_STAGES = ("application", "interview", "rank_list", "start")
"""When a program wants ECFMG certification complete, earliest first."""

USCE_TYPES = ("any", "hands_on")
"""What US clinical experience counts: any kind (observerships too), or hands-on only."""

CLAIM_COLUMNS = ("program_code", "field", "value", "kind", "source", "as_of", "entered_by", "note")

CLAIM_STATUSES = {
    "pending": "entered, waiting for a reviewer: shown with the program, not used in the fit",
    "accepted": "a reviewer accepted it (or the catalog's operator imported it): used in the fit",
    "flagged": "a reviewer flagged it as doubtful: shown, marked, not used in the fit",
}

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_PHONE = re.compile(r"^(?:phone:\s*|phoned the program on\s+)(\d{4}-\d{2}-\d{2})$", re.IGNORECASE)
_DOCUMENT = re.compile(r"^document:\s*(\S.{2,})$", re.IGNORECASE)


def source_kind(source: str) -> str:
    """address (a URL), document, phone or user: the kinds of source a claim can cite."""
    if _URL.match(source):
        return "address"
    if _PHONE.match(source):
        return "phone"
    if _DOCUMENT.match(source):
        return "document"
    return "user"


def check_source(source: str, today: date) -> str | None:
    """Why ``source`` cannot be accepted (None when it can).

    A source is an address (``https://...``), a document (``document: program brochure 2026,
    p. 3``), a call (``phone: 2026-09-12`` or ``phoned the program on 2026-09-12``), or ``user``
    for a first-hand report."""
    if source == "user" or _URL.match(source) or _DOCUMENT.match(source):
        return None
    phoned = _PHONE.match(source)
    if phoned:
        try:
            day = date.fromisoformat(phoned.group(1))
        except ValueError:
            return f"{phoned.group(1)!r} is not a date; write phone: YYYY-MM-DD"
        return f"the call on {day} is in the future" if day > today else None
    return (
        f"{source!r}: give the address the claim comes from (https://...), a document "
        "('document: TITLE'), a call ('phone: YYYY-MM-DD'), or 'user' for a first-hand report"
    )


@dataclass(frozen=True)
class ClaimField:
    """A fact the catalog tracks: what it means, what values it takes, which kinds make sense."""

    description: str
    parse: Callable[[str], Any]
    kinds: tuple[str, ...]
    example: str


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "y", "1"):
        return True
    if value in ("no", "false", "n", "0"):
        return False
    msg = "write yes or no"
    raise ValueError(msg)


def _number(low: float, high: float, *, whole: bool = False) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value: float = int(text) if whole else float(text)
        except ValueError:
            kind = "a whole number" if whole else "a number"
            msg = f"write {kind} from {low:g} to {high:g}"
            raise ValueError(msg) from None
        if not low <= value <= high:
            msg = f"must be from {low:g} to {high:g}"
            raise ValueError(msg)
        return value

    return parse


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in options:
            msg = f"write one of {', '.join(options)}"
            raise ValueError(msg)
        return value

    return parse


_THRESHOLD = ("cutoff", "preference", "reported")
CLAIM_FIELDS: dict[str, ClaimField] = {
    "j1_sponsor": ClaimField("the program sponsors J-1 visas (through ECFMG)", _yes_no, ("reported",), "yes"),
    "h1b_sponsor": ClaimField("the program sponsors H-1B visas", _yes_no, ("reported",), "no"),
    "us_img_share": ClaimField(
        "share of the program's residents who are US-citizen IMGs, in percent", _number(0, 100), ("reported",), "12"
    ),
    "non_us_img_share": ClaimField(
        "share of the program's residents who are non-US IMGs, in percent", _number(0, 100), ("reported",), "40"
    ),
    "step2ck_min": ClaimField("minimum USMLE Step 2 CK score", _number(1, 300, whole=True), _THRESHOLD, "230"),
    "max_attempts": ClaimField(
        "most attempts at any USMLE Step the program accepts (1 = first attempt only)",
        _number(1, 10, whole=True), _THRESHOLD, "1",
    ),
    "max_years_since_graduation": ClaimField(
        "most years since medical school graduation the program accepts", _number(0, 60, whole=True), _THRESHOLD, "5"
    ),
    "usce_months": ClaimField(
        "months of US clinical experience required", _number(0, 60), _THRESHOLD, "3"
    ),
    "usce_type": ClaimField(
        "which US clinical experience counts: any (observerships too) or hands_on", _choice(USCE_TYPES), _THRESHOLD, "hands_on"
    ),
    "ecfmg_certified_by": ClaimField(
        "when ECFMG certification must be complete: application, interview, rank_list or start",
        _choice(ECFMG_STAGES), _THRESHOLD, "rank_list",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """One claim about one program."""

    program_code: str
    field: str
    value: Any
    kind: str
    source: str
    """A URL, or "user" for what a person reports first-hand."""
    as_of: date
    entered_by: str
    note: str = ""
    id: int | None = None
    entered_at: datetime | None = dataclasses.field(default=None, compare=False)
    status: str = "accepted"
    """One of :data:`CLAIM_STATUSES`."""
    reviewed_by: str = dataclasses.field(default="", compare=False)
    review_note: str = dataclasses.field(default="", compare=False)
    confirmations: int = dataclasses.field(default=0, compare=False)
    """Applicants who said the claim matches what they saw."""
    disputes: int = dataclasses.field(default=0, compare=False)

    @property
    def value_text(self) -> str:
        """The canonical text of the value (how it is stored and exported)."""
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field,
            "value": self.value,
            "kind": self.kind,
            "source": self.source,
            "as_of": self.as_of.isoformat(),
            "entered_by": self.entered_by,
        }
        if self.note:
            out["note"] = self.note
        if self.id is not None:
            out["id"] = self.id
        out["source_kind"] = source_kind(self.source)
        out["status"] = self.status
        if self.reviewed_by:
            out["reviewed_by"] = self.reviewed_by
        if self.review_note:
            out["review_note"] = self.review_note
        out["confirmations"] = self.confirmations
        out["disputes"] = self.disputes
        return out


class ClaimRowError(ValueError):
    """A claim row that cannot be accepted: which column, and why."""

    def __init__(self, column: str, message: str) -> None:
        self.column = column
        super().__init__(f"{column}: {message}")


def parse_value(field_name: str, text: str) -> Any:
    """The typed value of ``text`` for ``field_name``; ValueError says how to write it."""
    return CLAIM_FIELDS[field_name].parse(text)


def claim_from_row(
    row: Mapping[str, str | None],
    *,
    today: date,
    programs: Container[str],
    default_entered_by: str = "",
) -> Claim:
    """Validate one CSV row into a claim, or raise :class:`ClaimRowError` naming the column.

    ``today`` is passed in (the core never reads the clock): an as-of date cannot lie after it.
    """
    cell = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    result = _validate(cell, today, programs, default_entered_by)
    if isinstance(result, Claim):
        return result
    raise ClaimRowError(*result)


def _validate(
    cell: Mapping[str, str], today: date, programs: Container[str], default_entered_by: str
) -> Claim | tuple[str, str]:
    code = cell.get("program_code", "")
    if not code:
        return "program_code", "empty; give the NRMP program code, such as 1903140C0"
    if code not in programs:
        return "program_code", f"no program {code!r} in the catalog"
    name = cell.get("field", "")
    if name not in CLAIM_FIELDS:
        return "field", f"{name!r} is not a claim field; use one of {', '.join(CLAIM_FIELDS)}"
    spec = CLAIM_FIELDS[name]
    try:
        value = spec.parse(cell.get("value", ""))
    except ValueError as exc:
        return "value", f"{cell.get('value', '')!r} for {name}: {exc}"
    kind = cell.get("kind", "")
    if kind not in spec.kinds:
        return "kind", f"{kind!r} for {name}; use {' or '.join(spec.kinds)}"
    source = cell.get("source", "")
    wrong = check_source(source, today)
    if wrong:
        return "source", wrong
    try:
        as_of = date.fromisoformat(cell.get("as_of", ""))
    except ValueError:
        return "as_of", f"{cell.get('as_of', '')!r} is not a date; write YYYY-MM-DD"
    if as_of > today:
        return "as_of", f"{as_of} is in the future; give the day the source said it"
    entered_by = cell.get("entered_by", "") or default_entered_by
    if not entered_by:
        return "entered_by", "empty; say who entered the claim (a name or e-mail)"
    return Claim(code, name, value, kind, source, as_of, entered_by, cell.get("note", ""))


def claim_to_row(claim: Claim) -> dict[str, str]:
    """The CSV row of a claim (the import format, so exports can be re-imported)."""
    return {
        "program_code": claim.program_code,
        "field": claim.field,
        "value": claim.value_text,
        "kind": claim.kind,
        "source": claim.source,
        "as_of": claim.as_of.isoformat(),
        "entered_by": claim.entered_by,
        "note": claim.note,
    }
