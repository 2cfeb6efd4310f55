"""Claims in the JSON API: the same use cases as the claim forms (``services.claim_desk``).

Advisors and organisations propose, applicants confirm or dispute, appointed reviewers accept
or flag.  Changes need the X-CSRF-Token header.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from imgpath.services.claim_desk import claim_form_fields
from imgpath.web.claim_schemas import (
    ClaimFieldsOut,
    ClaimOut,
    PendingClaimsOut,
    ProgramClaimsOut,
)
from imgpath.web.deps import Csrf, Me, RowId, today
from imgpath.web.pages_claims import desk

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["claims"])


class ClaimIn(BaseModel):
    field: str = Field(
        max_length=40, description="a claim field, e.g. j1_sponsor (GET /api/claims/fields)"
    )
    value: str = Field(max_length=200, description="yes/no, a number, or a listed value")
    kind: str = Field(max_length=20, description="cutoff, preference or reported")
    source: str = Field(
        max_length=500, description="https://..., 'document: TITLE' or 'phone: YYYY-MM-DD'"
    )
    as_of: str = Field(max_length=10, description="YYYY-MM-DD, the day the source says it")
    note: str = Field(default="", max_length=2000)


class VoteIn(BaseModel):
    vote: Literal["confirm", "dispute", "withdraw"]
    note: str = Field(default="", max_length=2000)


class ReviewIn(BaseModel):
    decision: Literal["accept", "flag"]
    note: str = Field(default="", max_length=2000, description="required to flag")


@router.get("/claims/fields", response_model=ClaimFieldsOut)
def api_claim_fields() -> dict[str, Any]:
    """The facts a claim may state, with their kinds and examples."""
    return claim_form_fields()


@router.get("/claims/pending", response_model=PendingClaimsOut)
def api_pending(request: Request, me: Me) -> dict[str, Any]:
    """Claims waiting for review (appointed reviewers only)."""
    return {"pending": desk(request).pending(me)}


@router.get("/programs/{code}/claims", response_model=ProgramClaimsOut)
def api_program_claims(request: Request, me: Me, code: str) -> dict[str, Any]:
    view = request.app.state.workspace.program(me, code, on=today(request))
    claims = desk(request)
    mine = claims.my_votes(me, list(view.claims))
    return {"program_code": view.program.code, "can": claims.abilities(me),
            "claims": [c.to_dict() | {"my_vote": mine.get(c.id)} for c in view.claims]}  # fmt: skip


@router.post(
    "/programs/{code}/claims", status_code=201, dependencies=[Csrf], response_model=ClaimOut
)
def api_propose(request: Request, me: Me, code: str, body: ClaimIn) -> dict[str, Any]:
    """Add a claim with its source and date; it waits for a reviewer (status pending)."""
    claim = desk(request).propose(
        me, code, body.model_dump(), today=today(request), now=datetime.now(UTC)
    )
    return claim.to_dict() | {"program_code": claim.program_code}


@router.post("/claims/{claim_id}/vote", dependencies=[Csrf], response_model=ClaimOut)
def api_vote(request: Request, me: Me, claim_id: RowId, body: VoteIn) -> dict[str, Any]:
    claim = desk(request).vote(me, claim_id, body.vote, note=body.note, now=datetime.now(UTC))
    return claim.to_dict() | {"program_code": claim.program_code}


@router.post("/claims/{claim_id}/review", dependencies=[Csrf], response_model=ClaimOut)
def api_review(request: Request, me: Me, claim_id: RowId, body: ReviewIn) -> dict[str, Any]:
    claim = desk(request).review(me, claim_id, body.decision, note=body.note, now=datetime.now(UTC))
    return claim.to_dict() | {"program_code": claim.program_code}
