"""The support directory page: scholarships, state IMG programs, organisations, observerships and
visa help that fit the person's situation (``services.support`` via ``Workspace.support``, the
same call as ``imgpath support``), each with its source, as-of date, grade and who it serves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from imgpath.errors import InvalidInputError
from imgpath.support import KINDS
from imgpath.web.deps import Me, Today, UserId, WorkspaceDep
from imgpath.web.responses import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/support")
def support_page(
    request: Request,
    me: Me,
    workspace: WorkspaceDep,
    on: Today,
    kind: Annotated[list[str] | None, Query(max_length=40)] = None,
    state: str = "",
    everything: bool = False,
    user: UserId = None,
) -> HTMLResponse:
    owner = workspace.owner(me, user)
    kinds = tuple(k for k in (kind or [])[:10] if k)
    states = tuple(s for s in state.replace(";", ",").split(",")[:10] if s.strip())
    filters = {"kinds": kinds, "state": state[:40], "everything": everything}
    try:
        found = workspace.support(me, user, on=on, kinds=kinds, states=states,
                                  include_unfit=everything)  # fmt: skip
    except InvalidInputError as exc:
        return render(request, "support.html", 422, me=me, owner=owner, found=None, kinds=KINDS,
                      filters=filters, error=str(exc))  # fmt: skip
    return render(request, "support.html", me=me, owner=owner, found=found, kinds=KINDS,
                  filters=filters, error="")  # fmt: skip
