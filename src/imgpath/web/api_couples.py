"""Couples' rank lists in the JSON API (``services.workspace.couples``): the invitation that links two
applicants, and their list of pairs.  Only the two partners reach a couple; changes need the
X-CSRF-Token header.  Programs are found by name with ``GET /api/programs?q=``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from imgpath.services.accounts import Account
from imgpath.services.workspace.couples import Couples
from imgpath.web.deps import CouplesDep, Csrf, Me, RowId
from imgpath.web.schemas import CoupleOut, InvitationIn, PairIn, PairMove, PairsOut

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["couples"])


def _state(couples: Couples, me: Account) -> dict[str, Any]:
    out: dict[str, Any] = couples.status(me)
    if out["couple"] and out["couple"]["status"] == "linked":
        out["pairs"] = couples.pairs(me)
    return out


@router.get("/couple", response_model=CoupleOut)
def api_couple(me: Me, couples: CouplesDep) -> dict[str, Any]:
    """My couple (invitation sent or link), invitations to me, and the pair list once linked."""
    return _state(couples, me)


@router.post("/couple/invite", status_code=201, dependencies=[Csrf], response_model=CoupleOut)
def api_invite(me: Me, couples: CouplesDep, body: InvitationIn) -> dict[str, Any]:
    couples.invite(me, body.partner_email, password=body.password)
    return _state(couples, me)


@router.post(
    "/couple/invitations/{couple_id}/accept", dependencies=[Csrf], response_model=CoupleOut
)
def api_accept_invitation(me: Me, couples: CouplesDep, couple_id: RowId) -> dict[str, Any]:
    couples.accept(me, couple_id)
    return _state(couples, me)


@router.post(
    "/couple/invitations/{couple_id}/decline", dependencies=[Csrf], response_model=CoupleOut
)
def api_decline_invitation(me: Me, couples: CouplesDep, couple_id: RowId) -> dict[str, Any]:
    couples.decline(me, couple_id)
    return _state(couples, me)


@router.delete("/couple", dependencies=[Csrf], response_model=CoupleOut)
def api_end_couple(me: Me, couples: CouplesDep) -> dict[str, Any]:
    couples.end(me)
    return _state(couples, me)


@router.post("/couple/pairs", status_code=201, dependencies=[Csrf], response_model=PairsOut)
def api_add_pair(me: Me, couples: CouplesDep, body: PairIn) -> dict[str, Any]:
    couples.add_pair(me, body.mine, body.partner, at=body.at)
    out: dict[str, Any] = couples.pairs(me)
    return out


@router.post("/couple/pairs/{rank}/move", dependencies=[Csrf], response_model=PairsOut)
def api_move_pair(me: Me, couples: CouplesDep, rank: RowId, body: PairMove) -> dict[str, Any]:
    couples.move_pair(me, rank, body.to)
    out: dict[str, Any] = couples.pairs(me)
    return out


@router.delete("/couple/pairs/{rank}", dependencies=[Csrf], response_model=PairsOut)
def api_remove_pair(me: Me, couples: CouplesDep, rank: RowId) -> dict[str, Any]:
    couples.remove_pair(me, rank)
    out: dict[str, Any] = couples.pairs(me)
    return out


@router.post("/couple/certify", dependencies=[Csrf], response_model=PairsOut)
def api_certify(me: Me, couples: CouplesDep) -> dict[str, Any]:
    couples.certify(me)
    out: dict[str, Any] = couples.pairs(me)
    return out
