"""The JSON API of accounts: sign-up and email verification, sign-in and sign-out (here or
everywhere), sessions, password change and reset, email change, deletion.

Sign-up and "forgot password" answer 202 with the same message whether or not the address has
an account.  Sign-in returns the session's CSRF token, which every later change must send as
the X-CSRF-Token header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StringConstraints

from imgpath.services.accounts import Account
from imgpath.web.deps import Csrf, Me
from imgpath.web.schemas import (
    Deleted,
    EmailConfirmed,
    Message,
    PasswordChanged,
    ResetDone,
    SessionsOut,
    SignedIn,
    SignedOut,
    SignedOutEverywhere,
    Verified,
)
from imgpath.web.security import (
    client_address,
    csrf_token,
    current_session,
    session_info,
    sign_in,
    sign_out,
)

__all__ = ["CHECK_INBOX", "router"]

router = APIRouter(prefix="/api", tags=["accounts"])
CHECK_INBOX = ("If this address can be used, we sent it an email with a link to finish; "
               "open it within a day. Nothing arrived? Check the spam folder, then try again.")  # fmt: skip
Text = Annotated[str, StringConstraints(max_length=320)]
Password = Annotated[str, StringConstraints(max_length=1024)]
Token = Annotated[str, StringConstraints(max_length=100)]


class SignUp(BaseModel):
    email: Text
    password: Password
    role: Annotated[str, StringConstraints(max_length=20)] = "applicant"
    name: Annotated[str, StringConstraints(max_length=200)] = ""
    time_zone: Annotated[str, StringConstraints(max_length=64)] = "UTC"


class SignIn(BaseModel):
    email: Text
    password: Password


class TokenBody(BaseModel):
    token: Token
    password: Password = Field(
        default="", description="the account's password (not needed when signed in as it)"
    )


class Reset(BaseModel):
    token: Token
    password: Password


class Forgot(BaseModel):
    email: Text


class PasswordChange(BaseModel):
    current_password: Password
    new_password: Password


class EmailChange(BaseModel):
    new_email: Text
    password: Password


class Delete(BaseModel):
    password: Password
    confirm_email: Text | None = Field(
        default=None, description="optional: your email, typed again"
    )


def _signed_in(request: Request) -> dict[str, Any]:
    session = current_session(request)
    assert session is not None
    return {"account": session.account.to_dict(), "csrf_token": csrf_token(request),
            "session": session_info(request)}  # fmt: skip


@router.post("/signup", status_code=202, response_model=Message)
def api_signup(request: Request, body: SignUp) -> dict[str, str]:
    """Start an account: a link to verify the email is sent; sign in after opening it."""
    request.app.state.accounts.sign_up(**body.model_dump(), client=client_address(request))
    return {"message": CHECK_INBOX}


def _signed_in_account(request: Request) -> Account | None:
    session = current_session(request)
    return session.account if session is not None else None


@router.post("/verify", response_model=Verified)
def api_verify(request: Request, body: TokenBody) -> dict[str, Any]:
    """Confirm the email with the emailed link: signed in as its account, or with its password."""
    account = request.app.state.accounts.verify(
        body.token, password=body.password, signed_in=_signed_in_account(request)
    )
    return {"verified": account.email}


@router.post("/verify/send", status_code=202, dependencies=[Csrf])
def api_send_verification(request: Request, me: Me) -> dict[str, str]:
    """Email a new link to confirm this account's address (accounts older than verification)."""
    request.app.state.accounts.send_verification(me, client=client_address(request))
    return {"message": CHECK_INBOX}


@router.post("/signin", response_model=SignedIn)
def api_signin(request: Request, body: SignIn) -> dict[str, Any]:
    account = request.app.state.accounts.sign_in(email=body.email, password=body.password,
                                                 client=client_address(request))  # fmt: skip
    sign_in(request, account)
    return _signed_in(request)


@router.post("/signout", dependencies=[Csrf], response_model=SignedOut)
def api_signout(request: Request, me: Me) -> dict[str, str]:
    sign_out(request)
    return {"signed_out": me.email}


@router.post("/signout-everywhere", dependencies=[Csrf], response_model=SignedOutEverywhere)
def api_signout_everywhere(request: Request, me: Me) -> dict[str, Any]:
    """End every session of this account, this one included."""
    ended = request.app.state.accounts.sign_out_everywhere(me)
    sign_out(request)
    return {"signed_out": me.email, "sessions_ended": ended}


@router.get("/me", response_model=SignedIn)
def api_me(request: Request, me: Me) -> dict[str, Any]:
    del me
    return _signed_in(request)


@router.get("/sessions", response_model=SessionsOut)
def api_sessions(request: Request, me: Me) -> dict[str, Any]:
    session = current_session(request)
    return {"sessions": request.app.state.accounts.sessions(me, session.id if session else "")}


@router.post("/password", dependencies=[Csrf], response_model=PasswordChanged)
def api_change_password(request: Request, me: Me, body: PasswordChange) -> dict[str, Any]:
    """Change the password (the current one first); every other session ends."""
    session = current_session(request)
    assert session is not None
    ended = request.app.state.accounts.change_password(me, current=body.current_password, new=body.new_password,
                                                       keep_session=session.id)  # fmt: skip
    return {"changed": True, "other_sessions_ended": ended}


@router.post("/password/forgot", status_code=202, response_model=Message)
def api_forgot(request: Request, body: Forgot) -> dict[str, str]:
    request.app.state.accounts.forgot_password(body.email, client=client_address(request))
    return {"message": CHECK_INBOX}


@router.post("/password/reset", response_model=ResetDone)
def api_reset(request: Request, body: Reset) -> dict[str, Any]:
    """Set a new password from an emailed link; every session ends; sign in again."""
    account = request.app.state.accounts.reset_password(body.token, body.password)
    return {"reset": account.email}


@router.post("/email", status_code=202, dependencies=[Csrf], response_model=Message)
def api_change_email(request: Request, me: Me, body: EmailChange) -> dict[str, str]:
    """Ask to change the email (the password first); it changes when the link sent to the new
    address is opened."""
    request.app.state.accounts.request_email_change(
        me, new_email=body.new_email, password=body.password, client=client_address(request)
    )
    return {"message": CHECK_INBOX}


@router.post("/email/confirm", response_model=EmailConfirmed)
def api_confirm_email(request: Request, body: TokenBody) -> dict[str, Any]:
    """Move the account to the new address: signed in as the account, or with its password."""
    account = request.app.state.accounts.confirm_email_change(
        body.token, password=body.password, signed_in=_signed_in_account(request)
    )
    sign_out(request)
    return {"email": account.email}


@router.delete("/account", dependencies=[Csrf], response_model=Deleted)
def api_delete_account(request: Request, me: Me, body: Delete) -> dict[str, Any]:
    """Delete the account and everything in it (the password first); every session ends."""
    request.app.state.accounts.delete(me, password=body.password, confirm_email=body.confirm_email)
    sign_out(request)
    return {"deleted": me.email}
