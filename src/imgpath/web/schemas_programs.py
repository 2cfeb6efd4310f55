"""The JSON API's pathway and program shapes: a pathway report, a program, a search, saved programs
and their notes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from imgpath.web.schemas_base import Shape

__all__ = ["Note", "PathwayOut", "ProgramOut", "SavedOut", "SavedProgram", "Saving", "SearchOut"]


class PathwayOut(Shape):
    """The pathway report (docs/reference/plan-output.md); deadlines carry ``times`` in ET and in
    the user's time zone."""

    as_of: str
    destination: Any
    img: dict[str, Any]
    steps: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    costs: dict[str, Any]
    next_actions: list[dict[str, Any]]
    rules: dict[str, Any]


class ProgramOut(Shape):
    """A program; ``fit`` (0-100, term by term) only with a profile; evidence on its own page."""

    code: str
    name: str
    specialty: str
    type: str
    institution: str
    state: str | None
    state_inferred: bool
    claims: list[dict[str, Any]]
    program_evidence_kinds: list[str]
    tied_with: int


class SearchOut(Shape):
    total: int
    excluded: int
    offset: int
    limit: int
    notes: list[str]
    specialties: list[str]
    visa: dict[str, Any] | None
    ties: list[dict[str, Any]]
    programs: list[ProgramOut]


class SavedProgram(Shape):
    code: str
    name: str
    institution: str
    state: str | None
    specialty: str
    note: str
    saved_at: str


class SavedOut(Shape):
    saved: list[SavedProgram]


class Saving(Shape):
    saved: str
    added: bool
    """False when the program was on the list already (its note is replaced)."""


class Note(BaseModel):
    note: str = Field(default="", max_length=2000)
