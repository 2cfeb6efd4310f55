"""Running the app: one process or several (uvicorn workers), and the odds-queue worker.

Settings are read and checked first (a bad one stops here with a message naming the
variable); each uvicorn worker process builds the app again from the same environment.
Forwarded headers are not trusted by uvicorn: ``web.security.client_address`` believes
X-Forwarded-For only from IMGPATH_TRUSTED_PROXIES.
"""

from __future__ import annotations

import os
import signal
import threading
from datetime import date
from typing import Any, TextIO

__all__ = ["run_worker", "serve"]


def _warm(out: TextIO, *, runs: int, scale: float) -> None:
    """Compile (or load) the engines before listening, saying so: no user waits on a compile;
    then start building the stored simulated Matches for odds in the background (with progress),
    so the first odds run reads them instead of building them."""
    from imgpath.services.engine_warmup import is_compiled, warm_engines

    how = "loading" if is_compiled() else "compiling once per install, about a minute"
    out.write(f"Preparing the Match engine and the odds simulation ({how})...\n")
    out.flush()

    def say(part: str) -> None:
        out.write(f"  {part}...\n")
        out.flush()

    timings = warm_engines(date.today(), progress=say)  # noqa: DTZ011 - the server's local day
    out.write(f"Engines ready in {sum(timings.values()):.1f} s\n")
    from imgpath.services.engine_warmup import warm_odds_markets

    def stored(done: int, total: int) -> None:
        out.write(f"  stored simulated Matches for odds: {done} of {total}\n")
        out.flush()

    missing, _thread = warm_odds_markets(runs=runs, scale=scale, progress=stored)
    if missing:
        out.write(f"Building {missing} stored simulated Matches for odds in the background (once per "
                  "model; odds runs started meanwhile wait for them, with progress)\n")  # fmt: skip
    else:
        out.write(f"Stored simulated Matches for odds: all {runs} ready\n")


def serve(
    *, host: str, port: int, demo: bool, workers: int, out: TextIO, warm: bool = True
) -> None:
    import uvicorn

    from imgpath.services.workspace.demo_account import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo
    from imgpath.services.workspace.demo_organisation import (
        DEMO_ORGANISATION_EMAIL,
        DEMO_ORGANISATION_PASSWORD,
        ensure_demo_organisation,
    )
    from imgpath.settings import load_settings
    from imgpath.web.app import build_services

    # Links in emails must reach this server: unless IMGPATH_PUBLIC_URL says otherwise, they
    # point at the host and port served (every uvicorn worker reads the same environment).
    os.environ.setdefault("IMGPATH_PUBLIC_URL", served_url(host, port))
    settings = load_settings()
    services = build_services(settings)  # migrates the schema once, before any worker starts
    if demo:
        ensure_demo(services.accounts, services.workspace, tracker=services.tracker,
                    on=date.today())  # noqa: DTZ011  # fmt: skip
        ensure_demo_organisation(
            services.accounts,
            services.organisations,
            on=date.today(),  # noqa: DTZ011
        )
    services.close()
    if warm:
        _warm(out, runs=settings.odds_runs, scale=settings.odds_scale)
    out.write(f"imgpath is running at http://{host}:{port}/  (Ctrl+C to stop)\n")
    if demo:
        out.write(f"demo sign-in: {DEMO_EMAIL} / {DEMO_PASSWORD}\n")
        out.write(f"demo organisation: {DEMO_ORGANISATION_EMAIL} / {DEMO_ORGANISATION_PASSWORD}\n")
    if settings.mail_mode == "outbox":
        out.write(f"emails are written to {settings.resolved_outbox()} (links printed below)\n")
    out.flush()
    uvicorn.run("imgpath.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_config=log_config(), proxy_headers=False, server_header=False)  # fmt: skip


def served_url(host: str, port: int) -> str:
    """The address a person on this machine reaches ``host:port`` at (``0.0.0.0`` and ``::``
    listen everywhere: links use 127.0.0.1)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def log_config() -> dict[str, object]:
    """uvicorn's logging, quiet (warnings), plus imgpath's security events (INFO) on stderr."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    for name in ("uvicorn", "uvicorn.error"):
        config["loggers"].setdefault(name, {})["level"] = "WARNING"
    config["loggers"]["uvicorn.access"] = {"handlers": [], "level": "WARNING", "propagate": False}
    config["formatters"]["events"] = {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}
    config["handlers"]["events"] = {"formatter": "events", "class": "logging.StreamHandler",
                                    "stream": "ext://sys.stderr"}  # fmt: skip
    config["loggers"]["imgpath"] = {"handlers": ["events"], "level": "INFO", "propagate": False}
    return config


def run_worker(*, concurrency: int | None, out: TextIO) -> None:
    from imgpath.settings import load_settings
    from imgpath.web.app import build_services

    settings = load_settings()
    services = build_services(settings)
    worker = services.worker()
    if concurrency:
        worker.concurrency = concurrency
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker.start()
    out.write(
        f"imgpath worker: running odds jobs ({worker.concurrency} at a time); Ctrl+C to stop\n"
    )
    out.flush()
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    worker.stop(wait=True)
    services.close()
