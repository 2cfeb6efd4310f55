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

from typing import Any

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


class OddsJobOut(Shape):
    id: str
    status: str
    done: int
    total: int
    request: dict[str, Any]
    result: Any
    error: Any


class OddsRequest(BaseModel):
    specialty: str = Field(default="", max_length=200)
