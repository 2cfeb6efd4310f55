"""Programs by name, and couples' rank lists (``services.couples``).

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

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from imgpath.core.catalog.search import SearchQuery
from imgpath.core.geography import is_us_state
from imgpath.errors import InvalidInputError, Problem
from imgpath.services.accounts import Account
from imgpath.services.couples import NO_MATCH, NO_MATCH_CODE
from imgpath.services.inputs import FormError
from imgpath.web.deps import Csrf, Form, Me, RowId
from imgpath.web.responses import changed, render

__all__ = ["PICK_TARGETS", "router"]

router = APIRouter(include_in_schema=False)
PICK_TARGETS = ("applications", "rank-list", "mine", "partner")
PICK_LIMIT = 12
_STATE = re.compile(r"\b[A-Z]{2}\b")


def find_programs(request: Request, q: str) -> list[Any]:
    """Up to :data:`PICK_LIMIT` programs for the words ``q`` (by name), an exact code first."""
    catalog = request.app.state.workspace.catalog
    text = q.strip()[:200]
    found: list[Any] = []
    if text.upper() in catalog.by_code:
        found.append(catalog.show(text.upper()).program)
    states = tuple(s for s in _STATE.findall(text) if is_us_state(s))
    words = _STATE.sub(lambda m: "" if is_us_state(m.group(0)) else m.group(0), text).strip()
    if words or states:
        query = SearchQuery(
            text=words, states=states, all_specialties=True, sort="name", limit=PICK_LIMIT
        )
        try:
            result = catalog.search(query)
        except InvalidInputError:
            return found
        found += [
            v.program for v in result.programs if v.program.code not in {p.code for p in found}
        ]
    return found[:PICK_LIMIT]


@router.get("/find-program")
def pick(
    request: Request,
    me: Me,
    q: Annotated[str, Query(max_length=200)] = "",
    target: Annotated[str, Query(alias="for", max_length=20)] = "rank-list",
) -> HTMLResponse:
    if target not in PICK_TARGETS:
        target = "rank-list"
    programs = find_programs(request, q) if q.strip() else []
    fragment = request.headers.get("HX-Request") == "true"
    return render(request, "_program_pick_results.html" if fragment else "program_pick.html", me=me,
                  programs=programs, q=q[:200], target=target, fragment=fragment)  # fmt: skip


# ------------------------------------------------------------------------ couple
def _page(request: Request, me: Account, status: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    couples = request.app.state.couples
    state = couples.status(me)
    linked = state["couple"] is not None and state["couple"]["status"] == "linked"
    return render(request, "couple.html", status, me=me, state=state, pairs=couples.pairs(me) if linked else None,
                  errors=errors or {}, values=values or {}, no_match=NO_MATCH, no_match_code=NO_MATCH_CODE)  # fmt: skip


@router.get("/couple")
def couple_page(request: Request, me: Me) -> HTMLResponse:
    return _page(request, me)


def _change(request: Request, me: Account, form: dict[str, str], url: str,
            action: Callable[[dict[str, str]], object]) -> Response:  # fmt: skip
    kept = {k: v for k, v in form.items() if k != "password"}
    return changed(url, lambda: action(form), lambda errors: _page(request, me, 422, errors, kept))


@router.post("/couple/invite", dependencies=[Csrf])
def invite(request: Request, me: Me, form: Form) -> Response:
    couples = request.app.state.couples
    return _change(request, me, form, "/couple",
                   lambda f: couples.invite(me, f.get("partner_email", ""), password=f.get("password", "")))  # fmt: skip


@router.post("/couple/invitations/{couple_id}/accept", dependencies=[Csrf])
def accept(request: Request, me: Me, couple_id: RowId, form: Form) -> Response:
    couples = request.app.state.couples
    return _change(request, me, form, "/couple", lambda _f: couples.accept(me, couple_id))


@router.post("/couple/invitations/{couple_id}/decline", dependencies=[Csrf])
def decline(request: Request, me: Me, couple_id: RowId, form: Form) -> Response:
    couples = request.app.state.couples
    return _change(request, me, form, "/couple", lambda _f: couples.decline(me, couple_id))


@router.post("/couple/end", dependencies=[Csrf])
def end(request: Request, me: Me, form: Form) -> Response:
    couples = request.app.state.couples
    return _change(request, me, form, "/couple", lambda _f: couples.end(me))


@router.post("/couple/pairs", dependencies=[Csrf])
def add_pair(request: Request, me: Me, form: Form) -> Response:
    couples = request.app.state.couples

    def add(f: dict[str, str]) -> None:
        mine = f.get("mine_code", "").strip() or f.get("mine", "")
        partner = f.get("partner_code", "").strip() or f.get("partner", "")
        couples.add_pair(me, mine, partner)

    return _change(request, me, form, "/couple#pairs", add)


@router.post("/couple/pairs/{rank}/move", dependencies=[Csrf])
def move_pair(request: Request, me: Me, rank: RowId, form: Form) -> Response:
    couples = request.app.state.couples
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

    return _change(request, me, form, "/couple#pairs", move)


@router.post("/couple/pairs/{rank}/remove", dependencies=[Csrf])
def remove_pair(request: Request, me: Me, rank: RowId, form: Form) -> Response:
    couples = request.app.state.couples
    return _change(request, me, form, "/couple#pairs", lambda _f: couples.remove_pair(me, rank))


@router.post("/couple/certify", dependencies=[Csrf])
def certify(request: Request, me: Me, form: Form) -> Response:
    couples = request.app.state.couples
    return _change(request, me, form, "/couple#pairs", lambda _f: couples.certify(me))
