"""The HTML pages: read the form, make one call to the workspace, render a template."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from imgpath.core.catalog.search import SearchQuery
from imgpath.errors import AuthenticationError, ImgpathError, InvalidInputError, RateLimitedError
from imgpath.services.accounts import Account, FormError
from imgpath.services.plots import odds_plot_bytes
from imgpath.web.api import RowId, UserId, download, today
from imgpath.web.profile_form import SECTIONS, apply_form, field_of, form_values
from imgpath.web.security import check_csrf, csrf_token, current_account, sign_in, sign_out

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Me = Annotated[Account, Depends(current_account)]
Csrf = Depends(check_csrf)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("me", None)
    context["csrf"] = csrf_token(request)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    return response


async def form_of(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(request: Request) -> Response:
    return see_other("/pathway" if isinstance(request.session.get("user"), int) else "/signin")


# ---------------------------------------------------------------------------- accounts
@router.get("/signup")
def signup_page(request: Request) -> HTMLResponse:
    return render(request, "signup.html", values={}, errors={})


@router.post("/signup", dependencies=[Csrf])
async def signup(request: Request) -> Response:
    form = await form_of(request)
    try:
        account = request.app.state.accounts.sign_up(email=form.get("email", ""), password=form.get("password", ""),
                                                     role=form.get("role", "applicant"), name=form.get("name", ""),
                                                     time_zone=form.get("time_zone", "UTC") or "UTC")  # fmt: skip
    except FormError as exc:
        return render(request, "signup.html", 422, values=form, errors=exc.by_field())
    sign_in(request, account)
    return see_other("/profile" if account.role == "applicant" else "/cohort")


@router.get("/signin")
def signin_page(request: Request) -> HTMLResponse:
    return render(request, "signin.html", values={}, error="")


@router.post("/signin", dependencies=[Csrf])
async def signin(request: Request) -> Response:
    form = await form_of(request)
    client = request.client.host if request.client else ""
    try:
        account = request.app.state.accounts.sign_in(
            email=form.get("email", ""), password=form.get("password", ""), client=client
        )
    except (AuthenticationError, RateLimitedError) as exc:
        status = 429 if isinstance(exc, RateLimitedError) else 401
        return render(
            request, "signin.html", status, values={"email": form.get("email", "")}, error=str(exc)
        )
    sign_in(request, account)
    return see_other("/pathway" if account.role == "applicant" else "/cohort")


@router.post("/signout", dependencies=[Csrf])
def signout(request: Request) -> Response:
    sign_out(request)
    return see_other("/signin")


# ---------------------------------------------------------------------------- profile
@router.get("/profile")
def profile_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    workspace = request.app.state.workspace
    profile = workspace.profile(me, user)
    owner = workspace.owner(me, user)
    return render(request, "profile.html", me=me, owner=owner, sections=SECTIONS, values=form_values(profile),
                  yaml_text=_yaml(profile), errors={}, saved=False, readonly=owner.id != me.id)  # fmt: skip


def _yaml(profile: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True) if profile else ""


@router.post("/profile", dependencies=[Csrf])
async def save_profile(request: Request, me: Me) -> HTMLResponse:
    form = await form_of(request)
    workspace = request.app.state.workspace
    stored = workspace.profile(me)
    try:
        data = apply_form(stored if not form.get("yaml", "").strip() else {}, form)
        saved = workspace.save_profile(me, data, on=today(request))
    except FormError as exc:
        errors: dict[str, str] = {}
        for problem in exc.problems:
            key = (
                problem.location
                if problem.location in form or problem.location == "yaml"
                else field_of(problem.location)
            )
            errors.setdefault(
                key, f"{problem.message}; {problem.hint}" if problem.hint else problem.message
            )
        return render(request, "profile.html", 422, me=me, owner=me, sections=SECTIONS, values=form,
                      yaml_text=form.get("yaml", ""), errors=errors, saved=False, readonly=False)  # fmt: skip
    return render(request, "profile.html", me=me, owner=me, sections=SECTIONS, values=form_values(saved),
                  yaml_text=_yaml(saved), errors={}, saved=True, readonly=False)  # fmt: skip


# ---------------------------------------------------------------------------- pathway
@router.get("/pathway")
def pathway_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    workspace = request.app.state.workspace
    owner = workspace.owner(me, user)
    if not workspace.profile(me, user):
        return render(request, "pathway.html", me=me, owner=owner, report=None, error="")
    try:
        report = workspace.pathway(me, user, on=today(request))
    except InvalidInputError as exc:
        return render(request, "pathway.html", me=me, owner=owner, report=None, error=str(exc))
    return render(request, "pathway.html", me=me, owner=owner, report=report, error="")


# ---------------------------------------------------------------------------- programs
@router.get("/programs")
def programs_page(request: Request, me: Me, q: str = "", specialty: str = "", state: str = "", visa: str = "",
                  offset: int = 0, user: UserId = None) -> HTMLResponse:  # fmt: skip
    workspace = request.app.state.workspace
    owner = workspace.owner(me, user)
    filters = {"q": q, "specialty": specialty, "state": state, "visa": visa}
    query = SearchQuery(text=q.strip(), specialties=(specialty.strip(),) if specialty.strip() else (),
                        states=(state.strip().upper(),) if state.strip() else (), visa=visa or None,
                        sort="fit", limit=20, offset=max(0, offset))  # fmt: skip
    errors: dict[str, str] = {}
    result = None
    try:
        result = workspace.search(me, query, on=today(request), owner_id=user)
    except FormError as exc:
        errors = exc.by_field()
    saved = {s["code"] for s in workspace.saved(me, user)}
    name = "_results.html" if request.headers.get("hx-request") else "programs.html"
    return render(request, name, 422 if errors else 200, me=me, owner=owner, filters=filters, result=result,
                  errors=errors, saved=saved, saved_list=workspace.saved(me, user), readonly=owner.id != me.id)  # fmt: skip


@router.get("/programs/{code}")
def program_page(request: Request, me: Me, code: str) -> HTMLResponse:
    view = request.app.state.workspace.program(me, code, on=today(request))
    saved = {s["code"] for s in request.app.state.workspace.saved(me)}
    return render(request, "program.html", me=me, view=view.to_dict(), saved=saved)


@router.post("/programs/{code}/save", dependencies=[Csrf])
def save_program(request: Request, me: Me, code: str) -> HTMLResponse:
    request.app.state.workspace.save_program(me, code)
    return render(request, "_save_button.html", me=me, code=code, is_saved=True)


@router.post("/programs/{code}/unsave", dependencies=[Csrf])
def unsave_program(request: Request, me: Me, code: str) -> HTMLResponse:
    request.app.state.workspace.unsave_program(me, code)
    return render(request, "_save_button.html", me=me, code=code, is_saved=False)


# ---------------------------------------------------------------------------- odds
@router.get("/odds")
def odds_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    workspace = request.app.state.workspace
    owner = workspace.owner(me, user)
    job = workspace.latest_odds(me, user)
    specialty = (workspace.profile(me, user).get("targets") or {}).get("specialty", "")
    return render(request, "odds.html", me=me, owner=owner, job=job, specialty=specialty or "", error="",
                  readonly=owner.id != me.id)  # fmt: skip


@router.post("/odds", dependencies=[Csrf])
async def start_odds(request: Request, me: Me) -> Response:
    form = await form_of(request)
    workspace = request.app.state.workspace
    try:
        workspace.start_odds(me, specialty=form.get("specialty", ""), on=today(request))
    except ImgpathError as exc:
        return render(request, "odds.html", 422, me=me, owner=me, job=workspace.latest_odds(me),
                      specialty=form.get("specialty", ""), error=str(exc), readonly=False)  # fmt: skip
    return see_other("/odds")


@router.get("/odds/jobs/{job}")
def odds_job(request: Request, me: Me, job: str) -> HTMLResponse:
    return render(
        request, "_odds_job.html", me=me, job=request.app.state.workspace.odds_job(me, job)
    )


@router.get("/odds/jobs/{job}/plot.png")
def odds_plot(request: Request, me: Me, job: str) -> Response:
    found = request.app.state.workspace.odds_job(me, job)
    return Response(odds_plot_bytes(found.get("result")), media_type="image/png")


# ---------------------------------------------------------------------------- account
@router.get("/account")
def account_page(request: Request, me: Me) -> HTMLResponse:
    shares = request.app.state.workspace.shares(me)
    return render(request, "account.html", me=me, shares=shares, errors={}, values={})


@router.post("/account/settings", dependencies=[Csrf])
async def account_settings(request: Request, me: Me) -> Response:
    form = await form_of(request)
    try:
        me = request.app.state.accounts.update(
            me, name=form.get("name", ""), time_zone=form.get("time_zone", "UTC")
        )
    except FormError as exc:
        return render(request, "account.html", 422, me=me, shares=request.app.state.workspace.shares(me),
                      errors=exc.by_field(), values=form)  # fmt: skip
    return see_other("/account")


@router.post("/account/share", dependencies=[Csrf])
async def share(request: Request, me: Me) -> Response:
    form = await form_of(request)
    try:
        request.app.state.workspace.share(me, form.get("advisor_email", ""))
    except FormError as exc:
        return render(request, "account.html", 422, me=me, shares=request.app.state.workspace.shares(me),
                      errors=exc.by_field(), values=form)  # fmt: skip
    return see_other("/account")


@router.post("/account/shares/{share_id}/revoke", dependencies=[Csrf])
def revoke(request: Request, me: Me, share_id: RowId) -> Response:
    request.app.state.workspace.revoke(me, share_id)
    return see_other("/account")


@router.get("/account/export.json")
def export(request: Request, me: Me) -> Response:
    data = request.app.state.tracker.export(me)
    return download(
        json.dumps(data, indent=2, default=str), "application/json", "imgpath-my-data.json"
    )


@router.post("/account/delete", dependencies=[Csrf])
async def delete_account(request: Request, me: Me) -> Response:
    form = await form_of(request)
    try:
        request.app.state.accounts.delete(me, confirm_email=form.get("confirm_email", ""))
    except FormError as exc:
        return render(request, "account.html", 422, me=me, shares=request.app.state.workspace.shares(me),
                      errors=exc.by_field(), values=form)  # fmt: skip
    sign_out(request)
    return see_other("/signup")
