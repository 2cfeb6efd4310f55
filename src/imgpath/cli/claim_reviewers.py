"""``imgpath programs claims reviewers``: appoint the accounts that accept or flag claims in the
web app (the catalog's operator runs these on the server's database)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from imgpath.catalog import ClaimDesk, open_catalog

__all__ = ["reviewers_app"]

reviewers_app = typer.Typer(
    help="Who reviews claims in the web app. A reviewer is an advisor or organisation account "
    "(the person signs up first); reviewers accept claims (they enter every applicant's fit) or "
    "flag them, and never review their own. Use the web app's database: the same "
    "$IMGPATH_DATABASE_URL or $IMGPATH_DATA_DIR as `imgpath serve`.",
    no_args_is_help=True,
)
Email = Annotated[str, typer.Argument(metavar="EMAIL", help="The account's email address.")]
Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        envvar="IMGPATH_DATABASE_URL",
        show_envvar=True,
        help="Database URL, e.g. sqlite:///imgpath.sqlite3.",
    ),
]


@reviewers_app.command("add")
def add_command(
    email: Email,
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="Who appoints.")] = "operator",
    db: Db = None,
) -> None:
    """Appoint the advisor or organisation account with EMAIL as a claim reviewer."""
    with open_catalog(db) as catalog:
        done = ClaimDesk.for_catalog(catalog).appoint(email, by=by, now=datetime.now(UTC))
    state = "is now a reviewer" if done["appointed"] else "was already a reviewer"
    sys.stdout.write(f"{done['email']} {state}\n")


@reviewers_app.command("remove")
def remove_command(email: Email, db: Db = None) -> None:
    """End the appointment of EMAIL (the claims they reviewed keep their review)."""
    with open_catalog(db) as catalog:
        gone = ClaimDesk.for_catalog(catalog).dismiss(email)
    sys.stdout.write(f"{email}: {'no longer a reviewer' if gone else 'was not a reviewer'}\n")


@reviewers_app.command("list")
def list_command(db: Db = None) -> None:
    """Every reviewer: email, name, role, who appointed them and when."""
    with open_catalog(db) as catalog:
        rows = ClaimDesk.for_catalog(catalog).list_reviewers()
    lines = [f"{len(rows)} reviewer(s)"]
    lines += [f"  {r['email']} ({r['role']}{', ' + r['name'] if r['name'] else ''}): appointed by "
              f"{r['appointed_by']} on {r['appointed_at'][:10]}" for r in rows]  # fmt: skip
    sys.stdout.write("\n".join(lines) + "\n")
