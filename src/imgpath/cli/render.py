"""Turn results into tables, JSON and CSV for the terminal or a file."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from imgpath.core import csv_safety
from imgpath.match import Result

__all__ = ["dump_json", "match_csv", "match_table", "stats_table", "terminal_console"]


def terminal_console(*, to_file: bool) -> Console:
    """A console that renders into a string: coloured for a terminal, plain for a file or pipe."""
    colour = not to_file and sys.stdout.isatty()
    return Console(
        file=io.StringIO(), force_terminal=colour, width=None if colour else 110, highlight=False
    )


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def match_csv(result: Result) -> str:
    """One line per applicant: applicant, program (empty if unmatched), supplemental PGY-1 program."""
    out = io.StringIO()
    writer = csv_safety.writer(out, lineterminator="\n")
    writer.writerow(["applicant", "program", "supplemental_program"])
    supp = result.supplemental_matches
    for applicant, program in result.matches.items():
        writer.writerow([applicant, program or "", supp.get(applicant, "")])
    return out.getvalue()


_STAT_LABELS = {
    "applicants": "Applicants",
    "couples": "Couples",
    "programs": "Programs",
    "positions": "Positions offered",
    "positions_after_reversions": "Positions after reversions",
    "matched": "Applicants matched",
    "unmatched": "Applicants unmatched",
    "matched_first_choice": "Matched to first choice (singles)",
    "supplemental_matched": "PGY-1 positions from supplemental lists",
    "filled": "Positions filled",
    "unfilled": "Positions unfilled",
    "reverted": "Positions reverted",
    "couples_matched": "Couples matched",
    "blocking_pairs": "Blocking pairs",
    "stable": "Stable",
    "stable_exists": "A stable matching exists",
    "attempts": "Attempts (couple orders tried)",
    "restarts": "Restarts (a couple's insertion cycled)",
    "couples_left_out": "Couples left out (kept cycling)",
    "steps": "Proposals and chaining steps",
    "sweep_repairs": "Repairs by the final audit sweep",
    "seconds": "Seconds",
}


def stats_table(stats: dict[str, Any], *, title: str = "Match summary") -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, label in _STAT_LABELS.items():
        if key in stats:
            value = stats[key]
            if value is None:
                text = "unknown"
            elif isinstance(value, bool):
                text = "yes" if value else "no"
            elif isinstance(value, int):
                text = f"{value:,}"
            else:
                text = str(value)
            table.add_row(label, text)
    return table


def match_table(result: Result, console: Console, *, limit: int) -> None:
    """The summary, then the matches (up to ``limit`` rows; 0 for all), then any blocking pairs."""
    console.print(stats_table(result.stats))
    table = Table(title="Matches", title_justify="left")
    table.add_column("Applicant")
    table.add_column("Program")
    table.add_column("Supplemental (PGY-1)")
    supp = result.supplemental_matches
    rows = list(result.matches.items())
    shown = rows if limit == 0 else rows[:limit]
    for applicant, program in shown:
        table.add_row(  # ids are the user's text: shown as written, never read as markup
            Text(applicant),
            Text(program) if program else "[dim]unmatched[/]",
            Text(supp.get(applicant, "")),
        )
    console.print(table)
    if len(shown) < len(rows):
        console.print(
            f"[dim]... {len(rows) - len(shown):,} more; use --limit 0 for all, or --format csv[/]"
        )
    if result.blocking_pairs:
        bp = Table(title="Blocking pairs (this matching is not stable)", title_justify="left")
        bp.add_column("Who")
        bp.add_column("Would rather be at")
        for pair in result.blocking_pairs[:50]:
            bp.add_row(
                Text(" + ".join(pair.applicants)),
                Text(" + ".join(p or "No Match" for p in pair.programs)),
            )
        console.print(bp)
        listed, total = min(len(result.blocking_pairs), 50), result.outcome.report.n_blocking
        if total > listed:
            console.print(
                f"[dim]... {total - listed:,} more blocking pairs; --format json lists them[/]"
            )
