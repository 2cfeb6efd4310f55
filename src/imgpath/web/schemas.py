"""What the JSON API returns, as models: the OpenAPI document (``/api/docs``) shows every shape.

Each model names the keys a response always has; values the library documents elsewhere (a
pathway report: docs/reference/plan-output.md; a program's evidence) are typed loosely and kept
whole (``extra="allow"``), so a response is exactly what the service returned.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AccountOut",
    "ApplicationIn",
    "ApplicationOne",
    "ApplicationOut",
    "ApplicationsOut",
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
    "PairIn",
    "PairMove",
    "PairsOut",
    "PasswordChanged",
    "PathwayOut",
    "PlaceRequestIn",
    "PlaceRequestsOut",
    "PlacementLetterIn",
    "ProfileOut",
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


def file_response(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI entry of a route that answers with a file (CSV, PNG, iCalendar)."""
    return {
        200: {
            "description": what,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


class Shape(BaseModel):
    """A response: the keys listed are always there; anything else the service adds is kept."""

    model_config = ConfigDict(extra="allow")


# ------------------------------------------------------------------------------ workspace
class AccountOut(Shape):
    id: Any
    email: str
    name: str
    role: str
    time_zone: str
    verified: Any


class ProfileOut(Shape):
    profile: dict[str, Any]
    """The profile as saved (docs/reference/profile.md); empty when there is none."""


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


class RemovedCode(Shape):
    removed: str


class RemovedId(Shape):
    removed: int


class ShareOut(Shape):
    id: int
    advisor_email: str
    created_at: str
    status: str
    """``active`` (a verified advisor account of that address) or ``pending``."""
    expires_at: str | None


class SharesOut(Shape):
    shares: list[ShareOut]


class CohortOut(Shape):
    applicants: list[dict[str, Any]]


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


class ExportOut(Shape):
    """Everything stored about the signed-in user; an organisation's export adds
    ``organisation`` (its profile, rotations and their requests), an applicant's
    ``rotation_requests``."""

    exported_at: str
    account: dict[str, Any]
    profile: Any
    saved_programs: list[dict[str, Any]]
    shares: list[dict[str, Any]]
    odds_runs: list[dict[str, Any]]
    applications: list[dict[str, Any]]
    letters: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    rotations: list[dict[str, Any]]
    rank_list: list[dict[str, Any]]
    couple: dict[str, Any] | None
    """The couple, its invitations and pair list (None outside a couple)."""


# -------------------------------------------------------------------------------- season
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


class Created(Shape):
    id: int


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


# ------------------------------------------------------------------------------- accounts
class Message(Shape):
    message: str


class Verified(Shape):
    verified: str


class SignedIn(Shape):
    account: AccountOut
    csrf_token: str
    """Send it as the X-CSRF-Token header with every change."""
    session: dict[str, Any]


class SignedOut(Shape):
    signed_out: str


class SignedOutEverywhere(Shape):
    signed_out: str
    sessions_ended: int


class SessionsOut(Shape):
    sessions: list[dict[str, Any]]


class PasswordChanged(Shape):
    changed: bool
    other_sessions_ended: int


class ResetDone(Shape):
    reset: str


class EmailConfirmed(Shape):
    email: str


class Deleted(Shape):
    deleted: str


# ------------------------------------------------------------------------------ requests
class Note(BaseModel):
    note: str = Field(default="", max_length=2000)


class ShareWith(BaseModel):
    advisor_email: str = Field(max_length=320)
    password: str = Field(max_length=1024, description="your password: sharing needs it again")


class OddsRequest(BaseModel):
    specialty: str = Field(default="", max_length=200)


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


# ------------------------------------------------------------- organisations (requests in)
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


# ------------------------------------------------------------ organisations (responses)
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


# ------------------------------------------------------------------------------ couples
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
