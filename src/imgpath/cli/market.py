"""``imgpath market``: the national Match model, simulated."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from imgpath.cli.files import write_output
from imgpath.cli.progress import DelayedProgress, compiling
from imgpath.cli.render import dump_json, stats_table
from imgpath.errors import InvalidInputError
from imgpath.market import (
    TYPE_LABELS,
    calibration_markdown,
    calibration_plot,
    generate_example,
    load_model,
    make_executor,
    run_calibration,
    run_demo,
    simulate,
    write_calibration,
)

__all__ = ["Execution", "executor_from", "market_app", "print_demo"]

market_app = typer.Typer(
    help="The national Match model: generate a simulated Match, simulate many, calibrate the model.\n\n"
    "The model (docs/reference/market-model.md) has a source for every figure and is fitted to "
    "NRMP's 2025 results; a scenario file changes any figure (docs/how-to/simulate-a-scenario.md).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


class Execution(StrEnum):
    serial = "serial"
    process = "process"
    dask = "dask"


Executor = Annotated[
    Execution,
    typer.Option(
        "--executor", help="serial (this process), process (a local pool, the default) or dask."
    ),
]
Workers = Annotated[
    int | None, typer.Option(min=1, max=256, help="Worker processes (default: one per CPU).")
]
DaskAddress = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="A Dask scheduler (tcp://host:8786); implies --executor dask.",
    ),
]


def executor_from(kind: Execution, workers: int | None, dask: str | None) -> Any:
    chosen = Execution.dask if dask else kind
    return make_executor(chosen.value, workers=workers, dask=dask)


class Ticker:
    """A (done, total) callback on top of the delayed progress bar."""

    def __init__(self, bar: DelayedProgress, stage: str) -> None:
        self.bar, self.stage = bar, stage

    def __call__(self, done: int, total: int) -> None:
        self.bar(self.stage, done / max(total, 1))


@market_app.command("generate")
def generate_command(
    national: Annotated[
        bool,
        typer.Option(
            "--national",
            help="A simulated national Match from the calibrated 2025 model: ~47,000 applicants, ~6,300 programs, couples, supplemental lists.",
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
    """Generate a Match instance in the interchange format, to run with imgpath match.

    Programs and applicants are invented; counts by specialty and type follow NRMP's 2025 tables.

    Example:

      imgpath market generate --national --seed 1 -o national.json
    """
    if not national:
        msg = "say which market to generate: --national is the one available (see --help)"
        raise InvalidInputError(msg)
    fmt = "yaml" if output is not None and output.suffix.lower() in {".yaml", ".yml"} else "json"
    with compiling("odds"):
        text = generate_example(seed=seed, scale=scale, fmt=fmt)
    write_output(text, output)
    if output is not None:
        Console(stderr=True).print(f"wrote {output}")


@market_app.command("simulate")
def simulate_command(
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario", metavar="FILE", help="YAML or JSON overrides of the model (what if?)."
        ),
    ] = None,
    runs: Annotated[
        int,
        typer.Option(min=1, max=100_000, help="Simulated Matches (each a full national Match)."),
    ] = 20,
    seed: Annotated[
        int, typer.Option(min=0, help="Seed; the same seed gives the same results on any executor.")
    ] = 0,
    scale: Annotated[
        float, typer.Option(min=0.01, max=10.0, help="Market size relative to 2025.")
    ] = 1.0,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    executor: Executor = Execution.process,
    workers: Workers = None,
    dask: DaskAddress = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Recompute even if these results are cached.")
    ] = False,
) -> None:
    """Simulate national Matches and report match rates by applicant type and specialty, with 90%
    intervals across runs.

    JSON keys: runs, match_rate_by_type (us_md_senior, us_do_senior, us_img, non_us_img,
    prior_graduate), fill_rate, by_specialty; each value has mean and interval_90.

    Examples:

      imgpath market simulate --runs 50

      imgpath market simulate --scenario h1b-halved.yaml --runs 50 -f json
    """
    if output_format not in ("table", "json"):
        msg = f"--format {output_format!r}: use table or json"
        raise InvalidInputError(msg)
    model = load_model(scenario)
    pool = executor_from(executor, workers, dask)
    try:
        with compiling("odds", spinner=False), DelayedProgress() as bar:
            report = simulate(model, runs=runs, seed=seed, scale=scale, executor=pool,
                              use_cache=not no_cache, progress=Ticker(bar, "simulating"))  # fmt: skip
    finally:
        pool.close()
    if output_format == "json":
        sys.stdout.write(dump_json(report))
        return
    console = Console(highlight=False)
    title = (
        f"{report['runs']} simulated Match(es), seed {seed}"
        + (f", scenario {scenario}" if scenario else "")
        + (" (cached)" if report["cached"] else "")
    )
    table = Table(title=title, title_justify="left")
    for column in ("applicant type", "NRMP 2025", "simulated", "90% of runs"):
        table.add_column(column, justify="left" if column == "applicant type" else "right")
    targets = report["targets"]["match_rate_by_type"]
    for kind, row in report["match_rate_by_type"].items():
        lo, hi = row["interval_90"]
        target = targets.get(kind)
        table.add_row(
            TYPE_LABELS.get(kind, kind),
            "" if target is None else f"{target:.1%}",
            f"{row['mean']:.1%}",
            f"{lo:.1%}-{hi:.1%}",
        )
    fill = report["fill_rate"]
    table.add_row(
        "positions filled",
        f"{report['targets']['fill_rate']:.1%}",
        f"{fill['mean']:.1%}",
        f"{fill['interval_90'][0]:.1%}-{fill['interval_90'][1]:.1%}",
    )
    console.print(table)
    spec = Table(title="Largest specialties", title_justify="left")
    for column in (
        "specialty",
        "positions",
        "filled",
        "IMG share of matches (NRMP 2025 / simulated)",
    ):
        spec.add_column(column, justify="left" if column == "specialty" else "right")
    shares = report["targets"]["img_share_of_matches"]
    for name, row in sorted(report["by_specialty"].items(), key=lambda kv: -kv[1]["positions"])[
        :10
    ]:
        share = row.get("img_share_of_matches")
        target = shares.get(name)
        nrmp = "" if target is None else f"{target:.0%}"
        simulated = "" if share is None else f"{share['mean']:.0%}"
        text = f"{nrmp} / {simulated}"
        spec.add_row(name, f"{row['positions']:,}", f"{row['fill_rate']['mean']:.1%}", text)
    console.print(spec)
    secs = report["seconds_per_run"]
    console.print(
        f"Per run (median): generate {secs['generate']:.2f} s, match {secs['solve']:.2f} s; executor {report['executor']['name']} ({report['executor']['workers']} worker(s))."
    )


@market_app.command("calibrate")
def calibrate_command(
    iterations: Annotated[int, typer.Option(min=1, max=500, help="Reduced-scale iterations.")] = 24,
    runs: Annotated[int, typer.Option(min=1, max=50, help="Simulated Matches per iteration.")] = 2,
    scale: Annotated[
        float, typer.Option(min=0.05, max=1.0, help="Scale of the reduced iterations.")
    ] = 0.3,
    final_iterations: Annotated[
        int, typer.Option(min=0, max=50, help="Full-scale iterations after them.")
    ] = 8,
    check_runs: Annotated[
        int, typer.Option(min=1, max=500, help="Full-scale Matches in the final check.")
    ] = 10,
    seed: Annotated[int, typer.Option(min=0)] = 2025,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the fitted parameters here (default: the bundled calibration_2025.yaml).",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE.md",
            help="Write the calibration report (Markdown, with a PNG plot beside it).",
        ),
    ] = None,
    executor: Executor = Execution.process,
    workers: Workers = None,
    dask: DaskAddress = None,
) -> None:
    """Fit the model's free parameters so the simulated 2025 Match reproduces NRMP's match rates by
    applicant type and its fill rate, then check with fresh full-scale runs.

    For maintainers: the fitted file ships with imgpath (data/market/calibration_2025.yaml) and
    the report lives in docs/reference/calibration-2025.md. Takes a few minutes.
    """
    from imgpath.market import CALIBRATION_PATH

    pool = executor_from(executor, workers, dask)
    try:
        with compiling("odds", spinner=False), DelayedProgress() as bar:
            result = run_calibration(executor=pool, iterations=iterations, runs=runs, scale=scale,
                                     final_iterations=final_iterations, verify_runs=check_runs, seed=seed,
                                     progress=lambda stage, done, total: bar(stage, done / max(total, 1)))  # fmt: skip
    finally:
        pool.close()
    today = datetime.now(UTC).date()
    target = output or CALIBRATION_PATH
    write_calibration(result, target, today=today)
    Console(stderr=True).print(f"wrote {target}")
    if report is not None:
        plot = report.with_suffix(".png")
        calibration_plot(result["check"], plot)
        report.write_text(
            calibration_markdown(result, today=today, plot=plot.name), encoding="utf-8"
        )
        Console(stderr=True).print(f"wrote {report} and {plot}")
    check = result["check"]
    for kind, row in check["match_rate_by_type"].items():
        target_rate = check["targets"]["match_rate_by_type"].get(kind)
        gap = "" if target_rate is None else f" (NRMP {target_rate:.1%})"
        sys.stdout.write(f"{TYPE_LABELS.get(kind, kind)}: {row['mean']:.1%}{gap}\n")


def print_demo(*, seed: int, scale: float) -> None:
    """Run the demo and print what it found."""
    console = Console(highlight=False)
    with compiling("odds"):
        report = run_demo(seed=seed, scale=scale)
    s = report.summary
    console.print(
        f"[bold]A simulated national Match[/] (seed {seed}): the calibrated 2025 model, with invented "
        "applicants and programs. It reproduces NRMP's 2025 match rates by type; it is not a forecast.\n"
    )
    types = Table(title="By applicant type", title_justify="left")
    for column in ("Applicant type", "Applicants", "Matched", "Simulated", "NRMP 2025"):
        types.add_column(column, justify="left" if column == "Applicant type" else "right")
    targets = report.targets()
    for kind in s.applicants:
        n = s.applicants[kind]
        target = targets.get(kind)
        types.add_row(
            TYPE_LABELS.get(kind, kind),
            f"{n:,}",
            f"{s.matched[kind]:,}",
            f"{s.matched[kind] / n:.1%}" if n else "",
            "" if target is None else f"{target:.1%}",
        )
    console.print(types)
    spec = Table(title="Largest specialties", title_justify="left")
    for column in ("Specialty", "Positions", "Filled", "IMG share (NRMP 2025 / simulated)"):
        spec.add_column(column, justify="left" if column == "Specialty" else "right")
    for row in report.largest_specialties():
        simulated = "" if row["img_share"] is None else f"{row['img_share']:.0%}"
        nrmp = "" if row["target_img_share"] is None else f"{row['target_img_share']:.0%}"
        spec.add_row(
            row["specialty"], f"{row['positions']:,}", f"{row['filled']:,}", f"{nrmp} / {simulated}"
        )
    console.print(spec)
    stats = report.result.stats
    console.print(stats_table(stats, title="Engine"))
    if not stats["stable"]:
        console.print(
            f"[yellow]No stable matching was found for this market.[/] Couples can make one impossible "
            f"(Roth 1984); {stats['couples_left_out']} couple(s) whose placement kept cycling were left "
            f"unmatched, leaving {stats['blocking_pairs']} blocking pair(s). Other seeds usually end stable."
        )
    t = report.timings
    console.print(
        f"Timings: generate {t['generate']:.2f} s, match and audit {t['solve']:.3f} s (the first run in "
        "a fresh checkout also compiles the engine, about a minute)."
    )
    console.print(
        "Next: [bold]imgpath plan PROFILE[/], [bold]imgpath odds PROFILE[/], [bold]imgpath market simulate[/]; docs in docs/."
    )
