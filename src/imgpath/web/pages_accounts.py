"""The account pages: sign-up, email verification, sign-in and out, forgotten password and reset,
the account page (settings, password, email, sessions, sharing, export, deletion).

Links in emails open a page with a button (a POST): mail scanners that fetch links do not use
up a single-use token.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from imgpath.errors import AuthenticationError, PermissionDeniedError, RateLimitedError
from imgpath.services.accounts import Account
from imgpath.services.inputs import FormError
from imgpath.web.api_accounts import CHECK_INBOX
from imgpath.web.deps import (
    CouplesDep,
    Csrf,
    Form,
    Me,
    OrganisationsDep,
    RowId,
    SeasonDep,
    download,
)
from imgpath.web.responses import render, see_other
from imgpath.web.security import client_address, current_session, sign_in, sign_out
from imgpath.web.viewer import HOME

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------------- sign-up
@router.get("/signup")
def signup_page(request: Request) -> HTMLResponse:
    return render(request, "signup.html", values={}, errors={})


@router.post("/signup", dependencies=[Csrf])
def signup(request: Request, form: Form) -> Response:
    try:
        request.app.state.accounts.sign_up(email=form.get("email", ""), password=form.get("password", ""),
                                           role=form.get("role", "applicant"), name=form.get("name", ""),
                                           time_zone=form.get("time_zone", "UTC") or "UTC",
                                           client=client_address(request))  # fmt: skip
    except FormError as exc:
        values = {k: v for k, v in form.items() if k != "password"}
        return render(request, "signup.html", 422, values=values, errors=exc.by_field())
    return render(request, "notice.html", 202, title="Check your inbox", message=CHECK_INBOX)


@router.get("/verify")
def verify_page(request: Request, token: str = "") -> HTMLResponse:
    return render(request, "token.html", title="Confirm your email", action="/verify", token=token[:100],
                  button="Confirm my email", errors={})  # fmt: skip


def _signed_in_account(request: Request) -> Account | None:
    session = current_session(request)
    return session.account if session is not None else None


@router.post("/verify", dependencies=[Csrf])
def verify(request: Request, form: Form) -> Response:
    try:
        request.app.state.accounts.verify(form.get("token", ""), password=form.get("password", ""),
                                          signed_in=_signed_in_account(request))  # fmt: skip
    except FormError as exc:
        return render(request, "token.html", 422, title="Confirm your email", action="/verify",
                      token=form.get("token", "")[:100], button="Confirm my email", errors=exc.by_field())  # fmt: skip
    return render(
        request, "signin.html", values={}, error="", notice="Your email is confirmed: sign in."
    )


# ---------------------------------------------------------------------- sign-in
@router.get("/signin")
def signin_page(request: Request) -> HTMLResponse:
    return render(request, "signin.html", values={}, error="", notice="")


@router.post("/signin", dependencies=[Csrf])
def signin(request: Request, form: Form) -> Response:
    try:
        account = request.app.state.accounts.sign_in(email=form.get("email", ""), password=form.get("password", ""),
                                                     client=client_address(request))  # fmt: skip
    except (AuthenticationError, RateLimitedError, PermissionDeniedError) as exc:
        status = {RateLimitedError: 429, PermissionDeniedError: 403}.get(type(exc), 401)
        headers = (
            {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
        )
        page = render(request, "signin.html", status, values={"email": form.get("email", "")[:320]},
                      error=str(exc), notice="")  # fmt: skip
        if headers:
            page.headers.update(headers)
        return page
    sign_in(request, account)
    return see_other(HOME.get(account.role, "/cohort"))


@router.post("/signout", dependencies=[Csrf])
def signout(request: Request) -> Response:
    sign_out(request)
    return see_other("/signin")


@router.post("/signout-everywhere", dependencies=[Csrf])
def signout_everywhere(request: Request, me: Me) -> Response:
    request.app.state.accounts.sign_out_everywhere(me)
    sign_out(request)
    return see_other("/signin")


# ------------------------------------------------------------ forgotten password
@router.get("/forgot")
def forgot_page(request: Request) -> HTMLResponse:
    return render(request, "forgot.html", values={}, errors={})


@router.post("/forgot", dependencies=[Csrf])
def forgot(request: Request, form: Form) -> Response:
    try:
        request.app.state.accounts.forgot_password(
            form.get("email", ""), client=client_address(request)
        )
    except FormError as exc:
        return render(request, "forgot.html", 422, values={"email": form.get("email", "")[:320]},
                      errors=exc.by_field())  # fmt: skip
    return render(request, "notice.html", 202, title="Check your inbox", message=CHECK_INBOX)


@router.get("/reset")
def reset_page(request: Request, token: str = "") -> HTMLResponse:
    return render(request, "reset.html", token=token[:100], errors={})


@router.post("/reset", dependencies=[Csrf])
def reset(request: Request, form: Form) -> Response:
    try:
        request.app.state.accounts.reset_password(form.get("token", ""), form.get("password", ""))
    except FormError as exc:
        return render(
            request, "reset.html", 422, token=form.get("token", "")[:100], errors=exc.by_field()
        )
    sign_out(request)
    return render(
        request, "signin.html", values={}, error="", notice="Your password is changed: sign in."
    )


@router.get("/email/confirm")
def email_confirm_page(request: Request, token: str = "") -> HTMLResponse:
    return render(request, "token.html", title="Confirm your new email", action="/email/confirm",
                  token=token[:100], button="Use this email", errors={})  # fmt: skip


@router.post("/email/confirm", dependencies=[Csrf])
def email_confirm(request: Request, form: Form) -> Response:
    try:
        request.app.state.accounts.confirm_email_change(
            form.get("token", ""), password=form.get("password", ""),
            signed_in=_signed_in_account(request))  # fmt: skip
    except FormError as exc:
        return render(request, "token.html", 422, title="Confirm your new email", action="/email/confirm",
                      token=form.get("token", "")[:100], button="Use this email", errors=exc.by_field())  # fmt: skip
    sign_out(request)
    return render(
        request, "signin.html", values={}, error="", notice="Your email is changed: sign in."
    )


# ---------------------------------------------------------------------- account
def _account(request: Request, me: object, status: int = 200, errors: dict[str, str] | None = None,
             values: dict[str, str] | None = None, notice: str = "") -> HTMLResponse:  # fmt: skip
    session = current_session(request)
    state = request.app.state
    values = {k: v for k, v in (values or {}).items() if "password" not in k}
    return render(request, "account.html", status, me=me, shares=state.workspace.shares(me),
                  sessions=state.accounts.sessions(me, session.id if session else ""),
                  errors=errors or {}, values=values, notice=notice)  # fmt: skip


@router.get("/account")
def account_page(request: Request, me: Me) -> HTMLResponse:
    return _account(request, me)


@router.post("/account/settings", dependencies=[Csrf])
def account_settings(request: Request, me: Me, form: Form) -> Response:
    try:
        request.app.state.accounts.update(
            me, name=form.get("name", ""), time_zone=form.get("time_zone", "UTC")
        )
    except FormError as exc:
        return _account(request, me, 422, exc.by_field(), form)
    return see_other("/account")


@router.post("/account/password", dependencies=[Csrf])
def account_password(request: Request, me: Me, form: Form) -> Response:
    session = current_session(request)
    assert session is not None
    try:
        ended = request.app.state.accounts.change_password(me, current=form.get("current_password", ""),
                                                           new=form.get("new_password", ""), keep_session=session.id)  # fmt: skip
    except FormError as exc:
        return _account(request, me, 422, exc.by_field(), form)
    return _account(request, me, notice=f"Password changed; {ended} other session(s) signed out.")


@router.post("/account/email", dependencies=[Csrf])
def account_email(request: Request, me: Me, form: Form) -> Response:
    try:
        request.app.state.accounts.request_email_change(me, new_email=form.get("new_email", ""),
                                                        password=form.get("password", ""),
                                                        client=client_address(request))  # fmt: skip
    except FormError as exc:
        return _account(request, me, 422, exc.by_field(), form)
    return _account(request, me, notice=CHECK_INBOX)


@router.post("/account/verify-email", dependencies=[Csrf])
def account_verify_email(request: Request, me: Me) -> Response:
    try:
        request.app.state.accounts.send_verification(me, client=client_address(request))
    except FormError as exc:
        return _account(request, me, 422, exc.by_field())
    return _account(request, me, notice=CHECK_INBOX)


@router.post("/account/share", dependencies=[Csrf])
def share(request: Request, me: Me, form: Form) -> Response:
    try:
        request.app.state.workspace.share(
            me, form.get("advisor_email", ""), password=form.get("password", "")
        )
    except FormError as exc:
        return _account(request, me, 422, exc.by_field(), form)
    return see_other("/account")


@router.post("/account/shares/{share_id}/revoke", dependencies=[Csrf])
def revoke(request: Request, me: Me, share_id: RowId) -> Response:
    request.app.state.workspace.revoke(me, share_id)
    return see_other("/account")


@router.get("/account/export.json")
def export(
    me: Me, season: SeasonDep, organisations: OrganisationsDep, couples: CouplesDep
) -> Response:
    data = season.export(me)
    data.update(organisations.export(me), couple=couples.export(me))
    return download(
        json.dumps(data, indent=2, default=str), "application/json", "imgpath-my-data.json"
    )


@router.post("/account/delete", dependencies=[Csrf])
def delete_account(request: Request, me: Me, form: Form) -> Response:
    try:
        request.app.state.accounts.delete(me, password=form.get("password", ""),
                                          confirm_email=form.get("confirm_email", ""))  # fmt: skip
    except FormError as exc:
        return _account(request, me, 422, exc.by_field(), form)
    sign_out(request)
    return see_other("/signup")
