"""``imgpath plan``: where an IMG stands today and what comes next."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from imgpath.cli.dates import parse_day
from imgpath.cli.files import write_output
from imgpath.core import csv_safety
from imgpath.errors import InvalidInputError

__all__ = ["PlanFormat", "plan_command"]


class PlanFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def plan_command(
    profile: Annotated[
        str | None,
        typer.Argument(
            metavar="PROFILE",
            help="Your profile in JSON or YAML (docs/reference/profile.md), or '-' for standard input.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", metavar="DATE", help="Evaluate as of this day (YYYY-MM-DD); default today."
        ),
    ] = None,
    output_format: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (to read), markdown (to share), json (for programs; a stable schema).",
        ),
    ] = PlanFormat.text,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            metavar="FILE",
            help="Plan a cohort: a CSV (one person per row) or JSON Lines file (one profile per line). "
            "Prints one summary line per person.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here; with --batch, the summary CSV."),
    ] = None,
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            metavar="DATE",
            help="Also list the rules that began, ended or changed since DATE (YYYY-MM-DD) and "
            "touch you: a policy alert (new travel bans, fees, laws, court rulings).",
        ),
    ] = None,
) -> None:
    """Where you stand on the way to a US (or UK, Canadian) licence, and what comes next.

    Every statement cites the rule it rests on; rules from weak or unverified sources are marked
    "needs confirmation". What your profile leaves out becomes a question, never a guess.

    Examples:

      imgpath plan me.yaml

      imgpath plan me.yaml --on 2026-01-01 --format json

      imgpath plan me.yaml --changes-since 2026-01-01

      imgpath plan --batch cohort.csv -o summary.csv
    """
    from imgpath.pathway import plan_file, to_markdown, to_text  # the engine: only when it runs

    day = parse_day(on)
    since = _since(changes_since)
    if batch is not None:
        if since is not None:
            msg = "--changes-since is for one profile; it cannot be combined with --batch"
            raise InvalidInputError(msg)
        _batch(batch, day, output)
        return
    if profile is None:
        msg = "give a PROFILE file (or --batch FILE for a cohort); see imgpath plan --help"
        raise InvalidInputError(msg)
    report = plan_file(profile, on=day, changes_since=since)
    if output_format is PlanFormat.json:
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif output_format is PlanFormat.markdown:
        text = to_markdown(report)
    else:
        text = to_text(report)
    write_output(text, output)


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        msg = f"--changes-since {value!r}: not a date; write it as YYYY-MM-DD"
        raise InvalidInputError(msg) from None


def _batch(path: Path, day: date, output: Path | None) -> None:
    """One line per person for the reader, and the summary CSV for the spreadsheet.

    The CSV goes to ``--output`` or standard output; the lines go to the other stream (standard
    error when the CSV takes standard output), written plainly: 10,000 lines through a rich
    console would take longer than planning the people.
    """
    from imgpath.pathway import SUMMARY_COLUMNS, plan_batch, summary

    buffer = io.StringIO()
    writer = csv_safety.dict_writer(
        buffer, SUMMARY_COLUMNS, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    lines = sys.stderr if output is None else sys.stdout
    invalid = 0
    for row in plan_batch(path, on=day):
        line = summary(row)
        writer.writerow(line)
        who = row.id or f"row {row.row}"
        if line["valid"]:
            lines.write(
                f"{who}: {line['img']}; next {line['next_step']} ({line['next_status']}); "
                f"{line['blocked_steps']} blocked; {line['questions']} question(s)\n"
            )
        else:
            invalid += 1
            named = f" ({row.id})" if row.id else ""
            lines.write(f"{path}: row {row.row}{named}: {row.problems}\n")
    write_output(buffer.getvalue(), output)
    if invalid:
        msg = f"{path}: {invalid} row(s) could not be planned (see their problems above; the others were planned)"
        raise InvalidInputError(msg)
