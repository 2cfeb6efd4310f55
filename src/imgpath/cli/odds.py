"""``imgpath odds``: your chance of matching, by programs ranked and by specialty."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from imgpath.cli.dates import parse_day
from imgpath.cli.market import DaskAddress, Execution, Executor, Ticker, Workers, executor_from
from imgpath.cli.progress import DelayedProgress, compiling
from imgpath.cli.render import dump_json
from imgpath.errors import InvalidInputError
from imgpath.market import TYPE_NAMES, odds_for_profile, odds_plot

__all__ = ["odds_command"]


def _ranks(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(x) for x in text.replace(" ", "").split(",") if x)
    except ValueError:
        msg = f"--ranks {text!r}: give numbers of programs separated by commas, e.g. 1,3,5,10,15"
        raise InvalidInputError(msg) from None
    if not values:
        msg = "--ranks: give at least one number"
        raise InvalidInputError(msg)
    return values


def odds_command(
    profile: Annotated[
        str, typer.Argument(metavar="PROFILE", help="Your profile (as for imgpath plan).")
    ],
    runs: Annotated[int, typer.Option(min=1, max=10_000, help="Simulated national Matches.")] = 20,
    ranks: Annotated[
        str, typer.Option(metavar="K,...", help="Numbers of programs ranked for the curve.")
    ] = "1,2,3,4,5,6,8,10,12,15,20",
    at: Annotated[
        int | None,
        typer.Option(
            "--at", min=1, max=300, help="Programs ranked for the by-specialty table (default 10)."
        ),
    ] = None,
    specialty: Annotated[
        list[str] | None,
        typer.Option(
            "--specialty",
            "-s",
            help="A specialty (part of a name); repeat for several. Default: the profile's, else the five most wanted.",
        ),
    ] = None,
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
        typer.Option(
            "--plot", metavar="FILE", help="Draw the 'how many programs' curve (.png or .svg)."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    executor: Executor = Execution.process,
    workers: Workers = None,
    dask: DaskAddress = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute even if cached.")] = False,
) -> None:
    """Your chance of matching in simulated national Matches: by how many programs you rank (the
    "how many" curve) and by specialty, each with the range across simulated markets.

    The model is calibrated to NRMP's 2025 match rates by applicant type; your Step 2 CK (for IMGs),
    visa need (and any travel ban) and list length enter. Not a forecast: see the caveats printed.

    Examples:

      imgpath odds me.yaml

      imgpath odds me.yaml -s "internal medicine" -s "family medicine" --plot odds.png
    """
    pool = executor_from(executor, workers, dask)
    try:
        with compiling("odds", spinner=False), DelayedProgress() as bar:
            result = odds_for_profile(profile, on=parse_day(on), runs=runs, seed=seed, ranks=_ranks(ranks), at_ranks=at,
                                      specialties=specialty or (), kind=kind, scenario=scenario, executor=pool,
                                      use_cache=not no_cache, progress=Ticker(bar, "simulating"))  # fmt: skip
    finally:
        pool.close()
    if plot is not None:
        odds_plot(
            result,
            plot,
            title=f"{result['specialty']}: chance of matching by programs ranked ({result['runs']} simulated Matches)",
        )
    if json_output:
        sys.stdout.write(dump_json(result))
        return
    console = Console(highlight=False)
    person = result["person"]
    console.print(
        f"[bold]Your odds[/] as a {TYPE_NAMES.get(person['type'], person['type'])} ({result['runs']} simulated national Matches)"
    )
    for note in person["notes"]:
        console.print(f"  - {note}")
    console.print(f"\n[bold]{result['specialty']}[/]: chance by programs ranked")
    curve = Table()
    for column in ("programs ranked", "chance", "90% of markets"):
        curve.add_column(column, justify="right")
    for row in result["by_ranks"]:
        lo, hi = row["interval_90"]
        curve.add_row(str(row["ranks"]), f"{row['p_match']:.0%}", f"{lo:.0%}-{hi:.0%}")
    console.print(curve)
    console.print(f"\n[bold]By specialty[/], ranking {result['by_specialty'][0]['ranks']} programs")
    by_spec = Table()
    for column in ("specialty", "chance", "90% of markets"):
        by_spec.add_column(column, justify="left" if column == "specialty" else "right")
    for row in result["by_specialty"]:
        lo, hi = row["interval_90"]
        by_spec.add_row(row["specialty"], f"{row['p_match']:.0%}", f"{lo:.0%}-{hi:.0%}")
    console.print(by_spec)
    for caveat in result["caveats"]:
        console.print(f"[dim]{caveat}[/]")
    if plot is not None:
        console.print(f"wrote {plot}")
