"""Who is signed in, and CSRF: one token per session, checked on every change."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from imgpath.errors import AuthenticationError
from imgpath.services.accounts import Account
from imgpath.web.errors import CsrfError

__all__ = ["SAFE_METHODS", "check_csrf", "csrf_token", "current_account", "sign_in", "sign_out"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def check_csrf(request: Request) -> None:
    """Changes need the session's token, in the X-CSRF-Token header or a csrf_token form field."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf", "")
    given = request.headers.get("x-csrf-token", "")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = str((await request.form()).get("csrf_token", ""))
    if not expected or not hmac.compare_digest(str(expected), given):
        msg = "the form or request is missing this session's CSRF token; reload the page and try again"
        raise CsrfError(msg)


def current_account(request: Request) -> Account:
    user_id = request.session.get("user")
    if not isinstance(user_id, int):
        msg = "sign in first"
        raise AuthenticationError(msg)
    account: Account = request.app.state.accounts.get(user_id)
    return account


def sign_in(request: Request, account: Account) -> None:
    request.session.clear()  # a fresh session (and token) at sign-in: no session fixation
    request.session["user"] = account.id
    csrf_token(request)


def sign_out(request: Request) -> None:
    request.session.clear()
