"""``imgpath odds``: how many programs to apply to, as a funnel from applications to the Match."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from imgpath.cli.dates import parse_day
from imgpath.cli.market import DaskAddress, Execution, Executor, Ticker, Workers, executor_from
from imgpath.cli.progress import DelayedProgress, compiling
from imgpath.cli.render import dump_json
from imgpath.errors import InvalidInputError
from imgpath.market import DEFAULT_APPLICATIONS, DEFAULT_YEAR, funnel_plot, odds_answer_for_profile

__all__ = ["odds_command"]


def _numbers(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(x) for x in text.replace(" ", "").split(",") if x)
    except ValueError:
        msg = (
            f"--applications {text!r}: give numbers of programs separated by commas, e.g. 20,40,80"
        )
        raise InvalidInputError(msg) from None
    if not values:
        msg = "--applications: give at least one number"
        raise InvalidInputError(msg)
    return values


def odds_command(
    profile: Annotated[
        str, typer.Argument(metavar="PROFILE", help="Your profile (as for imgpath plan).")
    ],
    applications: Annotated[
        str,
        typer.Option(
            "--applications",
            "-n",
            metavar="N,...",
            help="Numbers of programs you might apply to (one row each).",
        ),
    ] = ",".join(map(str, DEFAULT_APPLICATIONS)),
    specialty: Annotated[
        str | None,
        typer.Option(
            "--specialty",
            "-s",
            help="A specialty (part of a name). Default: the profile's, else your type's most wanted.",
        ),
    ] = None,
    runs: Annotated[int, typer.Option(min=1, max=1000, help="Simulated national Matches.")] = 20,
    year: Annotated[
        int, typer.Option("--year", help="The Match year's model (2025 or 2026).")
    ] = DEFAULT_YEAR,
    kind: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="Override the applicant type (us_md_senior, us_do_senior, us_img, non_us_img, prior_graduate).",
        ),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", metavar="FILE", help="Change the model first (what if?)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="Read the profile as of this day.")
    ] = None,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", metavar="FILE", help="Draw the funnel (.png or .svg)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    executor: Executor = Execution.process,
    workers: Workers = None,
    dask: DaskAddress = None,
) -> None:
    """How many programs to apply to: for each number of applications, the interviews you can
    expect, your chance of matching (each with a range) and the ERAS fees, beside the national
    match rate of your applicant type.

    Applications lead to interviews at the rate public figures give for your applicant type
    (only at programs sponsoring a visa open to you, if you need one); interviews lead to a
    Match in simulated national Matches calibrated to NRMP's results by applicant type. What
    is assumed and what is not modelled is printed with the answer. Not a forecast.

    The simulated Matches are built once (a minute or two on first use, with progress) and then
    shared: later questions take about a second.

    Examples:

      imgpath odds me.yaml

      imgpath odds me.yaml -s "family medicine" -n 40,80,120 --plot funnel.png
    """
    day = parse_day(on)
    pool = executor_from(executor, workers, dask)
    try:
        with compiling("odds", spinner=False), DelayedProgress() as bar:
            answer = odds_answer_for_profile(profile, on=day, applications=_numbers(applications), specialty=specialty,
                                             kind=kind, runs=runs, seed=seed, year=year, scenario=scenario,
                                             executor=pool, progress=Ticker(bar, "building simulated Matches"))  # fmt: skip
    finally:
        pool.close()
    data = answer.to_dict()
    if plot is not None:
        funnel_plot(data, plot)
    if json_output:
        sys.stdout.write(dump_json(data))
        return
    render_answer(data, Console(highlight=False))
    if plot is not None:
        Console(highlight=False).print(f"wrote {plot}")


def render_answer(data: dict[str, Any], console: Console) -> None:
    """The answer as text: person, funnel table, national rate, figures, assumptions, gaps."""
    person = data["person"]
    console.print(
        f"[bold]Your odds[/] as a {person['label']} in {data['specialty']} "
        f"({data['runs']} simulated national Matches, {data['model_year']} model, as of {data['as_of']})"
    )
    for note in person["notes"]:
        console.print(f"  - {note}")
    table = Table(title="Applications -> interviews -> Match", title_justify="left")
    for column in (
        "applications",
        "usable",
        "interviews (range)",
        "chance of matching (range)",
        "ERAS fees",
    ):
        table.add_column(column, justify="right")
    for row in data["rows"]:
        lo, hi = row["interviews_range"]
        plo, phi = row["p_match_range"]
        fee = "unknown" if row["eras_fee_usd"] is None else f"${row['eras_fee_usd']:,.0f}"
        table.add_row(str(row["applications"]), str(row["usable_applications"]),
                      f"{row['interviews']:.1f} ({lo:.1f}-{hi:.1f})",
                      f"{row['p_match']:.0%} ({plo:.0%}-{phi:.0%})", fee)  # fmt: skip
    console.print(table)
    national = data["national"]
    published = "not published" if national["published"] is None else f"{national['published']:.1%}"
    slo, shi = national["simulated_interval_90"]
    console.print(
        f"National rate, {national['label']}, NRMP {national['year']}: [bold]{published}[/] "
        f"(simulated {national['simulated']:.1%}, {slo:.1%}-{shi:.1%}). Source: {national['source']}"
    )
    curve = ", ".join(
        f"{c['interviews']}: {c['p_match']:.0%}"
        for c in data["by_interviews"]
        if c["interviews"] in (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20)
    )
    console.print(f"Chance of matching by interviews (programs on your list): {curve}")
    console.print("\n[bold]Figures used[/]")
    for fig in data["figures"]:
        flag = " [yellow](needs confirmation)[/]" if fig["grade"] in ("L", "U") else ""
        console.print(
            f"  - {fig['what']}: {fig['value']:g} (grade {fig['grade']}){flag}. {fig['source']}"
        )
    console.print("[bold]Assumed[/]")
    for line in data["assumptions"]:
        console.print(f"  - {line}")
    console.print("[bold]Not modelled[/]")
    for line in data["not_modelled"]:
        console.print(f"  - {line}")
    console.print(
        "[dim]Chances in simulated Matches, not a forecast: docs/explanation/simulation-and-odds.md.[/]"
    )
