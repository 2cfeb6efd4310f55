"""``imgpath``: the command line.  Every command parses, makes one library call, renders."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from imgpath import __version__
from imgpath.cli.errors import exit_code, report, report_unexpected
from imgpath.cli.lazy import LazyGroup
from imgpath.errors import ImgpathError

__all__ = ["app", "main"]

app = typer.Typer(
    name="imgpath",
    help="Open software for international medical graduates: where you stand and what comes "
    "next (**imgpath plan**), the rules behind it (**imgpath rules**), the programs that will "
    "consider you (**imgpath programs**), what it costs (**imgpath costs**), and the NRMP Match "
    "engine.\n\n"
    "Start with **imgpath plan examples/profile-nigeria.yaml**, **imgpath demo** (a national "
    "example Match), or **imgpath match FILE** to run the Match on your own rank lists.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    cls=LazyGroup,  # match, plan, programs...: imported when they run (imgpath.cli.lazy)
)


class SchemaName(StrEnum):
    instance = "instance"
    profile = "profile"


@app.command("schema")
def schema_command(
    name: Annotated[
        SchemaName,
        typer.Argument(help="Which format: 'instance' (a Match) or 'profile' (for imgpath plan)."),
    ],
) -> None:
    """Print the JSON Schema of a file format, for editors and validators."""
    from imgpath.cli.render import dump_json
    from imgpath.match import instance_json_schema
    from imgpath.pathway import profile_json_schema

    schemas = {SchemaName.instance: instance_json_schema, SchemaName.profile: profile_json_schema}
    sys.stdout.write(dump_json(schemas[name]()))


@app.command("demo")
def demo_command(
    seed: Annotated[int, typer.Option(min=0, help="Random seed of the example market.")] = 0,
    scale: Annotated[
        float, typer.Option(min=0.001, max=10.0, help="Market size relative to the 2025 Match.")
    ] = 1.0,
) -> None:
    """Generate the national example market (2025 shape) and match it: what **make run** does."""
    from imgpath.cli.market import print_demo

    print_demo(seed=seed, scale=scale)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"imgpath {__version__}\n")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Root options."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns (and, as a script, exits with) the exit code.

    Errors imgpath raises on purpose become one line on stderr and an exit code
    (:mod:`imgpath.cli.errors`); usage errors are click's (exit 2).
    """
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        result = app(args=argv, standalone_mode=False, prog_name="imgpath")
    except typer.Abort:
        console.print("aborted")
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # usage errors: bad flags, missing arguments (exit 2)
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:  # pragma: no cover
            report(exc, console)
        return int(getattr(exc, "exit_code", 2))
    except ImgpathError as exc:
        report(exc, console)
        return exit_code(exc)
    except KeyboardInterrupt:
        console.print("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard: a person never sees a traceback
        return report_unexpected(exc, console)
    return result if isinstance(result, int) else 0


def script() -> None:  # pragma: no cover - the console-script entry point
    sys.exit(main())
