"""The JSON API's season tracker shapes: applications, costs, letters, documents, USCE rotations,
the rank list, the timeline and interview slots (in and out)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from imgpath.web.schemas_base import Shape

__all__ = [
    "ApplicationIn",
    "ApplicationOne",
    "ApplicationOut",
    "ApplicationsOut",
    "CostsOut",
    "DocumentIn",
    "DocumentOut",
    "DocumentsOut",
    "Done",
    "Imported",
    "LetterIn",
    "LetterOut",
    "LettersForProgram",
    "LettersOut",
    "Move",
    "RankListOut",
    "Ranked",
    "RotationIn",
    "RotationsOut",
    "SlotIn",
    "SlotsOut",
    "Status",
    "Supplemental",
    "TimelineItem",
    "TimelineOut",
]


class ApplicationOut(Shape):
    id: int
    program_code: str
    service: str
    status: str
    dates: dict[str, str]
    """Status (or ``interview``) -> YYYY-MM-DD."""
    notes: str


class ApplicationsOut(Shape):
    applications: list[ApplicationOut]


class ApplicationOne(Shape):
    application: ApplicationOut


class Imported(Shape):
    imported: int


class CostsOut(Shape):
    eras_programs: int
    residencycas_programs: int
    ranks: int
    eras: dict[str, Any] | None
    """ERAS fees from the bundled fee rules (None with no ERAS application)."""
    notes: list[str]


class LetterOut(Shape):
    id: int
    writer: str
    kind: str
    status: str
    requested_on: Any
    notes: str
    programs: list[str]


class LettersOut(Shape):
    letters: list[LetterOut]


class LettersForProgram(Shape):
    letters_for_program: int


class DocumentOut(Shape):
    id: int
    title: str
    kind: str
    due_on: Any
    done: bool


class DocumentsOut(Shape):
    documents: list[DocumentOut]


class RotationsOut(Shape):
    rotations: list[dict[str, Any]]
    months: float
    hands_on_months: float
    cost: float
    letters_earned: int
    requirements: list[dict[str, Any]]
    """Programs on your lists that ask for months of USCE, with the source and whether you meet it."""


class RankListOut(Shape):
    entries: list[dict[str, Any]]
    limit: int
    length: int
    extra_rank_fee_above: int | None
    extra_rank_fee_rule: str | None
    summary: str


class TimelineItem(Shape):
    date: str
    kind: str
    uid: str
    title: str
    detail: str
    needs_confirmation: bool


class TimelineOut(Shape):
    timeline: list[TimelineItem]


class SlotsOut(Shape):
    slots: list[dict[str, Any]]


class ApplicationIn(BaseModel):
    """What is left out stays as it was (a new application starts saved, via ERAS)."""

    status: str | None = Field(default=None, max_length=20)
    service: str | None = Field(default=None, max_length=20)
    notes: str | None = Field(default=None, max_length=4000)
    dates: dict[str, str] = Field(
        default_factory=dict, max_length=10, description="status or 'interview' -> YYYY-MM-DD"
    )


class LetterIn(BaseModel):
    writer: str = Field(max_length=200)
    kind: str = Field(default="us_clinical", max_length=20)
    status: str = Field(default="requested", max_length=20)
    requested_on: str | None = Field(default=None, max_length=20)
    notes: str = Field(default="", max_length=2000)


class Status(BaseModel):
    status: str = Field(max_length=20)


class DocumentIn(BaseModel):
    title: str = Field(max_length=200)
    kind: str = Field(default="other", max_length=30)
    due_on: str | None = Field(default=None, max_length=20)
    done: bool = False


class Done(BaseModel):
    done: bool


class RotationIn(BaseModel):
    site: str = Field(max_length=200)
    specialty: str = Field(max_length=120)
    start_on: str = Field(max_length=20)
    end_on: str = Field(max_length=20)
    kind: str = Field(default="hands_on", max_length=20)
    cost: float | None = Field(default=None, allow_inf_nan=False)
    supervisor: str = Field(default="", max_length=200)
    letter_earned: bool = False


class SlotIn(BaseModel):
    site: str = Field(max_length=200)
    specialty: str = Field(max_length=120)
    start_on: str = Field(max_length=20)
    end_on: str = Field(max_length=20)
    kind: str = Field(default="hands_on", max_length=20)
    capacity: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)


class Move(BaseModel):
    to: int = Field(ge=-1_000_000, le=1_000_000, description="new position, 1 is the top")


class Supplemental(BaseModel):
    programs: list[str] = Field(max_length=300)  # each code is checked by the tracker


class Ranked(BaseModel):
    program_code: str = Field(max_length=12)
