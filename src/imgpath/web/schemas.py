"""What the JSON API returns, as models: the OpenAPI document (``/api/docs``) shows every shape.

Each model names the keys a response always has; values the library documents elsewhere (a
pathway report: docs/reference/plan-output.md; a program's evidence) are typed loosely and kept
whole (``extra="allow"``), so a response is exactly what the service returned.

The shapes live by area (:mod:`.schemas_accounts`, :mod:`.schemas_programs`,
:mod:`.schemas_season`, :mod:`.schemas_organisations`, :mod:`.schemas_evidence`;
:mod:`.schemas_base` holds what they share); this module re-exports them all, so routes import
from one place, and holds the odds shapes.  A new area's shapes get a ``schemas_<area>`` module,
re-exported here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from imgpath.web.schemas_accounts import (
    AccountOut,
    CohortOut,
    Deleted,
    EmailConfirmed,
    ExportOut,
    Message,
    PasswordChanged,
    ProfileOut,
    ResetDone,
    SessionsOut,
    ShareOut,
    SharesOut,
    ShareWith,
    SignedIn,
    SignedOut,
    SignedOutEverywhere,
    Verified,
)
from imgpath.web.schemas_base import Created, RemovedCode, RemovedId, Shape, file_response
from imgpath.web.schemas_evidence import (
    ClaimFieldsOut,
    ClaimOut,
    OutcomesOut,
    OutcomesRemoved,
    PendingClaimsOut,
    ProgramClaimsOut,
)
from imgpath.web.schemas_organisations import (
    CompletionIn,
    CoupleOut,
    InvitationIn,
    LetterRecorded,
    OfferedRotationIn,
    OpenRotationsOut,
    OrganisationOut,
    OrganisationPageOut,
    OrganisationProfileIn,
    OrganisationProfileOut,
    PairIn,
    PairMove,
    PairsOut,
    PlacementLetterIn,
    PlaceRequestIn,
    PlaceRequestsOut,
    RequestStatus,
)
from imgpath.web.schemas_programs import (
    Note,
    PathwayOut,
    ProgramOut,
    SavedOut,
    SavedProgram,
    Saving,
    SearchOut,
)
from imgpath.web.schemas_season import (
    ApplicationIn,
    ApplicationOne,
    ApplicationOut,
    ApplicationsOut,
    CostsOut,
    DocumentIn,
    DocumentOut,
    DocumentsOut,
    Done,
    Imported,
    LetterIn,
    LetterOut,
    LettersForProgram,
    LettersOut,
    Move,
    Ranked,
    RankListOut,
    RotationIn,
    RotationsOut,
    SlotIn,
    SlotsOut,
    Status,
    Supplemental,
    TimelineItem,
    TimelineOut,
)

__all__ = [
    "AccountOut",
    "ApplicationIn",
    "ApplicationOne",
    "ApplicationOut",
    "ApplicationsOut",
    "ClaimFieldsOut",
    "ClaimOut",
    "CohortOut",
    "CompletionIn",
    "CostsOut",
    "CoupleOut",
    "Created",
    "Deleted",
    "DocumentIn",
    "DocumentOut",
    "DocumentsOut",
    "Done",
    "EmailConfirmed",
    "ExportOut",
    "Imported",
    "InvitationIn",
    "JobStarted",
    "LetterIn",
    "LetterOut",
    "LetterRecorded",
    "LettersForProgram",
    "LettersOut",
    "Message",
    "Move",
    "Note",
    "OddsAnswerOut",
    "OddsJobOut",
    "OddsRequest",
    "OfferedRotationIn",
    "OpenRotationsOut",
    "OrganisationOut",
    "OrganisationPageOut",
    "OrganisationProfileIn",
    "OrganisationProfileOut",
    "OutcomesOut",
    "OutcomesRemoved",
    "PairIn",
    "PairMove",
    "PairsOut",
    "PasswordChanged",
    "PathwayOut",
    "PendingClaimsOut",
    "PlaceRequestIn",
    "PlaceRequestsOut",
    "PlacementLetterIn",
    "ProfileOut",
    "ProgramClaimsOut",
    "ProgramOut",
    "RankListOut",
    "Ranked",
    "RemovedCode",
    "RemovedId",
    "RequestStatus",
    "ResetDone",
    "RotationIn",
    "RotationsOut",
    "SavedOut",
    "SavedProgram",
    "Saving",
    "SearchOut",
    "SessionsOut",
    "ShareOut",
    "ShareWith",
    "SharesOut",
    "SignedIn",
    "SignedOut",
    "SignedOutEverywhere",
    "SlotIn",
    "SlotsOut",
    "Status",
    "Supplemental",
    "TimelineItem",
    "TimelineOut",
    "Verified",
    "file_response",
]


# ---------------------------------------------------------------------------------- odds
class JobStarted(Shape):
    job: str
    status_url: str


class OddsFunnelRow(Shape):
    """The funnel at one number of applications (docs/reference/odds.md)."""

    applications: int = Field(description="N, programs applied to in the specialty")
    usable_applications: int = Field(description="of them, to programs that could take the person")
    interviews: float = Field(description="expected interviews")
    interviews_range: tuple[float, float]
    p_match: float = Field(description="chance of matching (0-1)")
    p_match_range: tuple[float, float]
    eras_fee_usd: float | None = Field(
        description="ERAS fees for N programs; None: no fee rule in force"
    )


class OddsChanceAtK(Shape):
    interviews: int = Field(description="k, interviews (programs on the rank list)")
    p_match: float
    interval_90: tuple[float, float]


class OddsNationalRate(Shape):
    type: str
    label: str
    year: int
    published: float | None = Field(description="NRMP's published match rate; None: not published")
    source: str
    simulated: float
    simulated_interval_90: tuple[float, float]


class OddsFigure(Shape):
    what: str
    value: float
    source: str
    grade: Literal["H", "M", "L", "U"] = Field(description="L and U need confirmation")


class OddsPerson(Shape):
    type: str
    label: str
    step2ck_z: float | None
    needs_visa: bool
    j1_open: bool
    h1b_open: bool
    notes: list[str]


class OddsAnswerOut(Shape):
    """``imgpath.market.OddsAnswer`` (docs/reference/odds.md) and the plot in words."""

    as_of: str
    model_year: int
    specialty: str
    person: OddsPerson
    rows: list[OddsFunnelRow]
    by_interviews: list[OddsChanceAtK]
    national: OddsNationalRate
    figures: list[OddsFigure]
    assumptions: list[str]
    not_modelled: list[str]
    runs: int
    seed: int
    markets_built: int
    description: str = Field(description="the funnel plot in words")


class OddsRunRequest(Shape):
    specialty: str
    on: str
    runs: int
    scale: float
    ranks: int | None = Field(default=None, description="the rank list's length, for its what-if")


class OddsJobOut(Shape):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    done: int = Field(description="stored simulated Matches built so far")
    total: int
    request: OddsRunRequest
    result: OddsAnswerOut | None = Field(description="the funnel answer, once done")
    outdated: bool = Field(description="a run of an older version whose result is no longer shown")
    error: str | None
    created_at: str


class OddsRequest(BaseModel):
    specialty: str = Field(default="", max_length=200)
