"""The season tracker's pages: applications, letters and documents, rotations, rank list,
timeline, and for advisors the cohort table and rotation slots.

Every change is a plain form POST answered by a redirect (so it works without JavaScript and the
back button never re-submits); a refused change re-renders the page with the problem next to its
field and status 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from imgpath.errors import FormError
from imgpath.services.accounts import Account
from imgpath.services.inputs import check_id
from imgpath.services.workspace.season import (
    APPLICATION_STATUSES,
    DOCUMENT_KINDS,
    LETTER_KINDS,
    ROTATION_KINDS,
    SERVICES,
)
from imgpath.web.deps import (
    Csrf,
    Form,
    Me,
    RowId,
    SeasonDep,
    UserId,
    download,
    season_of,
    today,
    workspace_of,
)
from imgpath.web.responses import render, see_other

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CHOICES = {"statuses": APPLICATION_STATUSES, "services": SERVICES, "letter_kinds": LETTER_KINDS,
           "document_kinds": DOCUMENT_KINDS, "rotation_kinds": ROTATION_KINDS}  # fmt: skip


def _page(request: Request, me: Account, name: str, user: UserId = None, *, status: int = 200,
          errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
          **extra: Any) -> HTMLResponse:  # fmt: skip
    """A tracker page with everything it shows, for the owner or an advisor reading it."""
    tracker = season_of(request)
    owner = workspace_of(request).owner(me, user)
    readonly = owner.id != me.id
    context: dict[str, Any] = {"me": me, "owner": owner, "readonly": readonly, "errors": errors or {},
                               "values": values or {}, "user": user, **CHOICES, **extra}  # fmt: skip
    on = today(request)
    context["letters_per_program"] = tracker.letters_limit(on)
    if name == "applications.html":
        context["applications"] = tracker.applications(me, user)
        context["costs"] = tracker.costs(me, user, on=on)
        context["saved_list"] = workspace_of(request).saved(me, user)
    elif name == "letters.html":
        context["letters"] = tracker.letters(me, user)
        context["documents"] = tracker.documents(me, user)
        context["programs"] = _my_programs(request, me, user)
    elif name == "rotations.html":
        context["r"] = tracker.rotations(me, user)
        context["placements"] = tracker.placements(me, user)
    elif name == "rank_list.html":
        context["rank"] = tracker.rank_list(me, user, on=on)
        context["programs"] = _my_programs(request, me, user)
    elif name == "timeline.html":
        context["timeline"] = tracker.timeline(me, user, on=on)
        context["today"] = on.isoformat()
    return render(request, name, status, **context)


def _my_programs(request: Request, me: Account, user: int | None) -> list[dict[str, str]]:
    """Programs I applied to or saved, for pick lists (code and name)."""
    seen: dict[str, str] = {}
    for a in season_of(request).applications(me, user):
        seen[a["program"]["code"]] = a["program"]["name"]
    for s in workspace_of(request).saved(me, user):
        seen.setdefault(s["code"], s["name"])
    return [{"code": c, "name": n} for c, n in seen.items()]


def _change(request: Request, me: Account, form: dict[str, str], page: str, url: str,
            action: Callable[[dict[str, str]], object]) -> Response:  # fmt: skip
    try:
        action(form)
    except FormError as exc:
        return _page(request, me, page, status=422, errors=exc.by_field(), values=form)
    return see_other(url)


# ----------------------------------------------------------------- applications
@router.get("/applications")
def applications_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    return _page(request, me, "applications.html", user)


@router.post("/applications", dependencies=[Csrf])
def track(request: Request, me: Me, season: SeasonDep, form: Form) -> Response:
    tracker, on = season, today(request)
    # the form's empty notes box means "no change", not "erase the notes"
    return _change(request, me, form, "applications.html", "/applications",
                         lambda form: tracker.track(me, {k: v for k, v in form.items()
                                                         if k != "notes" or v.strip()}, on=on))  # fmt: skip


@router.post("/applications/{code}/remove", dependencies=[Csrf])
def untrack(me: Me, season: SeasonDep, code: str) -> Response:
    season.untrack(me, code)
    return see_other("/applications")


@router.post("/applications/import", dependencies=[Csrf])
async def import_applications(request: Request, me: Me, season: SeasonDep) -> Response:
    """The CSV upload (the body is capped at IMGPATH_MAX_UPLOAD_BYTES while it streams in);
    parsing and saving run in the thread pool."""
    form = await request.form()
    upload = form.get("file")
    data = b""
    if upload is not None and not isinstance(upload, str):
        data = await upload.read()
    tracker, on = season, today(request)
    try:
        count = await run_in_threadpool(tracker.import_csv, me, data, on=on)
    except FormError as exc:
        return await run_in_threadpool(_page, request, me, "applications.html", status=422,
                                       errors=exc.by_field(), values={})  # fmt: skip
    return see_other(f"/applications?imported={count}")


@router.get("/applications.csv")
def applications_csv(me: Me, season: SeasonDep, user: UserId = None) -> Response:
    return download(season.export_csv(me, user), "text/csv", "applications.csv")


# ---------------------------------------------------------- letters, documents
@router.get("/letters")
def letters_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    return _page(request, me, "letters.html", user)


@router.post("/letters", dependencies=[Csrf])
def add_letter(request: Request, me: Me, season: SeasonDep, form: Form) -> Response:
    tracker = season
    return _change(
        request, me, form, "letters.html", "/letters", lambda f: tracker.add_letter(me, f)
    )


@router.post("/letters/{letter_id}/status", dependencies=[Csrf])
def letter_status(
    request: Request, me: Me, season: SeasonDep, letter_id: RowId, form: Form
) -> Response:
    tracker = season
    return _change(request, me, form, "letters.html", "/letters",
                         lambda f: tracker.set_letter_status(me, letter_id, f.get("status", "")))  # fmt: skip


@router.post("/letters/{letter_id}/assign", dependencies=[Csrf])
def assign_letter(
    request: Request, me: Me, season: SeasonDep, letter_id: RowId, form: Form
) -> Response:
    tracker = season
    return _change(request, me, form, "letters.html", f"/letters#letter-{letter_id}",
                         lambda f: tracker.assign_letter(me, letter_id, f.get("program_code", ""), on=today(request)),
                         )  # fmt: skip


@router.post("/letters/{letter_id}/programs/{code}/remove", dependencies=[Csrf])
def unassign_letter(me: Me, season: SeasonDep, letter_id: RowId, code: str) -> Response:
    season.unassign_letter(me, letter_id, code)
    return see_other(f"/letters#letter-{letter_id}")


@router.post("/letters/{letter_id}/remove", dependencies=[Csrf])
def remove_letter(me: Me, season: SeasonDep, letter_id: RowId) -> Response:
    season.remove_letter(me, letter_id)
    return see_other("/letters")


@router.post("/documents", dependencies=[Csrf])
def add_document(request: Request, me: Me, season: SeasonDep, form: Form) -> Response:
    tracker = season
    return _change(request, me, form, "letters.html", "/letters#documents",
                         lambda f: tracker.add_document(me, f))  # fmt: skip


@router.post("/documents/{doc_id}/done", dependencies=[Csrf])
def document_done(me: Me, season: SeasonDep, doc_id: RowId, form: Form) -> Response:
    season.set_document_done(me, doc_id, done=form.get("done") == "yes")
    return see_other("/letters#documents")


@router.post("/documents/{doc_id}/remove", dependencies=[Csrf])
def remove_document(me: Me, season: SeasonDep, doc_id: RowId) -> Response:
    season.remove_document(me, doc_id)
    return see_other("/letters#documents")


# -------------------------------------------------------------------- rotations
@router.get("/rotations")
def rotations_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    return _page(request, me, "rotations.html", user)


@router.post("/rotations", dependencies=[Csrf])
def add_rotation(request: Request, me: Me, season: SeasonDep, form: Form) -> Response:
    tracker = season
    return _change(
        request, me, form, "rotations.html", "/rotations", lambda f: tracker.add_rotation(me, f)
    )


@router.post("/rotations/{rotation_id}/remove", dependencies=[Csrf])
def remove_rotation(me: Me, season: SeasonDep, rotation_id: RowId) -> Response:
    season.remove_rotation(me, rotation_id)
    return see_other("/rotations")


# -------------------------------------------------------------------- rank list
@router.get("/rank-list")
def rank_list_page(request: Request, me: Me, user: UserId = None, moved: str = "",
                   focus: str = "") -> HTMLResponse:  # fmt: skip
    return _page(request, me, "rank_list.html", user, moved=moved, focus=focus)


@router.post("/rank-list", dependencies=[Csrf])
def rank_add(request: Request, me: Me, season: SeasonDep, form: Form) -> Response:
    tracker = season
    return _change(request, me, form, "rank_list.html", "/rank-list",
                         lambda f: tracker.rank_add(me, f.get("program_code", "")))  # fmt: skip


@router.post("/rank-list/what-if", dependencies=[Csrf])
def rank_what_if(request: Request, me: Me, season: SeasonDep, form: Form) -> Response:
    tracker, on = season, today(request)
    return _change(
        request, me, form, "rank_list.html", "/odds", lambda _f: tracker.what_if(me, on=on)
    )


@router.post("/rank-list/{code}/move", dependencies=[Csrf])
def rank_move(request: Request, me: Me, season: SeasonDep, code: str, form: Form) -> Response:
    code = code.strip().upper()
    tracker = season
    direction = form.get("direction", "")
    if direction:
        tracker.rank_step(me, code, direction)
    else:
        try:
            to = int(form.get("to", "")) if len(form.get("to", "")) <= 7 else int("x")
        except ValueError:
            return _page(request, me, "rank_list.html", status=422, moved="", focus="",
                         errors={"to": "give a position as a whole number, e.g. 3"})  # fmt: skip
        tracker.rank_move(me, code, to)
    return see_other(
        f"/rank-list?moved={code}&focus={direction or 'to'}"
    )  # autofocus, no #fragment: a fragment would cancel it


@router.post("/rank-list/{code}/supplemental", dependencies=[Csrf])
def rank_supplemental(
    request: Request, me: Me, season: SeasonDep, code: str, form: Form
) -> Response:
    tracker = season
    return _change(request, me, form, "rank_list.html", f"/rank-list#entry-{code}",
                         lambda f: tracker.rank_supplemental(
                             me, code, f.get("supplemental", "").replace(";", ",").split(",")))  # fmt: skip


@router.post("/rank-list/{code}/remove", dependencies=[Csrf])
def rank_remove(me: Me, season: SeasonDep, code: str) -> Response:
    season.rank_remove(me, code)
    return see_other("/rank-list")


# --------------------------------------------------------------------- timeline
@router.get("/timeline")
def timeline_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    return _page(request, me, "timeline.html", user)


@router.get("/calendar.ics")
def calendar(request: Request, me: Me, season: SeasonDep, user: UserId = None) -> Response:
    body = season.calendar(me, user, on=today(request))
    return download(body, "text/calendar", "imgpath-season.ics")


# ---------------------------------------------------------------------- advisor
@router.get("/cohort")
def cohort_page(
    request: Request, me: Me, season: SeasonDep, q: str = "", missing: str = "", stage: str = ""
) -> HTMLResponse:
    shown = season.cohort(me, on=today(request), words=q, stage=stage,
                                             missing_only=bool(missing))  # fmt: skip
    total = len(season.workspace.cohort(me))
    return render(request, "cohort.html", me=me, applicants=shown, total=total,
                  filters={"q": q, "missing": missing, "stage": stage}, statuses=APPLICATION_STATUSES)  # fmt: skip


@router.get("/cohort.csv")
def cohort_csv(request: Request, me: Me, season: SeasonDep) -> Response:
    return download(season.cohort_csv(me, on=today(request)), "text/csv", "cohort.csv")


@router.get("/slots")
def slots_page(request: Request, me: Me) -> HTMLResponse:
    return _slots(request, me)


def _slots(request: Request, me: Account, status: int = 200, errors: dict[str, str] | None = None,
           values: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    return render(request, "slots.html", status, me=me, slots=season_of(request).slots(me),
                  cohort=workspace_of(request).cohort(me), errors=errors or {}, values=values or {},
                  rotation_kinds=ROTATION_KINDS)  # fmt: skip


@router.post("/slots", dependencies=[Csrf])
def add_slot(request: Request, me: Me, season: SeasonDep, form: Form) -> Response:
    try:
        season.add_slot(me, form)
    except FormError as exc:
        return _slots(request, me, 422, exc.by_field(), form)
    return see_other("/slots")


@router.post("/slots/{slot_id}/place", dependencies=[Csrf])
def place(request: Request, me: Me, season: SeasonDep, slot_id: RowId, form: Form) -> Response:
    applicant, problems = check_id(form.get("applicant", ""), "applicant")
    if applicant is None:
        return _slots(request, me, 422, FormError(problems).by_field(), form)
    try:
        season.place(me, slot_id, applicant)
    except FormError as exc:
        return _slots(request, me, 422, exc.by_field(), form)
    return see_other("/slots")


@router.post("/slots/{slot_id}/applicants/{applicant_id}/remove", dependencies=[Csrf])
def unplace(me: Me, season: SeasonDep, slot_id: RowId, applicant_id: RowId) -> Response:
    season.unplace(me, slot_id, applicant_id)
    return see_other("/slots")


@router.post("/slots/{slot_id}/remove", dependencies=[Csrf])
def remove_slot(me: Me, season: SeasonDep, slot_id: RowId) -> Response:
    season.remove_slot(me, slot_id)
    return see_other("/slots")
