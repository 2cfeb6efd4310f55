"""``imgpath rules``: the rule book the plans rest on, with dates, grades and sources."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from imgpath.cli.plan import parse_day
from imgpath.cli.render import dump_json, terminal_console
from imgpath.errors import NotFoundError
from imgpath.pathway import load_rulebook, rule_dict, rule_markdown, select_rules

__all__ = ["rules_command"]


class RulesFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


class Grade(StrEnum):
    H = "H"
    M = "M"
    L = "L"
    U = "U"


def rules_command(
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="[RULE_ID or TEXT]",
            help="A rule id (shows that rule in full), or text to find in ids and titles.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="Only rules in force on this day (YYYY-MM-DD)."),
    ] = None,
    grade: Annotated[
        list[Grade] | None,
        typer.Option(
            "--grade",
            "-g",
            help="Only rules of this grade (repeat for several): H primary source, M secondary, "
            "L weak, U unverified. -g L -g U lists what needs confirmation.",
        ),
    ] = None,
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="table, markdown or json.")
    ] = RulesFormat.table,
) -> None:
    """List the rules behind every plan: what each says, since when, how sure, and the source.

    Examples:

      imgpath rules US.USMLE.ATTEMPTS.v2021

      imgpath rules travel --on 2026-01-01

      imgpath rules -g L -g U -f markdown
    """
    book = load_rulebook()
    if query and query in book:
        rules = [book[query]]
    else:
        day = parse_day(on) if on else None
        rules = select_rules(book, on=day, grades=[g.value for g in grade or []], text=query or "")
        if not rules:
            msg = f"no rule matches {query!r}" if query else "no rule matches these filters"
            raise NotFoundError(msg + "; try imgpath rules with fewer filters")
    if output_format is RulesFormat.json:
        sys.stdout.write(dump_json([rule_dict(r) for r in rules]))
    elif output_format is RulesFormat.markdown or len(rules) == 1:
        sys.stdout.write("\n\n".join(rule_markdown(r) for r in rules) + "\n")
    else:
        console = terminal_console(to_file=False)
        table = Table("rule", "grade", "in force", "title", title=f"{len(rules)} rule(s)")
        for rule in rules:
            start = str(rule.effective_from) if rule.effective_from else rule.since
            end = f" to {rule.effective_until}" if rule.effective_until else ""
            table.add_row(rule.id, rule.confidence, start + end, rule.title)
        console.print(table)
        sys.stdout.write(console.file.getvalue())  # type: ignore[attr-defined]
