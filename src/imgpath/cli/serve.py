"""``imgpath serve``: the web app on this machine; ``imgpath worker``: an odds-queue worker."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from imgpath.extras import require_extra

__all__ = ["serve_command", "worker_command"]


def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Create the demo applicant and print its sign-in.")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (use PostgreSQL beyond 1).")
    ] = 1,
    warm: Annotated[
        bool,
        typer.Option(
            help="Compile (or load) the Match engine before serving, so no user waits on it."
        ),
    ] = True,
) -> None:
    """Run the web app (pages and the /api with its docs at /api/docs).

    Every setting is an IMGPATH_* environment variable (docs/reference/web.md#settings),
    checked before the server starts. The database is $IMGPATH_DATABASE_URL, else a SQLite
    file in $IMGPATH_DATA_DIR.

    Examples:

      imgpath serve --demo

      IMGPATH_DATABASE_URL=postgresql+psycopg://imgpath@db/imgpath imgpath serve --workers 4
    """
    require_extra("web")
    from imgpath.web.server import serve

    serve(host=host, port=port, demo=demo, workers=workers, out=sys.stdout, warm=warm)


def worker_command(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Odds runs at once (default $IMGPATH_ODDS_CONCURRENCY)."),
    ] = None,
) -> None:
    """Run odds jobs from the queue until stopped (Ctrl+C): for deployments that set
    IMGPATH_ODDS_WORKER=external so the server processes only serve pages.

    Example:

      IMGPATH_DATABASE_URL=postgresql+psycopg://imgpath@db/imgpath imgpath worker
    """
    require_extra("web")
    from imgpath.web.server import run_worker

    run_worker(concurrency=concurrency, out=sys.stdout)
