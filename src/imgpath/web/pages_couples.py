"""Programs by name, and couples' rank lists (``services.workspace.couples``).

* ``/find-program?q=…&for=…``: programs whose name, institution (which often names the city)
  or specialty has the words, or with that NRMP code; a two-letter capital word is a state
  (``cardiology NY``).  With htmx (the search boxes on the applications, rank-list and couple
  pages) it answers a fragment of choices: buttons that add the program to the applications
  or the rank list, or radio buttons for a side of a couple's pair.  Without JavaScript it
  answers a whole page.
* ``/couple``: invite a partner or accept an invitation; once linked, the pair list (either
  side may be No Match), moves, removal and each partner's certification.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from imgpath.errors import FormError, Problem
from imgpath.services.accounts import Account
from imgpath.services.workspace.couples import NO_MATCH, NO_MATCH_CODE, Couples
from imgpath.services.workspace.programs import PICK_LIMIT
from imgpath.web.deps import CouplesDep, Csrf, Form, Me, RowId, WorkspaceDep
from imgpath.web.responses import changed, render

__all__ = ["PICK_LIMIT", "PICK_TARGETS", "router"]

router = APIRouter(include_in_schema=False)
PICK_TARGETS = ("applications", "rank-list", "mine", "partner")


@router.get("/find-program")
def pick(
    request: Request,
    me: Me,
    workspace: WorkspaceDep,
    q: Annotated[str, Query(max_length=200)] = "",
    target: Annotated[str, Query(alias="for", max_length=20)] = "rank-list",
) -> HTMLResponse:
    if target not in PICK_TARGETS:
        target = "rank-list"
    programs = workspace.pick_programs(q) if q.strip() else []
    fragment = request.headers.get("HX-Request") == "true"
    return render(request, "_program_pick_results.html" if fragment else "program_pick.html", me=me,
                  programs=programs, q=q[:200], target=target, fragment=fragment)  # fmt: skip


# ------------------------------------------------------------------------ couple
def _page(request: Request, couples: Couples, me: Account, status: int = 200,
          errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    state = couples.status(me)
    linked = state["couple"] is not None and state["couple"]["status"] == "linked"
    return render(request, "couple.html", status, me=me, state=state, pairs=couples.pairs(me) if linked else None,
                  errors=errors or {}, values=values or {}, no_match=NO_MATCH, no_match_code=NO_MATCH_CODE)  # fmt: skip


@router.get("/couple")
def couple_page(request: Request, me: Me, couples: CouplesDep) -> HTMLResponse:
    return _page(request, couples, me)


def _change(request: Request, couples: Couples, me: Account, form: dict[str, str], url: str,
            action: Callable[[dict[str, str]], object]) -> Response:  # fmt: skip
    kept = {k: v for k, v in form.items() if k != "password"}
    return changed(url, lambda: action(form),
                   lambda errors: _page(request, couples, me, 422, errors, kept))  # fmt: skip


@router.post("/couple/invite", dependencies=[Csrf])
def invite(request: Request, me: Me, couples: CouplesDep, form: Form) -> Response:
    return _change(request, couples, me, form, "/couple",
                   lambda f: couples.invite(me, f.get("partner_email", ""), password=f.get("password", "")))  # fmt: skip


@router.post("/couple/invitations/{couple_id}/accept", dependencies=[Csrf])
def accept(request: Request, me: Me, couples: CouplesDep, couple_id: RowId, form: Form) -> Response:
    return _change(request, couples, me, form, "/couple", lambda _f: couples.accept(me, couple_id))


@router.post("/couple/invitations/{couple_id}/decline", dependencies=[Csrf])
def decline(
    request: Request, me: Me, couples: CouplesDep, couple_id: RowId, form: Form
) -> Response:
    return _change(request, couples, me, form, "/couple", lambda _f: couples.decline(me, couple_id))


@router.post("/couple/end", dependencies=[Csrf])
def end(request: Request, me: Me, couples: CouplesDep, form: Form) -> Response:
    return _change(request, couples, me, form, "/couple", lambda _f: couples.end(me))


@router.post("/couple/pairs", dependencies=[Csrf])
def add_pair(request: Request, me: Me, couples: CouplesDep, form: Form) -> Response:

    def add(f: dict[str, str]) -> None:
        mine = f.get("mine_code", "").strip() or f.get("mine", "")
        partner = f.get("partner_code", "").strip() or f.get("partner", "")
        couples.add_pair(me, mine, partner)

    return _change(request, couples, me, form, "/couple#pairs", add)


@router.post("/couple/pairs/{rank}/move", dependencies=[Csrf])
def move_pair(request: Request, me: Me, couples: CouplesDep, rank: RowId, form: Form) -> Response:
    steps = {"up": rank - 1, "down": rank + 1, "top": 1, "bottom": 1_000_000}

    def move(f: dict[str, str]) -> None:
        to = steps.get(f.get("direction", ""))
        if to is None:
            raise FormError(
                [
                    Problem(
                        "direction",
                        "is not up, down, top or bottom",
                        "use the couple page's move buttons",
                    )
                ]
            )
        couples.move_pair(me, rank, to)

    return _change(request, couples, me, form, "/couple#pairs", move)


@router.post("/couple/pairs/{rank}/remove", dependencies=[Csrf])
def remove_pair(request: Request, me: Me, couples: CouplesDep, rank: RowId, form: Form) -> Response:
    return _change(
        request, couples, me, form, "/couple#pairs", lambda _f: couples.remove_pair(me, rank)
    )


@router.post("/couple/certify", dependencies=[Csrf])
def certify(request: Request, me: Me, couples: CouplesDep, form: Form) -> Response:
    return _change(request, couples, me, form, "/couple#pairs", lambda _f: couples.certify(me))
