"""The JSON API under /api: the same use cases as the pages, for scripts and other front ends.

Changes (POST, PUT, DELETE) need the X-CSRF-Token header; sign-up and sign-in return the token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from imgpath.core.catalog.search import SearchQuery
from imgpath.services.accounts import Account
from imgpath.services.plots import odds_plot_bytes
from imgpath.web.security import check_csrf, csrf_token, current_account, sign_in, sign_out

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])
Me = Annotated[Account, Depends(current_account)]
Csrf = Depends(check_csrf)


RowId = Annotated[int, Path(ge=1, le=2_147_483_647, description="a record's id")]
UserId = Annotated[
    int | None,
    Query(ge=1, le=2_147_483_647, description="an applicant who shared with you (advisors)"),
]
"""Ids as the database stores them (32-bit); anything else is refused with 422, not a 500."""


def download(body: bytes | str, media_type: str, filename: str) -> Response:
    """A file the browser saves rather than shows (CSV, calendar, JSON export)."""
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


def today(request: Request) -> date:
    pinned: date | None = request.app.state.today
    return pinned or date.today()  # noqa: DTZ011 - the web edge owns the clock


class SignUp(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=500)
    role: str = "applicant"
    name: str = Field(default="", max_length=200)
    time_zone: str = "UTC"


class SignIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=500)


class Note(BaseModel):
    note: str = Field(default="", max_length=2000)


class ShareWith(BaseModel):
    advisor_email: str = Field(max_length=320)


class OddsRequest(BaseModel):
    specialty: str = Field(default="", max_length=200)


class Confirm(BaseModel):
    confirm_email: str


def _session(request: Request, account: Account) -> dict[str, Any]:
    return {"account": account.to_dict(), "csrf_token": csrf_token(request)}


@router.post("/signup", status_code=201)
def api_signup(request: Request, body: SignUp) -> dict[str, Any]:
    account = request.app.state.accounts.sign_up(**body.model_dump())
    sign_in(request, account)
    return _session(request, account)


@router.post("/signin")
def api_signin(request: Request, body: SignIn) -> dict[str, Any]:
    client = request.client.host if request.client else ""
    account = request.app.state.accounts.sign_in(
        email=body.email, password=body.password, client=client
    )
    sign_in(request, account)
    return _session(request, account)


@router.post("/signout", dependencies=[Csrf])
def api_signout(request: Request, me: Me) -> dict[str, str]:
    sign_out(request)
    return {"signed_out": me.email}


@router.get("/me")
def api_me(request: Request, me: Me) -> dict[str, Any]:
    return _session(request, me)


@router.get("/profile")
def api_profile(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    return {"profile": request.app.state.workspace.profile(me, user)}


@router.put("/profile", dependencies=[Csrf])
def api_save_profile(request: Request, me: Me, body: dict[str, Any]) -> dict[str, Any]:
    return {"profile": request.app.state.workspace.save_profile(me, body, on=today(request))}


@router.get("/pathway")
def api_pathway(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    report: dict[str, Any] = request.app.state.workspace.pathway(me, user, on=today(request))
    return report


@router.get("/programs")
def api_programs(
    request: Request,
    me: Me,
    q: str = "",
    specialty: Annotated[list[str] | None, Query()] = None,
    state: Annotated[list[str] | None, Query()] = None,
    visa: str | None = None,
    sort: str = "fit",
    limit: Annotated[int, Query(ge=0, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    user: UserId = None,
) -> dict[str, Any]:
    query = SearchQuery(text=q, specialties=tuple(specialty or ()), states=tuple(state or ()), visa=visa or None,
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
    request.app.state.workspace.share(me, body.advisor_email)
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


@router.get("/odds/{job}")
def api_odds(request: Request, me: Me, job: str) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.workspace.odds_job(me, job)
    return out


@router.get("/odds/{job}/plot.png")
def api_odds_plot(request: Request, me: Me, job: str) -> Response:
    found = request.app.state.workspace.odds_job(me, job)
    return Response(odds_plot_bytes(found.get("result")), media_type="image/png")


@router.get("/export")
def api_export(request: Request, me: Me) -> dict[str, Any]:
    out: dict[str, Any] = request.app.state.tracker.export(me)
    return out


@router.delete("/account", dependencies=[Csrf])
def api_delete_account(request: Request, me: Me, body: Confirm) -> dict[str, Any]:
    request.app.state.accounts.delete(me, confirm_email=body.confirm_email)
    sign_out(request)
    return {"deleted": me.email}
