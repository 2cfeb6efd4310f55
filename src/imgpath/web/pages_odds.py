"""The odds page: start a run (it computes in the background), watch its progress, read the
funnel (applications -> interviews -> the Match) as a plot and a table.

The run is queued (``services.workspace.odds_queue``) and computed by a worker with
``imgpath.market.odds_answer``; the page polls ``/odds/jobs/{job}`` (htmx) until it is done.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from imgpath.errors import InvalidInputError
from imgpath.web.deps import Csrf, Form, Me, UserId, WorkspaceDep, today
from imgpath.web.responses import render, see_other

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/odds")
def odds_page(
    request: Request, me: Me, workspace: WorkspaceDep, user: UserId = None
) -> HTMLResponse:
    owner = workspace.owner(me, user)
    job = workspace.latest_odds(me, user)
    specialty = (workspace.profile(me, user).get("targets") or {}).get("specialty", "")
    return render(request, "odds.html", me=me, owner=owner, job=job, specialty=specialty or "", error="",
                  readonly=owner.id != me.id)  # fmt: skip


@router.post("/odds", dependencies=[Csrf])
def start_odds(request: Request, me: Me, workspace: WorkspaceDep, form: Form) -> Response:
    try:
        workspace.start_odds(me, specialty=form.get("specialty", ""), on=today(request))
    except InvalidInputError as exc:
        return render(request, "odds.html", 422, me=me, owner=me, job=workspace.latest_odds(me),
                      specialty=form.get("specialty", ""), error=str(exc), readonly=False)  # fmt: skip
    return see_other("/odds")


@router.get("/odds/jobs/{job}")
def odds_job(request: Request, me: Me, workspace: WorkspaceDep, job: str) -> HTMLResponse:
    return render(request, "_odds_job.html", me=me, job=workspace.odds_job(me, job))


@router.get("/odds/jobs/{job}/plot.png")
def odds_plot(me: Me, workspace: WorkspaceDep, job: str) -> Response:
    """The funnel plot (PNG, drawn once when the run finished)."""
    return Response(workspace.odds_plot(me, job), media_type="image/png")
