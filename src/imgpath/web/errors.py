"""imgpath's errors as HTTP statuses, in one place; JSON for /api, a page for browsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

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

__all__ = ["STATUSES", "CsrfError", "handle", "handle_http", "status_of"]


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
    return error_page(request, status, str(error), headers)


async def handle_http(request: Request, error: Exception) -> Response:
    """Unknown addresses and malformed query strings: FastAPI's JSON under /api, a page elsewhere."""
    if isinstance(error, RequestValidationError):
        if request.url.path.startswith("/api"):
            return await request_validation_exception_handler(request, error)
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()
        )
        return error_page(request, 422, f"This address has a bad value ({where}).", None)
    assert isinstance(error, HTTPException)
    if request.url.path.startswith("/api"):
        return await http_exception_handler(request, error)
    message = "There is no page at this address." if error.status_code == 404 else error.detail
    return error_page(request, error.status_code, message, error.headers)


def error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None
) -> Response:
    page: Response = request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "csrf": ""},
        status_code=status, headers=headers,
    )  # fmt: skip
    return page
