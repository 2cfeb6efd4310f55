"""Couples' rank lists in the JSON API (``services.couples``): the invitation that links two
applicants, and their list of pairs.  Only the two partners reach a couple; changes need the
X-CSRF-Token header.  Programs are found by name with ``GET /api/programs?q=``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from imgpath.web.deps import Csrf, Me, RowId

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["couples"])


class Invitation(BaseModel):
    partner_email: str = Field(max_length=320)
    password: str = Field(max_length=1024, description="yours, to confirm")


class Pair(BaseModel):
    mine: str = Field(
        default="", max_length=20, description="your program's code; empty or 999999999: No Match"
    )
    partner: str = Field(
        default="", max_length=20, description="your partner's program's code, or No Match"
    )
    at: int | None = Field(
        default=None, ge=-1_000_000, le=1_000_000, description="rank to insert at; default last"
    )


class Move(BaseModel):
    to: int = Field(ge=-1_000_000, le=1_000_000, description="new rank, 1 is the top")


def _couples(request: Request) -> Any:
    return request.app.state.couples


def _state(request: Request, me: Any) -> dict[str, Any]:
    out: dict[str, Any] = _couples(request).status(me)
    if out["couple"] and out["couple"]["status"] == "linked":
        out["pairs"] = _couples(request).pairs(me)
    return out


@router.get("/couple")
def api_couple(request: Request, me: Me) -> dict[str, Any]:
    """My couple (invitation sent or link), invitations to me, and the pair list once linked."""
    return _state(request, me)


@router.post("/couple/invite", status_code=201, dependencies=[Csrf])
def api_invite(request: Request, me: Me, body: Invitation) -> dict[str, Any]:
    _couples(request).invite(me, body.partner_email, password=body.password)
    return _state(request, me)


@router.post("/couple/invitations/{couple_id}/accept", dependencies=[Csrf])
def api_accept_invitation(request: Request, me: Me, couple_id: RowId) -> dict[str, Any]:
    _couples(request).accept(me, couple_id)
    return _state(request, me)


@router.post("/couple/invitations/{couple_id}/decline", dependencies=[Csrf])
def api_decline_invitation(request: Request, me: Me, couple_id: RowId) -> dict[str, Any]:
    _couples(request).decline(me, couple_id)
    return _state(request, me)


@router.delete("/couple", dependencies=[Csrf])
def api_end_couple(request: Request, me: Me) -> dict[str, Any]:
    _couples(request).end(me)
    return _state(request, me)


@router.post("/couple/pairs", status_code=201, dependencies=[Csrf])
def api_add_pair(request: Request, me: Me, body: Pair) -> dict[str, Any]:
    _couples(request).add_pair(me, body.mine, body.partner, at=body.at)
    out: dict[str, Any] = _couples(request).pairs(me)
    return out


@router.post("/couple/pairs/{rank}/move", dependencies=[Csrf])
def api_move_pair(request: Request, me: Me, rank: RowId, body: Move) -> dict[str, Any]:
    _couples(request).move_pair(me, rank, body.to)
    out: dict[str, Any] = _couples(request).pairs(me)
    return out


@router.delete("/couple/pairs/{rank}", dependencies=[Csrf])
def api_remove_pair(request: Request, me: Me, rank: RowId) -> dict[str, Any]:
    _couples(request).remove_pair(me, rank)
    out: dict[str, Any] = _couples(request).pairs(me)
    return out


@router.post("/couple/certify", dependencies=[Csrf])
def api_certify(request: Request, me: Me) -> dict[str, Any]:
    _couples(request).certify(me)
    out: dict[str, Any] = _couples(request).pairs(me)
    return out
