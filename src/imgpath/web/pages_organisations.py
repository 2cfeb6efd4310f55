"""Rotation organisations' pages (``services.workspace.organisations``).

* ``/usce``: every organisation's open rotations (public); a signed-in applicant requests a
  place there and sees their own requests.
* ``/organisations/{org_id}``: an organisation's public page.
* ``/organisation``: the signed-in organisation's name, its rotations (add, change, close,
  delete) and the requests for them (accept, decline, place, record completion and a letter).

Changes are form POSTs answered by a redirect; a refused one re-renders the page with the
problem next to its field and status 422.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from imgpath.services.accounts import Account
from imgpath.services.workspace.organisations import (
    MAX_WEEKS,
    MIN_WEEKS,
    ROTATION_KINDS,
    SETTINGS,
    Organisations,
)
from imgpath.web.deps import Csrf, Form, Me, OrganisationsDep, RowId, Today
from imgpath.web.responses import changed, render
from imgpath.web.viewer import signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
OrgId = Annotated[int, Path(ge=1, le=2_147_483_647, description="an organisation's account id")]
CHOICES = {"rotation_kinds": ROTATION_KINDS, "settings": SETTINGS, "min_weeks": MIN_WEEKS,
           "max_weeks": MAX_WEEKS}  # fmt: skip


# ------------------------------------------------------------------------ public
def _browse(request: Request, orgs: Organisations, on: date, me: Account | None, status: int = 200,
            errors: dict[str, str] | None = None, values: dict[str, str] | None = None, specialty: str = "",
            kind: str = "") -> HTMLResponse:  # fmt: skip
    rotations = orgs.browse(specialty=specialty[:120], kind=kind if kind in ROTATION_KINDS else "",
                            on=on)  # fmt: skip
    mine = orgs.my_requests(me) if me is not None and me.role == "applicant" else []
    asked = {r["rotation_id"]: r for r in mine}
    return render(request, "usce.html", status, me=me, rotations=rotations, requests=mine, asked=asked,
                  errors=errors or {}, values=values or {}, filters={"specialty": specialty, "kind": kind},
                  **CHOICES)  # fmt: skip


@router.get("/usce")
def usce_page(request: Request, organisations: OrganisationsDep, on: Today, specialty: str = "",
              kind: str = "") -> HTMLResponse:  # fmt: skip
    return _browse(request, organisations, on, signed_in(request), specialty=specialty, kind=kind)


@router.get("/organisations/{org_id}")
def organisation_public_page(
    request: Request, organisations: OrganisationsDep, org_id: OrgId
) -> HTMLResponse:
    me = signed_in(request)
    page = organisations.page(org_id)
    mine = organisations.my_requests(me) if me is not None and me.role == "applicant" else []
    return render(request, "organisation_page.html", me=me, page=page, asked={r["rotation_id"]: r for r in mine},
                  errors={}, values={})  # fmt: skip


@router.post("/usce/{rotation_id}/request", dependencies=[Csrf])
def request_place(request: Request, me: Me, orgs: OrganisationsDep, on: Today, rotation_id: RowId,
                  form: Form) -> Response:  # fmt: skip
    return changed("/usce#my-requests", lambda: orgs.request_place(me, rotation_id, form),
                   lambda errors: _browse(request, orgs, on, me, 422, errors, form))  # fmt: skip


@router.post("/usce/requests/{request_id}/withdraw", dependencies=[Csrf])
def withdraw(
    request: Request, me: Me, orgs: OrganisationsDep, on: Today, request_id: RowId
) -> Response:
    return changed("/usce#my-requests", lambda: orgs.withdraw(me, request_id),
                   lambda errors: _browse(request, orgs, on, me, 422, errors))  # fmt: skip


# ------------------------------------------------------------------ organisations
def _dashboard(request: Request, orgs: Organisations, on: date, me: Account, status: int = 200,
               errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
               form: str = "") -> HTMLResponse:  # fmt: skip
    data = orgs.dashboard(me)
    return render(request, "organisation.html", status, me=me, data=data, errors=errors or {},
                  values=values or {}, failed=form, today=on.isoformat(), **CHOICES)  # fmt: skip


@router.get("/organisation")
def organisation_page(
    request: Request, me: Me, organisations: OrganisationsDep, on: Today
) -> HTMLResponse:
    return _dashboard(request, organisations, on, me)


def _change(request: Request, orgs: Organisations, on: date, me: Account, form: dict[str, str], url: str,
            action: Callable[[dict[str, str]], object]) -> Response:  # fmt: skip
    failed = form.get("form", "")
    return changed(url, lambda: action(form),
                   lambda errors: _dashboard(request, orgs, on, me, 422, errors, form, failed))  # fmt: skip


@router.post("/organisation/profile", dependencies=[Csrf])
def save_profile(
    request: Request, me: Me, orgs: OrganisationsDep, on: Today, form: Form
) -> Response:
    return _change(request, orgs, on, me, form, "/organisation", lambda f: orgs.save_profile(me, f))


@router.post("/organisation/rotations", dependencies=[Csrf])
def add_rotation(
    request: Request, me: Me, orgs: OrganisationsDep, on: Today, form: Form
) -> Response:
    return _change(request, orgs, on, me, form, "/organisation",
                   lambda f: orgs.add_rotation(me, f, on=on))  # fmt: skip


@router.post("/organisation/rotations/{rotation_id}", dependencies=[Csrf])
def change_rotation(request: Request, me: Me, orgs: OrganisationsDep, on: Today, rotation_id: RowId,
                    form: Form) -> Response:  # fmt: skip
    return _change(request, orgs, on, me, form, f"/organisation#rotation-{rotation_id}",
                   lambda f: orgs.change_rotation(me, rotation_id, f, on=on))  # fmt: skip


@router.post("/organisation/rotations/{rotation_id}/remove", dependencies=[Csrf])
def remove_rotation(request: Request, me: Me, orgs: OrganisationsDep, on: Today, rotation_id: RowId,
                    form: Form) -> Response:  # fmt: skip
    return _change(request, orgs, on, me, form, "/organisation",
                   lambda _f: orgs.remove_rotation(me, rotation_id))  # fmt: skip


def _decision(request: Request, orgs: Organisations, on: date, me: Account, request_id: int,
              form: dict[str, str], act: Callable[[Organisations], object]) -> Response:  # fmt: skip
    return _change(request, orgs, on, me, form, f"/organisation#request-{request_id}",
                   lambda _f: act(orgs))  # fmt: skip


@router.post("/organisation/requests/{request_id}/accept", dependencies=[Csrf])
def accept(request: Request, me: Me, orgs: OrganisationsDep, on: Today, request_id: RowId,
           form: Form) -> Response:  # fmt: skip
    return _decision(request, orgs, on, me, request_id, form, lambda o: o.accept(me, request_id))


@router.post("/organisation/requests/{request_id}/decline", dependencies=[Csrf])
def decline(request: Request, me: Me, orgs: OrganisationsDep, on: Today, request_id: RowId,
            form: Form) -> Response:  # fmt: skip
    return _decision(request, orgs, on, me, request_id, form, lambda o: o.decline(me, request_id))


@router.post("/organisation/requests/{request_id}/place", dependencies=[Csrf])
def place(request: Request, me: Me, orgs: OrganisationsDep, on: Today, request_id: RowId,
          form: Form) -> Response:  # fmt: skip
    return _decision(request, orgs, on, me, request_id, form, lambda o: o.place(me, request_id))


@router.post("/organisation/requests/{request_id}/complete", dependencies=[Csrf])
def complete(request: Request, me: Me, orgs: OrganisationsDep, on: Today, request_id: RowId,
             form: Form) -> Response:  # fmt: skip
    return _decision(request, orgs, on, me, request_id, form,
                     lambda o: o.complete(me, request_id, form, on=on))  # fmt: skip


@router.post("/organisation/requests/{request_id}/letter", dependencies=[Csrf])
def record_letter(request: Request, me: Me, orgs: OrganisationsDep, on: Today, request_id: RowId,
                  form: Form) -> Response:  # fmt: skip
    return _decision(request, orgs, on, me, request_id, form,
                     lambda o: o.record_letter(me, request_id, form))  # fmt: skip
