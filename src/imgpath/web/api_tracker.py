"""The season tracker's JSON API: applications, letters, documents, rotations, rank list,
timeline and calendar, the advisor's cohort table, and organisations' rotation slots.

Reads take ``?user=ID`` for an advisor looking at an applicant who shared with them; changes are
the owner's alone and need the X-CSRF-Token header.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from imgpath.web.deps import Csrf, Me, RowId, UserId, download, today

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["tracker"])


class Application(BaseModel):
    """What is left out stays as it was (a new application starts saved, via ERAS)."""

    status: str | None = Field(default=None, max_length=20)
    service: str | None = Field(default=None, max_length=20)
    notes: str | None = Field(default=None, max_length=4000)
    dates: dict[str, str] = Field(
        default_factory=dict, max_length=10, description="status or 'interview' -> YYYY-MM-DD"
    )


class Letter(BaseModel):
    writer: str = Field(max_length=200)
    kind: str = Field(default="us_clinical", max_length=20)
    status: str = Field(default="requested", max_length=20)
    requested_on: str | None = Field(default=None, max_length=20)
    notes: str = Field(default="", max_length=2000)


class Status(BaseModel):
    status: str = Field(max_length=20)


class Document(BaseModel):
    title: str = Field(max_length=200)
    kind: str = Field(default="other", max_length=30)
    due_on: str | None = Field(default=None, max_length=20)
    done: bool = False


class Done(BaseModel):
    done: bool


class Rotation(BaseModel):
    site: str = Field(max_length=200)
    specialty: str = Field(max_length=120)
    start_on: str = Field(max_length=20)
    end_on: str = Field(max_length=20)
    kind: str = Field(default="hands_on", max_length=20)
    cost: float | None = Field(default=None, allow_inf_nan=False)
    supervisor: str = Field(default="", max_length=200)
    letter_earned: bool = False


class Slot(BaseModel):
    site: str = Field(max_length=200)
    specialty: str = Field(max_length=120)
    start_on: str = Field(max_length=20)
    end_on: str = Field(max_length=20)
    kind: str = Field(default="hands_on", max_length=20)
    capacity: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)


class Move(BaseModel):
    to: int = Field(ge=-1_000_000, le=1_000_000, description="new position, 1 is the top")


class Supplemental(BaseModel):
    programs: list[str] = Field(max_length=300)  # each code is checked by the tracker


class Ranked(BaseModel):
    program_code: str = Field(max_length=12)


CSV_BODY: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
}


def _tracker(request: Request) -> Any:
    return request.app.state.tracker


# ----------------------------------------------------------------- applications
@router.get("/applications")
def api_applications(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    return {"applications": _tracker(request).applications(me, user)}


@router.put("/applications/{code}", dependencies=[Csrf])
def api_track(request: Request, me: Me, code: str, body: Application) -> dict[str, Any]:
    raw = {
        "program_code": code,
        "status": body.status,
        "service": body.service,
        "dates": body.dates,
    }
    if body.notes is not None:
        raw["notes"] = body.notes
    return {"application": _tracker(request).track(me, raw, on=today(request))}


@router.delete("/applications/{code}", dependencies=[Csrf])
def api_untrack(request: Request, me: Me, code: str) -> dict[str, Any]:
    _tracker(request).untrack(me, code)
    return {"removed": code}


@router.post("/applications/import", dependencies=[Csrf], openapi_extra=CSV_BODY)
async def api_import(request: Request, me: Me) -> dict[str, Any]:
    """Import applications from a CSV body (Content-Type: text/csv, UTF-8); all rows or none."""
    data = await request.body()
    count = await run_in_threadpool(_tracker(request).import_csv, me, data, on=today(request))
    return {"imported": count}


@router.get("/applications.csv")
def api_applications_csv(request: Request, me: Me, user: UserId = None) -> Response:
    return download(_tracker(request).export_csv(me, user), "text/csv", "applications.csv")


@router.get("/costs")
def api_costs(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    out: dict[str, Any] = _tracker(request).costs(me, user, on=today(request))
    return out


# ---------------------------------------------------------------------- letters
@router.get("/letters")
def api_letters(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    return {"letters": _tracker(request).letters(me, user)}


@router.post("/letters", status_code=201, dependencies=[Csrf])
def api_add_letter(request: Request, me: Me, body: Letter) -> dict[str, Any]:
    return {"id": _tracker(request).add_letter(me, body.model_dump())}


@router.patch("/letters/{letter_id}", dependencies=[Csrf])
def api_letter_status(request: Request, me: Me, letter_id: RowId, body: Status) -> dict[str, Any]:
    _tracker(request).set_letter_status(me, letter_id, body.status)
    return {"letters": _tracker(request).letters(me)}


@router.delete("/letters/{letter_id}", dependencies=[Csrf])
def api_remove_letter(request: Request, me: Me, letter_id: RowId) -> dict[str, Any]:
    _tracker(request).remove_letter(me, letter_id)
    return {"removed": letter_id}


@router.put("/letters/{letter_id}/programs/{code}", dependencies=[Csrf])
def api_assign(request: Request, me: Me, letter_id: RowId, code: str) -> dict[str, Any]:
    held = _tracker(request).assign_letter(me, letter_id, code, on=today(request))
    return {"letters_for_program": held}


@router.delete("/letters/{letter_id}/programs/{code}", dependencies=[Csrf])
def api_unassign(request: Request, me: Me, letter_id: RowId, code: str) -> dict[str, Any]:
    _tracker(request).unassign_letter(me, letter_id, code)
    return {"letters": _tracker(request).letters(me)}


# -------------------------------------------------------------------- documents
@router.get("/documents")
def api_documents(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    return {"documents": _tracker(request).documents(me, user)}


@router.post("/documents", status_code=201, dependencies=[Csrf])
def api_add_document(request: Request, me: Me, body: Document) -> dict[str, Any]:
    return {"id": _tracker(request).add_document(me, body.model_dump())}


@router.patch("/documents/{doc_id}", dependencies=[Csrf])
def api_document_done(request: Request, me: Me, doc_id: RowId, body: Done) -> dict[str, Any]:
    _tracker(request).set_document_done(me, doc_id, done=body.done)
    return {"documents": _tracker(request).documents(me)}


@router.delete("/documents/{doc_id}", dependencies=[Csrf])
def api_remove_document(request: Request, me: Me, doc_id: RowId) -> dict[str, Any]:
    _tracker(request).remove_document(me, doc_id)
    return {"removed": doc_id}


# -------------------------------------------------------------------- rotations
@router.get("/rotations")
def api_rotations(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    out: dict[str, Any] = _tracker(request).rotations(me, user)
    out["placements"] = _tracker(request).placements(me, user)
    return out


@router.post("/rotations", status_code=201, dependencies=[Csrf])
def api_add_rotation(request: Request, me: Me, body: Rotation) -> dict[str, Any]:
    return {"id": _tracker(request).add_rotation(me, body.model_dump())}


@router.delete("/rotations/{rotation_id}", dependencies=[Csrf])
def api_remove_rotation(request: Request, me: Me, rotation_id: RowId) -> dict[str, Any]:
    _tracker(request).remove_rotation(me, rotation_id)
    return {"removed": rotation_id}


# -------------------------------------------------------------------- rank list
@router.get("/rank-list")
def api_rank_list(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    out: dict[str, Any] = _tracker(request).rank_list(me, user, on=today(request))
    return out


@router.post("/rank-list", status_code=201, dependencies=[Csrf])
def api_rank_add(request: Request, me: Me, body: Ranked) -> dict[str, Any]:
    _tracker(request).rank_add(me, body.program_code)
    return api_rank_list(request, me)


@router.post("/rank-list/{code}/move", dependencies=[Csrf])
def api_rank_move(request: Request, me: Me, code: str, body: Move) -> dict[str, Any]:
    _tracker(request).rank_move(me, code, body.to)
    return api_rank_list(request, me)


@router.put("/rank-list/{code}/supplemental", dependencies=[Csrf])
def api_rank_supplemental(
    request: Request, me: Me, code: str, body: Supplemental
) -> dict[str, Any]:
    _tracker(request).rank_supplemental(me, code, body.programs)
    return api_rank_list(request, me)


@router.post("/rank-list/what-if", status_code=202, dependencies=[Csrf])
def api_rank_what_if(request: Request, me: Me) -> dict[str, Any]:
    job = _tracker(request).what_if(me, on=today(request))
    return {"job": job, "status_url": f"/api/odds/{job}"}


@router.delete("/rank-list/{code}", dependencies=[Csrf])
def api_rank_remove(request: Request, me: Me, code: str) -> dict[str, Any]:
    _tracker(request).rank_remove(me, code)
    return api_rank_list(request, me)


# --------------------------------------------------------------------- timeline
@router.get("/timeline")
def api_timeline(request: Request, me: Me, user: UserId = None) -> dict[str, Any]:
    return {"timeline": _tracker(request).timeline(me, user, on=today(request))}


@router.get("/calendar.ics")
def api_calendar(request: Request, me: Me, user: UserId = None) -> Response:
    return download(
        _tracker(request).calendar(me, user, on=today(request)),
        "text/calendar",
        "imgpath-season.ics",
    )


# ---------------------------------------------------------------------- advisor
@router.get("/cohort/table")
def api_cohort_table(request: Request, me: Me) -> dict[str, Any]:
    return {"applicants": _tracker(request).cohort(me, on=today(request))}


@router.get("/cohort.csv")
def api_cohort_csv(request: Request, me: Me) -> Response:
    return download(_tracker(request).cohort_csv(me, on=today(request)), "text/csv", "cohort.csv")


@router.get("/slots")
def api_slots(request: Request, me: Me) -> dict[str, Any]:
    return {"slots": _tracker(request).slots(me)}


@router.post("/slots", status_code=201, dependencies=[Csrf])
def api_add_slot(request: Request, me: Me, body: Slot) -> dict[str, Any]:
    return {"id": _tracker(request).add_slot(me, body.model_dump())}


@router.delete("/slots/{slot_id}", dependencies=[Csrf])
def api_remove_slot(request: Request, me: Me, slot_id: RowId) -> dict[str, Any]:
    _tracker(request).remove_slot(me, slot_id)
    return {"removed": slot_id}


@router.put("/slots/{slot_id}/applicants/{applicant_id}", dependencies=[Csrf])
def api_place(request: Request, me: Me, slot_id: RowId, applicant_id: RowId) -> dict[str, Any]:
    _tracker(request).place(me, slot_id, applicant_id)
    return {"slots": _tracker(request).slots(me)}


@router.delete("/slots/{slot_id}/applicants/{applicant_id}", dependencies=[Csrf])
def api_unplace(request: Request, me: Me, slot_id: RowId, applicant_id: RowId) -> dict[str, Any]:
    _tracker(request).unplace(me, slot_id, applicant_id)
    return {"slots": _tracker(request).slots(me)}
