"""How pages answer: a rendered template (with this request's CSRF token), or a redirect."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from imgpath.web.security import csrf_token

__all__ = ["render", "see_other"]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("me", None)
    context["csrf"] = csrf_token(request)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
