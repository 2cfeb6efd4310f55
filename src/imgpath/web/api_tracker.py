"""The season tracker's JSON API: applications, letters, documents, rotations, rank list,
timeline and calendar, the advisor's cohort table, and organisations' rotation slots.

Reads take ``?user=ID`` for an advisor looking at an applicant who shared with them; changes are
the owner's alone and need the X-CSRF-Token header.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from imgpath.web.deps import Csrf, Me, RowId, SeasonDep, Today, UserId, download
from imgpath.web.schemas import (
    ApplicationIn,
    ApplicationOne,
    ApplicationsOut,
    CohortOut,
    CostsOut,
    Created,
    DocumentIn,
    DocumentsOut,
    Done,
    Imported,
    JobStarted,
    LetterIn,
    LettersForProgram,
    LettersOut,
    Move,
    Ranked,
    RankListOut,
    RemovedCode,
    RemovedId,
    RotationIn,
    RotationsOut,
    SlotIn,
    SlotsOut,
    Status,
    Supplemental,
    TimelineOut,
    file_response,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["tracker"])


CSV_BODY: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
}


# ----------------------------------------------------------------- applications
@router.get("/applications", response_model=ApplicationsOut)
def api_applications(me: Me, season: SeasonDep, user: UserId = None) -> dict[str, Any]:
    return {"applications": season.applications(me, user)}


@router.put("/applications/{code}", dependencies=[Csrf], response_model=ApplicationOne)
def api_track(
    me: Me, season: SeasonDep, on: Today, code: str, body: ApplicationIn
) -> dict[str, Any]:
    raw = {
        "program_code": code,
        "status": body.status,
        "service": body.service,
        "dates": body.dates,
    }
    if body.notes is not None:
        raw["notes"] = body.notes
    return {"application": season.track(me, raw, on=on)}


@router.delete("/applications/{code}", dependencies=[Csrf], response_model=RemovedCode)
def api_untrack(me: Me, season: SeasonDep, code: str) -> dict[str, Any]:
    season.untrack(me, code)
    return {"removed": code}


@router.post(
    "/applications/import", dependencies=[Csrf], openapi_extra=CSV_BODY, response_model=Imported
)
async def api_import(request: Request, me: Me, season: SeasonDep, on: Today) -> dict[str, Any]:
    """Import applications from a CSV body (Content-Type: text/csv, UTF-8); all rows or none."""
    data = await request.body()
    count = await run_in_threadpool(season.import_csv, me, data, on=on)
    return {"imported": count}


@router.get(
    "/applications.csv",
    response_class=Response,
    responses=file_response("text/csv", "the applications as CSV"),
)
def api_applications_csv(me: Me, season: SeasonDep, user: UserId = None) -> Response:
    return download(season.export_csv(me, user), "text/csv", "applications.csv")


@router.get("/costs", response_model=CostsOut)
def api_costs(me: Me, season: SeasonDep, on: Today, user: UserId = None) -> dict[str, Any]:
    out: dict[str, Any] = season.costs(me, user, on=on)
    return out


# ---------------------------------------------------------------------- letters
@router.get("/letters", response_model=LettersOut)
def api_letters(me: Me, season: SeasonDep, user: UserId = None) -> dict[str, Any]:
    return {"letters": season.letters(me, user)}


@router.post("/letters", status_code=201, dependencies=[Csrf], response_model=Created)
def api_add_letter(me: Me, season: SeasonDep, body: LetterIn) -> dict[str, Any]:
    return {"id": season.add_letter(me, body.model_dump())}


@router.patch("/letters/{letter_id}", dependencies=[Csrf], response_model=LettersOut)
def api_letter_status(me: Me, season: SeasonDep, letter_id: RowId, body: Status) -> dict[str, Any]:
    season.set_letter_status(me, letter_id, body.status)
    return {"letters": season.letters(me)}


@router.delete("/letters/{letter_id}", dependencies=[Csrf], response_model=RemovedId)
def api_remove_letter(me: Me, season: SeasonDep, letter_id: RowId) -> dict[str, Any]:
    season.remove_letter(me, letter_id)
    return {"removed": letter_id}


@router.put(
    "/letters/{letter_id}/programs/{code}", dependencies=[Csrf], response_model=LettersForProgram
)
def api_assign(me: Me, season: SeasonDep, on: Today, letter_id: RowId, code: str) -> dict[str, Any]:
    held = season.assign_letter(me, letter_id, code, on=on)
    return {"letters_for_program": held}


@router.delete(
    "/letters/{letter_id}/programs/{code}", dependencies=[Csrf], response_model=LettersOut
)
def api_unassign(me: Me, season: SeasonDep, letter_id: RowId, code: str) -> dict[str, Any]:
    season.unassign_letter(me, letter_id, code)
    return {"letters": season.letters(me)}


# -------------------------------------------------------------------- documents
@router.get("/documents", response_model=DocumentsOut)
def api_documents(me: Me, season: SeasonDep, user: UserId = None) -> dict[str, Any]:
    return {"documents": season.documents(me, user)}


@router.post("/documents", status_code=201, dependencies=[Csrf], response_model=Created)
def api_add_document(me: Me, season: SeasonDep, body: DocumentIn) -> dict[str, Any]:
    return {"id": season.add_document(me, body.model_dump())}


@router.patch("/documents/{doc_id}", dependencies=[Csrf], response_model=DocumentsOut)
def api_document_done(me: Me, season: SeasonDep, doc_id: RowId, body: Done) -> dict[str, Any]:
    season.set_document_done(me, doc_id, done=body.done)
    return {"documents": season.documents(me)}


@router.delete("/documents/{doc_id}", dependencies=[Csrf], response_model=RemovedId)
def api_remove_document(me: Me, season: SeasonDep, doc_id: RowId) -> dict[str, Any]:
    season.remove_document(me, doc_id)
    return {"removed": doc_id}


# -------------------------------------------------------------------- rotations
@router.get("/rotations", response_model=RotationsOut)
def api_rotations(me: Me, season: SeasonDep, user: UserId = None) -> dict[str, Any]:
    out: dict[str, Any] = season.rotations(me, user)
    out["placements"] = season.placements(me, user)
    return out


@router.post("/rotations", status_code=201, dependencies=[Csrf], response_model=Created)
def api_add_rotation(me: Me, season: SeasonDep, body: RotationIn) -> dict[str, Any]:
    return {"id": season.add_rotation(me, body.model_dump())}


@router.delete("/rotations/{rotation_id}", dependencies=[Csrf], response_model=RemovedId)
def api_remove_rotation(me: Me, season: SeasonDep, rotation_id: RowId) -> dict[str, Any]:
    season.remove_rotation(me, rotation_id)
    return {"removed": rotation_id}


# -------------------------------------------------------------------- rank list
@router.get("/rank-list", response_model=RankListOut)
def api_rank_list(me: Me, season: SeasonDep, on: Today, user: UserId = None) -> dict[str, Any]:
    out: dict[str, Any] = season.rank_list(me, user, on=on)
    return out


@router.post("/rank-list", status_code=201, dependencies=[Csrf], response_model=RankListOut)
def api_rank_add(me: Me, season: SeasonDep, on: Today, body: Ranked) -> dict[str, Any]:
    season.rank_add(me, body.program_code)
    out: dict[str, Any] = season.rank_list(me, on=on)
    return out


@router.post("/rank-list/{code}/move", dependencies=[Csrf], response_model=RankListOut)
def api_rank_move(me: Me, season: SeasonDep, on: Today, code: str, body: Move) -> dict[str, Any]:
    season.rank_move(me, code, body.to)
    out: dict[str, Any] = season.rank_list(me, on=on)
    return out


@router.put("/rank-list/{code}/supplemental", dependencies=[Csrf], response_model=RankListOut)
def api_rank_supplemental(
    me: Me, season: SeasonDep, on: Today, code: str, body: Supplemental
) -> dict[str, Any]:
    season.rank_supplemental(me, code, body.programs)
    out: dict[str, Any] = season.rank_list(me, on=on)
    return out


@router.post("/rank-list/what-if", status_code=202, dependencies=[Csrf], response_model=JobStarted)
def api_rank_what_if(me: Me, season: SeasonDep, on: Today) -> dict[str, Any]:
    job = season.what_if(me, on=on)
    return {"job": job, "status_url": f"/api/odds/{job}"}


@router.delete("/rank-list/{code}", dependencies=[Csrf], response_model=RankListOut)
def api_rank_remove(me: Me, season: SeasonDep, on: Today, code: str) -> dict[str, Any]:
    season.rank_remove(me, code)
    out: dict[str, Any] = season.rank_list(me, on=on)
    return out


# --------------------------------------------------------------------- timeline
@router.get("/timeline", response_model=TimelineOut)
def api_timeline(me: Me, season: SeasonDep, on: Today, user: UserId = None) -> dict[str, Any]:
    return {"timeline": season.timeline(me, user, on=on)}


@router.get(
    "/calendar.ics",
    response_class=Response,
    responses=file_response("text/calendar", "the timeline as an iCalendar file"),
)
def api_calendar(me: Me, season: SeasonDep, on: Today, user: UserId = None) -> Response:
    return download(
        season.calendar(me, user, on=on),
        "text/calendar",
        "imgpath-season.ics",
    )


# ---------------------------------------------------------------------- advisor
@router.get("/cohort/table", response_model=CohortOut)
def api_cohort_table(me: Me, season: SeasonDep, on: Today) -> dict[str, Any]:
    return {"applicants": season.cohort(me, on=on)}


@router.get(
    "/cohort.csv",
    response_class=Response,
    responses=file_response("text/csv", "the cohort table as CSV"),
)
def api_cohort_csv(me: Me, season: SeasonDep, on: Today) -> Response:
    return download(season.cohort_csv(me, on=on), "text/csv", "cohort.csv")


@router.get("/slots", response_model=SlotsOut)
def api_slots(me: Me, season: SeasonDep) -> dict[str, Any]:
    return {"slots": season.slots(me)}


@router.post("/slots", status_code=201, dependencies=[Csrf], response_model=Created)
def api_add_slot(me: Me, season: SeasonDep, body: SlotIn) -> dict[str, Any]:
    return {"id": season.add_slot(me, body.model_dump())}


@router.delete("/slots/{slot_id}", dependencies=[Csrf], response_model=RemovedId)
def api_remove_slot(me: Me, season: SeasonDep, slot_id: RowId) -> dict[str, Any]:
    season.remove_slot(me, slot_id)
    return {"removed": slot_id}


@router.put(
    "/slots/{slot_id}/applicants/{applicant_id}", dependencies=[Csrf], response_model=SlotsOut
)
def api_place(me: Me, season: SeasonDep, slot_id: RowId, applicant_id: RowId) -> dict[str, Any]:
    season.place(me, slot_id, applicant_id)
    return {"slots": season.slots(me)}


@router.delete(
    "/slots/{slot_id}/applicants/{applicant_id}", dependencies=[Csrf], response_model=SlotsOut
)
def api_unplace(me: Me, season: SeasonDep, slot_id: RowId, applicant_id: RowId) -> dict[str, Any]:
    season.unplace(me, slot_id, applicant_id)
    return {"slots": season.slots(me)}
