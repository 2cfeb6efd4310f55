"""Typed FastAPI dependencies shared by the API and the pages.

Handlers are plain ``def`` functions, so FastAPI runs them in its thread pool: password hashing,
database writes and document parsing never block the event loop.  Only the form is read
asynchronously, by :func:`form_data`, before the handler runs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.responses import Response

from imgpath.errors import Problem
from imgpath.services.accounts import Account
from imgpath.services.inputs import FormError, text_problems
from imgpath.web.security import check_csrf, current_account

__all__ = [
    "Csrf",
    "Form",
    "Me",
    "RowId",
    "UserId",
    "clean_parameters",
    "download",
    "form_data",
    "today",
]

RowId = Annotated[int, Path(ge=1, le=2_147_483_647, description="a record's id")]
UserId = Annotated[
    int | None,
    Query(ge=1, le=2_147_483_647, description="an applicant who shared with you (advisors)"),
]
"""Ids as the database stores them (32-bit); anything else is refused with 422, not a 500."""
Me = Annotated[Account, Depends(current_account)]
Csrf = Depends(check_csrf)


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form's text fields (files are read by their own handlers), each checked for
    NUL and lone surrogates so that no form value reaches the database unchecked."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return {}
    out = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    problems: list[Problem] = []
    for key, value in out.items():
        problems += [p for p in text_problems(value, key[:60], most=1_000_000, single_line=False)
                     if "control" not in p.message]  # fmt: skip
    if problems:
        raise FormError(problems)
    return out


Form = Annotated[dict[str, str], Depends(form_data)]


def clean_parameters(request: Request) -> None:
    """Path and query values with NUL or lone surrogates are a 422 naming the parameter (they
    would otherwise reach the database: PostgreSQL refuses NUL with an error)."""
    problems: list[Problem] = []
    for key, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if isinstance(value, str):
            problems += [p for p in text_problems(value, str(key)[:60], most=10_000, single_line=False)
                         if "control" not in p.message]  # fmt: skip
    if problems:
        raise FormError(problems)


def today(request: Request) -> date:
    pinned: date | None = request.app.state.today
    return pinned or date.today()  # noqa: DTZ011 - the web edge owns the clock


def download(body: bytes | str, media_type: str, filename: str) -> Response:
    """A file the browser saves rather than shows (CSV, calendar, JSON export), with a safe name:
    letters, digits, dot, dash and underscore only (RFC 6266 ``filename``)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    safe = safe.lstrip(".") or "download"
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{safe[:100]}"'})  # fmt: skip


def services(request: Request) -> Any:
    return request.app.state
