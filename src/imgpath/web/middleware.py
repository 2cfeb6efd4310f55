"""Two small ASGI middlewares: request bodies capped while they stream in, and the headers every
response carries (security headers, cache rules, and the session and CSRF cookies that the
handlers asked for through ``request.state``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "BodyTooLargeError", "ResponseHeaders", "cookie_header"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")  # fmt: skip
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
"""Swagger UI sets style attributes (no script is allowed inline, even there)."""
HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


class BodyTooLargeError(HTTPException):
    """A request body over the limit (413), raised while it streams in; the app's error
    handler words it (JSON under /api, a page elsewhere)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request is larger than {limit:,} bytes; send less at a time")


class BodyLimit:
    """Refuse a body over ``limit(path)`` bytes with 413: at once when Content-Length says so,
    else as soon as the streamed bytes pass it, so nothing past the limit is held in memory."""

    def __init__(self, app: ASGIApp, limit: Callable[[str], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        trusted = declared.isdigit() and len(declared) < 19  # h11 holds the body to this length
        seen = int(declared) if trusted else 0

        async def counted() -> Message:
            nonlocal seen
            if seen > limit:
                raise BodyTooLargeError(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += 0 if trusted else len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLargeError(limit)
            return message

        await self.app(scope, counted, send)


def cookie_header(name: str, value: str, *, max_age: int, secure: bool) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure when asked (``max_age`` 0 deletes)."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax", f"Max-Age={max_age}"]
    if max_age == 0:
        parts.append("Expires=Thu, 01 Jan 1970 00:00:00 GMT")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


class ResponseHeaders:
    """Security headers on every response; ``Cache-Control: no-store`` on everything but the
    static files (pages, API answers and downloads hold personal data); and the cookies the
    handlers set in ``request.state.cookies`` (a list of Set-Cookie values)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        path: str = scope["path"]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in HEADERS.items():
                    headers[key] = value
                headers["content-security-policy"] = DOCS_CSP if path == "/api/docs" else CSP
                if path.startswith("/static/"):
                    headers["cache-control"] = "public, max-age=3600"
                else:
                    headers["cache-control"] = "no-store"
                    headers["pragma"] = "no-cache"
                for cookie in state.get("cookies", []):
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, with_headers)
