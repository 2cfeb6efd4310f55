"""The HTML pages of the workspace: read the form, make one call, render a template.

Handlers are plain ``def`` (run in the thread pool); the form is read by the ``Form``
dependency.  Account pages are in ``pages_accounts``, the tracker's in ``pages_tracker``, the
pathway and rule pages in ``pages_pathway``, the odds page in ``pages_odds``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from imgpath.catalog import parse_search
from imgpath.errors import FormError
from imgpath.web.deps import Csrf, Form, Me, SettingsDep, UserId, WorkspaceDep, today
from imgpath.web.pages_claims import program_response
from imgpath.web.profile_form import SECTIONS, apply_form, form_errors, form_values
from imgpath.web.responses import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------------------- profile
@router.get("/profile")
def profile_page(
    request: Request, me: Me, workspace: WorkspaceDep, user: UserId = None
) -> HTMLResponse:
    profile = workspace.profile(me, user)
    owner = workspace.owner(me, user)
    return render(request, "profile.html", me=me, owner=owner, sections=SECTIONS, values=form_values(profile),
                  yaml_text=_yaml(profile), errors={}, saved=False, readonly=owner.id != me.id)  # fmt: skip


def _yaml(profile: dict[str, Any]) -> str:
    """The profile as the box shows it: YAML that reads back the same (``documents.dump_yaml``)."""
    from imgpath.services.documents import dump_yaml

    return dump_yaml(profile) if profile else ""


@router.post("/profile", dependencies=[Csrf])
def save_profile(
    request: Request, me: Me, workspace: WorkspaceDep, settings: SettingsDep, form: Form
) -> HTMLResponse:
    stored = workspace.profile(me)
    try:
        data = apply_form(
            stored if not form.get("yaml", "").strip() else {},
            form,
            most_bytes=settings.max_profile_bytes,
        )
        saved = workspace.save_profile(me, data, on=today(request))
    except FormError as exc:
        errors = form_errors(exc.problems, form)
        return render(request, "profile.html", 422, me=me, owner=me, sections=SECTIONS, values=form,
                      yaml_text=form.get("yaml", ""), errors=errors, saved=False, readonly=False)  # fmt: skip
    return render(request, "profile.html", me=me, owner=me, sections=SECTIONS, values=form_values(saved),
                  yaml_text=_yaml(saved), errors={}, saved=True, readonly=False)  # fmt: skip


# ---------------------------------------------------------------------------- programs
@router.get("/programs")
def programs_page(request: Request, me: Me, workspace: WorkspaceDep, q: str = "", specialty: str = "", state: str = "", visa: str = "",
                  all_specialties: bool = False, visa_unknown: bool = False,
                  offset: Annotated[int, Query(ge=0, le=100_000)] = 0, user: UserId = None) -> HTMLResponse:  # fmt: skip
    owner = workspace.owner(me, user)
    filters = {"q": q, "specialty": specialty, "state": state, "visa": visa,
               "all_specialties": all_specialties, "visa_unknown": visa_unknown}  # fmt: skip
    errors: dict[str, str] = {}
    result = None
    try:
        query = parse_search(text=q, specialties=[specialty], states=[state], visa=visa[:10],
                             visa_unknown=visa_unknown, all_specialties=all_specialties, offset=offset)  # fmt: skip
        filters |= {
            "visa": query.visa or "",
            "state": ",".join(query.states),
        }  # as read: H1B is h1b
        result = workspace.search(me, query, on=today(request), owner_id=user)
    except FormError as exc:
        errors = exc.by_field()
    saved_list = workspace.saved(me, user)
    saved = {s["code"] for s in saved_list}
    name = "_results.html" if request.headers.get("hx-request") else "programs.html"
    return render(request, name, 422 if errors else 200, me=me, owner=owner, filters=filters, result=result,
                  errors=errors, saved=saved, saved_list=saved_list, readonly=owner.id != me.id)  # fmt: skip


@router.get("/programs/{code}")
def program_page(request: Request, me: Me, code: str) -> HTMLResponse:
    return program_response(request, me, code)


@router.post("/programs/{code}/save", dependencies=[Csrf])
def save_program(request: Request, me: Me, workspace: WorkspaceDep, code: str) -> HTMLResponse:
    workspace.save_program(me, code)
    return render(request, "_save_button.html", me=me, code=code, is_saved=True)


@router.post("/programs/{code}/unsave", dependencies=[Csrf])
def unsave_program(request: Request, me: Me, workspace: WorkspaceDep, code: str) -> HTMLResponse:
    workspace.unsave_program(me, code)
    return render(request, "_save_button.html", me=me, code=code, is_saved=False)
