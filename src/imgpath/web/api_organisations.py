"""Rotation organisations' JSON API (``services.organisations``).

Public (signed in or not): ``GET /api/usce`` (every open rotation) and ``GET
/api/organisations/{org_id}`` (an organisation's page).  Applicants: request a place, list and
withdraw their own requests.  Organisations: their profile, their rotations, and decisions on
the requests for them.  Changes need the X-CSRF-Token header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from imgpath.web.deps import Csrf, Me, RowId, today

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["organisations"])
OrgId = Annotated[int, Path(ge=1, le=2_147_483_647, description="an organisation's account id")]


class Profile(BaseModel):
    name: str = Field(max_length=200, description="the public name applicants see")
    about: str = Field(default="", max_length=2000)
    website: str = Field(default="", max_length=300)


class Rotation(BaseModel):
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


class RequestBody(BaseModel):
    message: str = Field(default="", max_length=2000, description="to the organisation")


class Completion(BaseModel):
    completed_on: str = Field(max_length=20, description="YYYY-MM-DD, not after today")


class Letter(BaseModel):
    writer: str = Field(max_length=200)
    letter_status: str = Field(
        default="requested", max_length=20, description="requested or uploaded"
    )
    notes: str = Field(default="", max_length=1000)


def _orgs(request: Request) -> Any:
    return request.app.state.organisations


# ------------------------------------------------------------------------ public
@router.get("/usce")
def api_browse(request: Request, specialty: str = "", kind: str = "") -> dict[str, Any]:
    """Every organisation's open rotations still to start, by first day."""
    rotations = _orgs(request).browse(specialty=specialty[:120], kind=kind[:20], on=today(request))
    return {"rotations": rotations}


@router.get("/organisations/{org_id}")
def api_organisation_page(request: Request, org_id: OrgId) -> dict[str, Any]:
    out: dict[str, Any] = _orgs(request).page(org_id)
    return out


# -------------------------------------------------------------------- applicants
@router.post("/usce/{rotation_id}/requests", status_code=201, dependencies=[Csrf])
def api_request_place(
    request: Request, me: Me, rotation_id: RowId, body: RequestBody
) -> dict[str, Any]:
    return {"id": _orgs(request).request_place(me, rotation_id, body.model_dump())}


@router.get("/usce/requests")
def api_my_requests(request: Request, me: Me) -> dict[str, Any]:
    return {"requests": _orgs(request).my_requests(me)}


@router.post("/usce/requests/{request_id}/withdraw", dependencies=[Csrf])
def api_withdraw(request: Request, me: Me, request_id: RowId) -> dict[str, Any]:
    _orgs(request).withdraw(me, request_id)
    return {"requests": _orgs(request).my_requests(me)}


# ------------------------------------------------------------------ organisations
@router.get("/organisation")
def api_dashboard(request: Request, me: Me) -> dict[str, Any]:
    """The signed-in organisation's profile, rotations and the requests for them."""
    out: dict[str, Any] = _orgs(request).dashboard(me)
    return out


@router.put("/organisation", dependencies=[Csrf])
def api_save_profile(request: Request, me: Me, body: Profile) -> dict[str, Any]:
    return {"organisation": _orgs(request).save_profile(me, body.model_dump())}


@router.post("/organisation/rotations", status_code=201, dependencies=[Csrf])
def api_add_rotation(request: Request, me: Me, body: Rotation) -> dict[str, Any]:
    return {"id": _orgs(request).add_rotation(me, body.model_dump(), on=today(request))}


@router.put("/organisation/rotations/{rotation_id}", dependencies=[Csrf])
def api_change_rotation(
    request: Request, me: Me, rotation_id: RowId, body: Rotation
) -> dict[str, Any]:
    _orgs(request).change_rotation(me, rotation_id, body.model_dump(), on=today(request))
    return {"id": rotation_id}


@router.delete("/organisation/rotations/{rotation_id}", dependencies=[Csrf])
def api_remove_rotation(request: Request, me: Me, rotation_id: RowId) -> dict[str, Any]:
    _orgs(request).remove_rotation(me, rotation_id)
    return {"removed": rotation_id}


@router.post("/organisation/requests/{request_id}/accept", dependencies=[Csrf])
def api_accept(request: Request, me: Me, request_id: RowId) -> dict[str, Any]:
    _orgs(request).accept(me, request_id)
    return {"id": request_id, "status": "accepted"}


@router.post("/organisation/requests/{request_id}/decline", dependencies=[Csrf])
def api_decline(request: Request, me: Me, request_id: RowId) -> dict[str, Any]:
    _orgs(request).decline(me, request_id)
    return {"id": request_id, "status": "declined"}


@router.post("/organisation/requests/{request_id}/place", dependencies=[Csrf])
def api_place(request: Request, me: Me, request_id: RowId) -> dict[str, Any]:
    _orgs(request).place(me, request_id)
    return {"id": request_id, "status": "placed"}


@router.post("/organisation/requests/{request_id}/complete", dependencies=[Csrf])
def api_complete(request: Request, me: Me, request_id: RowId, body: Completion) -> dict[str, Any]:
    _orgs(request).complete(me, request_id, body.model_dump(), on=today(request))
    return {"id": request_id, "status": "completed"}


@router.post("/organisation/requests/{request_id}/letter", status_code=201, dependencies=[Csrf])
def api_record_letter(request: Request, me: Me, request_id: RowId, body: Letter) -> dict[str, Any]:
    return {"letter_id": _orgs(request).record_letter(me, request_id, body.model_dump())}
