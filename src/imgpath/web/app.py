"""The web app: ``create_app(settings)``; ``imgpath serve`` runs it with uvicorn.

Pages are rendered on the server (Jinja2) and made lively with htmx; the same use cases are
served as JSON under /api (OpenAPI at /api/docs).  Both go through ``services``: accounts,
workspace (which decides who may see what), the season tracker and the catalog.

This module is the composition root: settings → engine → stores → services → app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from imgpath.errors import ImgpathError
from imgpath.services.accounts import AccountPolicy, Accounts
from imgpath.services.catalog import Catalog, open_catalog
from imgpath.services.mail import Mailer, MailQueue, MailSettings
from imgpath.services.market_model import DEFAULT_YEAR
from imgpath.services.workspace import OddsSettings, SharingPolicy, Workspace
from imgpath.services.workspace.couples import Couples
from imgpath.services.workspace.odds_queue import OddsQueue, OddsWorker, QueueLimits
from imgpath.services.workspace.organisations import Organisations
from imgpath.services.workspace.season import Tracker
from imgpath.settings import Settings, load_settings, prepare_data_dir
from imgpath.storage.accounts_store import AccountsStore
from imgpath.storage.jobs_store import JobsStore
from imgpath.storage.organisations_store import CouplesStore, OrganisationsStore
from imgpath.storage.security_store import SecurityStore
from imgpath.storage.tracker_store import TrackerStore
from imgpath.web import (
    api,
    api_accounts,
    api_claims,
    api_couples,
    api_organisations,
    api_tracker,
    docs,
    pages,
    pages_accounts,
    pages_claims,
    pages_couples,
    pages_front,
    pages_odds,
    pages_organisations,
    pages_outcomes,
    pages_pathway,
    pages_support,
    pages_tracker,
)
from imgpath.web.deps import clean_body, clean_parameters, form_data
from imgpath.web.errors import handle, handle_http, handle_unexpected
from imgpath.web.middleware import BodyLimit, ResponseHeaders
from imgpath.web.page_help import doc_links, page_help

__all__ = ["Services", "build_services", "create_app"]

HERE = Path(str(resources.files("imgpath").joinpath("web")))
UPLOAD_PATHS = ("/api/applications/import", "/applications/import")
"""Routes whose body may be a CSV file (IMGPATH_MAX_UPLOAD_BYTES); the rest IMGPATH_MAX_BODY_BYTES."""


@dataclass
class Services:
    """Everything the web app and the worker use, built once from the settings."""

    settings: Settings
    catalog: Catalog
    accounts: Accounts
    workspace: Workspace
    tracker: Tracker
    queue: OddsQueue
    organisations: Organisations
    couples: Couples
    mail: MailQueue

    def worker(self) -> OddsWorker:
        return OddsWorker(
            self.queue, Workspace.run_odds, concurrency=self.settings.odds_concurrency
        )

    def close(self) -> None:
        self.mail.close()
        self.catalog.close()


def build_services(settings: Settings, *, echo_mail: bool = True) -> Services:
    """Engine, stores and services for ``settings`` (the schema is migrated on the way)."""
    if settings.sqlite_default or settings.mail_mode == "outbox":
        prepare_data_dir(settings.data_dir)
    catalog = open_catalog(settings.resolved_database_url())
    engine = catalog.store.engine
    store = AccountsStore(engine)
    mail = MailSettings(mode=settings.mail_mode, outbox=settings.resolved_outbox(), host=settings.smtp_host,
                        port=settings.smtp_port, tls=settings.smtp_tls, user=settings.smtp_user,
                        password=settings.smtp_password.get_secret_value(), sender=settings.mail_from,
                        echo=echo_mail)  # fmt: skip
    policy = AccountPolicy(session_hours=settings.session_hours, idle_minutes=settings.session_idle_minutes,
                           verify_hours=settings.verify_hours, reset_minutes=settings.reset_minutes,
                           share_pending_days=settings.share_pending_days,
                           signin_attempts=settings.signin_attempts, signin_window=settings.signin_window,
                           signin_max_delay=settings.signin_max_delay,
                           signups_per_hour=settings.signups_per_hour, public_url=settings.public_url,
                           mails_per_address=settings.mails_per_address_hour,
                           mails_per_client=settings.mails_per_client_hour)  # fmt: skip
    mail_queue = MailQueue()
    accounts = Accounts(
        store, SecurityStore(engine), Mailer(mail), policy, deliver=mail_queue.submit
    )
    queue = OddsQueue(JobsStore(engine), QueueLimits(per_user=settings.odds_jobs_per_user,
                                                     overall=settings.odds_queue_limit, keep=settings.odds_keep))  # fmt: skip
    workspace = Workspace(store, catalog, queue, OddsSettings(settings.odds_runs, settings.odds_scale),
                          reauthenticate=accounts.reauthenticate,
                          policy=SharingPolicy(pending_days=settings.share_pending_days,
                                               profile_max_bytes=settings.max_profile_bytes))  # fmt: skip
    tracker = Tracker(TrackerStore(engine), workspace)
    organisations = Organisations(OrganisationsStore(engine))
    couples = Couples(CouplesStore(engine), catalog, reauthenticate=accounts.reauthenticate)
    return Services(settings, catalog, accounts, workspace, tracker, queue, organisations, couples,
                    mail_queue)  # fmt: skip


class _Housekeeping:
    """Every few minutes: forget ended sessions, used or expired links, lapsed shares and old
    throttle counters (a daemon thread; any process may do it)."""

    def __init__(self, services: Services, every: float = 600.0) -> None:
        self.services = services
        self.every = every
        self.stop = threading.Event()

    def run(self) -> None:
        delay = min(60.0, self.every)
        while not self.stop.wait(delay):
            delay = self.every
            try:
                self.once()
            except Exception:
                logging.getLogger("imgpath").warning(
                    "housekeeping failed; trying again later", exc_info=True
                )

    def once(self) -> None:
        s, now = self.services, datetime.now(UTC)
        security = s.accounts.security
        security.purge_sessions(now, now - timedelta(minutes=s.settings.session_idle_minutes))
        security.purge_tokens(now)
        security.purge_counters(now - timedelta(seconds=max(s.settings.signin_window, 3600)))
        s.workspace.store.purge_shares(now)


def _install_edges(app: FastAPI, body_limit: Callable[[str], int]) -> None:
    """What every request passes through: the templates, the body limit and response headers,
    the error translations (``web/errors.py``) and the static files."""
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates.env.globals["page_help"] = page_help
    app.state.templates.env.globals["model_year"] = DEFAULT_YEAR  # the odds' Match model
    app.state.templates.env.filters["doc_links"] = doc_links
    app.add_middleware(BodyLimit, limit=body_limit)
    app.add_middleware(ResponseHeaders)
    app.add_exception_handler(ImgpathError, handle)
    app.add_exception_handler(HTTPException, handle_http)
    app.add_exception_handler(RequestValidationError, handle_http)
    app.add_exception_handler(Exception, handle_unexpected)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")


def create_app(settings: Settings | None = None, *, today: date | None = None,
               start_worker: bool | None = None) -> FastAPI:  # fmt: skip
    """The app; ``today`` pins the evaluation day (tests), else each request uses the real date.

    With ``IMGPATH_ODDS_WORKER=embedded`` (the default) the process also runs odds jobs;
    ``start_worker`` overrides that (tests).
    """
    settings = settings or load_settings()
    services = build_services(settings)
    worker = services.worker() if (start_worker if start_worker is not None
                                   else settings.odds_worker == "embedded") else None  # fmt: skip
    housekeeping = _Housekeeping(services)
    keeper = threading.Thread(target=housekeeping.run, name="imgpath-housekeeping", daemon=True)

    def close() -> None:
        housekeeping.stop.set()
        if keeper.is_alive():
            keeper.join(10)
        if worker is not None:
            worker.stop(wait=True)
        services.close()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        close()

    app = FastAPI(
        title="imgpath",
        description="The applicant's workspace: profile, pathway, programs, odds, the season "
        "tracker. JSON under /api; errors are {error, message, fields}.",
        docs_url=None,
        openapi_url="/api/openapi.json" if settings.api_docs else None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = services
    app.state.accounts = services.accounts
    app.state.workspace = services.workspace
    app.state.tracker = services.tracker
    app.state.organisations = services.organisations
    app.state.couples = services.couples
    app.state.key = settings.key()
    app.state.today = today
    app.state.close = close
    app.state.worker = worker

    def body_limit(path: str) -> int:
        return settings.max_upload_bytes if path in UPLOAD_PATHS else settings.max_body_bytes

    app.state.body_limit = body_limit
    _install_edges(app, body_limit)
    checked = [
        Depends(clean_parameters),
        Depends(clean_body),
        Depends(form_data),
    ]  # NUL, surrogates
    for router in (api_accounts.router, api.router, api_tracker.router, api_organisations.router,
                   api_couples.router, api_claims.router, pages_accounts.router, pages.router, pages_odds.router,
                   pages_tracker.router, pages_pathway.router, pages_support.router, pages_front.router,
                   pages_organisations.router, pages_couples.router, pages_claims.router,
                   pages_outcomes.router, pages_outcomes.api):  # fmt: skip
        app.include_router(router, dependencies=checked)
    if settings.api_docs:
        app.include_router(docs.router)
    if worker is not None:
        worker.start()
    keeper.start()
    return app
