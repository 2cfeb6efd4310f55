"""imgpath's errors as HTTP statuses, in one place: JSON for /api, a page for browsers.

Every JSON error has one shape, ``{"error", "message", "fields"}``: ``fields`` maps each field
named to what is wrong with it (empty when no field is at fault).  Nothing the client sent is
echoed back (no ``input`` of FastAPI's validation errors: it could be a password).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from imgpath.errors import (
    AuthenticationError,
    BusyError,
    CsrfError,
    EngineError,
    FormError,
    ImgpathError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)

__all__ = ["STATUSES", "CsrfError", "handle", "handle_http", "status_of"]


STATUSES: dict[type[ImgpathError], int] = {
    InvalidInputError: 422,
    NotFoundError: 404,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    CsrfError: 403,
    RateLimitedError: 429,
    BusyError: 503,
    EngineError: 500,
}
_NAMES = {400: "BadRequest", 404: "NotFoundError", 405: "MethodNotAllowed", 413: "PayloadTooLarge",
          415: "UnsupportedMediaType"}  # fmt: skip


def status_of(error: ImgpathError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUSES:
            return STATUSES[kind]
    return 500


def body(error: ImgpathError) -> dict[str, Any]:
    fields = error.by_field() if isinstance(error, FormError) else {}
    return {"error": type(error).__name__, "message": str(error), "fields": fields}


def _retry(error: Exception) -> dict[str, str] | None:
    if isinstance(error, RateLimitedError | BusyError):
        return {"Retry-After": str(error.retry_after)}
    return None


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


async def handle(request: Request, error: Exception) -> Response:
    assert isinstance(error, ImgpathError)
    status = status_of(error)
    if _is_api(request):
        return JSONResponse(body(error), status_code=status, headers=_retry(error))
    if isinstance(error, AuthenticationError) and request.method == "GET":
        return RedirectResponse("/signin", status_code=303)
    return error_page(request, status, str(error), _retry(error))


def validation_fields(error: RequestValidationError) -> dict[str, str]:
    """Each bad field by name (``limit``, ``email``, ``dates.applied``), with FastAPI's message."""
    out: dict[str, str] = {}
    for item in error.errors():
        loc = [
            str(p)
            for p in item.get("loc", ())
            if p not in ("body", "query", "path", "header", "cookie")
        ]
        name = ".".join(loc) or "body"
        out.setdefault(name, str(item.get("msg", "is not valid")).removeprefix("Value error, "))
    return out


async def handle_http(request: Request, error: Exception) -> Response:
    """Malformed requests and unknown addresses: the same shape as every other error."""
    if isinstance(error, RequestValidationError):
        fields = validation_fields(error)
        message = "; ".join(f"{k}: {v}" for k, v in fields.items())
        if _is_api(request):
            return JSONResponse({"error": "InvalidInputError", "message": message, "fields": fields},
                                status_code=422)  # fmt: skip
        return error_page(request, 422, f"This address or form has a bad value ({message}).", None)
    assert isinstance(error, HTTPException)
    status = error.status_code
    message = {404: "There is no page at this address.", 413: str(error.detail)}.get(
        status, str(error.detail)
    )
    if status == 413 and error.detail == "Content Too Large":
        limit = request.app.state.body_limit(request.url.path)
        message = f"the request is larger than {limit:,} bytes; send less at a time"
    if _is_api(request):
        name = _NAMES.get(status, "HTTPError")
        return JSONResponse({"error": name, "message": message, "fields": {}}, status_code=status,
                            headers=error.headers)  # fmt: skip
    return error_page(request, status, message, error.headers)


async def handle_unexpected(request: Request, error: Exception) -> Response:
    """A bug: a plain 500 without details (they go to the server's log)."""
    del error
    if _is_api(request):
        return JSONResponse({"error": "InternalError", "message": "something went wrong on our side",
                             "fields": {}}, status_code=500)  # fmt: skip
    return error_page(request, 500, "Something went wrong on our side.", None)


def error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None
) -> Response:
    from imgpath.web.viewer import signed_in  # security imports this module

    me = signed_in(request)  # the signed-in menu stays on error pages
    context = {"status": status, "message": message, "me": me, "csrf": _csrf(request) if me else ""}
    page: Response = request.app.state.templates.TemplateResponse(
        request, "error.html", context,
        status_code=status, headers=headers,
    )  # fmt: skip
    return page


def _csrf(request: Request) -> str:
    from imgpath.web.security import csrf_token

    try:
        return csrf_token(request)
    except Exception:  # noqa: BLE001 - an error page never fails on its sign-out button
        return ""
