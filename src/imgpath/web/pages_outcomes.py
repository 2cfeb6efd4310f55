"""My outcomes (applicants): opt in to share how far each application got, share, withdraw,
opt out; and the same in the JSON API.  Only groups of 5 or more people are ever shown to
anyone (``services.outcomes``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from imgpath.services.inputs import FormError
from imgpath.services.outcome_desk import OutcomeDesk
from imgpath.web.claim_schemas import DeletedOut, MyOutcomesOut
from imgpath.web.deps import Csrf, Form, Me
from imgpath.web.responses import render, see_other

__all__ = ["api", "router"]

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["outcomes"])
Year = Annotated[int, Path(ge=2000, le=2100)]


def _desk(request: Request) -> OutcomeDesk:
    return OutcomeDesk(request.app.state.workspace.catalog)


def _page(request: Request, me: Any, *, status: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    return render(request, "outcomes.html", status, me=me, data=_desk(request).mine(me),
                  errors=errors or {}, values=values or {})  # fmt: skip


@router.get("/outcomes")
def outcomes_page(request: Request, me: Me) -> HTMLResponse:
    return _page(request, me)


@router.post("/outcomes/consent", dependencies=[Csrf])
def opt_in(request: Request, me: Me, form: Form) -> Response:
    try:
        _desk(request).opt_in(me, applicant_kind=form.get("applicant_kind", ""),
                              needs_visa=form.get("needs_visa", ""), now=datetime.now(UTC))  # fmt: skip
    except FormError as exc:
        return _page(request, me, status=422, errors=exc.by_field(), values=form)
    return see_other("/outcomes")


@router.post("/outcomes/opt-out", dependencies=[Csrf])
def opt_out(request: Request, me: Me) -> Response:
    _desk(request).opt_out(me)
    return see_other("/outcomes")


@router.post("/outcomes", dependencies=[Csrf])
def share(request: Request, me: Me, form: Form) -> Response:
    try:
        _desk(request).share(me, program_code=form.get("program_code", ""), match_year=form.get("match_year", ""),
                             stage=form.get("stage", ""), now=datetime.now(UTC))  # fmt: skip
    except FormError as exc:
        return _page(request, me, status=422, errors=exc.by_field(), values=form)
    return see_other("/outcomes")


@router.post("/outcomes/{code}/{year}/withdraw", dependencies=[Csrf])
def withdraw(request: Request, me: Me, code: str, year: Year) -> Response:
    _desk(request).withdraw(me, program_code=code, match_year=year)
    return see_other("/outcomes")


class Consent(BaseModel):
    applicant_kind: str = Field(max_length=20, description="non_us_img, us_img, us_md or us_do")
    needs_visa: str = Field(max_length=10, description="yes, no or unknown")


class Shared(BaseModel):
    program_code: str = Field(max_length=20)
    match_year: int = Field(ge=2000, le=2100)
    stage: str = Field(
        max_length=20, description="applied, invited, interviewed, ranked or matched"
    )


@api.get("/outcomes", response_model=MyOutcomesOut)
def api_mine(request: Request, me: Me) -> dict[str, Any]:
    """Your consent and what you shared (only you see it)."""
    return _desk(request).mine(me)


@api.put("/outcomes/consent", dependencies=[Csrf], response_model=MyOutcomesOut)
def api_opt_in(request: Request, me: Me, body: Consent) -> dict[str, Any]:
    _desk(request).opt_in(me, applicant_kind=body.applicant_kind, needs_visa=body.needs_visa,
                          now=datetime.now(UTC))  # fmt: skip
    return _desk(request).mine(me)


@api.delete("/outcomes/consent", dependencies=[Csrf], response_model=DeletedOut)
def api_opt_out(request: Request, me: Me) -> dict[str, Any]:
    """Opt out: everything you shared is deleted and leaves every aggregate at once."""
    return {"deleted": _desk(request).opt_out(me)}


@api.post("/outcomes", dependencies=[Csrf], response_model=MyOutcomesOut)
def api_share(request: Request, me: Me, body: Shared) -> dict[str, Any]:
    _desk(request).share(me, program_code=body.program_code, match_year=str(body.match_year),
                         stage=body.stage, now=datetime.now(UTC))  # fmt: skip
    return _desk(request).mine(me)


@api.delete("/outcomes/{code}/{year}", dependencies=[Csrf], response_model=MyOutcomesOut)
def api_withdraw(request: Request, me: Me, code: str, year: Year) -> dict[str, Any]:
    _desk(request).withdraw(me, program_code=code, match_year=year)
    return _desk(request).mine(me)
