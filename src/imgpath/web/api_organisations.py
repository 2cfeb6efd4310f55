"""Rotation organisations' JSON API (``services.workspace.organisations``).

Public (signed in or not): ``GET /api/usce`` (every open rotation) and ``GET
/api/organisations/{org_id}`` (an organisation's page).  Applicants: request a place, list and
withdraw their own requests.  Organisations: their profile, their rotations, and decisions on
the requests for them.  Changes need the X-CSRF-Token header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from imgpath.web.deps import Csrf, Me, OrganisationsDep, RowId, Today
from imgpath.web.schemas import (
    CompletionIn,
    Created,
    LetterRecorded,
    OfferedRotationIn,
    OpenRotationsOut,
    OrganisationOut,
    OrganisationPageOut,
    OrganisationProfileIn,
    OrganisationProfileOut,
    PlacementLetterIn,
    PlaceRequestIn,
    PlaceRequestsOut,
    RemovedId,
    RequestStatus,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["organisations"])
OrgId = Annotated[int, Path(ge=1, le=2_147_483_647, description="an organisation's account id")]


# ------------------------------------------------------------------------ public
@router.get("/usce", response_model=OpenRotationsOut)
def api_browse(
    organisations: OrganisationsDep, on: Today, specialty: str = "", kind: str = ""
) -> dict[str, Any]:
    """Every organisation's open rotations still to start, by first day."""
    rotations = organisations.browse(specialty=specialty[:120], kind=kind[:20], on=on)
    return {"rotations": rotations}


@router.get("/organisations/{org_id}", response_model=OrganisationPageOut)
def api_organisation_page(organisations: OrganisationsDep, org_id: OrgId) -> dict[str, Any]:
    out: dict[str, Any] = organisations.page(org_id)
    return out


# -------------------------------------------------------------------- applicants
@router.post("/usce/{rotation_id}/requests", status_code=201, dependencies=[Csrf],
             response_model=Created)  # fmt: skip
def api_request_place(
    me: Me, organisations: OrganisationsDep, rotation_id: RowId, body: PlaceRequestIn
) -> dict[str, Any]:
    return {"id": organisations.request_place(me, rotation_id, body.model_dump())}


@router.get("/usce/requests", response_model=PlaceRequestsOut)
def api_my_requests(me: Me, organisations: OrganisationsDep) -> dict[str, Any]:
    return {"requests": organisations.my_requests(me)}


@router.post("/usce/requests/{request_id}/withdraw", dependencies=[Csrf],
             response_model=PlaceRequestsOut)  # fmt: skip
def api_withdraw(me: Me, organisations: OrganisationsDep, request_id: RowId) -> dict[str, Any]:
    organisations.withdraw(me, request_id)
    return {"requests": organisations.my_requests(me)}


# ------------------------------------------------------------------ organisations
@router.get("/organisation", response_model=OrganisationOut)
def api_dashboard(me: Me, organisations: OrganisationsDep) -> dict[str, Any]:
    """The signed-in organisation's profile, rotations and the requests for them."""
    out: dict[str, Any] = organisations.dashboard(me)
    return out


@router.put("/organisation", dependencies=[Csrf], response_model=OrganisationProfileOut)
def api_save_profile(
    me: Me, organisations: OrganisationsDep, body: OrganisationProfileIn
) -> dict[str, Any]:
    return {"organisation": organisations.save_profile(me, body.model_dump())}


@router.post("/organisation/rotations", status_code=201, dependencies=[Csrf],
             response_model=Created)  # fmt: skip
def api_add_rotation(
    me: Me, organisations: OrganisationsDep, on: Today, body: OfferedRotationIn
) -> dict[str, Any]:
    return {"id": organisations.add_rotation(me, body.model_dump(), on=on)}


@router.put("/organisation/rotations/{rotation_id}", dependencies=[Csrf], response_model=Created)
def api_change_rotation(
    me: Me, organisations: OrganisationsDep, on: Today, rotation_id: RowId, body: OfferedRotationIn
) -> dict[str, Any]:
    organisations.change_rotation(me, rotation_id, body.model_dump(), on=on)
    return {"id": rotation_id}


@router.delete("/organisation/rotations/{rotation_id}", dependencies=[Csrf],
               response_model=RemovedId)  # fmt: skip
def api_remove_rotation(
    me: Me, organisations: OrganisationsDep, rotation_id: RowId
) -> dict[str, Any]:
    organisations.remove_rotation(me, rotation_id)
    return {"removed": rotation_id}


@router.post("/organisation/requests/{request_id}/accept", dependencies=[Csrf],
             response_model=RequestStatus)  # fmt: skip
def api_accept(me: Me, organisations: OrganisationsDep, request_id: RowId) -> dict[str, Any]:
    organisations.accept(me, request_id)
    return {"id": request_id, "status": "accepted"}


@router.post("/organisation/requests/{request_id}/decline", dependencies=[Csrf],
             response_model=RequestStatus)  # fmt: skip
def api_decline(me: Me, organisations: OrganisationsDep, request_id: RowId) -> dict[str, Any]:
    organisations.decline(me, request_id)
    return {"id": request_id, "status": "declined"}


@router.post("/organisation/requests/{request_id}/place", dependencies=[Csrf],
             response_model=RequestStatus)  # fmt: skip
def api_place(me: Me, organisations: OrganisationsDep, request_id: RowId) -> dict[str, Any]:
    organisations.place(me, request_id)
    return {"id": request_id, "status": "placed"}


@router.post("/organisation/requests/{request_id}/complete", dependencies=[Csrf],
             response_model=RequestStatus)  # fmt: skip
def api_complete(
    me: Me, organisations: OrganisationsDep, on: Today, request_id: RowId, body: CompletionIn
) -> dict[str, Any]:
    organisations.complete(me, request_id, body.model_dump(), on=on)
    return {"id": request_id, "status": "completed"}


@router.post("/organisation/requests/{request_id}/letter", status_code=201, dependencies=[Csrf],
             response_model=LetterRecorded)  # fmt: skip
def api_record_letter(
    me: Me, organisations: OrganisationsDep, request_id: RowId, body: PlacementLetterIn
) -> dict[str, Any]:
    return {"letter_id": organisations.record_letter(me, request_id, body.model_dump())}
