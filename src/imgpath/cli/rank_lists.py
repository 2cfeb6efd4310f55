"""``imgpath rol``: move rank lists between an instance and NRMP-style CSV files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from imgpath.cli.files import write_output
from imgpath.match import dump_instance, export_rank_list, import_rank_list, load

__all__ = ["rol_app"]

rol_app = typer.Typer(
    help="Import and export rank order lists as CSV (**rank,id** per line).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)

_WHO = typer.Argument(
    metavar="ID",
    help="A program code or an applicant id; for a couple member, the couple's list.",
)
_SUPP = typer.Option(
    "--supplemental", metavar="NAME", help="The applicant's supplemental list NAME instead."
)


@rol_app.command("export")
def export_command(
    instance: Annotated[str, typer.Argument(help="Instance file (JSON or YAML), or '-'.")],
    who: Annotated[str, _WHO],
    supplemental: Annotated[str | None, _SUPP] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV file to write.")
    ] = None,
) -> None:
    """Write one rank list as CSV: a header, then one **rank,id** line per entry.

    Couples' lists have two program columns (empty = No Match); applicants' lists that attach
    supplemental lists get a third column naming them.

    Example: imgpath rol export market.json ana -o ana.csv
    """
    text = export_rank_list(load(instance), who, supplemental=supplemental)
    write_output(text, output)


@rol_app.command("import")
def import_command(
    instance: Annotated[str, typer.Argument(help="Instance file (JSON or YAML).")],
    who: Annotated[str, _WHO],
    csv_file: Annotated[
        Path, typer.Argument(metavar="CSV", help="The rank list, rank,id per line.")
    ],
    supplemental: Annotated[str | None, _SUPP] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the updated instance here (default: standard output)."
        ),
    ] = None,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty",
            help="Accept a CSV without entries and empty the list. Without it, an empty or "
            "header-only file is refused, so a cut-short export never wipes a list.",
        ),
    ] = False,
) -> None:
    """Replace one rank list in INSTANCE with the CSV file, check it, write the new instance.

    Ranks must run 1, 2, 3, ... without gaps; every id must exist in the instance.  Nothing is
    written if anything is wrong, and every problem is listed with its line number.  An empty
    CSV is refused (use --allow-empty to empty a list on purpose); the output file is replaced
    whole or not at all, so -o may name INSTANCE itself.

    Example: imgpath rol import market.json P001 p001.csv -o market2.json
    """
    updated = import_rank_list(
        load(instance), who, csv_file, supplemental=supplemental, allow_empty=allow_empty
    )
    yaml_out = output is not None and output.suffix.lower() in {".yaml", ".yml"}
    text = dump_instance(updated, fmt="yaml" if yaml_out else "json")
    write_output(text, output)
    if output is not None:
        Console(stderr=True).print(f"wrote {output}")
