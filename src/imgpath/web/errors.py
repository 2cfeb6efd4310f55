"""imgpath's errors as HTTP statuses, in one place; JSON for /api, a page for browsers."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from imgpath.errors import (
    AuthenticationError,
    EngineError,
    ImgpathError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from imgpath.services.accounts import FormError

__all__ = ["STATUSES", "CsrfError", "handle", "status_of"]


class CsrfError(ImgpathError):
    """A form or API call without this session's CSRF token."""


STATUSES: dict[type[ImgpathError], int] = {
    InvalidInputError: 422,
    NotFoundError: 404,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    CsrfError: 403,
    RateLimitedError: 429,
    EngineError: 500,
}


def status_of(error: ImgpathError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUSES:
            return STATUSES[kind]
    return 500


def body(error: ImgpathError) -> dict[str, Any]:
    out: dict[str, Any] = {"error": type(error).__name__, "message": str(error)}
    if isinstance(error, FormError):
        out["fields"] = error.by_field()
    return out


async def handle(request: Request, error: Exception) -> Response:
    assert isinstance(error, ImgpathError)
    status = status_of(error)
    headers = (
        {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimitedError) else None
    )
    if request.url.path.startswith("/api"):
        return JSONResponse(body(error), status_code=status, headers=headers)
    if isinstance(error, AuthenticationError) and request.method == "GET":
        return RedirectResponse("/signin", status_code=303)
    templates = request.app.state.templates
    page: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": str(error)},
        status_code=status,
        headers=headers,
    )
    return page
