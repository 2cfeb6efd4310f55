"""Typed FastAPI dependencies shared by the API and the pages.

Handlers are plain ``def`` functions, so FastAPI runs them in its thread pool: password hashing,
database writes and document parsing never block the event loop.  Only the form is read
asynchronously, by :func:`form_data`, before the handler runs.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.responses import Response

from imgpath.errors import FormError, Problem
from imgpath.services.accounts import Account, Accounts
from imgpath.services.catalog import Catalog
from imgpath.services.inputs import text_problems
from imgpath.services.workspace.couples import Couples
from imgpath.services.workspace.organisations import Organisations
from imgpath.services.workspace.season import Tracker
from imgpath.services.workspace.workspace import Workspace
from imgpath.settings import Settings
from imgpath.web.security import check_csrf, current_account

__all__ = [
    "AccountsDep",
    "CatalogDep",
    "CouplesDep",
    "Csrf",
    "Form",
    "Me",
    "OrganisationsDep",
    "RowId",
    "SeasonDep",
    "SettingsDep",
    "Today",
    "UserId",
    "WorkspaceDep",
    "accounts_of",
    "catalog_of",
    "clean_parameters",
    "couples_of",
    "download",
    "form_data",
    "organisations_of",
    "season_of",
    "settings_of",
    "today",
    "workspace_of",
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


async def clean_body(request: Request) -> None:
    """A JSON body whose text holds NUL or a lone surrogate anywhere is a 422 naming the field
    (before any model sees it; the services check again, field by field)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or "json" not in request.headers.get(
        "content-type", ""
    ):
        return
    raw = await request.body()
    if b"\\u0000" not in raw.lower() and b"\\ud" not in raw.lower() and b"\x00" not in raw:
        return
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return  # FastAPI answers malformed JSON itself
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack and len(problems) < 20:
        value, path = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k)) for k, v in value.items())
            problems += [
                p for k in value if isinstance(k, str) for p in _unstorable(k, path or "body")
            ]
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(value))
        elif isinstance(value, str):
            problems += _unstorable(value, path or "body")
    if problems:
        raise FormError(problems)


def _unstorable(value: str, field: str) -> list[Problem]:
    return [
        p
        for p in text_problems(value, field[:80], most=10**9, single_line=False)
        if "control" not in p.message
    ]


def today(request: Request) -> date:
    pinned: date | None = request.app.state.today
    return pinned or date.today()  # noqa: DTZ011 - the web edge owns the clock


def _services(request: Request) -> Any:
    """The app's services (``imgpath.web.app.Services``, built once by the composition root)."""
    return request.app.state.services


def settings_of(request: Request) -> Settings:
    settings: Settings = _services(request).settings
    return settings


def accounts_of(request: Request) -> Accounts:
    accounts: Accounts = _services(request).accounts
    return accounts


def workspace_of(request: Request) -> Workspace:
    workspace: Workspace = _services(request).workspace
    return workspace


def season_of(request: Request) -> Tracker:
    season: Tracker = _services(request).tracker
    return season


def catalog_of(request: Request) -> Catalog:
    catalog: Catalog = _services(request).catalog
    return catalog


def organisations_of(request: Request) -> Organisations:
    organisations: Organisations = _services(request).organisations
    return organisations


def couples_of(request: Request) -> Couples:
    couples: Couples = _services(request).couples
    return couples


Today = Annotated[date, Depends(today)]
"""The evaluation day: pinned in tests, else the real date (the web edge owns the clock)."""
SettingsDep = Annotated[Settings, Depends(settings_of)]
AccountsDep = Annotated[Accounts, Depends(accounts_of)]
WorkspaceDep = Annotated[Workspace, Depends(workspace_of)]
SeasonDep = Annotated[Tracker, Depends(season_of)]
CatalogDep = Annotated[Catalog, Depends(catalog_of)]
OrganisationsDep = Annotated[Organisations, Depends(organisations_of)]
CouplesDep = Annotated[Couples, Depends(couples_of)]


def download(body: bytes | str, media_type: str, filename: str) -> Response:
    """A file the browser saves rather than shows (CSV, calendar, JSON export), with a safe name:
    letters, digits, dot, dash and underscore only (RFC 6266 ``filename``)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    safe = safe.lstrip(".") or "download"
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{safe[:100]}"'})  # fmt: skip
