"""``imgpath match``: run the Match on a file of rank lists."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from imgpath.cli.files import write_output
from imgpath.cli.progress import compiling
from imgpath.cli.render import dump_json, match_csv, match_table, terminal_console
from imgpath.match import NRMP_MAX_RANKS, Limits, match_file

__all__ = ["OutputFormat", "match_command"]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def match_command(
    instance: Annotated[
        str,
        typer.Argument(
            metavar="INSTANCE",
            help="A Match instance in JSON or YAML (docs/reference/instance-format.md), "
            "or '-' to read it from standard input.",
        ),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="table: a summary and the matches; json: everything, for programs "
            "(keys matches, supplemental_matches, unfilled, stable, blocking_pairs, stats); "
            "csv: one line per applicant.",
        ),
    ] = OutputFormat.table,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="ID",
            help="Tell applicant ID's story: each program on their list, whether it ranked them, "
            "and who it matched instead.",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, help="Seed for the order couples are retried in (results repeat).")
    ] = 0,
    attempts: Annotated[
        int,
        typer.Option(
            min=1,
            max=1000,
            help="Couple orders to try before the exact repair (which finds a stable matching "
            "or proves there is none, within its time bound).",
        ),
    ] = 8,
    max_ranks: Annotated[
        int, typer.Option(min=1, help="Longest rank list allowed (NRMP: 300).")
    ] = NRMP_MAX_RANKS,
    limit: Annotated[
        int, typer.Option(min=0, help="Rows of matches in the table (0 for all).")
    ] = 50,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Run the NRMP Match (Roth–Peranson) on INSTANCE and audit the result.

    The engine handles couples, supplemental PGY-1 lists for advanced positions, and reversions.
    Every result is checked for stability. When couple orders do not settle, an exact model
    (OR-Tools CP-SAT) repairs the matching or proves that no stable one exists; otherwise the
    output lists the blocking pairs and says whether the question is undecided.

    Examples:

      imgpath match market.json

      imgpath match market.yaml --explain ana --format json -o result.json

      cat market.json | imgpath match - --format csv
    """
    with compiling("match"):
        run = match_file(instance, seed=seed, attempts=attempts, limits=Limits(max_ranks),
                         explain_applicant=explain)  # fmt: skip
    if output_format is OutputFormat.json:
        data = run.result.to_dict()
        if run.explanation is not None:
            data["explanation"] = run.explanation.to_dict()
        text = dump_json(data)
    elif output_format is OutputFormat.csv:
        text = match_csv(run.result)
        if run.explanation is not None:
            Console(stderr=True, highlight=False).print(run.explanation.text(), markup=False)
    else:
        console = terminal_console(to_file=output is not None)
        match_table(run.result, console, limit=limit)
        if run.explanation is not None:
            console.print()
            console.print(run.explanation.text(), markup=False)
        text = console.file.getvalue()  # type: ignore[attr-defined]
    write_output(text, output)
