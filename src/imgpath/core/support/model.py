"""The support directory as data: one validated, sourced, graded, dated entry per organisation.

An entry says what an organisation or program offers IMGs, whom it serves (destination country,
target states, stages of the path, citizenships, immigration status, residence, specialty), what
it costs, where to find it, where imgpath read that and when, how sure that reading is, and the
day after which it must be checked again (``review_by``).  What could not be verified is listed
in ``unverified`` and never filled in: an amount, an eligibility rule or a fee that was not read
stays unknown.

Grades are the rule packs' (:data:`imgpath.core.pathway.rules.CONFIDENCE`): **H** read on the
organisation's own page, **M** a reputable secondary source (a journal, a news report, another
body's page), **L** a single weak or outdated source, **U** unverified.  L and U are shown as
"needs confirmation"; so is every entry past its ``review_by`` day (it is *stale*).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from imgpath.core.geography import is_country, is_us_state
from imgpath.core.pathway.rules import CONFIDENCE
from imgpath.core.validation import problems_from
from imgpath.errors import Problem

__all__ = [
    "COST_KINDS",
    "DESTINATIONS",
    "GRADES",
    "KINDS",
    "STAGES",
    "STATUSES",
    "Cost",
    "InvalidSupportDataError",
    "Serves",
    "Source",
    "SupportDirectory",
    "SupportEntry",
    "parse_pack",
]

KINDS: dict[str, str] = {
    "funding": "Scholarships, grants and loans",
    "state_program": "Government IMG programs (state, provincial and national)",
    "organisation": "Professional organisations and their IMG groups",
    "career_support": "Career guidance and re-entry programs",
    "clinical_experience": "Clinical experience: observerships, attachments, supervised licences",
    "visa_legal": "Visas: J-1 waiver programs and legal help",
}
"""The kinds of support, in the order the directory shows them (id: heading)."""

STAGES: dict[str, str] = {
    "exams": "preparing for or taking the exams (not yet certified or registered)",
    "certified": "exams passed and certified or registered (ECFMG certificate in the US; GMC "
    "registration in the UK; MCCQE Part I and NAC in Canada; AMC pathway in Australia)",
    "applying": "applying for residency (ERAS submitted or registered for the NRMP Match)",
    "matched": "holding a residency position that has not started",
    "in_residency": "in residency",
    "practising": "holding a full US licence",
}
"""Stages of the path (id: meaning).  ``imgpath.services.support`` derives a person's stage from
their plan (the pathway engine's steps and progress facts), never from rules of its own."""

STATUSES: dict[str, str] = {
    "citizen": "a citizen of the destination country",
    "permanent_resident": "a permanent resident of the destination country (green card, "
    "Canadian PR, UK indefinite leave or settled status)",
    "refugee": "a refugee, protected person or asylum seeker in the destination country",
}
"""Immigration statuses an entry may require (any of those it lists)."""

DESTINATIONS = ("US", "UK", "CA", "AU")

COST_KINDS: dict[str, str] = {
    "free": "free of charge",
    "paid": "a fee is charged",
    "membership": "part of a paid membership",
    "loan": "a loan, repaid with interest or without",
    "unknown": "cost not verified",
}

GRADES = CONFIDENCE

_ID = re.compile(r"^(us|uk|ca|au)\.[a-z0-9]+(?:_[a-z0-9]+)*$")
_URL = re.compile(
    r"^https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?:[/?#]\S*)?$"
)
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_RULE_ID = re.compile(r"^[A-Z]{2}\.[A-Z0-9_.]+$")


class InvalidSupportDataError(ValueError):
    """A support pack that breaks the format: lists every problem with its entry and field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        noun = "problem" if len(problems) == 1 else "problems"
        lines = [f"{len(problems)} {noun} in the support directory:"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


def _country(value: str) -> str:
    if not is_country(value):
        msg = f"unknown country code {value!r}; use the ISO 3166 two-letter code in capitals (e.g. IN, NG)"
        raise ValueError(msg)
    return value


def _state(value: str) -> str:
    if not is_us_state(value):
        msg = f"unknown US state code {value!r}; use the two-letter code in capitals (e.g. NY, TX)"
        raise ValueError(msg)
    return value


def _url(value: str) -> str:
    if not _URL.match(value):
        msg = f"{value!r} is not a web address; write it in full, starting with https://"
        raise ValueError(msg)
    return value


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        msg = "is empty; say it in words"
        raise ValueError(msg)
    return text


def _partial(value: str) -> str:
    if not _PARTIAL_DATE.match(value):
        msg = f"{value!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY as the page shows it"
        raise ValueError(msg)
    return value


def _year_as_text(value: Any) -> Any:
    """A bare year in YAML (``date: 2019``) is a number: take it as the text it stands for."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _unique(values: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(set(values)) != len(values):
        msg = "lists a value twice; list each once"
        raise ValueError(msg)
    return values


Country = Annotated[str, AfterValidator(_country)]
State = Annotated[str, AfterValidator(_state)]
Url = Annotated[str, AfterValidator(_url)]
Text = Annotated[str, AfterValidator(_text)]
Stage = Literal["exams", "certified", "applying", "matched", "in_residency", "practising"]
Status = Literal["citizen", "permanent_resident", "refugee"]
Kind = Literal[
    "funding", "state_program", "organisation", "career_support", "clinical_experience",
    "visa_legal",
]  # fmt: skip
Grade = Literal["H", "M", "L", "U"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Where imgpath read an entry: the page's address and title, and the date the page shows."""

    url: Url
    title: Text
    date: Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_partial)] | None = Field(
        default=None,
        description="The date printed on the page, if it shows one (not the day read).",
    )


class Cost(_Model):
    """What it costs, in kind and in words; amounts appear only as read, in ``note``."""

    kind: Literal["free", "paid", "membership", "loan", "unknown"]
    note: str = ""

    def __str__(self) -> str:
        label = COST_KINDS[self.kind]
        return f"{label}: {self.note}" if self.note else label


class Serves(_Model):
    """Whom an entry serves.  Every empty list means "not limited by this"."""

    destination: Literal["US", "UK", "CA", "AU"]
    region: str = Field(
        default="",
        description="Where it operates, in words (a province, a city); shown, not matched.",
    )
    states: Annotated[tuple[State, ...], AfterValidator(_unique)] = Field(
        default=(), description="Only for people targeting one of these US states."
    )
    stages: Annotated[tuple[Stage, ...], AfterValidator(_unique)] = ()
    citizenships: Annotated[tuple[Country, ...], AfterValidator(_unique)] = Field(
        default=(), description="Open only to citizens of these countries."
    )
    citizenships_excluded: Annotated[tuple[Country, ...], AfterValidator(_unique)] = Field(
        default=(), description="Closed to citizens of these countries."
    )
    origins: Annotated[tuple[Country, ...], AfterValidator(_unique)] = Field(
        default=(),
        description="Aimed at doctors of these national origins (heritage); a citizenship of "
        "one of them is taken as a sign, not as a rule.",
    )
    statuses: Annotated[tuple[Status, ...], AfterValidator(_unique)] = Field(
        default=(), description="Only for people with one of these statuses in the destination."
    )
    lives_in_destination: bool = Field(
        default=False, description="Only for people already living in the destination country."
    )
    practice_abroad: bool = Field(
        default=False,
        description="Only for physicians who completed training and practised independently abroad.",
    )
    specialties: Annotated[tuple[Text, ...], AfterValidator(_unique)] = Field(
        default=(), description="Only for these specialties (lower case, as in the profile)."
    )
    notes: Text = Field(description="Who it serves, in words, as read on the source.")

    @model_validator(mode="after")
    def _consistent(self) -> Serves:
        if self.states and self.destination != "US":
            msg = "states are US states: use them only with destination US (use region for others)"
            raise ValueError(msg)
        both = set(self.citizenships) & set(self.citizenships_excluded)
        if both:
            msg = f"{', '.join(sorted(both))} is both required and excluded; keep one"
            raise ValueError(msg)
        if any(s != s.lower() for s in self.specialties):
            msg = "write specialties in lower case, as profiles do (e.g. internal medicine)"
            raise ValueError(msg)
        return self


class SupportEntry(_Model):
    """One organisation or program, as read on its sources on ``as_of``."""

    id: str = Field(description="country prefix and a slug: us.ama_imgs")
    name: Text
    kind: Kind
    offers: Text
    serves: Serves
    cost: Cost
    url: Url = Field(description="The organisation's own page for this (its address).")
    sources: tuple[Source, ...] = Field(
        min_length=1, description="What was read; first is primary."
    )
    as_of: date = Field(description="The day the sources were read.")
    grade: Grade
    review_by: date = Field(description="After this day the entry is stale: check it again.")
    review_note: str = ""
    unverified: tuple[Text, ...] = Field(
        default=(), description="Details that could not be verified and are left unknown."
    )
    rules: tuple[str, ...] = Field(
        default=(), description="Pathway rules (ids or families) this entry bears on."
    )

    @model_validator(mode="after")
    def _checks(self) -> SupportEntry:
        if not _ID.match(self.id):
            msg = f"id {self.id!r}: write the destination in lower case, a dot and a slug (us.ama_imgs)"
            raise ValueError(msg)
        if self.id[:2].upper() != self.serves.destination:
            msg = f"id {self.id!r} starts with {self.id[:2]!r} but serves.destination is {self.serves.destination}"
            raise ValueError(msg)
        if self.review_by <= self.as_of:
            msg = f"review_by {self.review_by} is not after as_of {self.as_of}; give a later review day"
            raise ValueError(msg)
        for rule in self.rules:
            if not _RULE_ID.match(rule):
                msg = f"rules: {rule!r} is not a rule id such as US.VISA.J1WAIVER.CONRAD30"
                raise ValueError(msg)
        if self.cost.kind == "unknown" and not any(
            "cost" in u or "fee" in u for u in self.unverified
        ):
            msg = "cost is unknown: say so in unverified (e.g. 'the fee')"
            raise ValueError(msg)
        return self

    @property
    def needs_confirmation(self) -> bool:
        """Graded L or U: shown as "needs confirmation", never as fact."""
        return self.grade in ("L", "U")

    def stale(self, day: date) -> bool:
        """Past its review day on ``day`` (the review day itself is still current)."""
        return day > self.review_by

    def unsure(self, day: date) -> bool:
        return self.needs_confirmation or self.stale(day)

    def caveat(self, day: date) -> str:
        """What to say beside the entry on ``day``: "" when current and graded H or M."""
        parts = []
        if self.stale(day):
            note = f" ({self.review_note})" if self.review_note else ""
            parts.append(
                f"stale: last confirmed on {self.as_of.isoformat()}, due for review since "
                f"{self.review_by.isoformat()}{note}; check it before relying on it"
            )
        if self.needs_confirmation:
            parts.append(f"needs confirmation: graded {self.grade} ({GRADES[self.grade]})")
        return "; ".join(parts)

    def to_dict(self, day: date | None = None) -> dict[str, Any]:
        """A plain mapping (JSON-ready); with ``day``, adds ``stale`` and ``needs_confirmation``."""
        out = self.model_dump(mode="json")
        if day is not None:
            out["stale"] = self.stale(day)
            out["needs_confirmation"] = self.unsure(day)
        return out


class SupportDirectory:
    """Every entry, by id, in the order read; ids are unique."""

    def __init__(self, entries: Iterable[SupportEntry]) -> None:
        self.entries: dict[str, SupportEntry] = {}
        for entry in entries:
            if entry.id in self.entries:
                msg = f"support entry id {entry.id} is defined twice"
                raise ValueError(msg)
            self.entries[entry.id] = entry

    def __iter__(self) -> Any:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, entry_id: str) -> SupportEntry:
        return self.entries[entry_id]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries


def parse_pack(data: Any, *, where: str) -> list[SupportEntry]:
    """Validate one pack (``{entries: [...]}``) read from ``where`` (a file name, for messages).

    Raises :class:`InvalidSupportDataError` listing every problem as ``where entries[i] (id).field``.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
        raise InvalidSupportDataError(
            [
                Problem(
                    where,
                    "a support pack is a mapping with a list under entries",
                    "see the other packs",
                )
            ]
        )
    extra = sorted(set(data) - {"entries", "about"})
    problems: list[Problem] = [
        Problem(f"{where} {key}", "is not a field of a pack", "keep only about and entries")
        for key in extra
    ]
    entries: list[SupportEntry] = []
    for i, raw in enumerate(data["entries"]):
        label = raw.get("id") if isinstance(raw, Mapping) else None
        head = f"{where} entries[{i}]" + (f" ({label})" if isinstance(label, str) else "")
        try:
            entries.append(SupportEntry.model_validate(raw))
        except ValidationError as exc:
            problems.extend(
                Problem(f"{head}.{p.location}" if p.location else head, p.message, p.hint)
                for p in problems_from(exc)
            )
    if problems:
        raise InvalidSupportDataError(problems)
    return entries
