"""Who is signed in (a server-side session found by the cookie's token), CSRF, and the client's
address (X-Forwarded-For believed only from configured proxies).

* The session cookie holds a random token; ``Accounts.session`` finds the live session by its
  hash (expired, idle, ended or deleted accounts find none: 401).
* CSRF: a signed-in request must send its session's token (``X-CSRF-Token`` header or a
  ``csrf_token`` form field); before sign-in, the forms carry a signed double-submit token that
  must match the ``imgpath_csrf`` cookie (so sign-in and sign-up forms cannot be posted from
  another site either).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from imgpath.errors import AuthenticationError
from imgpath.services.accounts import Account, Session
from imgpath.web.errors import CsrfError
from imgpath.web.middleware import cookie_header

__all__ = [
    "SAFE_METHODS",
    "check_csrf",
    "client_address",
    "csrf_token",
    "current_account",
    "current_session",
    "sign_in",
    "sign_out",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NONE = object()


def _names(request: Request) -> tuple[str, str]:
    """Cookie names; with HTTPS, the ``__Host-`` prefix pins them to this host and path /."""
    prefix = "__Host-" if request.app.state.settings.secure_cookies else ""
    return f"{prefix}imgpath_session", f"{prefix}imgpath_csrf"


def _set_cookie(request: Request, name: str, value: str, max_age: int) -> None:
    secure = request.app.state.settings.secure_cookies
    cookies: list[str] = request.scope.setdefault("state", {}).setdefault("cookies", [])
    cookies.append(cookie_header(name, value, max_age=max_age, secure=secure))


def client_address(request: Request) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy, the nearest
    X-Forwarded-For entry that is not itself a trusted proxy."""
    peer = request.client.host if request.client else ""
    trusted = request.app.state.settings.trusted_proxies
    if not trusted:
        return peer

    def is_trusted(text: str) -> bool:
        try:
            address = ipaddress.ip_address(text.strip())
        except ValueError:
            return False
        return any(address in network for network in trusted)

    if not is_trusted(peer):
        return peer
    chain = [
        part.strip()
        for part in request.headers.get("x-forwarded-for", "").split(",")
        if part.strip()
    ]
    for hop in reversed(chain):
        if not is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer


def current_session(request: Request) -> Session | None:
    """The signed-in session of this request, or None (looked up once per request)."""
    cached = getattr(request.state, "session", _NONE)
    if cached is None or isinstance(cached, Session):
        return cached
    token = request.cookies.get(_names(request)[0], "")
    session: Session | None = request.app.state.accounts.session(token) if token else None
    if token and session is None:
        _set_cookie(request, _names(request)[0], "", 0)  # a dead cookie: drop it
    request.state.session = session
    return session


def current_account(request: Request) -> Account:
    session = current_session(request)
    if session is None:
        msg = "sign in first"
        raise AuthenticationError(msg)
    return session.account


def _anonymous_token(request: Request, *, create: bool) -> str:
    """The pre-sign-in CSRF token: random + "." + its HMAC, kept in a cookie."""
    key = request.app.state.key.encode()
    cookie = request.cookies.get(_names(request)[1], "")
    value, _, signature = cookie.partition(".")
    good = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]
    if value and hmac.compare_digest(signature, good):
        return cookie
    if not create:
        return ""
    made = getattr(request.state, "anonymous_csrf", "")
    if not made:
        value = secrets.token_urlsafe(24)
        made = f"{value}.{hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]}"
        request.state.anonymous_csrf = made
        _set_cookie(request, _names(request)[1], made, 24 * 3600)
    return str(made)


def csrf_token(request: Request) -> str:
    """The token this request's forms must send back."""
    session = current_session(request)
    if session is not None:
        return session.csrf
    return _anonymous_token(request, create=True)


async def check_csrf(request: Request) -> None:
    """Changes need the token, in the X-CSRF-Token header or a csrf_token form field."""
    if request.method in SAFE_METHODS:
        return
    session = await run_in_threadpool(current_session, request)
    expected = session.csrf if session is not None else _anonymous_token(request, create=False)
    given = request.headers.get("x-csrf-token", "")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = str((await request.form()).get("csrf_token", ""))
    if not expected or not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        msg = "the form or request is missing this session's CSRF token; reload the page and try again"
        raise CsrfError(msg)


def sign_in(request: Request, account: Account) -> Session:
    """Start a new session (a fresh token: no session fixation) and set its cookie."""
    old = current_session(request)
    if old is not None:
        request.app.state.accounts.end_session(old.id)
    token: str
    session: Session
    token, session = request.app.state.accounts.start_session(
        account, user_agent=request.headers.get("user-agent", ""), client=client_address(request)
    )
    settings = request.app.state.settings
    _set_cookie(request, _names(request)[0], token, int(settings.session_hours * 3600))
    request.state.session = session
    return session


def sign_out(request: Request) -> None:
    """End this session on the server and drop its cookie."""
    session = current_session(request)
    if session is not None:
        request.app.state.accounts.end_session(session.id)
    _set_cookie(request, _names(request)[0], "", 0)
    request.state.session = None


def session_info(request: Request) -> dict[str, Any]:
    """The current session as the API shows it."""
    session = current_session(request)
    if session is None:
        return {}
    return {"started": session.created_at.isoformat(), "expires": session.expires_at.isoformat()}
