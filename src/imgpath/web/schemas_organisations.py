"""The JSON API's organisation and couple shapes: an organisation's profile, offered USCE rotations
and place requests; couples' invitations and pair lists (NRMP's couples match)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from imgpath.web.schemas_base import Shape

__all__ = [
    "CompletionIn",
    "CoupleOut",
    "InvitationIn",
    "LetterRecorded",
    "OfferedRotationIn",
    "OpenRotationsOut",
    "OrganisationOut",
    "OrganisationPageOut",
    "OrganisationProfileIn",
    "OrganisationProfileOut",
    "PairIn",
    "PairMove",
    "PairsOut",
    "PlaceRequestIn",
    "PlaceRequestsOut",
    "PlacementLetterIn",
    "RequestStatus",
]


class OrganisationProfileIn(BaseModel):
    name: str = Field(max_length=200, description="the public name applicants see")
    about: str = Field(default="", max_length=2000)
    website: str = Field(default="", max_length=300)


class OfferedRotationIn(BaseModel):
    """A rotation offered: its last day is the first day plus ``weeks`` whole weeks."""

    specialty: str = Field(max_length=120)
    site: str = Field(max_length=200, description="hospital or clinic, and its city")
    setting: str = Field(default="inpatient", max_length=40,
                         description="inpatient, outpatient or inpatient_and_outpatient")  # fmt: skip
    kind: str = Field(default="hands_on", max_length=20, description="hands_on or observership")
    weeks: int = Field(ge=-1_000_000, le=1_000_000, description="4 to 12")
    start_on: str = Field(max_length=20, description="YYYY-MM-DD, today or later")
    cost: float | None = Field(
        default=None, allow_inf_nan=False, description="US dollars; null: not stated"
    )
    places: int = Field(default=1, ge=-1_000_000, le=1_000_000, description="1 to 100")
    letter_needs: str = Field(
        default="", max_length=2000, description="what a letter of recommendation needs"
    )
    open: bool = Field(default=True, description="taking requests")


class PlaceRequestIn(BaseModel):
    message: str = Field(default="", max_length=2000, description="to the organisation")


class CompletionIn(BaseModel):
    completed_on: str = Field(max_length=20, description="YYYY-MM-DD, not after today")


class PlacementLetterIn(BaseModel):
    writer: str = Field(max_length=200)
    letter_status: str = Field(
        default="requested", max_length=20, description="requested or uploaded"
    )
    notes: str = Field(default="", max_length=1000)


class OpenRotationsOut(Shape):
    """Open rotations still to start, by first day; each with ``places_left`` and the
    organisation's name and id."""

    rotations: list[dict[str, Any]]


class OrganisationPageOut(Shape):
    """An organisation's public page."""

    organisation: dict[str, Any]
    """id, name, about, website."""
    rotations: list[dict[str, Any]]


class PlaceRequestsOut(Shape):
    """The applicant's requests for places, each with the rotation's facts."""

    requests: list[dict[str, Any]]


class OrganisationOut(Shape):
    """The signed-in organisation's profile, whether it has a public name yet, and every rotation
    it offers with the requests for it."""

    organisation: dict[str, Any]
    named: bool
    rotations: list[dict[str, Any]]


class OrganisationProfileOut(Shape):
    organisation: dict[str, Any]


class RequestStatus(Shape):
    id: int
    status: str


class LetterRecorded(Shape):
    letter_id: int


class InvitationIn(BaseModel):
    partner_email: str = Field(max_length=320)
    password: str = Field(max_length=1024, description="yours, to confirm")


class PairIn(BaseModel):
    mine: str = Field(
        default="", max_length=20, description="your program's code; empty or 999999999: No Match"
    )
    partner: str = Field(
        default="", max_length=20, description="your partner's program's code, or No Match"
    )
    at: int | None = Field(
        default=None, ge=-1_000_000, le=1_000_000, description="rank to insert at; default last"
    )


class PairMove(BaseModel):
    to: int = Field(ge=-1_000_000, le=1_000_000, description="new rank, 1 is the top")


class PairsOut(Shape):
    """A couple's pair list, each pair oriented (mine, partner's), with NRMP's limits: ``limit``
    pairs, ``limit_in_all`` ranks in all (each pair is two ranks)."""

    entries: list[dict[str, Any]]
    length: int
    limit: int
    ranks_in_all: int
    limit_in_all: int
    unique: dict[str, Any]
    """Distinct programs on each side's half."""
    certified: dict[str, Any]
    """When each side certified (ISO time), or None."""
    no_match_code: str


class CoupleOut(Shape):
    """My couple (an invitation sent, or the link), invitations to me, and, once linked,
    ``pairs`` (as :class:`PairsOut`)."""

    couple: dict[str, Any] | None
    invitations: list[dict[str, Any]]
    limit: int
