"""The JSON API under /api: the same use cases as the pages, for scripts and other front ends.

Changes (POST, PUT, DELETE) need the X-CSRF-Token header (``POST /api/signin`` returns it);
accounts are in ``api_accounts``, the season tracker in ``api_tracker``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from imgpath.catalog import parse_search
from imgpath.web.deps import (
    CouplesDep,
    Csrf,
    Me,
    OrganisationsDep,
    RowId,
    SeasonDep,
    Today,
    UserId,
    WorkspaceDep,
)
from imgpath.web.schemas import (
    CohortOut,
    ExportOut,
    JobStarted,
    Note,
    OddsJobOut,
    OddsRequest,
    PathwayOut,
    ProfileOut,
    ProgramOut,
    RemovedCode,
    SavedOut,
    Saving,
    SearchOut,
    SharesOut,
    ShareWith,
    file_response,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["workspace"])


@router.get("/profile", response_model=ProfileOut)
def api_profile(me: Me, workspace: WorkspaceDep, user: UserId = None) -> dict[str, Any]:
    return {"profile": workspace.profile(me, user)}


@router.put("/profile", dependencies=[Csrf], response_model=ProfileOut)
def api_save_profile(
    me: Me, workspace: WorkspaceDep, on: Today, body: dict[str, Any]
) -> dict[str, Any]:
    """Replace the profile (JSON, see docs/reference/profile.md); nothing is saved if a field is wrong."""
    return {"profile": workspace.save_profile(me, body, on=on)}


@router.get("/pathway", response_model=PathwayOut)
def api_pathway(me: Me, workspace: WorkspaceDep, on: Today, user: UserId = None) -> dict[str, Any]:
    report: dict[str, Any] = workspace.pathway(me, user, on=on)
    return report


@router.get("/programs", response_model=SearchOut)
def api_programs(
    me: Me,
    workspace: WorkspaceDep,
    on: Today,
    q: Annotated[str, Query(max_length=200)] = "",
    specialty: Annotated[list[str] | None, Query(max_length=50)] = None,
    state: Annotated[list[str] | None, Query(max_length=60)] = None,
    visa: Annotated[str | None, Query(max_length=10)] = None,
    visa_unknown: Annotated[
        bool, Query(description="with visa: also list those whose sponsorship is unknown")
    ] = False,
    all_specialties: Annotated[
        bool, Query(description="do not keep only the profile's target specialty")
    ] = False,
    sort: Annotated[
        str, Query(max_length=20, description="fit (name without a profile), name, ...")
    ] = "fit",
    limit: Annotated[int, Query(ge=0, le=500)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    user: UserId = None,
) -> dict[str, Any]:
    query = parse_search(text=q, specialties=specialty or (), states=state or (), visa=visa,
                         visa_unknown=visa_unknown, all_specialties=all_specialties,
                         sort=sort, limit=limit, offset=offset)  # fmt: skip
    result = workspace.search(me, query, on=on, owner_id=user)
    out: dict[str, Any] = result.to_dict()
    return out


@router.get("/programs/{code}", response_model=ProgramOut)
def api_program(me: Me, workspace: WorkspaceDep, on: Today, code: str) -> dict[str, Any]:
    out: dict[str, Any] = workspace.program(me, code, on=on).to_dict()
    return out


@router.get("/saved", response_model=SavedOut)
def api_saved(me: Me, workspace: WorkspaceDep, user: UserId = None) -> dict[str, Any]:
    return {"saved": workspace.saved(me, user)}


@router.put("/saved/{code}", dependencies=[Csrf], response_model=Saving)
def api_save(
    me: Me, workspace: WorkspaceDep, code: str, body: Note | None = None
) -> dict[str, Any]:
    added = workspace.save_program(me, code, body.note if body else "")
    return {"saved": code, "added": added}


@router.delete("/saved/{code}", dependencies=[Csrf], response_model=RemovedCode)
def api_unsave(me: Me, workspace: WorkspaceDep, code: str) -> dict[str, Any]:
    workspace.unsave_program(me, code)
    return {"removed": code}


@router.get("/shares", response_model=SharesOut)
def api_shares(me: Me, workspace: WorkspaceDep) -> dict[str, Any]:
    return {"shares": workspace.shares(me)}


@router.post("/shares", status_code=201, dependencies=[Csrf], response_model=SharesOut)
def api_share(me: Me, workspace: WorkspaceDep, body: ShareWith) -> dict[str, Any]:
    """Share read-only with an advisor's email (your password first).  It is ``pending`` until a
    verified advisor account of that address exists, and lapses if none does in time."""
    workspace.share(me, body.advisor_email, password=body.password)
    return {"shares": workspace.shares(me)}


@router.delete("/shares/{share_id}", dependencies=[Csrf], response_model=SharesOut)
def api_revoke(me: Me, workspace: WorkspaceDep, share_id: RowId) -> dict[str, Any]:
    workspace.revoke(me, share_id)
    return {"shares": workspace.shares(me)}


@router.get("/cohort", response_model=CohortOut)
def api_cohort(me: Me, workspace: WorkspaceDep) -> dict[str, Any]:
    return {"applicants": workspace.cohort(me)}


@router.post("/odds", status_code=202, dependencies=[Csrf], response_model=JobStarted)
def api_start_odds(me: Me, workspace: WorkspaceDep, on: Today, body: OddsRequest) -> dict[str, Any]:
    job = workspace.start_odds(me, specialty=body.specialty, on=on)
    return {"job": job, "status_url": f"/api/odds/{job}"}


@router.get("/odds/{job}", response_model=OddsJobOut)
def api_odds(me: Me, workspace: WorkspaceDep, job: str) -> dict[str, Any]:
    """The run's status and progress, and when done the funnel answer (docs/reference/odds.md)."""
    out: dict[str, Any] = workspace.odds_job(me, job)
    return out


@router.get(
    "/odds/{job}/plot.png",
    response_class=Response,
    responses=file_response("image/png", "the run's plot"),
)
def api_odds_plot(me: Me, workspace: WorkspaceDep, job: str) -> Response:
    """The run's plot (PNG, drawn once when the run finished)."""
    return Response(workspace.odds_plot(me, job), media_type="image/png")


@router.get("/export", response_model=ExportOut)
def api_export(
    me: Me, season: SeasonDep, organisations: OrganisationsDep, couples: CouplesDep
) -> dict[str, Any]:
    out: dict[str, Any] = season.export(me)
    out.update(organisations.export(me), couple=couples.export(me))
    return out
