"""``imgpath costs``: what an application season costs, line by line, with sources and dates."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from imgpath.cli.dates import parse_day
from imgpath.cli.render import dump_json
from imgpath.pathway import application_costs

__all__ = ["costs_command"]


def costs_command(
    programs: Annotated[
        int, typer.Option("--programs", "-n", min=1, max=1000, help="Programs you will apply to.")
    ],
    specialties: Annotated[
        int,
        typer.Option(
            "--specialties",
            "-k",
            min=1,
            max=10,
            help="Specialties they span (ERAS counts restart per specialty).",
        ),
    ] = 1,
    ranks: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=300,
            help="Programs you will rank (default: as many as you apply to, at most 300).",
        ),
    ] = None,
    exams: Annotated[
        bool, typer.Option("--exams", help="Add the exam and ECFMG fees an IMG pays once.")
    ] = False,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="Use the fees in force on this day.")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of text.")
    ] = False,
) -> None:
    """The fees of an application season: ERAS (per program and specialty), the ECFMG token,
    the USMLE transcript, NRMP registration and extra ranks; with --exams also USMLE, ECFMG,
    Pathway and OET fees. Each line gives its source rule and the date it was last confirmed;
    amounts nobody has published are shown as unknown, never guessed.

    Examples:

      imgpath costs --programs 120

      imgpath costs -n 50 -k 2 --ranks 40 --exams
    """
    estimate = application_costs(
        programs=programs, specialties=specialties, ranks=ranks, exams=exams, on=parse_day(on)
    )
    if json_output:
        sys.stdout.write(dump_json(estimate.to_dict()))
        return
    lines = []
    for line in estimate.lines:
        amount = "unknown" if line.amount is None else f"${line.amount:,.0f}"
        check = ", needs confirmation" if line.needs_confirmation else ""
        note = f"; {line.note}" if line.note else ""
        lines.append(f"{line.item}: {amount}  (as of {line.as_of}{check}; {line.rule_id}{note})")
    unknown = f", plus {estimate.unknown} unknown" if estimate.unknown else ""
    lines.append(f"Total known: ${estimate.total:,.0f}{unknown}")
    lines.append("Sources: imgpath rules RULE_ID shows each rule with its links.")
    sys.stdout.write("\n".join(lines) + "\n")
