"""How pages answer: a rendered template (with this request's CSRF token), or a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from imgpath.services.inputs import FormError
from imgpath.web.security import csrf_token

__all__ = ["changed", "render", "see_other"]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("me", None)
    context["csrf"] = csrf_token(request)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def changed(url: str, action: Callable[[], object],
            refused: Callable[[dict[str, str]], Response]) -> Response:  # fmt: skip
    """Run a form's change and redirect to ``url``; a refused change answers ``refused`` with
    the problems by field (the page again, status 422)."""
    try:
        action()
    except FormError as exc:
        return refused(exc.by_field())
    return see_other(url)
