"""``imgpath market``: example and simulated Matches."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from imgpath.cli.progress import DelayedProgress
from imgpath.cli.render import stats_table
from imgpath.errors import InvalidInputError
from imgpath.services.market import generate_example, run_demo

__all__ = ["market_app", "print_demo"]

market_app = typer.Typer(
    help="Example and simulated national Matches.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@market_app.command("generate")
def generate_command(
    national: Annotated[
        bool,
        typer.Option(
            "--national",
            help="A synthetic market with the 2025 Main Match's shape: ~47,000 applicants, "
            "6,626 programs, 43,237 positions, PGY-2 tracks with supplemental lists, 1,150 couples.",
        ),
    ] = False,
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed; the same seed gives the same market.")
    ] = 0,
    scale: Annotated[
        float,
        typer.Option(min=0.001, max=10.0, help="Size relative to the 2025 Match (0.1 = a tenth)."),
    ] = 1.0,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write here (.json or .yaml) instead of standard output."
        ),
    ] = None,
) -> None:
    """Generate an example Match instance in the interchange format.

    The example has the real Match's shape (counts by specialty and applicant type from NRMP's
    2025 tables) but invented programs and applicants; it is not a forecast.

    Example:

      imgpath market generate --national --seed 1 -o national.json
    """
    if not national:
        msg = "say which market to generate: --national is the one available (see --help)"
        raise InvalidInputError(msg)
    with DelayedProgress() as progress:
        text = generate_example(seed=seed, scale=scale, fmt=_format_of(output), progress=progress)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        Console(stderr=True).print(f"wrote {output}")


def _format_of(path: Path | None) -> str:
    return "yaml" if path is not None and path.suffix.lower() in {".yaml", ".yml"} else "json"


def print_demo(*, seed: int, scale: float) -> None:
    """Run the demo and print what it found."""
    console = Console(highlight=False)
    with DelayedProgress() as progress:
        report = run_demo(seed=seed, scale=scale, progress=progress)
    summary = report.summary
    console.print(
        f"[bold]National example Match[/] (seed {seed}; the 2025 Main Match's shape, invented "
        "applicants and programs: not a forecast)\n"
    )
    types = Table(title="By applicant type", title_justify="left")
    for column in ("Applicant type", "Applicants", "Matched", "Match rate"):
        types.add_column(column, justify="left" if column == "Applicant type" else "right")
    labels = {
        "us_md_senior": "US MD seniors",
        "us_do_senior": "US DO seniors",
        "us_img": "US-citizen IMGs",
        "non_us_img": "Non-US-citizen IMGs",
        "other": "Others (mostly prior graduates)",
    }
    for key, row in summary["by_type"].items():
        types.add_row(
            labels.get(key, key),
            f"{row['applicants']:,}",
            f"{row['matched']:,}",
            f"{row['rate']:.1%}",
        )
    console.print(types)
    spec = Table(title="Largest specialties", title_justify="left")
    for column in ("Specialty", "Programs", "Positions", "Filled"):
        spec.add_column(column, justify="left" if column == "Specialty" else "right")
    rows = sorted(summary["by_specialty"].items(), key=lambda kv: -kv[1]["positions"])[:8]
    for name, row in rows:
        spec.add_row(name, f"{row['programs']:,}", f"{row['positions']:,}", f"{row['filled']:,}")
    console.print(spec)
    console.print(stats_table(summary["stats"], title="Engine"))
    stats = summary["stats"]
    if not stats["stable"]:
        console.print(
            f"[yellow]No stable matching was found for this market.[/] Couples can make one "
            f"impossible (Roth 1984); {stats['couples_left_out']} couple(s) whose placement kept "
            f"cycling were left unmatched, leaving {stats['blocking_pairs']} blocking pair(s). "
            "Everybody else holds a stable place. Other seeds (--seed) usually end stable."
        )
    t = report.timings
    console.print(
        f"Timings: generate {t['generate']:.2f} s, prepare {t['prepare']:.2f} s, "
        f"match and audit {t['solve']:.3f} s (the first run in a fresh checkout also compiles "
        "the engine, about a minute)."
    )
    console.print(
        "Next: [bold]imgpath match FILE --explain ID[/] on your own rank lists; docs in docs/."
    )
