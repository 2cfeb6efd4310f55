"""Who is looking, when a page does not require signing in (rule pages, the landing page, error
pages): the signed-in account, or None.  Pages that need an account use ``deps.Me``."""

from __future__ import annotations

from fastapi import Request

from imgpath.services.accounts import Account
from imgpath.web.security import current_session

__all__ = ["HOME", "signed_in"]

HOME = {"applicant": "/pathway", "advisor": "/cohort", "organisation": "/organisation"}
"""Where each role lands after signing in (and on /)."""


def signed_in(request: Request) -> Account | None:
    """The account of this request's session, or None (never raises: an error page calls it)."""
    try:
        session = current_session(request)
    except Exception:  # noqa: BLE001 - a broken session must not break the error page showing it
        return None
    return session.account if session is not None else None
