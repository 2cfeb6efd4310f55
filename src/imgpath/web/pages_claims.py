"""Claims on the web: advisors and organisations propose, applicants confirm or dispute,
appointed reviewers accept or flag (``services.claim_desk``); and the program page's context.

Every change is a form POST answered by a redirect to the program page; a refused one re-renders
the page with the problem next to its field (422).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from imgpath.services.accounts import Account
from imgpath.services.claim_desk import ClaimDesk, claim_form_fields
from imgpath.services.inputs import FormError
from imgpath.web.deps import Csrf, Form, Me, RowId, today
from imgpath.web.responses import render, see_other

__all__ = ["desk", "program_response", "router"]

router = APIRouter(include_in_schema=False)


def desk(request: Request) -> ClaimDesk:
    workspace = request.app.state.workspace
    return ClaimDesk(workspace.catalog, workspace.store)


def program_response(request: Request, me: Account, code: str, *, status: int = 200,
                     errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    """The program page: facts, claims (with what this account may do), evidence, fit."""
    workspace = request.app.state.workspace
    view = workspace.program(me, code, on=today(request))
    claims = desk(request)
    saved = {s["code"] for s in workspace.saved(me)}
    return render(request, "program.html", status, me=me, view=view.to_dict(), saved=saved,
                  can=claims.abilities(me), my_votes=claims.my_votes(me, list(view.claims)),
                  claim_form=claim_form_fields(), errors=errors or {}, values=values or {},
                  today=today(request).isoformat())  # fmt: skip


@router.post("/programs/{code}/claims", dependencies=[Csrf])
def propose(request: Request, me: Me, code: str, form: Form) -> Response:
    try:
        claim = desk(request).propose(me, code, form, today=today(request), now=datetime.now(UTC))
    except FormError as exc:
        return program_response(request, me, code, status=422, errors=exc.by_field(), values=form)
    return see_other(f"/programs/{claim.program_code}#claim-{claim.id}")


@router.post("/claims/{claim_id}/vote", dependencies=[Csrf])
def vote(request: Request, me: Me, claim_id: RowId, form: Form) -> Response:
    claim = desk(request).vote(me, claim_id, form.get("vote", ""), note=form.get("note", ""),
                               now=datetime.now(UTC))  # fmt: skip
    return see_other(f"/programs/{claim.program_code}#claim-{claim_id}")


@router.post("/claims/{claim_id}/review", dependencies=[Csrf])
def review(request: Request, me: Me, claim_id: RowId, form: Form) -> Response:
    claims = desk(request)
    try:
        claim = claims.review(me, claim_id, form.get("decision", ""), note=form.get("note", ""),
                              now=datetime.now(UTC))  # fmt: skip
    except FormError as exc:
        return _queue(
            request,
            me,
            claims,
            status=422,
            errors={f"{claim_id}": "; ".join(exc.by_field().values())},
        )
    back = form.get("back", "")
    return see_other(
        "/claims" if back == "queue" else f"/programs/{claim.program_code}#claim-{claim_id}"
    )


@router.get("/claims")
def queue(request: Request, me: Me) -> HTMLResponse:
    return _queue(request, me, desk(request))


def _queue(request: Request, me: Account, claims: ClaimDesk, *, status: int = 200,
           errors: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    can = claims.abilities(me)
    pending: list[dict[str, Any]] = claims.pending(me) if can["review"] else []
    return render(
        request, "claims.html", status, me=me, can=can, pending=pending, errors=errors or {}
    )
