"""``imgpath serve``: the web app on this machine."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

__all__ = ["serve_command"]


def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Create the demo applicant and print its sign-in.")
    ] = False,
) -> None:
    """Run the web app (pages and the /api with its docs at /api/docs).

    The database is $IMGPATH_DATABASE_URL, else a SQLite file in your data folder; see
    docs/reference/web.md for every setting.

    Examples:

      imgpath serve --demo

      IMGPATH_DATABASE_URL=postgresql+psycopg://imgpath@db/imgpath imgpath serve --host 0.0.0.0
    """
    import uvicorn

    from imgpath.services.demo_account import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo
    from imgpath.web.app import create_app

    app = create_app()
    if demo:
        ensure_demo(app.state.accounts, app.state.workspace, tracker=app.state.tracker,
                    on=date.today())  # noqa: DTZ011  # fmt: skip
    sys.stdout.write(f"imgpath is running at http://{host}:{port}/  (Ctrl+C to stop)\n")
    if demo:
        sys.stdout.write(f"demo sign-in: {DEMO_EMAIL} / {DEMO_PASSWORD}\n")
    sys.stdout.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning")
