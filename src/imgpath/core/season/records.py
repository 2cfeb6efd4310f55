"""The season's records, frozen and validated: applications, letters, documents, rotations,
rotation slots and rank-list entries.

Each record is read from what a person typed (a form, a JSON body, a spreadsheet row) by its
``read`` class method, which names every bad field (:class:`~imgpath.errors.FormError`) and
never guesses: a date is ``YYYY-MM-DD`` from 1950 to 2100, a choice is one of the listed words
(any case), a one-line text has no line breaks.  :meth:`values` is what the store keeps.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Self

from imgpath.core.field_checks import text_problems
from imgpath.errors import FormError, Problem

__all__ = [
    "APPLICATION_STATUSES",
    "DOCUMENT_KINDS",
    "EARLIEST",
    "LATEST",
    "LETTER_KINDS",
    "LETTER_STATUSES",
    "ROTATION_KINDS",
    "SERVICES",
    "Application",
    "Document",
    "FieldReader",
    "Letter",
    "RankEntry",
    "Rotation",
    "Slot",
]

APPLICATION_STATUSES = (
    "saved",
    "applied",
    "signaled",
    "invited",
    "interviewed",
    "ranked",
    "withdrawn",
)
"""An application's statuses, in the order a season goes (``withdrawn`` ends it)."""
SERVICES = ("ERAS", "ResidencyCAS")
LETTER_KINDS = ("us_clinical", "home_country", "other")
LETTER_STATUSES = ("requested", "uploaded")
DOCUMENT_KINDS = ("personal_statement", "transcript", "mspe", "cv", "photo", "other")
ROTATION_KINDS = ("hands_on", "observership")
EARLIEST, LATEST = date(1950, 1, 1), date(2100, 12, 31)
"""Dates outside these are typing mistakes (and would break calendar arithmetic)."""


class FieldReader:
    """Reads the fields of one raw record, collecting every problem (``prefix`` names the row)."""

    def __init__(
        self, raw: Mapping[str, Any], prefix: str = "", problems: list[Problem] | None = None
    ) -> None:
        self.raw = raw
        self.prefix = prefix
        self.problems: list[Problem] = [] if problems is None else problems

    def day(self, key: str, *, required: bool = False, value: Any = None) -> date | None:
        text = str((self.raw.get(key) if value is None else value) or "").strip()
        where = self.prefix + key
        if not text:
            if required:
                self.problems.append(Problem(where, "is required", "give a date as YYYY-MM-DD"))
            return None
        try:
            day = date.fromisoformat(text)
        except ValueError:
            self.problems.append(
                Problem(where, f"{text!r} is not a date", "use YYYY-MM-DD, e.g. 2026-09-24")
            )
            return None
        if not EARLIEST <= day <= LATEST:
            self.problems.append(Problem(where, f"{text} is outside {EARLIEST.year}-{LATEST.year}",
                                         "check the year"))  # fmt: skip
            return None
        return day

    def choice(self, key: str, choices: Sequence[str], default: str | None = None) -> str:
        text = str(self.raw.get(key) or "").strip() or (default or "")
        for choice in choices:
            if text.lower() == choice.lower():
                return choice
        self.problems.append(Problem(self.prefix + key, f"{text!r} is not one of {', '.join(choices)}",
                                     "choose one of them"))  # fmt: skip
        return text

    def text(self, key: str, *, most: int, required: bool = False, single_line: bool = True,
             default: Any = None) -> str:  # fmt: skip
        """One text field: NUL, lone surrogates and (for one-line fields: names, titles, sites)
        line breaks and control characters are refused (:func:`text_problems`)."""
        given = self.raw.get(key)
        text = str((default if given is None else given) or "").strip()
        self.problems.extend(text_problems(text, self.prefix + key, most=most,
                                           required=required, single_line=single_line))  # fmt: skip
        return text

    def flag(self, key: str) -> bool:
        """A checkbox or JSON boolean: checked, true, yes, 1."""
        return str(self.raw.get(key) or "").strip().lower() in ("1", "true", "yes", "on")

    def period(self) -> tuple[date | None, date | None]:
        """A rotation's first and last day, both required, in order."""
        start = self.day("start_on", required=True)
        end = self.day("end_on", required=True)
        if start and end and end < start:
            self.problems.append(Problem(self.prefix + "end_on", "is before the start",
                                         "give the last day of the rotation"))  # fmt: skip
        return start, end

    def check(self) -> None:
        """Raise every problem found so far, naming its field."""
        if self.problems:
            raise FormError(self.problems)


@dataclass(frozen=True)
class Application:
    """The application to one program: where it stands, through which service, and when."""

    program_code: str
    status: str = "saved"
    service: str = "ERAS"
    dates: Mapping[str, str] = field(default_factory=dict)
    """Status (or ``interview``) -> ISO day."""
    notes: str = ""

    @classmethod
    def read(cls, raw: Mapping[str, Any], *, on: date, known: Container[str],
             before: Mapping[str, Any] | None = None, prefix: str = "",
             problems: list[Problem] | None = None) -> Self:  # fmt: skip
        """From a form, a body or a CSV row; what is not given stays as ``before`` (defaults only
        for a new one); the status's own day is ``on`` unless given.  With ``problems``, adds to
        that list (a spreadsheet collects every row's) instead of raising."""
        fields = FieldReader(raw, prefix, problems)
        code = str(raw.get("program_code") or "").strip().upper()
        if not code:
            fields.problems.append(
                Problem(f"{prefix}program_code", "is required", "give the NRMP program code")
            )
        elif code not in known:
            fields.problems.append(Problem(f"{prefix}program_code", f"no program with code {code!r}",
                                           "copy the code from the program's page"))  # fmt: skip
        old = before or {}
        status = fields.choice("status", APPLICATION_STATUSES, old.get("status") or "saved")
        service = fields.choice("service", SERVICES, old.get("service") or "ERAS")
        dates = dict(old.get("dates") or {})
        for key in (*APPLICATION_STATUSES, "interview"):
            if raw.get(key):
                day = fields.day(key)
                if day:
                    dates[key] = day.isoformat()
        if status not in dates and not raw.get(status):
            dates[status] = on.isoformat()
        notes = fields.text("notes", most=4000, single_line=False, default=old.get("notes", ""))
        if problems is None:
            fields.check()
        return cls(code, status, service, dates, notes)

    def values(self) -> dict[str, Any]:
        return {"program_code": self.program_code, "status": self.status, "service": self.service,
                "dates": dict(self.dates), "notes": self.notes}  # fmt: skip


def unknown_date_keys(dates: Mapping[str, Any]) -> list[Problem]:
    """An API body's ``dates`` keys that are neither a status nor ``interview``."""
    return [Problem(f"dates.{k}", "is not a status or 'interview'",
                    f"use one of {', '.join(APPLICATION_STATUSES)}, interview")
            for k in sorted(set(dates) - {*APPLICATION_STATUSES, "interview"})]  # fmt: skip


@dataclass(frozen=True)
class Letter:
    """A letter of recommendation asked for (or uploaded to ERAS)."""

    writer: str
    kind: str = "us_clinical"
    status: str = "requested"
    requested_on: date | None = None
    notes: str = ""

    @classmethod
    def read(cls, raw: Mapping[str, Any]) -> Self:
        fields = FieldReader(raw)
        letter = cls(
            writer=fields.text("writer", most=200, required=True),
            kind=fields.choice("kind", LETTER_KINDS, "us_clinical"),
            status=fields.choice("status", LETTER_STATUSES, "requested"),
            requested_on=fields.day("requested_on"),
            notes=fields.text("notes", most=2000, single_line=False),
        )
        fields.check()
        return letter

    @staticmethod
    def read_status(value: str) -> str:
        fields = FieldReader({"status": value})
        status = fields.choice("status", LETTER_STATUSES)
        fields.check()
        return status

    def values(self) -> dict[str, Any]:
        return {"writer": self.writer, "kind": self.kind, "status": self.status,
                "requested_on": self.requested_on, "notes": self.notes}  # fmt: skip


@dataclass(frozen=True)
class Document:
    """A document the application needs (a personal statement, a transcript), maybe with a due day."""

    title: str
    kind: str = "other"
    due_on: date | None = None
    done: bool = False

    @classmethod
    def read(cls, raw: Mapping[str, Any]) -> Self:
        fields = FieldReader(raw)
        document = cls(
            title=fields.text("title", most=200, required=True),
            kind=fields.choice("kind", DOCUMENT_KINDS, "other"),
            due_on=fields.day("due_on"),
            done=fields.flag("done"),
        )
        fields.check()
        return document

    def values(self) -> dict[str, Any]:
        return {"title": self.title, "kind": self.kind, "due_on": self.due_on, "done": self.done}


def _cost(raw: Mapping[str, Any], fields: FieldReader) -> float | None:
    text = str(raw.get("cost") or "").strip().replace(",", "").lstrip("$")
    if not text:
        return None
    try:
        cost = float(text)
    except ValueError:
        cost = -1.0
    if not 0 <= cost <= 100_000:
        fields.problems.append(Problem("cost", f"{raw.get('cost')!r} is not an amount",
                                       "give US dollars, e.g. 3500, or leave it empty"))  # fmt: skip
    return cost


@dataclass(frozen=True)
class Rotation:
    """A US clinical experience (USCE): hands-on or an observership, first to last day."""

    site: str
    specialty: str
    start_on: date
    end_on: date
    kind: str = "hands_on"
    cost: float | None = None
    """US dollars."""
    supervisor: str = ""
    letter_earned: bool = False

    @classmethod
    def read(cls, raw: Mapping[str, Any]) -> Self:
        fields = FieldReader(raw)
        start, end = fields.period()
        cost = _cost(raw, fields)
        site = fields.text("site", most=200, required=True)
        specialty = fields.text("specialty", most=120, required=True)
        kind = fields.choice("kind", ROTATION_KINDS, "hands_on")
        supervisor = fields.text("supervisor", most=200)
        fields.check()
        assert start is not None
        assert end is not None
        return cls(
            site, specialty, start, end, kind, cost, supervisor, fields.flag("letter_earned")
        )

    def values(self) -> dict[str, Any]:
        return {"site": self.site, "specialty": self.specialty, "start_on": self.start_on,
                "end_on": self.end_on, "kind": self.kind, "cost": self.cost,
                "supervisor": self.supervisor, "letter_earned": self.letter_earned}  # fmt: skip


@dataclass(frozen=True)
class Slot:
    """A rotation slot an advisor's organisation offers: a site, a period and its capacity."""

    site: str
    specialty: str
    start_on: date
    end_on: date
    capacity: int = 1
    kind: str = "hands_on"

    @classmethod
    def read(cls, raw: Mapping[str, Any]) -> Self:
        fields = FieldReader(raw)
        start, end = fields.period()
        try:
            given = raw.get("capacity")
            capacity = 1 if given is None or str(given).strip() == "" else int(str(given))
        except ValueError:
            capacity = 0
        if not 1 <= capacity <= 100:
            fields.problems.append(
                Problem("capacity", "must be a whole number from 1 to 100", "e.g. 2")
            )
        site = fields.text("site", most=200, required=True)
        specialty = fields.text("specialty", most=120, required=True)
        kind = fields.choice("kind", ROTATION_KINDS, "hands_on")
        fields.check()
        assert start is not None
        assert end is not None
        return cls(site, specialty, start, end, capacity, kind)

    def values(self) -> dict[str, Any]:
        return {"site": self.site, "specialty": self.specialty, "start_on": self.start_on,
                "end_on": self.end_on, "capacity": self.capacity, "kind": self.kind}  # fmt: skip


@dataclass(frozen=True)
class RankEntry:
    """One program on a rank order list, with the supplemental (PGY-1) list of an advanced one."""

    program: str
    supplemental: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls(str(row["program"]), tuple(row.get("supplemental") or ()))

    def values(self) -> dict[str, Any]:
        return {"program": self.program, "supplemental": list(self.supplemental)}
