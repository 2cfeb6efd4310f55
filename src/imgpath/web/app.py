"""The web app: ``create_app(settings)``; ``imgpath serve`` runs it with uvicorn.

Pages are rendered on the server (Jinja2) and made lively with htmx; the same use cases are
served as JSON under /api (OpenAPI at /api/docs).  Both go through ``services``: accounts,
workspace (which decides who may see what) and the catalog.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from imgpath.errors import ImgpathError
from imgpath.services.accounts import Accounts, SignInLimiter
from imgpath.services.catalog import open_catalog
from imgpath.services.tracker import Tracker
from imgpath.services.workspace import OddsSettings, Workspace
from imgpath.storage.accounts_store import AccountsStore
from imgpath.storage.tracker_store import TrackerStore
from imgpath.web import api, api_tracker, pages, pages_tracker
from imgpath.web.errors import handle, handle_http
from imgpath.web.settings import Settings

__all__ = ["create_app"]

HERE = Path(str(resources.files("imgpath").joinpath("web")))


def create_app(settings: Settings | None = None, *, today: date | None = None) -> FastAPI:
    """The app; ``today`` pins the evaluation day (tests), else each request uses the real date."""
    settings = settings or Settings.from_env()
    catalog = open_catalog(settings.database_url)
    store = AccountsStore(catalog.store.engine)
    workspace = Workspace(store, catalog, OddsSettings(settings.odds_runs, settings.odds_scale))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        workspace.close()

    app = FastAPI(
        title="imgpath",
        description="The applicant's workspace: profile, pathway, programs, odds. JSON under /api.",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.accounts = Accounts(
        store, SignInLimiter(settings.signin_attempts, settings.signin_window, time.monotonic)
    )
    app.state.workspace = workspace
    app.state.tracker = Tracker(TrackerStore(catalog.store.engine), workspace)
    app.state.today = today
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates = templates
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="imgpath_session",
        max_age=14 * 24 * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_exception_handler(ImgpathError, handle)
    app.add_exception_handler(HTTPException, handle_http)
    app.add_exception_handler(RequestValidationError, handle_http)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(api_tracker.router)
    app.include_router(pages.router)
    app.include_router(pages_tracker.router)
    return app
