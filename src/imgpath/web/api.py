"""The JSON API under /api: the same use cases as the pages, for scripts and other front ends.

Changes (POST, PUT, DELETE) need the X-CSRF-Token header (``POST /api/signin`` returns it);
accounts are in ``api_accounts``, the season tracker in ``api_tracker``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from imgpath.core.catalog.search import SearchQuery
from imgpath.web.deps import Csrf, Me, RowId, UserId, today
from imgpath.web.odds_schema import OddsJob

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["workspace"])


class Note(BaseModel):
    note: str = Field(default="", max_length=2000)


class ShareWith(BaseModel):
    advisor_email: str = Field(max_length=320)
    password: str = Field(max_length=1024, description="your password: sharing needs it again")


class OddsRequest(BaseModel):
    specialty: str = Field(default="", max_length=200)


@router.get("/profile")
def api_profile(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    return {"profile": request.app.state.workspace.profile(me, user)}


@router.put("/profile", dependencies=[Csrf])
def api_save_profile(request: Request, me: Me, body: dict[str, Any]) -> dict[str, Any]:
    """Replace the profile (JSON, see docs/reference/profile.md); nothing is saved if a field is wrong."""
    return {"profile": request.app.state.workspace.save_profile(me, body, on=today(request))}


@router.get("/pathway")
def api_pathway(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    report: dict[str, Any] = request.app.state.workspace.pathway(me, user, on=today(request))
    return report


@router.get("/programs")
def api_programs(
    request: Request,
    me: Me,
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
    query = SearchQuery(text=q, specialties=tuple(specialty or ()), states=tuple(state or ()), visa=visa or None,
                        visa_unknown=visa_unknown, all_specialties=all_specialties,
                        sort=sort, limit=limit, offset=offset)  # fmt: skip
    result = request.app.state.workspace.search(me, query, on=today(request), owner_id=user)
    out: dict[str, Any] = result.to_dict()
    return out


@router.get("/programs/{code}")
def api_program(request: Request, me: Me, code: str) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.workspace.program(me, code, on=today(request)).to_dict()
    return out


@router.get("/saved")
def api_saved(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    return {"saved": request.app.state.workspace.saved(me, user)}


@router.put("/saved/{code}", dependencies=[Csrf])
def api_save(request: Request, me: Me, code: str, body: Note | None = None) -> dict[str, Any]:
    added = request.app.state.workspace.save_program(me, code, body.note if body else "")
    return {"saved": code, "added": added}


@router.delete("/saved/{code}", dependencies=[Csrf])
def api_unsave(request: Request, me: Me, code: str) -> dict[str, Any]:
    request.app.state.workspace.unsave_program(me, code)
    return {"removed": code}


@router.get("/shares")
def api_shares(request: Request, me: Me) -> dict[str, Any]:
    return {"shares": request.app.state.workspace.shares(me)}


@router.post("/shares", status_code=201, dependencies=[Csrf])
def api_share(request: Request, me: Me, body: ShareWith) -> dict[str, Any]:
    """Share read-only with an advisor's email (your password first).  It is ``pending`` until a
    verified advisor account of that address exists, and lapses if none does in time."""
    request.app.state.workspace.share(me, body.advisor_email, password=body.password)
    return {"shares": request.app.state.workspace.shares(me)}


@router.delete("/shares/{share_id}", dependencies=[Csrf])
def api_revoke(request: Request, me: Me, share_id: RowId) -> dict[str, Any]:
    request.app.state.workspace.revoke(me, share_id)
    return {"shares": request.app.state.workspace.shares(me)}


@router.get("/cohort")
def api_cohort(request: Request, me: Me) -> dict[str, Any]:
    return {"applicants": request.app.state.workspace.cohort(me)}


@router.post("/odds", status_code=202, dependencies=[Csrf])
def api_start_odds(request: Request, me: Me, body: OddsRequest) -> dict[str, Any]:
    job = request.app.state.workspace.start_odds(me, specialty=body.specialty, on=today(request))
    return {"job": job, "status_url": f"/api/odds/{job}"}


@router.get("/odds/{job}", response_model=OddsJob)
def api_odds(request: Request, me: Me, job: str) -> dict[str, Any]:
    """The run's status and progress, and when done the funnel answer (docs/reference/odds.md)."""
    out: dict[str, Any] = request.app.state.workspace.odds_job(me, job)
    return out


@router.get("/odds/{job}/plot.png", response_class=Response)
def api_odds_plot(request: Request, me: Me, job: str) -> Response:
    """The run's plot (PNG, drawn once when the run finished)."""
    return Response(request.app.state.workspace.odds_plot(me, job), media_type="image/png")


@router.get("/export")
def api_export(request: Request, me: Me) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.tracker.export(me)
    out.update(
        request.app.state.organisations.export(me), couple=request.app.state.couples.export(me)
    )
    return out
